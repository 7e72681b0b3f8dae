"""A run that cannot do its work says why, in its report and its notification, and loses nothing.

Refused credentials, a portal that never answers, a portal that fails every request, a ledger
that lost its write-ahead log, a disk without room for the evidence, an unexpected error in a
worker: each ends the run (or the dossier) cleanly, with results.json, report.html and the
webhook telling the person who reads them in the morning what happened and how to go on.
"""

from __future__ import annotations

import json
import socket
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from bot.domain.batch_input import BatchInput
from bot.domain.models import DossierInput
from bot.engine import runner
from bot.engine.orchestrator import start_run
from bot.engine.runner import RunOptions
from bot.evidence.recorder import _write_image
from bot.settings import load_settings
from mock_portal.process import MockPortalProcess
from tests import seeds
from tests.e2e.helpers import only_run_dir
from tests.reliability.helpers import (
    Child,
    PortalCheck,
    dossier_numbers,
    end_processes,
    in_own_thread,
    read_json,
    run_batch,
    write_csv,
)

CHILD_TIMEOUT_S = 600


class _Hook(BaseHTTPRequestHandler):
    received: ClassVar[list[dict[str, object]]] = []

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", 0))
        _Hook.received.append(json.loads(self.rfile.read(length)))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@dataclass
class Webhook:
    url: str
    received: list[dict[str, object]]


@pytest.fixture
def webhook() -> Iterator[Webhook]:
    """A local webhook receiver: its URL, and the messages it received."""
    _Hook.received = []
    server = HTTPServer(("127.0.0.1", 0), _Hook)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield Webhook(f"http://127.0.0.1:{server.server_port}/hook", _Hook.received)
    server.shutdown()


def closed_port() -> int:
    with closing(socket.socket()) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def one_dossier_csv(tmp_path: Path, count: int = 1) -> Path:
    return write_csv(tmp_path / "nacht.csv", [f"{n};" for n in dossier_numbers(count)])


def test_refused_credentials_still_write_the_report_and_notify(
    portal: MockPortalProcess, bot_env: dict[str, str], tmp_path: Path, webhook: Webhook
) -> None:
    portal.reset(seeds.many(2))
    env = {
        **bot_env,
        "WINFORMEX_PASSWORD": "verkeerd-wachtwoord",
        "BOT_NOTIFY_WEBHOOK": webhook.url,
        "BOT_REPORT_LANGUAGE": "en",  # the texts below are the English catalogue's
    }

    done = run_batch([str(one_dossier_csv(tmp_path, 2))], env, tmp_path, timeout_s=300)

    assert done.returncode == 2, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    run_dir = only_run_dir(tmp_path / "runs")
    results = read_json(run_dir / "results.json")
    assert "no dossier was started" in results["error"]
    assert results["unfinished"] == 2
    [shot, *_] = sorted((run_dir / "_login").glob("*login-winformex*"))  # the refused screen
    assert shot.stat().st_size > 0
    report = (run_dir / "report.html").read_text(encoding="utf-8")
    assert "The run stopped" in report and "refused" in report.lower()
    [message] = webhook.received
    assert "the run stopped" in str(message["text"])
    assert message["exit_code"] == 2
    assert "verkeerd-wachtwoord" not in json.dumps(message) + report
    assert sum(PortalCheck.of(portal.state()).injections.values()) == 0


def test_a_portal_that_never_answers_is_said_in_report_and_notification(
    portal: MockPortalProcess, bot_env: dict[str, str], tmp_path: Path, webhook: Webhook
) -> None:
    portal.reset(seeds.many(1))
    env = {
        **bot_env,
        "WINFORMEX_URL": f"http://127.0.0.1:{closed_port()}/winformex/",
        "BOT_NOTIFY_WEBHOOK": webhook.url,
        "BOT_REPORT_LANGUAGE": "en",  # the texts below are the English catalogue's
        "BOT_NAVIGATION_TIMEOUT_S": "3",
    }

    done = run_batch([str(one_dossier_csv(tmp_path))], env, tmp_path, timeout_s=300)

    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    run_dir = only_run_dir(tmp_path / "runs")
    results = read_json(run_dir / "results.json")
    assert results["error"].startswith("no dossier was started")
    assert (results["finished_at"], results["unfinished"]) == (None, 1)
    assert "The run stopped" in (run_dir / "report.html").read_text(encoding="utf-8")
    [message] = webhook.received
    assert "the run stopped" in str(message["text"])
    assert f"--resume {run_dir.name}" in str(message["text"])


