"""Running the portal: `python -m mock_portal` as a real process, `run_in_thread`, `--db FILE`."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from mock_portal.config import PortalConfig
from mock_portal.server import run_in_thread
from tests.portal.conftest import PHOTOS, SMALL_SEED, AppFactory
from tests.portal.helpers import Client, log_in_form

REPO = Path(__file__).resolve().parents[2]


MOCK_PORTAL = ("-m", "mock_portal")
INFORMEX_BOT_PORTAL = ("-m", "bot", "portal")  # `informex-bot portal`, which runs the former


@contextmanager
def portal_process(
    *args: str, program: tuple[str, ...] = MOCK_PORTAL
) -> Iterator[tuple[subprocess.Popen[str], str]]:
    """`python -m mock_portal --port 0 …`; yields the process and the URL it announced."""
    command = [sys.executable, *program, "--host", "127.0.0.1", "--port", "0"]
    command += ["--seed", str(SMALL_SEED), "--photos", str(PHOTOS), *args]
    process = subprocess.Popen(
        command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()  # blocks until the portal announces itself (or exits)
        assert line.startswith("mock portal listening on http://127.0.0.1:"), (
            line,
            process.stderr.read() if process.stderr else "",
        )
        yield process, line.split("listening on ", 1)[1].strip()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(10)


def test_the_cli_serves_both_portals_on_a_free_port_and_stops_on_sigterm() -> None:
    with portal_process() as (process, url):
        port = int(url.rsplit(":", 1)[1])
        assert port not in (0, 8765)
        assert httpx.get(f"{url}/_mock/health").json() == {"ok": True}
        assert httpx.get(f"{url}/planmanager/login").status_code == 200
        assert httpx.get(f"{url}/winformex/login").status_code == 200
        process.send_signal(signal.SIGTERM)
        assert process.wait(10) == 0


def test_the_cli_stops_cleanly_on_sigint() -> None:
    with portal_process() as (process, _url):
        process.send_signal(signal.SIGINT)
        assert process.wait(10) == 0


def test_the_cli_passes_its_options_on() -> None:
    with portal_process("--faults", "realistic", "--no-control-api") as (process, url):
        assert httpx.get(f"{url}/_mock/health").status_code == 404
        assert httpx.get(f"{url}/planmanager/login").status_code == 200
        process.terminate()
        assert process.wait(10) == 0


def test_informex_bot_portal_documents_no_control_api() -> None:
    done = subprocess.run(
        [sys.executable, *INFORMEX_BOT_PORTAL, "--help"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**os.environ, "COLUMNS": "200", "NO_COLOR": "1"},
    )
    assert done.returncode == 0, done.stderr
    assert "--no-control-api" in done.stdout
    assert "Switch off the /_mock/ test-control API" in done.stdout


def test_informex_bot_portal_no_control_api_serves_the_portals_only() -> None:
    with portal_process("--no-control-api", program=INFORMEX_BOT_PORTAL) as (process, url):
        for method, path in [
            ("GET", "/_mock/health"),
            ("GET", "/_mock/state"),
            ("GET", "/_mock/logins"),
            ("POST", "/_mock/reset"),
            ("PUT", "/_mock/faults"),
        ]:
            assert httpx.request(method, f"{url}{path}", json={}).status_code == 404, path
        assert httpx.get(f"{url}/planmanager/login").status_code == 200
        assert httpx.get(f"{url}/winformex/login").status_code == 200
        process.terminate()
        assert process.wait(10) == 0


def test_informex_bot_portal_passes_the_login_throttle_on() -> None:
    options = ("--login-max-failures", "2", "--login-lockout", "120")
    with portal_process(*options, program=INFORMEX_BOT_PORTAL) as (process, url):
        with httpx.Client(base_url=url) as http:
            log_in_form(http, "planmanager", password="fout")
            locked = log_in_form(http, "planmanager", password="fout")
        assert locked.status_code == 429
        assert "Probeer het over 2 minuten opnieuw." in locked.text
        assert httpx.get(f"{url}/_mock/logins").json()["lockout_s"] == 120
        process.terminate()
        assert process.wait(10) == 0


def test_the_cli_refuses_a_bad_seed_with_a_clear_message(tmp_path: Path) -> None:
    seed = tmp_path / "seed.json"
    seed.write_text('{"users": {}}', encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "mock_portal", "--port", "0", "--seed", str(seed)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 2
    assert "bad seed: users.planmanager: missing (expected a list)" in result.stderr
    assert result.stdout == ""


def test_run_in_thread_yields_a_working_url() -> None:
    config = PortalConfig(seed_path=SMALL_SEED, photos_dir=PHOTOS)
    with run_in_thread(config=config) as url:
        assert httpx.get(f"{url}/_mock/health").json() == {"ok": True}
        assert httpx.get(f"{url}/").headers["location"] == "/portalen"
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{url}/_mock/health")


def test_run_in_thread_accepts_config_fields() -> None:
    with run_in_thread(seed_path=SMALL_SEED, photos_dir=PHOTOS, faults="hostile") as url:
        assert httpx.get(f"{url}/_mock/faults").json()["profile"] == "hostile"


def test_a_db_file_keeps_the_state_across_restarts(make_app: AppFactory, tmp_path: Path) -> None:
    db = tmp_path / "portal.sqlite"
    first = Client(make_app(db_path=db))
    first.login("planmanager")
    first.post_form("/planmanager/dossiers/PM-2026-0101/inject")
    second = Client(make_app(db_path=db))
    dossier = second.get("/_mock/state").json()["planmanager"]["dossiers"][0]
    assert dossier["injections"] == 1
    assert second.http.post("/_mock/reset").json() == {"ok": True}
    assert second.get("/_mock/state").json()["planmanager"]["dossiers"][0]["injections"] == 0


def test_informex_bot_portal_passes_the_winformex_layout_on() -> None:
    with portal_process("--winformex-layout", "menu", program=INFORMEX_BOT_PORTAL) as (
        process,
        url,
    ):
        assert httpx.get(f"{url}/_mock/state").json()["winformex_layout"] == "menu"
        process.terminate()
        assert process.wait(10) == 0


def test_the_cli_refuses_an_unknown_winformex_layout() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mock_portal", "--winformex-layout", "ribbon"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "--winformex-layout" in result.stderr and "'button', 'menu'" in result.stderr
