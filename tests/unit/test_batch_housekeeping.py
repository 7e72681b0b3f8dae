"""Nightly housekeeping: old run folders pruned, and a webhook told when something failed.

Pruning keeps the newest --keep-runs runs and the run folders under BOT_RUNS_MAX_GB; it never
deletes the run that just ended or one a process works on, and a run with failures no later run
resolved only when the budget cannot be met otherwise, which that night's report then says.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from bot.domain.models import DossierResult, DossierStatus
from bot.engine.leases import FileLeaseStore, Holder
from bot.engine.orchestrator import (
    RUN_LEASE,
    RunOutcome,
    prune_runs,
    run_holder,
    tidy_runs,
    write_evidence_pages,
)
from bot.evidence.housekeeping import PRUNED_FILE, folder_bytes, read_pruning
from bot.evidence.html_report import build_report
from bot.evidence.notify import notify_if_failed
from bot.settings import NotifySettings, load_settings

CREDENTIALS = {
    "PLANMANAGER_USERNAME": "u",
    "PLANMANAGER_PASSWORD": "pm-secret",
    "WINFORMEX_USERNAME": "u",
    "WINFORMEX_PASSWORD": "wx-secret",
}
MB = 1_000_000


def make_run(
    runs: Path,
    name: str,
    *,
    failed: tuple[str, ...] = (),
    linked: tuple[str, ...] = (),
    unfinished: int = 0,
    evidence_mb: float = 0,
) -> Path:
    """A run folder with a results.json naming its failed and linked dossiers, and
    `evidence_mb` of screenshot bytes."""
    run = runs / name
    run.mkdir(parents=True)
    dossiers = [_entry(d, "business_error") for d in failed] + [_entry(d, "linked") for d in linked]
    document = {
        "run_id": name,
        "started_at": "2026-11-20T02:30:00+01:00",
        "finished_at": None if unfinished else "2026-11-20T03:30:00+01:00",
        "dossiers": dossiers,
        "unfinished": unfinished,
    }
    (run / "results.json").write_text(json.dumps(document), encoding="utf-8")
    if evidence_mb:
        (run / "PM-1").mkdir()
        (run / "PM-1" / "001-open-dossier-open.png").write_bytes(b"\x89" * int(evidence_mb * MB))
    return run


def _entry(dossier: str, status: str) -> dict[str, object]:
    return {"dossier": dossier, "assignment": None, "status": status, "error": "kapot"}


def names(count: int) -> list[str]:
    """Run ids, oldest first."""
    return [f"20261120-0230{i:02d}-aaaa" for i in range(count)]


def left(runs: Path) -> list[str]:
    return sorted(p.name for p in runs.iterdir())


def test_keep_runs_deletes_only_the_oldest_and_never_the_current(tmp_path: Path):
    runs = names(5)
    for name in runs:
        make_run(tmp_path, name)
    (tmp_path / "not-a-run").mkdir()

    pruning = prune_runs(tmp_path, keep=2, current=runs[0])

    assert sorted(run.run_id for run in pruning.removed) == runs[1:3]
    assert left(tmp_path) == sorted([runs[0], runs[3], runs[4], "not-a-run"])
    assert not any(run.forced for run in pruning.removed)


def test_keep_runs_keeps_a_run_whose_failures_no_later_run_took_up(tmp_path: Path):
    runs = names(4)
    make_run(tmp_path, runs[0], failed=("PM-1",))  # linked later: resolved
    make_run(tmp_path, runs[1], failed=("PM-2",))  # never taken up since: kept
    make_run(tmp_path, runs[2], linked=("PM-1",))
    make_run(tmp_path, runs[3])

    pruning = prune_runs(tmp_path, keep=1, current=runs[3])

    assert [run.run_id for run in pruning.removed] == [runs[0], runs[2]]
    assert left(tmp_path) == [runs[1], runs[3]]


def test_a_failure_that_failed_again_later_keeps_only_the_newest_run(tmp_path: Path):
    runs = names(4)
    for name in runs[:3]:  # the same dossier fails every night; nobody fixed it yet
        make_run(tmp_path, name, failed=("PM-3",))
    make_run(tmp_path, runs[3], linked=("PM-4",))

    pruning = prune_runs(tmp_path, keep=1, current=runs[3])

    assert [run.run_id for run in pruning.removed] == runs[:2]
    assert left(tmp_path) == runs[2:]


def test_a_stopped_run_with_dossiers_left_to_resume_is_kept(tmp_path: Path):
    runs = names(3)
    make_run(tmp_path, runs[0], unfinished=12)
    make_run(tmp_path, runs[1])
    make_run(tmp_path, runs[2])

    prune_runs(tmp_path, keep=1, current=runs[2])

    assert left(tmp_path) == [runs[0], runs[2]]


def test_a_run_a_process_works_on_is_never_deleted(tmp_path: Path):
    runs = names(3)
    for name in runs:
        make_run(tmp_path, name, evidence_mb=1)
    owner = FileLeaseStore(tmp_path / runs[0]).try_acquire(RUN_LEASE, Holder.me("run"))
    assert owner is not None
    try:
        assert run_holder(tmp_path / runs[0]) is not None
        pruning = prune_runs(tmp_path, keep=1, current=runs[2], max_bytes=1 * MB)
    finally:
        owner.release()

    assert [run.run_id for run in pruning.removed] == [runs[1]]
    assert left(tmp_path) == [runs[0], runs[2]]
    assert run_holder(tmp_path / runs[0]) is None  # a released (or dead) owner holds nothing


def test_the_size_budget_deletes_the_oldest_runs_until_the_rest_fits(tmp_path: Path):
    runs = names(5)
    for name in runs:
        make_run(tmp_path, name, evidence_mb=2)

    pruning = prune_runs(tmp_path, keep=None, current=runs[4], max_bytes=int(6.5 * MB))

    assert [run.run_id for run in pruning.removed] == runs[:2]
    assert left(tmp_path) == runs[2:]
    measured = sum(folder_bytes(tmp_path / name) for name in runs[2:])
    assert pruning.total_bytes == pytest.approx(measured, abs=8192)  # but pruned.json
    assert not pruning.over_budget


def test_the_budget_takes_a_run_with_unresolved_failures_last_and_the_report_says_so(
    tmp_path: Path,
):
    runs = names(4)
    make_run(tmp_path, runs[0], failed=("PM-7",), evidence_mb=2)
    make_run(tmp_path, runs[1], evidence_mb=2)
    make_run(tmp_path, runs[2], failed=("PM-8", "PM-9"), evidence_mb=2)
    current = make_run(tmp_path, runs[3], evidence_mb=2)

    pruning = prune_runs(tmp_path, keep=None, current=runs[3], max_bytes=int(3 * MB))

    assert [(r.run_id, r.forced, r.unresolved) for r in pruning.removed] == [
        (runs[1], False, 0),
        (runs[0], True, 1),
        (runs[2], True, 2),
    ]
    assert left(tmp_path) == [runs[3]]
    assert read_pruning(current) == pruning
    report = build_report(current, language="en").read_text(encoding="utf-8")
    assert (
        f"older runs whose failures nobody has resolved yet were deleted with their evidence: "
        f"{runs[0]} (1 unresolved), {runs[2]} (2 unresolved)"
    ) in report
    assert "BOT_RUNS_MAX_GB (0.0 GB)" in report
    assert f"Older runs deleted (--keep-runs, BOT_RUNS_MAX_GB): {runs[1]}." in report


def test_a_budget_only_the_current_run_exceeds_is_said_not_met(tmp_path: Path):
    runs = names(2)
    make_run(tmp_path, runs[0], evidence_mb=1)
    current = make_run(tmp_path, runs[1], evidence_mb=3)

    pruning = prune_runs(tmp_path, keep=None, current=runs[1], max_bytes=2 * MB)

    assert pruning.over_budget
    assert left(tmp_path) == [runs[1]]
    report = build_report(current, language="nl").read_text(encoding="utf-8")
    assert 'data-testid="over-budget"' in report
    assert "nooit verwijderd" in report


def test_nothing_is_looked_at_without_keep_runs_or_a_budget(tmp_path: Path):
    runs = names(3)
    for name in runs:
        make_run(tmp_path, name)

    assert prune_runs(tmp_path, keep=None, current=runs[2]).removed == []
    assert left(tmp_path) == runs
    assert not (tmp_path / runs[2] / PRUNED_FILE).exists()


def test_a_deletion_cut_short_is_finished_by_the_next_pruning(tmp_path: Path):
    runs = names(2)
    for name in runs:
        make_run(tmp_path, name)
    (tmp_path / ".pruning-20261101-000000-dead" / "PM-1").mkdir(parents=True)

    prune_runs(tmp_path, keep=5, current=runs[1])

    assert left(tmp_path) == runs


def test_a_run_builds_its_report_once_in_the_configured_language(tmp_path: Path):
    from tests.unit.test_report import make_run as make_reported_run

    settings = load_settings(
        {**CREDENTIALS, "BOT_RUNS_DIR": str(tmp_path), "BOT_REPORT_LANGUAGE": "fr"}
    )
    run = make_reported_run(tmp_path / "20261128-023000-3fa1")
    write_evidence_pages(run, language=settings.report.language)  # as the engine does
    page = run / "report.html"
    assert '<html lang="fr">' in page.read_text(encoding="utf-8")
    built = page.stat().st_mtime_ns

    tidy_runs(settings, run.name, keep_runs=None)  # nothing pruned: nothing to say again

    assert page.stat().st_mtime_ns == built


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
    assert "PM-1: Gegevensfout: kapot" in message["text"]
    assert "pm-secret" not in json.dumps(message)


def test_the_webhook_speaks_the_configured_language(webhook: str):
    settings = load_settings(
        {**CREDENTIALS, "BOT_NOTIFY_WEBHOOK": webhook, "BOT_REPORT_LANGUAGE": "en"}
    )

    notify_if_failed(settings, outcome(DossierStatus.LINKED, DossierStatus.BUSINESS_ERROR))

    [message] = _Hook.received
    assert "PM-1: Business error: kapot" in message["text"]


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
    assert "niet gedaan (gestopt) 3" in message["text"]
    assert "informex-bot batch --resume run-1" in message["text"]


def test_unreachable_webhook_is_logged_not_fatal():
    settings = load_settings(CREDENTIALS).with_overrides(
        notify=NotifySettings(webhook="http://127.0.0.1:9/closed")
    )

    notify_if_failed(settings, outcome(DossierStatus.SYSTEM_ERROR))
