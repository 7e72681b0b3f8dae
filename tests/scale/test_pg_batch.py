"""`informex-bot batch` with its ledger and leases in PostgreSQL (BOT_DATABASE_URL), end to end.

Real `informex-bot` processes against the real mock portal and a private PostgreSQL: a batch
links its dossiers and writes the same results.json, junit.xml and report.html as the embedded
default would (compared field by field, times and ids aside); `--resume` of the finished run is a
no-op; and a PostgreSQL restarted in the middle of a batch loses no dossier: the batch goes on
(or stops with the rest resumable) and a `--resume` ends with every dossier linked, once.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from mock_portal.process import MockPortalProcess
from tests import seeds
from tests.conftest import bot_environment
from tests.e2e.helpers import only_run_dir, read_results
from tests.reliability.helpers import (
    Child,
    PortalCheck,
    dossier_numbers,
    end_processes,
    run_batch,
    write_csv,
)
from tests.scale.servers import PostgresServer

CHILD_TIMEOUT_S = 240
VOLATILE = {"run_id", "started_at", "finished_at"}
VOLATILE_DOSSIER = {"duration_s", "informex_dossier", "screenshots", "trace"}


def pg_env(portal: MockPortalProcess, home: Path, database_url: str) -> dict[str, str]:
    return {
        **bot_environment(portal, home / "runs"),
        "BOT_SCREENSHOTS": "off",
        "BOT_DATABASE_URL": database_url,
    }


def comparable(results: dict[str, Any]) -> dict[str, Any]:
    """results.json without what differs between any two runs (times, ids, evidence names)."""
    document = {k: v for k, v in results.items() if k not in VOLATILE}
    document["dossiers"] = [
        {k: v for k, v in d.items() if k not in VOLATILE_DOSSIER} for d in results["dossiers"]
    ]
    return document


def ledger_states(url: str) -> dict[str, str]:
    """Dossier → state over every run in the database (the tests' databases hold one run)."""
    try:
        with psycopg.connect(url, connect_timeout=5) as db:
            rows = db.execute("SELECT dossier, state FROM bot_dossiers").fetchall()
    except (psycopg.OperationalError, psycopg.errors.UndefinedTable):
        return {}
    return {str(dossier): str(state) for dossier, state in rows}


def is_final(url: str, dossier: str) -> Callable[[Child], bool]:
    """A `Child.wait_for` condition: the ledger shows `dossier` final."""
    return lambda _: ledger_states(url).get(dossier) == "final"


@pytest.fixture
def children() -> Iterator[list[Child]]:
    started: list[Child] = []
    yield started
    for child in started:
        if child.process.poll() is None:
            end_processes(child.kill())


def test_a_batch_in_postgresql_links_reports_as_embedded_and_resumes_as_a_no_op(
    portal: MockPortalProcess, pg_database: str, tmp_path: Path
) -> None:
    numbers = dossier_numbers(3)
    csv = write_csv(tmp_path / "nacht.csv", [f"{n};" for n in numbers])

    portal.reset(seeds.many(3))  # the embedded default first, for the outputs to compare with
    embedded = run_batch([str(csv)], pg_env(portal, tmp_path / "embedded", ""), tmp_path)
    assert embedded.returncode == 0, embedded.stdout + embedded.stderr
    embedded_dir = only_run_dir(tmp_path / "embedded" / "runs")

    portal.reset(seeds.many(3))
    env = pg_env(portal, tmp_path / "pg", pg_database)
    done = run_batch([str(csv), "--workers", "2"], env, tmp_path, timeout_s=CHILD_TIMEOUT_S)

    assert done.returncode == 0, done.stdout + done.stderr
    run_dir = only_run_dir(tmp_path / "pg" / "runs")
    assert not (run_dir / "ledger.sqlite").exists()  # the ledger is in PostgreSQL
    assert ledger_states(pg_database) == dict.fromkeys(numbers, "final")
    assert not (tmp_path / "pg" / "runs" / ".state" / "leases").exists()  # so are the leases
    results = read_results(run_dir)
    assert [d["status"] for d in results["dossiers"]] == ["linked"] * 3
    assert comparable(results) == comparable(read_results(embedded_dir))
    for name in ("junit.xml", "report.html"):
        assert (run_dir / name).is_file()
    junit = (run_dir / "junit.xml").read_text(encoding="utf-8")
    assert junit.count("<testcase") == 3 and "<failure" not in junit

    resumed = run_batch(["--resume", run_dir.name], env, tmp_path, timeout_s=CHILD_TIMEOUT_S)
    embedded_env = pg_env(portal, tmp_path / "embedded", "")
    embedded_resumed = run_batch(["--resume", embedded_dir.name], embedded_env, tmp_path)

    assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    assert embedded_resumed.returncode == 0, embedded_resumed.stdout + embedded_resumed.stderr
    assert only_run_dir(tmp_path / "pg" / "runs") == run_dir
    assert [d["status"] for d in read_results(run_dir)["dossiers"]] == ["linked"] * 3
    assert comparable(read_results(run_dir)) == comparable(read_results(embedded_dir))
    check = PortalCheck.of(portal.state())
    assert {n: check.injections[n] for n in numbers} == dict.fromkeys(numbers, 1)
    assert sorted(check.saves.values()) == [1, 1, 1]


def test_postgresql_restarted_during_a_batch_loses_no_dossier(
    portal: MockPortalProcess,
    own_postgres: PostgresServer,
    tmp_path: Path,
    children: list[Child],
) -> None:
    numbers = dossier_numbers(3)
    portal.reset(seeds.many(3))
    env = pg_env(portal, tmp_path, own_postgres.url)
    runs = tmp_path / "runs"
    csv = write_csv(tmp_path / "nacht.csv", [f"{n};" for n in numbers])
    batch = Child([str(csv)], env, tmp_path)
    children.append(batch)

    assert batch.wait_for(is_final(own_postgres.url, numbers[0]), CHILD_TIMEOUT_S), batch.lines
    down = time.monotonic()
    own_postgres.restart()  # every connection of the batch (ledger, leases) is cut
    restart_s = time.monotonic() - down
    code = batch.finish(CHILD_TIMEOUT_S)

    output = "".join(batch.lines)
    assert code in (0, 1), output
    assert "Traceback" not in output
    run_dir = only_run_dir(runs)
    if code == 1:  # stopped short: what it left is resumable
        assert read_results(run_dir)["unfinished"] >= 1, output
    resumed = run_batch(["--resume", run_dir.name], env, tmp_path, timeout_s=CHILD_TIMEOUT_S)

    assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    results = read_results(run_dir)
    assert [d["dossier"] for d in results["dossiers"]] == numbers
    assert [d["status"] for d in results["dossiers"]] == ["linked"] * 3, results
    assert ledger_states(own_postgres.url) == dict.fromkeys(numbers, "final")
    check = PortalCheck.of(portal.state())
    assert {n: check.injections[n] for n in numbers} == dict.fromkeys(numbers, 1)
    assert sorted(check.saves.values()) == [1, 1, 1]
    assert "reconnect" in output, "the batch went through the restart, not around it"
    print(f"PostgreSQL was down {restart_s:.2f} s; the batch exited {code}")