def test_a_portal_that_fails_every_request_stops_the_night_and_resume_links_the_rest(
    portal: MockPortalProcess, bot_env: dict[str, str], tmp_path: Path
) -> None:
    count, limit = 6, 2
    portal.reset(seeds.many(count))
    env = {
        **bot_env,
        "BOT_SCREENSHOTS": "off",
        "BOT_RETRIES": "0",
        "BOT_MAX_CONSECUTIVE_SYSTEM_ERRORS": str(limit),
    }
    child = Child([str(one_dossier_csv(tmp_path, count))], env, tmp_path)
    try:
        logged_in = "logged in to winformex"
        assert child.wait_for(lambda c: any(logged_in in x for x in c.lines), CHILD_TIMEOUT_S)
        portal.set_faults(error_rate_get=1.0)  # the portal goes down after the night's login
        code = child.finish(CHILD_TIMEOUT_S)
    finally:
        end_processes(child.kill())

    run_dir = only_run_dir(tmp_path / "runs")
    stopped = read_json(run_dir / "results.json")
    output = "".join(child.lines)
    assert code == 1, output
    assert [r["status"] for r in stopped["dossiers"]] == ["system_error"] * limit
    assert stopped["unfinished"] == count - limit
    assert f"{limit} dossiers in a row ended system_error" in stopped["error"]
    assert sum(PortalCheck.of(portal.state()).injections.values()) == 0

    portal.set_faults(error_rate_get=0.0)
    resumed = run_batch(["--resume", run_dir.name], env, tmp_path, timeout_s=CHILD_TIMEOUT_S)

    assert resumed.returncode == 1, resumed.stdout + resumed.stderr  # the 2 failures stay
    statuses = [r["status"] for r in read_json(run_dir / "results.json")["dossiers"]]
    assert statuses.count("linked") == count - limit
    injected = PortalCheck.of(portal.state()).injections
    assert sorted(injected.values()) == [0] * limit + [1] * (count - limit)


@pytest.mark.parametrize("damage", ["wal_deleted", "emptied"])
def test_resume_refuses_a_ledger_that_lost_its_run(
    portal: MockPortalProcess, bot_env: dict[str, str], tmp_path: Path, damage: str
) -> None:
    portal.reset(seeds.many(3))
    env = {**bot_env, "BOT_SCREENSHOTS": "off"}
    child = Child([str(one_dossier_csv(tmp_path, 3))], env, tmp_path)
    try:
        assert child.wait_for(
            lambda _: list(PortalCheck.of(portal.state()).saves.values()) == [1], CHILD_TIMEOUT_S
        )
    finally:
        end_processes(child.kill())
    run_dir = only_run_dir(tmp_path / "runs")
    ledger = run_dir / "ledger.sqlite"
    if damage == "wal_deleted":
        for suffix in ("-wal", "-shm"):
            Path(f"{ledger}{suffix}").unlink(missing_ok=True)
        with closing(sqlite3.connect(ledger)) as db:  # what a reader of the bare file sees
            tables = db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        print(f"\ntables left in the ledger without its WAL: {tables}")
    else:
        ledger.write_bytes(b"")
    before = portal.state()

    done = run_batch(["--resume", run_dir.name], env, tmp_path, timeout_s=300)

    assert done.returncode == 2, done.stdout + done.stderr
    assert "ledger" in done.stderr and "nothing was run" in done.stderr
    assert "Traceback" not in done.stderr
    assert portal.state() == before


def test_no_room_for_evidence_stops_before_the_first_billable_write(
    portal: MockPortalProcess, bot_env: dict[str, str], tmp_path: Path
) -> None:
    portal.reset(seeds.many(2))
    env = {**bot_env, "BOT_SCREENSHOTS": "off", "BOT_MIN_FREE_MB": "1000000"}

    done = run_batch([str(one_dossier_csv(tmp_path, 2))], env, tmp_path, timeout_s=300)

    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    results = read_json(only_run_dir(tmp_path / "runs") / "results.json")
    [first] = results["dossiers"]
    assert first["status"] == "system_error"
    assert "BOT_MIN_FREE_MB" in first["error"] and "BOT_MIN_FREE_MB" in results["error"]
    assert results["unfinished"] == 1
    assert sum(PortalCheck.of(portal.state()).injections.values()) == 0


def test_an_image_that_cannot_be_written_is_logged_and_leaves_no_file(tmp_path: Path) -> None:
    blocked = tmp_path / "001-inject-click-i.png"
    blocked.mkdir()  # writing a file there fails like a full disk does: an OSError

    assert _write_image(blocked, b"\x89PNG") is None
    assert _write_image(tmp_path / "ok.png", b"\x89PNG") == tmp_path / "ok.png"
    assert sorted(p.name for p in tmp_path.iterdir()) == [blocked.name, "ok.png"]


def test_an_unexpected_error_in_a_worker_is_a_system_error_not_a_crash(
    portal: MockPortalProcess,
    bot_env: dict[str, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    portal.reset(seeds.many(2))
    numbers = dossier_numbers(2)
    real = runner.link_dossier

    def buggy(screens, request, step, before_write):  # type: ignore[no-untyped-def]
        if request.job.dossier == numbers[0]:
            raise KeyError("a bug")
        return real(screens, request, step, before_write)

    monkeypatch.setattr(runner, "link_dossier", buggy)
    settings = load_settings({**bot_env, "BOT_SCREENSHOTS": "off"})
    work = BatchInput(
        jobs=[DossierInput.create(n) for n in numbers], rejected=[], digest="bug", source="t"
    )

    outcome = in_own_thread(lambda: start_run(settings, RunOptions(), work=work))

    assert outcome.exit_code == 1
    first, second = outcome.results
    assert (first.status.value, second.status.value) == ("system_error", "linked")
    assert first.error is not None and first.error.startswith("unexpected error: KeyError")
