"""What the web page reads of the runs folder, and how it explains a failure.

Run folders are made here with the engine's own Ledger (the file a batch writes), so the page is
held to the real schema: a dossier's steps and film strip as they pass (a screenshot still being
written is left out), runs with failures first, only a run's own files served, and each kind of
failure the bot reports put in plain words with what to do.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from bot.domain.models import DossierInput, DossierResult, DossierStatus
from bot.engine.leases import FileLeaseStore, Holder
from bot.engine.ledger import Ledger
from bot.engine.orchestrator import RUN_LEASE
from bot.web.evidence import (
    EMBEDDED_LEDGERS,
    PNG_END,
    dossier_progress,
    last_check,
    list_runs,
    newest_run_with,
    run_file,
    run_folders,
    run_owned_by,
)
from bot.web.explain import explain

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32 + PNG_END


def make_run(
    runs: Path,
    run_id: str,
    *,
    source: str = "--discover",
    done: dict[str, DossierStatus] | None = None,
    going: dict[str, str] | None = None,
) -> Path:
    """A run folder as the engine leaves it: `done` dossiers final, `going` at a step."""
    run_dir = runs / run_id
    numbers = [*(done or {}), *(going or {})]
    with Ledger(run_dir / "ledger.sqlite") as ledger:
        ledger.set_meta(run_id=run_id, input_source=source, created_at="2026-11-28T02:30:00+01:00")
        ledger.add_jobs([DossierInput(dossier=n, line=i + 1) for i, n in enumerate(numbers)])
        for number, step in (going or {}).items():
            ledger.start_attempt(number)
            ledger.record_step(number, step)
        for number, status in (done or {}).items():
            ledger.start_attempt(number)
            ledger.finish(result(number, status))
    return run_dir


def result(number: str, status: DossierStatus, error: str | None = None) -> DossierResult:
    failed = status in (DossierStatus.BUSINESS_ERROR, DossierStatus.SYSTEM_ERROR)
    return DossierResult(
        dossier=number,
        assignment="IX-2026-004711",
        status=status,
        informex_dossier=None if failed else "WX-2026-000001",
        attempts=1,
        error=error or ("No insurance assignment matches VIN X" if failed else None),
        step="check_complete" if failed else "verify",
    )


# -- one dossier -------------------------------------------------------------------------------
def test_a_dossier_in_progress_shows_its_steps_and_only_finished_screenshots(
    tmp_path: Path,
) -> None:
    run_dir = make_run(tmp_path, "20261128-023000-3fa1", going={"PM-2026-0101": "find_assignment"})
    folder = run_dir / "PM-2026-0101"
    folder.mkdir()
    (folder / "001-open-dossier-open-dossierlijst.png").write_bytes(PNG)
    (folder / "002-find-assignment-fill-zoek-opdracht.png").write_bytes(PNG)
    (folder / "003-find-assignment-click-zoeken.png").write_bytes(PNG[:20])  # being written

    progress = dossier_progress(
        tmp_path, "20261128-023000-3fa1", "PM-2026-0101", ledgers=EMBEDDED_LEDGERS
    )

    assert progress.state == "in_progress" and not progress.final
    assert progress.left_unfinished  # nobody owns this run: it was killed
    assert [(s.step, s.action) for s in progress.screenshots] == [
        ("open_dossier", "open dossierlijst"),
        ("find_assignment", "fill zoek opdracht"),
    ]
    states = dict(progress.step_states())
    assert states["find_assignment"] == "done"
    assert states["prepare_data"] == "now"
    assert states["verify"] == "todo"


def test_a_failed_dossier_marks_the_step_it_stopped_in(tmp_path: Path) -> None:
    make_run(tmp_path, "20261128-023000-3fa1", done={"PM-2026-0101": DossierStatus.BUSINESS_ERROR})

    progress = dossier_progress(
        tmp_path, "20261128-023000-3fa1", "PM-2026-0101", ledgers=EMBEDDED_LEDGERS
    )

    assert progress.final and progress.result is not None
    states = dict(progress.step_states())
    assert states["check_complete"] == "done"
    assert states["find_assignment"] == "failed"
    assert states["inject"] == "todo"


def test_the_newest_run_holding_a_dossier_is_the_one_shown(tmp_path: Path) -> None:
    make_run(tmp_path, "20261127-023000-aaaa", done={"PM-2026-0101": DossierStatus.LINKED})
    make_run(tmp_path, "20261128-023000-bbbb", done={"PM-2026-0102": DossierStatus.LINKED})

    assert (
        newest_run_with(tmp_path, "PM-2026-0101", ledgers=EMBEDDED_LEDGERS)
        == "20261127-023000-aaaa"
    )
    assert (
        newest_run_with(tmp_path, "PM-2026-0102", ledgers=EMBEDDED_LEDGERS)
        == "20261128-023000-bbbb"
    )
    assert newest_run_with(tmp_path, "PM-2026-0999", ledgers=EMBEDDED_LEDGERS) is None


# -- runs ---------------------------------------------------------------------------------------
def test_runs_with_failures_come_first_each_group_newest_first(tmp_path: Path) -> None:
    make_run(tmp_path, "20261125-023000-0001", done={"A-1": DossierStatus.SYSTEM_ERROR})
    make_run(tmp_path, "20261126-023000-0002", done={"A-2": DossierStatus.LINKED})
    make_run(
        tmp_path,
        "20261127-023000-0003",
        done={"A-3": DossierStatus.LINKED, "A-4": DossierStatus.BUSINESS_ERROR},
    )
    make_run(tmp_path, "20261128-101500-0004", source="run A-5", done={"A-5": DossierStatus.LINKED})
    (tmp_path / "20261128-101600-0005").mkdir()  # a check run: no ledger, not a run
    (tmp_path / "_discover").mkdir()

    runs = list_runs(tmp_path, page_runs={"20261128-101500-0004"}, ledgers=EMBEDDED_LEDGERS)

    assert [r.run_id[-4:] for r in runs] == ["0003", "0001", "0004", "0002"]
    assert [r.needs_attention for r in runs] == [True, True, False, False]
    assert runs[0].counts == {"linked": 1, "business_error": 1}
    assert [r.kind for r in runs] == ["discover", "discover", "page", "discover"]


def test_a_run_that_stopped_short_needs_attention(tmp_path: Path) -> None:
    make_run(tmp_path, "20261128-023000-0001", going={"A-1": "inject"})

    [run] = list_runs(tmp_path, ledgers=EMBEDDED_LEDGERS)

    assert run.unfinished == 1 and not run.running
    assert run.needs_attention


def test_the_run_a_click_started_is_found_by_its_owner_lease_before_any_ledger(
    tmp_path: Path,
) -> None:
    # With BOT_DATABASE_URL a run folder never holds a ledger.sqlite; the owner lease is a file
    # in the folder with either store, so that is what the page looks for.
    older = make_run(tmp_path, "20261128-023000-0001", done={"A-1": DossierStatus.LINKED})
    clicked = tmp_path / "20261128-101500-0002"
    owner = FileLeaseStore(clicked).try_acquire(RUN_LEASE, Holder.me("run 20261128-101500-0002"))
    assert owner is not None and not (clicked / "ledger.sqlite").exists()
    try:
        assert run_owned_by(tmp_path, os.getpid()) == clicked.name
        assert run_owned_by(tmp_path, os.getpid() + 1) is None
    finally:
        owner.release()
    assert run_owned_by(tmp_path, os.getpid()) is None
    assert [p.name for p in run_folders(tmp_path, ledgers=EMBEDDED_LEDGERS)] == [older.name]


def test_only_a_run_s_report_and_evidence_are_served(tmp_path: Path) -> None:
    run_dir = make_run(tmp_path, "20261128-023000-3fa1", done={"A-1": DossierStatus.LINKED})
    (run_dir / "report.html").write_text("<h1>report</h1>", "utf-8")
    (run_dir / "A-1").mkdir()
    (run_dir / "A-1" / "001-x.png").write_bytes(PNG)
    (tmp_path / "secret.png").write_bytes(PNG)

    assert run_file(tmp_path, "20261128-023000-3fa1", "report.html") == run_dir / "report.html"
    assert run_file(tmp_path, "20261128-023000-3fa1", "A-1/001-x.png") is not None
    (run_dir / "_report").mkdir()
    (run_dir / "_report" / "report.css").write_text("body {}", "utf-8")
    assert run_file(tmp_path, "20261128-023000-3fa1", "_report/report.css") is not None
    for refused in ("ledger.sqlite", "../secret.png", "/etc/passwd", "A-1/../../secret.png", ""):
        assert run_file(tmp_path, "20261128-023000-3fa1", refused) is None, refused
    assert run_file(tmp_path, "..", "secret.png") is None
    assert run_file(tmp_path, "_discover", "report.html") is None


def test_the_last_check_is_read_per_portal(tmp_path: Path) -> None:
    checks = [
        {"page_object": "LoginPage", "locator": "username", "screen": "planmanager login"},
        {
            "page_object": "DossierListPage",
            "locator": "table",
            "screen": "PlanManager dossier list",
        },
        {"page_object": "InboxPage", "locator": "search_box", "screen": "Winformex inbox"},
    ]
    results = ["ok", "ok", "missing"]
    document = {
        "run_id": "20261128-090000-0c0c",
        "ok": False,
        "checks": [{**c, "result": r, "detail": ""} for c, r in zip(checks, results, strict=True)],
        "screenshots": ["check/001.png"],
    }
    (tmp_path / "20261128-090000-0c0c").mkdir()
    (tmp_path / "20261128-090000-0c0c" / "check.json").write_text(json.dumps(document), "utf-8")

    check = last_check(tmp_path)

    assert check is not None and not check.ok
    planmanager, winformex = check.portals
    assert (planmanager.fit, planmanager.total, planmanager.problems) == (2, 2, [])
    assert (winformex.fit, winformex.total) == (0, 1)
    assert winformex.problems[0]["locator"] == "search_box"


# -- plain words --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("status", "step", "error", "why"),
    [
        ("system_error", None, "busy: another process is working on it (pid 7 on pc)", "why_busy"),
        (
            "business_error",
            "open_dossier",
            "dossier is incomplete, missing: VIN [dossier X, "
            "step check_complete, screen PlanManager dossier]",
            "why_incomplete",
        ),
        (
            "business_error",
            "check_complete",
            "No insurance assignment matches VIN W "
            "(searched 0 assignments) [dossier X, step find_assignment]",
            "why_no_assignment",
        ),
        (
            "business_error",
            "check_complete",
            "2 insurance assignments match plate 1ABC234: "
            "IX-1, IX-2; give the right opdrachtnummer explicitly [step find_assignment]",
            "why_ambiguous",
        ),
        (
            "business_error",
            "check_complete",
            "opdrachtnummer 'IX-2026-000009' (given for this "
            "dossier) is not in the Winformex inbox [step find_assignment]",
            "why_given_unknown",
        ),
        (
            "business_error",
            "open_imported",
            "2e circuit of WX-1 already holds opdrachtnummer "
            "IX-1, not IX-2; not overwritten (rerun with --force to replace it) [step link]",
            "why_conflict",
        ),
        (
            "business_error",
            "find_assignment",
            "bad mileage_km '-5' [step prepare_data]",
            "why_invalid",
        ),
        ("business_error", "link", "duplicate Informex dossiers WX-1, WX-2 for X", "why_duplicate"),
        ("business_error", "link", "only 1 of 2 photos arrived [step verify]", "why_verify"),
        (
            "system_error",
            "find_assignment",
            "browser error while waiting for the assignments table [step find_assignment]",
            "why_system",
        ),
        (
            "system_error",
            None,
            "winformex refused the login of 'x': Onbekende gebruiker",
            "why_login",
        ),
        ("business_error", "inject", "something new [step open_imported]", "why_business"),
    ],
)
def test_a_failure_is_explained_in_plain_words_with_what_to_do(
    status: str, step: str | None, error: str, why: str
) -> None:
    failed = DossierResult("X", None, DossierStatus(status), error=error, step=step, attempts=3)

    explanation = explain(failed)

    assert explanation is not None
    assert explanation.why == why
    assert explanation.todo.startswith("todo_")


def test_a_dossier_that_succeeded_needs_no_explanation() -> None:
    for status in (DossierStatus.LINKED, DossierStatus.ALREADY_LINKED, DossierStatus.DRY_RUN):
        assert explain(DossierResult("X", "IX-1", status)) is None
