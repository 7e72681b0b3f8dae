"""A portal that throttles logins: the bot stops after one refused attempt and says why.

Someone (a colleague mistyping, an earlier run with an old password) has made the portal lock
the bot's user name for a while. Each further login would be refused and could lengthen the
lockout or lock the account for good, so `run` and `batch` must give up at the first refusal,
with exit code 2 and a message that says the portal throttles logins, and write nothing.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import httpx
import pytest

from mock_portal.process import MockPortalProcess
from tests import seeds
from tests.e2e.helpers import run_cli

MAX_FAILURES = 5  # the mock's default (docs/mock-portal.md)


def logins(portal: MockPortalProcess) -> dict[str, Any]:
    """What the portal's throttle counted (`GET /_mock/logins`)."""
    answer = httpx.get(f"{portal.url}/_mock/logins", timeout=30)
    answer.raise_for_status()
    result: dict[str, Any] = answer.json()
    return result


def lock_out(portal: MockPortalProcess, username: str) -> None:
    """Fail logins of `username` over plain HTTP until PlanManager locks the name."""
    with httpx.Client(base_url=portal.url, timeout=30) as http:
        for _ in range(MAX_FAILURES):
            form = http.get("/planmanager/login")
            token = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
            assert token is not None
            answer = http.post(
                "/planmanager/login",
                data={"csrf_token": token[1], "username": username, "password": "fout"},
            )
    assert answer.status_code == 429, "the last failure locks the name"


@pytest.mark.parametrize(
    "command", [["run", "PM-2026-0101"], ["batch", "--discover"]], ids=["run", "batch"]
)
def test_a_throttled_login_stops_the_bot_after_one_attempt_with_a_clear_message(
    portal: MockPortalProcess, bot_env: dict[str, str], tmp_path: Path, command: list[str]
) -> None:
    user = seeds.PM_USER["username"]
    lock_out(portal, user)
    before = portal.state()
    locked = logins(portal)["planmanager"][user]

    done = run_cli(command, bot_env, tmp_path)

    output = done.stdout + done.stderr
    assert done.returncode == 2, output
    assert "planmanager is throttling logins of 'werkplaats'" in done.stderr
    assert "Te veel mislukte pogingen" in done.stderr, "the portal's own words are quoted"
    assert "stopped trying so as not to lock the account" in done.stderr
    after = logins(portal)
    assert after["planmanager"][user]["attempts"] == locked["attempts"] + 1, "one attempt only"
    assert after["planmanager"][user]["locked_until"] == locked["locked_until"], "not extended"
    assert after["winformex"] == {}, "no login anywhere else either"
    assert portal.state() == before, "nothing was written"
    assert seeds.PM_USER["password"] not in output
