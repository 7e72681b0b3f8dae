"""Celery workers for real: Redis, PostgreSQL, worker processes with Chromium, two mock portals.

Each test starts its own `informex-bot worker` processes (and, where it follows a run, an
`informex-bot batch --engine celery`) as subprocesses against the session's Redis (a database of
its own per test) and a fresh PostgreSQL database, and reads the outcome where it is true: the
mock portals' `/_mock/state` (injections, saves) and the run's ledger rows.
"""

from __future__ import annotations

import itertools
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import suppress
from pathlib import Path
from typing import Any, TypeVar

import psycopg
import pytest

from bot.domain.batch_input import BatchInput
from bot.domain.models import DossierInput
from bot.engine.leases import dossier_key
from bot.engine.orchestrator import new_run_id, open_ledger
from bot.engine.runner import RunOptions
from bot.engine.stores import run_ledgers
from bot.settings import load_settings
from mock_portal.process import MockPortalProcess

ROOT = Path(__file__).resolve().parents[2]
T = TypeVar("T")
_redis_databases = itertools.count(1)  # each test its own Redis database: no stray task


def wait_for(what: str, check: Callable[[], T | None], timeout_s: float) -> T:
    """Poll `check` until it returns something truthy; fail naming `what` at the deadline."""
    deadline = time.monotonic() + timeout_s
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout_s:.0f} s waiting for {what}")
        time.sleep(0.2)  # a poll interval, not a wait for something to happen


class Cluster:
    """Workers and runs of one test, and where to read what they did."""

    def __init__(
        self, tmp_path: Path, env: dict[str, str], shops: dict[str, MockPortalProcess]
    ) -> None:
        self.tmp_path = tmp_path
        self.env = env
        self.shops = shops
        self.workers: list[tuple[subprocess.Popen[bytes], Path]] = []
        self.database_url = env["BOT_DATABASE_URL"]

    def start_worker(self, concurrency: int = 1) -> Path:
        """A worker process (own session, so its Chromiums go with it); returns its log."""
        log = self.tmp_path / f"worker-{len(self.workers) + 1}.log"
        with log.open("wb") as out:
            process = subprocess.Popen(
                [sys.executable, "-m", "bot", "worker", "--concurrency", str(concurrency)],
                env=self.env,
                cwd=self.tmp_path,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.workers.append((process, log))
        return log

    def wait_ready(self, log: Path, processes: int = 1) -> None:
        """Until the worker is connected and its processes have their Chromium."""
        wait_for(
            f"{log.name} to be ready",
            lambda: (
                log.read_text(errors="replace").count("worker process") >= processes
                and " ready." in log.read_text(errors="replace")
            ),
            120,
        )

    def batch(self, *args: str) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [sys.executable, "-m", "bot", "batch", *args, "--engine", "celery"],
            env=self.env,
            cwd=self.tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )

    def rows(self, dossier: str) -> list[dict[str, Any]]:
        """The dossier's ledger rows (every run), as PostgreSQL holds them (none before the
        first run made the tables)."""
        return self._query(
            "SELECT run_id, profile, state, last_step, attempts FROM bot_dossiers "
            "WHERE dossier = %s",
            dossier,
        )

    def attempts(self, dossier: str) -> list[dict[str, Any]]:
        return self._query(
            "SELECT attempt, started_at, finished_at, status FROM bot_attempts "
            "WHERE dossier = %s ORDER BY attempt",
            dossier,
        )

    def _query(self, sql: str, *args: object) -> list[dict[str, Any]]:
        with psycopg.connect(self.database_url) as db:
            try:
                cursor = db.execute(sql, args)
            except psycopg.errors.UndefinedTable:
                return []
            names = [c.name for c in cursor.description or []]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def stop(self) -> None:
        for process, _ in self.workers:
            with suppress(ProcessLookupError):
                process.terminate()  # warm shutdown: log out, close the browsers
        for process, _ in self.workers:
            with suppress(subprocess.TimeoutExpired):
                process.wait(timeout=30)
            with suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def injections(portal: MockPortalProcess) -> dict[str, int]:
    return {d["number"]: d["injections"] for d in portal.state()["planmanager"]["dossiers"]}


def saves(portal: MockPortalProcess, dossier: str) -> list[int]:
    return [
        d["second_circuit"]["saves"]
        for d in portal.state()["winformex"]["dossiers"]
        if d["planmanager_dossier"] == dossier
    ]


@pytest.fixture(scope="module")
def shop_portals() -> Iterator[dict[str, MockPortalProcess]]:
    """Two mock portals with the default seed: two shops, each its own PlanManager/Winformex."""
    with MockPortalProcess() as shop_a, MockPortalProcess() as shop_b:
        yield {"shop-a": shop_a, "shop-b": shop_b}


