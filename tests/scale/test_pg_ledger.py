"""The PostgreSQL ledger keeps the SQLite ledger's contract, shared by machines and restarts.

The behaviour tests of tests/unit/test_ledger.py that are about the contract (not about the
SQLite file itself) run here against both stores: the module's `Ledger` is swapped for the
store under test, so one set of cases holds both to the same semantics. Then what only the
shared store has to do: several connections ("machines") on one run, runs kept apart by id,
two machines creating the schema at once, and a server that restarts or cuts a connection.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import psycopg
import pytest

from bot.domain.models import DossierInput
from bot.engine.ledger import Ledger
from bot.engine.pg_ledger import SCHEMA_VERSION, PgLedger, run_exists, unfinished_runs
from bot.errors import LedgerError
from tests.scale.servers import PostgresServer
from tests.unit import test_ledger as contract
from tests.unit.test_ledger import job, linked

CASES: list[Callable[[Path], None]] = [
    contract.test_meta_is_kept_as_text_and_updated,
    contract.test_use_after_close_is_a_ledger_error,
    contract.test_pending_jobs_are_rebuilt_exactly_in_input_order,
    contract.test_rejected_rows_are_final_business_errors_keyed_safely,
    contract.test_results_and_jobs_interleave_in_file_order,
    contract.test_closing_without_finish_resumes_with_pending_and_in_progress,
    contract.test_attempts_are_counted_across_reopening,
    contract.test_finish_keeps_the_whole_result,
    contract.test_a_final_dossier_is_never_started_again,
    contract.test_unknown_dossier_or_attempt_is_a_ledger_error,
    contract.test_finish_of_a_dossier_not_added_still_keeps_its_result,
    contract.test_four_worker_threads_record_every_dossier_once,
    contract.test_a_save_noted_by_a_killed_run_is_remembered_by_the_resumed_one,
    contract.test_a_save_without_an_attempt_is_refused,
]


class PgLedgerAt:
    """Stands where the unit tests call `Ledger(path)`: the run id is the path, the rows are in
    the test's own database, so reopening "the same file" reopens the same run."""

    def __init__(self, url: str) -> None:
        self.url = url

    def __call__(self, path: Path) -> PgLedger:
        return PgLedger(self.url, str(path))

    open = __call__


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest) -> Any:
    """The ledger class under test: SQLite's own, or PostgreSQL's in a fresh database."""
    if request.param == "sqlite":
        return Ledger
    return PgLedgerAt(request.getfixturevalue("pg_database"))


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.__name__.removeprefix("test_"))
def test_ledger_contract(
    case: Callable[[Path], None], store: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(contract, "Ledger", store)
    case(tmp_path / "runs" / "RUN" / "ledger.sqlite")


def test_adding_the_same_input_twice_keeps_one_row_per_dossier(pg_database: str) -> None:
    jobs = [job(1), job(2)]
    with PgLedger(pg_database, "R1") as ledger:
        ledger.add_jobs(jobs)
        ledger.finish(linked("PM-2026-0001"))
        ledger.add_jobs(jobs)
        assert (ledger.counts()["linked"], ledger.counts()["pending"]) == (1, 1)
    with psycopg.connect(pg_database) as db:
        count = db.execute("SELECT COUNT(*) FROM bot_dossiers WHERE run_id = 'R1'").fetchone()
    assert count == (2,)


# -- shared by machines -------------------------------------------------------------------------
def test_runs_are_kept_apart_by_their_id(pg_database: str) -> None:
    with PgLedger(pg_database, "A") as a, PgLedger(pg_database, "B") as b:
        a.set_meta(run_id="A", input_digest="d1")
        b.set_meta(run_id="B", input_digest="d2")
        a.add_jobs([job(1)])
        b.add_jobs([job(1), job(2)])
        a.finish(linked("PM-2026-0001"))

        assert a.meta() == {"run_id": "A", "input_digest": "d1"}
        assert [j.dossier for j in b.pending_jobs()] == ["PM-2026-0001", "PM-2026-0002"]
        assert b.start_attempt("PM-2026-0001") == 1
    assert run_exists(pg_database, "B") and not run_exists(pg_database, "C")
    assert unfinished_runs(pg_database) == {"B"}
    assert unfinished_runs(pg_database, "d2") == {"B"}
    assert unfinished_runs(pg_database, "d1") == set()


def test_two_machines_on_one_run_see_each_others_dossiers(pg_database: str) -> None:
    """Two connections stand for two worker machines: each finishes half, both see all."""
    jobs = [job(n) for n in range(1, 41)]
    with PgLedger(pg_database, "R") as submitter:
        submitter.add_jobs(jobs)
    barrier = threading.Barrier(2)

    def machine(mine: list[DossierInput]) -> None:
        with PgLedger(pg_database, "R") as ledger:
            barrier.wait()
            for item in mine:
                attempt = ledger.start_attempt(item.dossier)
                ledger.record_step(item.dossier, "inject")
                ledger.end_attempt(item.dossier, attempt, "linked", None)
                ledger.finish(linked(item.dossier))

    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(machine, [jobs[0::2], jobs[1::2]]))

    with PgLedger(pg_database, "R") as ledger:
        assert [r.dossier for r in ledger.results()] == [j.dossier for j in jobs]
        assert ledger.counts()["linked"] == 40 and ledger.pending_jobs() == []


