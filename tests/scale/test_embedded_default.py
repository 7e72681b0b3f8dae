"""The embedded default needs no server: BOT_DATABASE_URL unset, no Redis, no PostgreSQL.

Issue 17 added stores for many machines; one body shop's night must not notice. A batch runs
here as a real `informex-bot` process whose PATH holds no `redis-server`, `postgres` or `psql`,
with no database or broker setting, and still links every dossier, its ledger the SQLite file
in its run folder and its leases the lock files, exactly as before.
"""

from __future__ import annotations

import os
import re
import sqlite3
from pathlib import Path

from mock_portal.process import MockPortalProcess
from tests import seeds
from tests.conftest import bot_environment
from tests.e2e.helpers import only_run_dir, read_results
from tests.reliability.helpers import PortalCheck, dossier_numbers, run_batch, write_csv

SERVERS = re.compile(r"^(redis|postgres|postmaster|pg_|psql|initdb)")


def path_without_servers(folder: Path) -> str:
    """A PATH of one folder linking every program of today's PATH but the servers' own."""
    folder.mkdir(parents=True)
    for directory in os.environ.get("PATH", "").split(os.pathsep):
        if not directory or not Path(directory).is_dir():
            continue
        for program in Path(directory).iterdir():
            link = folder / program.name
            if SERVERS.match(program.name) or link.exists() or link.is_symlink():
                continue
            link.symlink_to(program)
    return str(folder)


def test_a_batch_links_with_no_database_and_no_broker(
    portal: MockPortalProcess, tmp_path: Path
) -> None:
    portal.reset(seeds.many(2))
    numbers = dossier_numbers(2)
    runs = tmp_path / "runs"
    env = {
        **bot_environment(portal, runs),
        "BOT_SCREENSHOTS": "off",
        "PATH": path_without_servers(tmp_path / "bin"),
    }
    # run_batch passes only these settings (no inherited BOT_*): no database, no broker
    assert "BOT_DATABASE_URL" not in env and "BOT_BROKER_URL" not in env
    csv = write_csv(tmp_path / "nacht.csv", [f"{n};" for n in numbers])

    done = run_batch([str(csv)], env, tmp_path, timeout_s=240)

    assert done.returncode == 0, done.stdout + done.stderr
    run_dir = only_run_dir(runs)
    assert [d["status"] for d in read_results(run_dir)["dossiers"]] == ["linked", "linked"]
    with sqlite3.connect(run_dir / "ledger.sqlite") as db:  # the embedded ledger, as before
        states = db.execute("SELECT dossier, state FROM dossiers ORDER BY position").fetchall()
    assert states == [(n, "final") for n in numbers]
    assert list((runs / ".state" / "leases").glob("*.lock"))  # the lock-file leases, as before
    check = PortalCheck.of(portal.state())
    assert {n: check.injections[n] for n in numbers} == dict.fromkeys(numbers, 1)
