"""The batch ledger: durable states, resumes, attempts across runs, threads, and a real SIGKILL."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from bot.domain.batch_input import RejectedRow
from bot.domain.models import DossierInput, DossierResult, DossierStatus
from bot.engine.ledger import Ledger
from bot.errors import ConfigError, LedgerError

ROOT = Path(__file__).resolve().parents[2]


def job(number: int, line: int | None = None, **overrides: str) -> DossierInput:
    return DossierInput(
        dossier=f"PM-2026-{number:04d}",
        assignment=None,
        overrides=dict(overrides),
        line=line if line is not None else number + 1,
    )


def linked(dossier: str, attempts: int = 1) -> DossierResult:
    return DossierResult(
        dossier=dossier,
        assignment="IX-2026-004711",
        status=DossierStatus.LINKED,
        informex_dossier="WX-2026-000001",
        attempts=attempts,
        duration_s=1.5,
        screenshots=["PM/001.png"],
        step="verify",
    )


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "runs" / "RUN" / "ledger.sqlite"


# --- schema and meta -------------------------------------------------------------------------


def test_new_ledger_is_a_wal_sqlite_file_with_the_documented_tables(path: Path) -> None:
    with Ledger(path):
        pass

    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"meta", "dossiers", "attempts"} <= tables


def test_meta_is_kept_as_text_and_updated(path: Path) -> None:
    with Ledger.open(path) as ledger:
        ledger.set_meta(run_id="20260301-020000-abcd", input_digest="f" * 64, workers=2)
        ledger.set_meta(workers=1)

    with Ledger(path) as ledger:
        assert ledger.meta() == {
            "input_digest": "f" * 64,
            "run_id": "20260301-020000-abcd",
            "workers": "1",
        }


def test_a_file_that_is_not_sqlite_is_a_clear_ledger_error(path: Path) -> None:
    path.parent.mkdir(parents=True)
    path.write_bytes(b"this is not a database, just some text " * 100)

    with pytest.raises(LedgerError, match=r"ledger\.sqlite: not a usable SQLite ledger") as caught:
        Ledger(path)
    assert isinstance(caught.value, ConfigError)


def test_a_foreign_sqlite_database_is_refused(path: Path) -> None:
    path.parent.mkdir(parents=True)
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE dossiers (id INTEGER PRIMARY KEY)")

    with pytest.raises(LedgerError, match=r"lacks .*input_json"):
        Ledger(path)


def test_use_after_close_is_a_ledger_error(path: Path) -> None:
    ledger = Ledger(path)
    ledger.close()

    with pytest.raises(LedgerError, match="after close"):
        ledger.counts()


def test_a_schema_1_ledger_is_upgraded_in_place_and_keeps_its_attempts(path: Path) -> None:
    """A run killed under the previous bot version must still resume under this one."""
    with Ledger(path) as ledger:
        ledger.add_jobs([job(1)])
        ledger.start_attempt("PM-2026-0001")
    with sqlite3.connect(path) as db:  # make it what schema 1 wrote: no attempts.saved_at
        db.execute("ALTER TABLE attempts DROP COLUMN saved_at")
        db.execute("PRAGMA user_version = 1")

    with Ledger(path) as ledger:
        assert [a["attempt"] for a in ledger.attempts("PM-2026-0001")] == [1]
        assert not ledger.saved_before("PM-2026-0001")
        ledger.record_save("PM-2026-0001")
        assert ledger.saved_before("PM-2026-0001")
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == 2


# --- adding input ----------------------------------------------------------------------------


def test_adding_the_same_input_twice_adds_nothing_and_resets_nothing(path: Path) -> None:
    jobs = [job(1), job(2)]
    rejected = [RejectedRow(4, "=cmd", "dossier: starts like a spreadsheet formula")]
    with Ledger(path) as ledger:
        ledger.add_jobs(jobs, rejected)
        ledger.finish(linked("PM-2026-0001"))
        ledger.add_jobs(jobs, rejected)

        assert ledger.counts()["linked"] == 1
        assert ledger.counts()["pending"] == 1
        assert ledger.counts()["business_error"] == 1
        assert [j.dossier for j in ledger.pending_jobs()] == ["PM-2026-0002"]
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0] == 3


def test_pending_jobs_are_rebuilt_exactly_in_input_order(path: Path) -> None:
    jobs = [job(3, line=2, vin="WVWZZZ1JZXW000001", mileage_km="84.512"), job(1, line=3)]
    jobs.append(DossierInput(dossier="PM-é/1", assignment="IX-2026-004711", line=4))
    with Ledger(path) as ledger:
        ledger.add_jobs(jobs, [])

        assert ledger.pending_jobs() == jobs


def test_rejected_rows_are_final_business_errors_keyed_safely(path: Path) -> None:
    rejected = [
        RejectedRow(3, "=cmd|' /C calc'!A0", "dossier: starts like a spreadsheet formula"),
        RejectedRow(4, "PM-2026-0002", "assignment_number: does not match (value '12345')"),
        RejectedRow(5, "PM-2026-0001", "dossier: is a duplicate of line 2, which runs"),
        RejectedRow(6, None, "dossier: is missing (value None)"),
        RejectedRow(7, "PM-2026-0002", "vin: is not a 2e circuit field"),
    ]
    with Ledger(path) as ledger:
        ledger.add_jobs([job(1, line=2), job(9, line=8)], rejected)

        results = ledger.results()
        expected = ["line:3", "PM-2026-0002", "line:5", "line:6", "line:7"]
        assert [r.dossier for r in results] == expected
        assert all(r.status is DossierStatus.BUSINESS_ERROR for r in results)
        assert all(r.attempts == 0 for r in results)
        assert [r.error.split(":")[0] for r in results if r.error] == [
            "line 3",
            "line 4",
            "line 5",
            "line 6",
            "line 7",
        ]
        assert "'12345'" in (results[1].error or "")
        assert [j.dossier for j in ledger.pending_jobs()] == ["PM-2026-0001", "PM-2026-0009"]


def test_results_and_jobs_interleave_in_file_order(path: Path) -> None:
    with Ledger(path) as ledger:
        ledger.add_jobs([job(1, line=2), job(2, line=4)], [RejectedRow(3, None, "bad")])
        ledger.finish(linked("PM-2026-0002"))
        ledger.finish(linked("PM-2026-0001"))

        assert [r.dossier for r in ledger.results()] == ["PM-2026-0001", "line:3", "PM-2026-0002"]


# --- moving dossiers, resuming ---------------------------------------------------------------


def test_closing_without_finish_resumes_with_pending_and_in_progress(path: Path) -> None:
    with Ledger(path) as ledger:
        ledger.add_jobs([job(1), job(2), job(3)], [])
        ledger.start_attempt("PM-2026-0001")
        ledger.finish(linked("PM-2026-0001"))
        ledger.start_attempt("PM-2026-0002")
        ledger.record_step("PM-2026-0002", "check_complete")
        ledger.record_step("PM-2026-0002", "inject")

    with Ledger(path) as ledger:
        assert [j.dossier for j in ledger.pending_jobs()] == ["PM-2026-0002", "PM-2026-0003"]
        assert ledger.in_progress() == {"PM-2026-0002": "inject"}
        counts = ledger.counts()
        assert (counts["pending"], counts["in_progress"], counts["linked"]) == (1, 1, 1)
        assert counts["system_error"] == 0
        assert [r.dossier for r in ledger.results()] == ["PM-2026-0001"]


def test_attempts_are_counted_across_reopening(path: Path) -> None:
    with Ledger(path) as ledger:
        ledger.add_jobs([job(1)], [])
        first = ledger.start_attempt("PM-2026-0001")
        ledger.end_attempt("PM-2026-0001", first, DossierStatus.SYSTEM_ERROR, "timeout")
        ledger.start_attempt("PM-2026-0001")  # killed during this one

    with Ledger(path) as ledger:
        third = ledger.start_attempt("PM-2026-0001")
        ledger.end_attempt("PM-2026-0001", third, "linked", None)
        stored = ledger.finish(linked("PM-2026-0001", attempts=1))

        assert (first, third) == (1, 3)
        assert stored.attempts == 3
        assert ledger.results()[0].attempts == 3
        assert [(a["attempt"], a["status"]) for a in ledger.attempts("PM-2026-0001")] == [
            (1, "system_error"),
            (2, "interrupted"),
            (3, "linked"),
        ]
        assert ledger.attempts("PM-2026-0001")[0]["error"] == "timeout"


def test_finish_keeps_the_whole_result(path: Path) -> None:
    result = linked("PM-2026-0001")
    result.values = {"vin": "WVWZZZ1JZXW000001"}
    with Ledger(path) as ledger:
        ledger.add_jobs([job(1)], [])
        ledger.start_attempt("PM-2026-0001")
        ledger.finish(result)

    with Ledger(path) as ledger:
        assert ledger.results() == [result]
        assert ledger.in_progress() == {}


@pytest.mark.smoke
def test_a_final_dossier_is_never_started_again(path: Path) -> None:
    with Ledger(path) as ledger:
        ledger.add_jobs([job(1)], [])
        ledger.finish(linked("PM-2026-0001"))

        with pytest.raises(LedgerError, match="already final"):
            ledger.start_attempt("PM-2026-0001")
        with pytest.raises(LedgerError, match="already final"):
            ledger.record_step("PM-2026-0001", "inject")


def test_unknown_dossier_or_attempt_is_a_ledger_error(path: Path) -> None:
    with Ledger(path) as ledger:
        ledger.add_jobs([job(1)], [])

        with pytest.raises(LedgerError, match="PM-2026-0404 is not in batch ledger"):
            ledger.start_attempt("PM-2026-0404")
        with pytest.raises(LedgerError, match="no attempt 7"):
            ledger.end_attempt("PM-2026-0001", 7, "linked", None)


def test_finish_of_a_dossier_not_added_still_keeps_its_result(path: Path) -> None:
    with Ledger(path) as ledger:
        ledger.add_jobs([job(1)], [])
        ledger.finish(linked("PM-2026-0777", attempts=2))

        assert [(r.dossier, r.attempts) for r in ledger.results()] == [("PM-2026-0777", 2)]
        assert [j.dossier for j in ledger.pending_jobs()] == ["PM-2026-0001"]


# --- threads ---------------------------------------------------------------------------------


def test_four_worker_threads_record_every_dossier_once(path: Path) -> None:
    jobs = [job(n) for n in range(1, 201)]
    with Ledger(path) as ledger:
        ledger.add_jobs(jobs, [])
        start = threading.Barrier(4)

        def work(mine: list[DossierInput]) -> int:
            start.wait()
            for item in mine:
                attempt = ledger.start_attempt(item.dossier)
                ledger.record_step(item.dossier, "inject")
                ledger.counts()
                ledger.end_attempt(item.dossier, attempt, "linked", None)
                ledger.finish(linked(item.dossier))
            return len(mine)

        with ThreadPoolExecutor(max_workers=4) as pool:
            done = list(pool.map(work, [jobs[i::4] for i in range(4)]))

        assert sum(done) == 200
        assert ledger.counts()["linked"] == 200
        assert ledger.pending_jobs() == []
        results = ledger.results()
        assert [r.dossier for r in results] == [j.dossier for j in jobs]
        assert {r.attempts for r in results} == {1}


# --- a real crash ----------------------------------------------------------------------------

CHILD = textwrap.dedent(
    """
    import itertools, sys
    from bot.engine.ledger import Ledger
    from bot.domain.models import DossierInput, DossierResult, DossierStatus

    ledger = Ledger(sys.argv[1])
    for n in itertools.count(1):  # never ends by itself: only the kill stops it
        number = f"PM-{n:06d}"
        ledger.add_jobs([DossierInput(dossier=number, line=n + 1)], [])
        attempt = ledger.start_attempt(number)
        ledger.record_step(number, "inject")
        ledger.end_attempt(number, attempt, "linked", None)
        ledger.finish(DossierResult(number, None, DossierStatus.LINKED, informex_dossier=str(n)))
        print(number, flush=True)
    """
)


def test_sigkill_loses_no_finish_that_returned_and_leaves_a_valid_ledger(path: Path) -> None:
    path.parent.mkdir(parents=True)
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(path)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    reported: list[str] = []
    try:
        for line in child.stdout or ():
            reported.append(line.strip())
            if len(reported) == 60:
                child.send_signal(signal.SIGKILL)
                break
    finally:
        child.kill()
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    assert len(reported) == 60

    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    with Ledger(path) as ledger:
        final = {r.dossier: r for r in ledger.results()}
        assert set(reported) <= set(final)
        assert all(final[d].status is DossierStatus.LINKED for d in reported)
        assert all(final[d].informex_dossier == str(int(d[3:])) for d in reported)
        assert all(final[d].attempts == 1 for d in reported)
        assert sum(ledger.counts().values()) == len(ledger.pending_jobs()) + len(final)


# --- saves -----------------------------------------------------------------------------------


def test_a_save_noted_by_a_killed_run_is_remembered_by_the_resumed_one(path: Path) -> None:
    with Ledger(path) as ledger:
        ledger.add_jobs([job(1), job(2)])
        ledger.start_attempt("PM-2026-0001")
        ledger.record_save("PM-2026-0001")  # then the process dies before any result

    with Ledger(path) as ledger:
        assert ledger.saved_before("PM-2026-0001")
        assert not ledger.saved_before("PM-2026-0002")
        assert ledger.start_attempt("PM-2026-0001") == 2
        assert ledger.saved_before("PM-2026-0001"), "still true for the next attempt"
        [first, second] = ledger.attempts("PM-2026-0001")
    assert first["status"] == "interrupted" and second["status"] is None


def test_a_save_without_an_attempt_is_refused(path: Path) -> None:
    with Ledger(path) as ledger:
        ledger.add_jobs([job(1)])

        with pytest.raises(LedgerError, match="no attempt in progress"):
            ledger.record_save("PM-2026-0001")