def test_machines_adding_to_one_run_at_once_get_distinct_positions(pg_database: str) -> None:
    barrier = threading.Barrier(4)

    def add(first: int) -> None:
        with PgLedger(pg_database, "R") as ledger:
            barrier.wait()
            ledger.add_jobs([job(n, line=n) for n in range(first, first + 25)])

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(add, [1, 26, 51, 76]))
    with psycopg.connect(pg_database) as db:
        positions = [row[0] for row in db.execute("SELECT position FROM bot_dossiers")]
    assert len(positions) == 100 and len(set(positions)) == 100


def test_machines_creating_the_schema_at_once_do_not_fight(pg_database: str) -> None:
    barrier = threading.Barrier(6)

    def start(n: int) -> str:
        barrier.wait()
        with PgLedger(pg_database, f"R{n}") as ledger:
            ledger.add_jobs([job(n)])
            return ledger.dossiers()[0]

    with ThreadPoolExecutor(max_workers=6) as pool:
        assert len(list(pool.map(start, range(6)))) == 6
    with psycopg.connect(pg_database) as db:
        assert db.execute("SELECT version FROM bot_schema").fetchall() == [(SCHEMA_VERSION,)]


def test_a_newer_schema_is_refused(pg_database: str) -> None:
    PgLedger(pg_database, "R").close()
    with psycopg.connect(pg_database, autocommit=True) as db:
        db.execute("UPDATE bot_schema SET version = %s", (SCHEMA_VERSION + 1,))
    with pytest.raises(LedgerError, match="newer than this bot"):
        PgLedger(pg_database, "R")


def test_an_unreachable_database_is_a_ledger_error_without_its_password() -> None:
    url = "postgresql://bot:s3cret-pw@127.0.0.1:1/nowhere"
    with pytest.raises(LedgerError, match="cannot connect") as caught:
        PgLedger(url, "R")
    assert "s3cret-pw" not in str(caught.value)


def test_a_dossier_without_a_shop_has_the_empty_profile(pg_database: str) -> None:
    with PgLedger(pg_database, "R") as ledger:
        ledger.add_jobs([job(1)])
        assert ledger.profiles() == {"PM-2026-0001": ""}


# -- a server that goes away --------------------------------------------------------------------
def test_a_cut_connection_is_reopened_and_the_call_goes_through(pg_database: str) -> None:
    with PgLedger(pg_database, "R") as ledger:
        ledger.add_jobs([job(1), job(2)])
        with psycopg.connect(pg_database, autocommit=True) as admin:
            cut = admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE application_name LIKE 'informex-bot ledger R %%'"
            ).fetchall()
        assert cut == [(True,)]
        assert ledger.start_attempt("PM-2026-0001") == 1  # reconnected, done once
        ledger.finish(linked("PM-2026-0001"))
        assert [a["attempt"] for a in ledger.attempts("PM-2026-0001")] == [1]
        assert [j.dossier for j in ledger.pending_jobs()] == ["PM-2026-0002"]


def test_a_run_goes_on_through_a_postgresql_restart(own_postgres: PostgresServer) -> None:
    with PgLedger(own_postgres.url, "R") as ledger:
        ledger.set_meta(run_id="R")
        ledger.add_jobs([job(1), job(2), job(3)])
        first = ledger.start_attempt("PM-2026-0001")
        ledger.record_step("PM-2026-0001", "inject")

        own_postgres.restart()  # every connection is cut; the data stays

        ledger.record_save("PM-2026-0001")
        ledger.end_attempt("PM-2026-0001", first, "linked", None)
        ledger.finish(linked("PM-2026-0001"))
        assert ledger.counts()["linked"] == 1
        assert [j.dossier for j in ledger.pending_jobs()] == ["PM-2026-0002", "PM-2026-0003"]
        assert ledger.saved_before("PM-2026-0001")


def test_a_server_that_stays_down_is_a_ledger_error_in_bounded_time(
    own_postgres: PostgresServer,
) -> None:
    with PgLedger(own_postgres.url, "R", reconnect_wait_s=1.0) as ledger:
        ledger.add_jobs([job(1)])
        own_postgres.stop()
        with pytest.raises(LedgerError, match="did not come back within 1 s"):
            ledger.counts()