@pytest.fixture
def cluster(
    tmp_path: Path,
    shop_portals: dict[str, MockPortalProcess],
    pg_database: str,
    redis_url: str,
) -> Iterator[Cluster]:
    for portal in shop_portals.values():
        portal.reset()
    profiles = tmp_path / "profiles"
    profiles.mkdir()
    for name, portal in shop_portals.items():
        (profiles / f"{name}.env").write_text(
            f"PLANMANAGER_URL={portal.planmanager_url}\nWINFORMEX_URL={portal.winformex_url}\n"
            "PLANMANAGER_USERNAME=werkplaats\nPLANMANAGER_PASSWORD=demo-planmanager\n"
            "WINFORMEX_USERNAME=hersteller\nWINFORMEX_PASSWORD=demo-winformex\n",
            encoding="utf-8",
        )
    main = shop_portals["shop-a"]
    prefixes = ("BOT_", "PLANMANAGER_", "WINFORMEX_")
    env = {k: v for k, v in os.environ.items() if not k.startswith(prefixes)}
    env.update(
        {
            "BOT_ENV_FILE": str(tmp_path / "no.env"),
            "BOT_BROKER_URL": f"{redis_url.rsplit('/', 1)[0]}/{next(_redis_databases)}",
            "BOT_DATABASE_URL": pg_database,
            "BOT_RUNS_DIR": str(tmp_path / "runs"),
            "BOT_STATE_DIR": str(tmp_path / "state"),
            "BOT_PROFILES_DIR": str(profiles),
            "BOT_SCREENSHOTS": "failures",
            "PLANMANAGER_URL": main.planmanager_url,
            "WINFORMEX_URL": main.winformex_url,
            "PLANMANAGER_USERNAME": "werkplaats",
            "PLANMANAGER_PASSWORD": "demo-planmanager",
            "WINFORMEX_USERNAME": "hersteller",
            "WINFORMEX_PASSWORD": "demo-winformex",
            "PYTHONPATH": str(ROOT),
        }
    )
    started = time.monotonic()
    cluster = Cluster(tmp_path, env, shop_portals)
    try:
        yield cluster
    finally:
        cluster.stop()
        print(f"[timing] cluster test body + stop: {time.monotonic() - started:.1f} s")


def _results(run_dir: Path) -> dict[str, Any]:
    return json.loads((run_dir / "results.json").read_text(encoding="utf-8"))


def _only_run(cluster: Cluster) -> Path:
    runs = [p for p in (cluster.tmp_path / "runs").iterdir() if p.is_dir() and p.name[0] != "_"]
    assert len(runs) == 1, runs
    return runs[0]


def test_two_shops_dossiers_through_two_workers_are_each_linked_once_in_their_own_portal(
    cluster: Cluster,
) -> None:
    cluster.env["BOT_MAX_PER_SHOP"] = "1"  # and never two dossiers of one shop at once
    rows = ["PM-2026-0101;shop-a", "PM-2026-0102;shop-a", "PM-2026-0103;shop-b"]
    rows.append("PM-2026-0104;shop-b")
    (cluster.tmp_path / "night.csv").write_text("dossier;profile\n" + "\n".join(rows) + "\n")
    for _ in range(2):
        cluster.start_worker()
    started = time.monotonic()
    follower = cluster.batch("night.csv")
    output, _ = follower.communicate(timeout=400)
    print(f"[timing] 4 dossiers, 2 shops, 2 workers: {time.monotonic() - started:.1f} s")
    assert follower.returncode == 0, output

    document = _results(_only_run(cluster))
    shop_of = {d["dossier"]: (d["status"], d.get("profile")) for d in document["dossiers"]}
    assert shop_of == {
        "PM-2026-0101": ("linked", "shop-a"),
        "PM-2026-0102": ("linked", "shop-a"),
        "PM-2026-0103": ("linked", "shop-b"),
        "PM-2026-0104": ("linked", "shop-b"),
    }
    in_a, in_b = injections(cluster.shops["shop-a"]), injections(cluster.shops["shop-b"])
    for number, shop in [row.split(";") for row in rows]:
        mine, other = (in_a, in_b) if shop == "shop-a" else (in_b, in_a)
        assert (mine[number], other[number]) == (1, 0), number
        assert cluster.rows(number)[0]["profile"] == shop
    assert all(count <= 1 for count in [*in_a.values(), *in_b.values()])
    for pair in (rows[:2], rows[2:]):  # BOT_MAX_PER_SHOP=1: a shop's attempts never overlap
        spans = sorted(
            (a["started_at"], a["finished_at"])
            for row in pair
            for a in cluster.attempts(row.split(";")[0])
        )
        assert all(earlier[1] <= later[0] for earlier, later in itertools.pairwise(spans)), spans
    assert (_only_run(cluster) / "report.html").is_file()
    assert (_only_run(cluster) / "junit.xml").is_file()


