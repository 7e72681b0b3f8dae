"""Nightly housekeeping: old run folders pruned, and a webhook told when something failed."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from bot.domain.models import DossierResult, DossierStatus
from bot.engine.orchestrator import RunOutcome, prune_runs
from bot.evidence.notify import notify_if_failed
from bot.settings import NotifySettings, load_settings

CREDENTIALS = {
    "PLANMANAGER_USERNAME": "u",
    "PLANMANAGER_PASSWORD": "pm-secret",
    "WINFORMEX_USERNAME": "u",
    "WINFORMEX_PASSWORD": "wx-secret",
}


def make_run(runs: Path, name: str) -> Path:
    run = runs / name
    run.mkdir(parents=True)
    (run / "results.json").write_text("{}", encoding="utf-8")
    return run


def test_keep_runs_deletes_only_the_oldest_and_never_the_current(tmp_path: Path):
    names = [f"20261120-0230{i:02d}-aaaa" for i in range(5)]
    for name in names:
        make_run(tmp_path, name)
    (tmp_path / "not-a-run").mkdir()

    removed = prune_runs(tmp_path, keep=2, current=names[0])

    assert sorted(removed) == names[1:3]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [names[0], names[3], names[4], "not-a-run"]
    )


class _Hook(BaseHTTPRequestHandler):
    received: ClassVar[list[dict]] = []

    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        _Hook.received.append(json.loads(self.rfile.read(length)))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def outcome(*statuses: DossierStatus, unfinished: int = 0) -> RunOutcome:
    results = [
        DossierResult(dossier=f"PM-{i}", assignment=None, status=s, error="kapot" if i else None)
        for i, s in enumerate(statuses)
    ]
    return RunOutcome("run-1", Path("runs/run-1"), results, unfinished)


@pytest.fixture
def webhook() -> Iterator[str]:
    _Hook.received = []
    server = HTTPServer(("127.0.0.1", 0), _Hook)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/hook"
    server.shutdown()


def test_webhook_is_told_about_failures_without_secrets(webhook: str):
    settings = load_settings({**CREDENTIALS, "BOT_NOTIFY_WEBHOOK": webhook})

    notify_if_failed(settings, outcome(DossierStatus.LINKED, DossierStatus.BUSINESS_ERROR))

    [message] = _Hook.received
    assert message["run_id"] == "run-1" and message["exit_code"] == 1
    assert "PM-1: business_error: kapot" in message["text"]
    assert "pm-secret" not in json.dumps(message)


def test_nobody_is_disturbed_when_everything_linked(webhook: str):
    settings = load_settings({**CREDENTIALS, "BOT_NOTIFY_WEBHOOK": webhook})

    notify_if_failed(settings, outcome(DossierStatus.LINKED))

    assert _Hook.received == []


def test_a_stopped_batch_is_not_done_even_if_all_it_did_was_linked(webhook: str):
    settings = load_settings({**CREDENTIALS, "BOT_NOTIFY_WEBHOOK": webhook})
    stopped = outcome(DossierStatus.LINKED, DossierStatus.ALREADY_LINKED, unfinished=3)

    notify_if_failed(settings, stopped)

    assert stopped.exit_code == 1
    [message] = _Hook.received
    assert message["exit_code"] == 1
    assert "not done (stopped) 3" in message["text"]
    assert "informex-bot batch --resume run-1" in message["text"]


def test_unreachable_webhook_is_logged_not_fatal():
    settings = load_settings(CREDENTIALS).with_overrides(
        notify=NotifySettings(webhook="http://127.0.0.1:9/closed")
    )

    notify_if_failed(settings, outcome(DossierStatus.SYSTEM_ERROR))
