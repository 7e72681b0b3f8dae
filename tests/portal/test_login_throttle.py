"""Failed logins are throttled as on a real portal: a few failures lock the user name a while.

Default: 5 failures of one user name within 300 s lock it for 60 s; a locked name is refused with
429 and *Te veel mislukte pogingen. Probeer het over N minuten opnieuw.*, the right password
too. `/_mock/reset` forgets it all; `/_mock/logins` shows what the portal counted.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from tests.portal.conftest import AppFactory
from tests.portal.helpers import USERS, Client, FakeClock, Html

LOCKED_FOR_A_MINUTE = "Te veel mislukte pogingen. Probeer het over 1 minuut opnieuw."


def fail_logins(client: Client, times: int, portal: str = "planmanager", **who: str) -> None:
    for _ in range(times):
        assert client.login(portal, password="fout", **who).status_code in (200, 429)


def logins(client: Client) -> dict[str, Any]:
    answer = client.get("/_mock/logins")
    assert answer.status_code == 200
    result: dict[str, Any] = answer.json()
    return result


def assert_locked(response: httpx.Response, message: str = LOCKED_FOR_A_MINUTE) -> None:
    assert response.status_code == 429
    assert Html(response.text).alert() == message
    assert int(response.headers["retry-after"]) > 0
    assert "_session=" not in response.headers.get("set-cookie", "")


def test_four_failures_are_only_refused_and_the_fifth_locks_the_name(client: Client) -> None:
    for _ in range(4):
        answer = client.login("planmanager", password="fout")
        assert answer.status_code == 200
        assert Html(answer.text).alert() == "Ongeldige gebruikersnaam of wachtwoord."

    fifth = client.login("planmanager", password="fout")

    assert_locked(fifth)
    assert fifth.headers["retry-after"] == "60"


def test_a_locked_name_is_refused_even_with_the_right_password(client: Client) -> None:
    fail_logins(client, 5)

    answer = client.login("planmanager")

    assert_locked(answer)
    assert client.get("/planmanager/dossiers").status_code == 303, "no session was made"


def test_attempts_during_the_lockout_do_not_extend_it(client: Client, clock: FakeClock) -> None:
    fail_logins(client, 5)
    locked_until = logins(client)["planmanager"]["werkplaats"]["locked_until"]
    clock.advance(30)
    assert_locked(client.login("planmanager", password="fout"))
    assert_locked(client.login("planmanager"))

    record = logins(client)["planmanager"]["werkplaats"]
    assert record["locked_until"] == locked_until
    assert (record["attempts"], record["refused_while_locked"]) == (7, 2)
    clock.advance(30)
    assert client.login("planmanager").status_code == 303, "let in when the lockout ends"


def test_the_message_counts_the_minutes_left(make_app: AppFactory, clock: FakeClock) -> None:
    client = Client(make_app(login_max_failures=2, login_lockout_s=600))
    fail_logins(client, 2)
    assert_locked(
        client.login("planmanager"),
        "Te veel mislukte pogingen. Probeer het over 10 minuten opnieuw.",
    )
    clock.advance(541)
    assert_locked(client.login("planmanager"), LOCKED_FOR_A_MINUTE)


def test_failures_outside_the_window_do_not_count(client: Client, clock: FakeClock) -> None:
    fail_logins(client, 4)
    clock.advance(301)
    fail_logins(client, 4)

    assert client.login("planmanager").status_code == 303
    assert logins(client)["planmanager"]["werkplaats"]["failures"] == 0


def test_a_good_login_clears_the_failures(client: Client) -> None:
    fail_logins(client, 4)
    assert client.login("planmanager").status_code == 303
    fail_logins(client, 4)

    assert Client(client.app).login("planmanager").status_code == 303


def test_the_lockout_is_per_user_name_and_per_portal(app: Starlette) -> None:
    attacker = Client(app)
    fail_logins(attacker, 5)

    assert Client(app).login("winformex").status_code == 303, "the other portal"
    assert_locked(Client(app).login("planmanager"))
    state = logins(attacker)
    assert state["planmanager"]["werkplaats"]["locked"] is True
    assert state["winformex"]["hersteller"]["locked"] is False


def test_unknown_names_are_locked_alike(client: Client) -> None:
    """The answer must not tell which names exist."""
    fail_logins(client, 5, username="niemand")
    assert_locked(client.login("planmanager", username="niemand", password="fout"))


def test_reset_forgets_failures_and_lockouts(client: Client) -> None:
    fail_logins(client, 5)
    fail_logins(client, 4, portal="winformex")

    assert client.http.post("/_mock/reset").json() == {"ok": True}

    assert logins(client)["planmanager"] == {}
    assert client.login("planmanager").status_code == 303
    fail_logins(client, 4, portal="winformex")
    assert client.login("winformex").status_code == 303, "the 4 failures before were forgotten"


def test_throttling_can_be_switched_off(make_app: AppFactory) -> None:
    client = Client(make_app(login_max_failures=0))
    fail_logins(client, 20)
    assert client.login("planmanager").status_code == 303


def test_a_login_post_without_its_token_is_not_counted(client: Client) -> None:
    user, _ = USERS["planmanager"]
    for _ in range(10):
        answer = client.http.post(
            "/planmanager/login", data={"username": user, "password": "fout", "csrf_token": "x"}
        )
        assert answer.status_code == 403
    assert logins(client)["planmanager"] == {}
    assert client.login("planmanager").status_code == 303


@pytest.mark.parametrize("portal", ["planmanager", "winformex"])
def test_logins_are_reported_per_portal_and_name(client: Client, portal: str) -> None:
    fail_logins(client, 2, portal=portal)
    client.login(portal)

    user, _ = USERS[portal]
    assert logins(client)[portal][user] == {
        "attempts": 3,
        "failures": 0,
        "locked": False,
        "locked_until": None,
        "refused_while_locked": 0,
    }
    settings = logins(client)
    assert (settings["max_failures"], settings["window_s"], settings["lockout_s"]) == (5, 300, 60)