def test_a_worker_killed_mid_dossier_hands_it_back_and_it_ends_linked_once(
    cluster: Cluster,
) -> None:
    number = "PM-2026-0105"
    portal = cluster.shops["shop-a"]
    (cluster.tmp_path / "one.csv").write_text(f"dossier\n{number}\n")
    cluster.wait_ready(cluster.start_worker())
    started = time.monotonic()
    follower = cluster.batch("one.csv")
    try:
        wait_for(
            f"{number} to be injected",
            lambda: any(r["last_step"] == "inject" for r in cluster.rows(number)),
            180,
        )
        key = dossier_key(portal.planmanager_url, number)
        holder = wait_for(
            "the lease's holder", lambda: _lease_holder(cluster.database_url, key), 30
        )
        os.kill(holder, signal.SIGKILL)  # the worker process in the middle of the dossier
        killed = time.monotonic()
        output, _ = follower.communicate(timeout=300)
    finally:
        if follower.poll() is None:
            follower.kill()
    print(
        f"[timing] kill test: {killed - started:.1f} s to the kill, "
        f"{time.monotonic() - killed:.1f} s from the kill to the end"
    )
    assert follower.returncode == 0, output
    (result,) = _results(_only_run(cluster))["dossiers"]
    assert result["status"] == "linked"
    assert result["attempts"] >= 2
    assert "interrupted" in [a["status"] for a in cluster.attempts(number)]
    assert injections(portal)[number] == 1
    assert saves(portal, number) == [1]


def test_the_same_dossier_enqueued_twice_at_once_is_injected_once(cluster: Cluster) -> None:
    from bot.engine.celery_app import configure
    from bot.engine.tasks import enqueue

    number = "PM-2026-0106"
    portal = cluster.shops["shop-b"]
    logs = [cluster.start_worker(), cluster.start_worker()]
    for log in logs:
        cluster.wait_ready(log)
    settings = load_settings(cluster.env)
    run_id = new_run_id()
    run_dir = settings.runs_dir / run_id
    run_dir.mkdir(parents=True)
    job = DossierInput.create(number, profile="shop-b")
    work = BatchInput(jobs=[job], rejected=[], digest="twice", source="test")
    with open_ledger(run_dir, run_id, work, run_ledgers(settings)) as ledger:
        ledger.set_meta(engine="celery")
        configure(settings)
        started = time.monotonic()
        for _ in range(2):
            enqueue(run_id, job, RunOptions())
        wait_for("the dossier to be final", lambda: not ledger.pending_jobs(), 240)
        print(f"[timing] twice-enqueued dossier final after {time.monotonic() - started:.1f} s")
        (result,) = ledger.results()
    assert result.status.value == "linked"
    assert result.attempts == 1  # the twin found it final under the lease and did nothing
    assert injections(portal)[number] == 1
    assert injections(cluster.shops["shop-a"])[number] == 0
    assert saves(portal, number) == [1]
    wait_for(
        "both deliveries to be done",
        lambda: sum(log.read_text(errors="replace").count("succeeded in") for log in logs) == 2,
        120,
    )

    report = subprocess.run(
        [sys.executable, "-m", "bot", "report", run_id],
        env=cluster.env,
        cwd=cluster.tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert report.returncode == 0, report.stdout + report.stderr
    document = _results(run_dir)
    assert [(d["dossier"], d["status"], d["profile"]) for d in document["dossiers"]] == [
        (number, "linked", "shop-b")
    ]
    assert document["finished_at"] and document["unfinished"] == 0
    assert (run_dir / "report.html").is_file()


def test_a_worker_makes_no_billable_write_without_room_for_its_evidence(cluster: Cluster) -> None:
    number = "PM-2026-0107"
    cluster.env["BOT_MIN_FREE_MB"] = "1000000"  # the setting's maximum: more than this disk has
    (cluster.tmp_path / "one.csv").write_text(f"dossier\n{number}\n")
    before = {name: injections(portal) for name, portal in cluster.shops.items()}
    cluster.start_worker()
    started = time.monotonic()
    follower = cluster.batch("one.csv")
    output, _ = follower.communicate(timeout=300)
    print(f"[timing] no-room dossier final after {time.monotonic() - started:.1f} s")

    assert follower.returncode == 1, output
    (result,) = _results(_only_run(cluster))["dossiers"]
    assert result["status"] == "system_error"
    assert "MB free in" in result["error"], result["error"]
    assert "1000000 MB needed" in result["error"] and "BOT_MIN_FREE_MB" in result["error"]
    assert result["attempts"] == 1  # refused, never retried
    assert [a["status"] for a in cluster.attempts(number)] == ["system_error"]
    assert injections(cluster.shops["shop-a"])[number] == 0
    for name, portal in cluster.shops.items():
        assert injections(portal) == before[name]  # the seed's own injections, none added
        assert saves(portal, number) == []


def _lease_holder(url: str, key: str) -> int | None:
    from bot.engine.leases import PgLeaseStore

    holder = PgLeaseStore(url).holder(key)
    return holder.pid if holder else None
