"""The office page follows runs whose ledger is in PostgreSQL (BOT_DATABASE_URL).

A run made by `batch --engine celery`, or by any batch with BOT_DATABASE_URL set, keeps its
ledger as rows in the database and only its evidence in its folder under BOT_RUNS_DIR. The rows
are written here with `PgLedger`, the folders with what the engine puts there (results.json by
the engine's own writer, screenshots named as the recorder names them, the owner lease of the
process following the run, a worker's dossier lease in PostgreSQL), and the real page is asked
through Starlette's TestClient: the runs are listed with their counts, a dossier's steps,
screenshots and result show as the ledger moves, and a restarted server costs the page nothing.
"""

from __future__ import annotations

import re
import sys
import warnings
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import pytest

from bot.domain.models import DossierInput, DossierResult, DossierStatus
from bot.engine.leases import FileLeaseStore, Holder, Lease, dossier_key
from bot.engine.orchestrator import RUN_LEASE
from bot.engine.pg_ledger import PgLedger
from bot.engine.stores import lease_store
from bot.evidence.files import dossier_folder
from bot.evidence.results import write_results
from bot.settings import Settings, load_settings
from bot.web.app import create_app
from bot.web.evidence import PNG_END
from tests.scale.servers import PostgresServer

with warnings.catch_warnings():
    # Starlette 1.x suggests httpx2 for its TestClient; httpx is what the project installs.
    warnings.filterwarnings("ignore", message=r".*httpx2.*")
    from starlette.testclient import TestClient

ENDED = "20261127-023000-aaaa"  # last night's run: ended, one failure
GOING = "20261128-023000-bbbb"  # tonight's: a dossier linked, one at a step, one to do
GONE = "20261126-023000-cccc"  # rows in the database, folder pruned away: not a run any more
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32 + PNG_END
REFUSE = [sys.executable, "-c", "import sys; sys.exit(3)"]  # no run, no task may start here


def page_settings(database_url: str, tmp_path: Path) -> Settings:
    return load_settings(
        {
            "PLANMANAGER_USERNAME": "werkplaats",
            "PLANMANAGER_PASSWORD": "pm-web-pg-secret",
            "WINFORMEX_USERNAME": "hersteller",
            "WINFORMEX_PASSWORD": "wx-web-pg-secret",
            "BOT_RUNS_DIR": str(tmp_path / "runs"),
            "BOT_STATE_DIR": str(tmp_path / "state"),
            "BOT_DATABASE_URL": database_url,
        }
    )


@pytest.fixture
def settings(pg_database: str, tmp_path: Path) -> Settings:
    return page_settings(pg_database, tmp_path)


def client_for(settings: Settings) -> TestClient:
    app = create_app(settings, job_command=REFUSE, task_command=REFUSE)
    return TestClient(app, base_url="http://127.0.0.1:8780", follow_redirects=False)


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with client_for(settings) as test:
        yield test


def result(number: str, status: DossierStatus) -> DossierResult:
    failed = status is DossierStatus.BUSINESS_ERROR
    return DossierResult(
        dossier=number,
        assignment="IX-2026-004711",
        status=status,
        informex_dossier=None if failed else "WX-2026-000001",
        attempts=1,
        error="No insurance assignment matches VIN X" if failed else None,
        step="check_complete" if failed else "verify",
        values=None if failed else {"vin": "WVWZZZ1KZAW000001", "mileage_km": 48210},
    )


def new_run(settings: Settings, run_id: str, numbers: list[str]) -> PgLedger:
    """A run as `batch` makes it: its folder, and its ledger's facts and dossiers in PostgreSQL."""
    (settings.runs_dir / run_id).mkdir(parents=True, exist_ok=True)
    ledger = PgLedger(settings.database_url, run_id)
    ledger.set_meta(
        run_id=run_id,
        input_digest=f"digest-{run_id}",
        input_source="nacht.csv",
        created_at="2026-11-28T02:30:00+01:00",
    )
    ledger.add_jobs([DossierInput(dossier=n, line=i + 1) for i, n in enumerate(numbers)])
    return ledger


def link(ledger: PgLedger, number: str, status: DossierStatus) -> None:
    attempt = ledger.start_attempt(number)
    ledger.end_attempt(number, attempt, status, None)
    ledger.finish(result(number, status))


def screenshot(settings: Settings, run_id: str, number: str, name: str) -> str:
    folder = settings.runs_dir / run_id / dossier_folder(number)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(PNG)
    return f"/runs/{run_id}/{dossier_folder(number)}/{name}"


def row_of(html: str, run_id: str) -> str:
    [row] = [r for r in html.split("<tr")[1:] if f'<span class="run-id">{run_id}</span>' in r]
    return row


def count(row: str, status: str) -> int | None:
    found = re.search(rf'class="count status-{status}">[^<]*?(\d+)</span>', row)
    return int(found.group(1)) if found else None


def step_states(html: str) -> dict[str, str]:
    """What the page says of each step: `done`, `now`, `failed` or `todo`, in its order."""
    states = re.findall(r'<li class="step-(\w+)"><span class="step-name">([^<]+)</span>', html)
    return {name: state for state, name in states}


@pytest.fixture
def runs(settings: Settings) -> Iterator[tuple[PgLedger, Lease]]:
    """Last night's run, ended; tonight's, followed by this process (it owns the run's lease)."""
    with new_run(settings, ENDED, ["PM-2026-0101", "PM-2026-0102"]) as ended:
        link(ended, "PM-2026-0101", DossierStatus.LINKED)
        link(ended, "PM-2026-0102", DossierStatus.BUSINESS_ERROR)
        started = datetime(2026, 11, 27, 2, 30, tzinfo=timezone.utc)
        write_results(settings.runs_dir / ENDED, ENDED, started, ended.results(), finished=True)
    with new_run(settings, GONE, ["PM-2026-0101"]):
        pass
    (settings.runs_dir / GONE).rmdir()
    (settings.runs_dir / "20261128-101600-0005").mkdir()  # a check run: no ledger, not a run
    going = new_run(settings, GOING, ["PM-2026-0103", "PM-2026-0104", "PM-2026-0105"])
    owner = FileLeaseStore(settings.runs_dir / GOING).try_acquire(
        RUN_LEASE, Holder.me(f"run {GOING}")
    )
    assert owner is not None
    try:
        link(going, "PM-2026-0103", DossierStatus.LINKED)
        going.start_attempt("PM-2026-0104")
        going.record_step("PM-2026-0104", "open_dossier")
        going.record_step("PM-2026-0104", "check_complete")
        yield going, owner
    finally:
        owner.release()
        going.close()


def test_runs_in_postgresql_are_listed_with_their_counts(
    client: TestClient, runs: tuple[PgLedger, Lease]
) -> None:
    page = client.get("/runs")

    assert page.status_code == 200
    listed = re.findall(r'<span class="run-id">([^<]+)</span>', page.text)
    assert listed == [ENDED, GOING]  # the one that needs a person first
    ended, going = row_of(page.text, ENDED), row_of(page.text, GOING)
    assert 'class="attention"' in ended
    assert (count(ended, "linked"), count(ended, "business_error")) == (1, 1)
    assert 'class="fine"' in going  # running, nothing failed yet: counted from the ledger
    assert (count(going, "linked"), count(going, "business_error")) == (1, None)


def test_a_dossier_of_a_run_in_postgresql_is_followed_to_its_result(
    client: TestClient, settings: Settings, runs: tuple[PgLedger, Lease]
) -> None:
    ledger, _ = runs
    number = "PM-2026-0104"
    first = screenshot(settings, GOING, number, "001-open-dossier-open-dossierlijst.png")
    worker = lease_store(settings).try_acquire(
        dossier_key(settings.planmanager.url, number), Holder.me(f"run {GOING}")
    )
    assert worker is not None
    try:
        page = client.get(f"/dossiers/{number}").text
        assert GOING in page and f'src="{first}"' in page
        assert 'class="busy-note"' in page  # a worker holds its lease, in PostgreSQL
        states = step_states(page)
        assert list(states.values())[:4] == ["done", "done", "now", "todo"]

        ledger.record_step(number, "find_assignment")
        second = screenshot(settings, GOING, number, "002-find-assignment-click-zoeken.png")
        live = client.get(f"/live/dossiers/{number}", headers={"x-live": "1"}).text
        assert list(step_states(live).values())[:4] == ["done", "done", "done", "now"]
        assert f'src="{second}"' in live and 'data-final="0"' in live
        assert client.get(second).status_code == 200  # the film strip is served from the folder
    finally:
        worker.release()

    link(ledger, number, DossierStatus.LINKED)
    live = client.get(f"/live/dossiers/{number}", headers={"x-live": "1"}).text
    assert 'class="result result-linked"' in live
    assert "WVWZZZ1KZAW000001" in live  # the values the result holds
    assert set(step_states(live).values()) == {"done"}
    going = row_of(client.get("/runs").text, GOING)
    assert count(going, "linked") == 2


def test_a_failure_in_an_ended_run_in_postgresql_shows_its_reason(
    client: TestClient, runs: tuple[PgLedger, Lease]
) -> None:
    page = client.get("/dossiers/PM-2026-0102").text

    assert ENDED in page
    assert 'class="result result-business_error"' in page
    assert 'data-final="1"' in page
    assert list(step_states(page).values())[:4] == ["done", "done", "failed", "todo"]


def test_the_page_keeps_following_through_a_postgresql_restart(
    own_postgres: PostgresServer, tmp_path: Path
) -> None:
    settings = page_settings(own_postgres.url, tmp_path)
    with new_run(settings, GOING, ["PM-2026-0103", "PM-2026-0104"]) as ledger:
        link(ledger, "PM-2026-0103", DossierStatus.LINKED)
    with client_for(settings) as client:
        before = client.get("/runs").text
        assert count(row_of(before, GOING), "linked") == 1

        own_postgres.restart()  # the page's kept connection is cut; the rows stay
        with PgLedger(settings.database_url, GOING) as ledger:
            link(ledger, "PM-2026-0104", DossierStatus.LINKED)

        after = client.get("/runs").text  # asked again at once on a new connection
        assert count(row_of(after, GOING), "linked") == 2
        page = client.get("/dossiers/PM-2026-0104").text
        assert 'class="result result-linked"' in page
