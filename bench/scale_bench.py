"""Celery workers measured (issue 17, item 7): one `informex-bot worker` with 1, 2 and 4 processes.

    .venv/bin/python -m bench.scale_bench            # 12 dossiers per level, writes
                                                     # bench/results/scale-*.json
    .venv/bin/python -m bench.scale_bench --quick    # 6 dossiers per level, to try it

Everything runs on this machine: a private Redis and PostgreSQL (tests/scale/servers.py, loopback
ports, temporary folders), one mock portal with the `realistic` faults profile (latency, spikes,
5xx, popups, injections of 1-3 s: as bench/run_bench.py starts it), and per level a fresh
PostgreSQL database, Redis database and BOT_RUNS_DIR. Per level (`--concurrency N`, one worker
command): the portal is reset to the same N-independent dossiers (`seeds.many(n)`) and its fault
draws re-seeded; the worker is started and waited for until every process has its Chromium;
`informex-bot batch FILE --engine celery` submits the dossiers and follows them to the end; the
worker is stopped with SIGTERM (warm shutdown: it logs out) and every process it left is reaped.

Figures per level:

- **throughput**: dossiers per minute from the first attempt's start to the last attempt's end,
  as the run's ledger (PostgreSQL `bot_attempts`) holds them; the follower's wall time too;
- **CPU-seconds per dossier over the worker's whole process tree**: this process is a child
  subreaper (bench.run_bench.become_subreaper), so the worker, its pool processes, their
  Playwright drivers and Chromiums (orphans included) are all reaped here, and the growth of
  RUSAGE_CHILDREN over the level, minus the follower's own rusage (taken with wait4), is the
  worker tree's CPU, start-up, logins and logout included. The servers and the portal stay alive
  until the end, so they are not counted. The tree is also sampled (psutil) for the CPU up to
  readiness (start-up) and per kind of process;
- **peak PSS** of the worker tree, and of each worker process (a pool process with its driver,
  browser, zygotes, renderers, utilities), sampled every `--sample-s`;
- the **load average** at the start and end of each level, and the highest 1-minute figure seen;
- **linked once**: `/_mock/state` shows every dossier injected exactly once, its 2e circuit
  holding its assignment (bench.run_bench.check_linked); results.json says `linked`.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import psutil
import psycopg

from bench.run_bench import (
    REPO,
    RESULTS,
    TreeSamples,
    become_subreaper,
    bot_env,
    check_linked,
    children_cpu_s,
    load_average,
    machine,
    mock_api,
    per_dossier_requests,
    portal_pids,
    process_kind,
    reap_tree,
    sampling,
)
from mock_portal.process import MockPortalProcess
from tests import seeds
from tests.scale.servers import PostgresServer, RedisServer

LEVELS = (1, 2, 4)
FAULT_SEED = 1000
READY_TIMEOUT_S = 240.0
FOLLOW_TIMEOUT_S = 3600.0
STOP_TIMEOUT_S = 180.0


class ServerPids(set[int]):
    """The processes that are not the worker's: the portal, Redis, PostgreSQL (with every
    backend it forks later) and the follower. `pid in it` also looks up the process's parents."""

    def __contains__(self, pid: object) -> bool:
        if set.__contains__(self, pid):
            return True
        if not isinstance(pid, int):
            return False
        try:
            parents = psutil.Process(pid).parents()
        except psutil.Error:
            return False
        return any(set.__contains__(self, parent.pid) for parent in parents)


@dataclass
class WorkerSamples(TreeSamples):
    """TreeSamples for one worker command's tree, with its memory split per worker process.

    A *worker process* is one process of Celery's pool with everything under it (its Playwright
    driver, Chromium, zygotes, renderers, utilities); the Celery main process is `main`;
    processes orphaned by the tree and re-parented here are `orphans`."""

    root: int = 0
    peak_process_mib: float = 0.0  # the largest worker process at any sample
    processes_at_peak_mib: list[float] = field(default_factory=list)  # each, at the tree's peak
    main_peak_mib: float = 0.0
    load_1m_max: float = 0.0

    def groups(self, exclude: set[int]) -> dict[str, list[psutil.Process]]:
        found: dict[str, list[psutil.Process]] = {}
        with suppress(psutil.Error):
            main = psutil.Process(self.root)
            found["main"] = [main]
            for child in main.children():
                with suppress(psutil.Error):
                    found[f"pool-{child.pid}"] = [child, *child.children(recursive=True)]
        orphans = []
        for child in psutil.Process().children():
            if child.pid == self.root or child.pid in exclude:
                continue
            with suppress(psutil.Error):
                orphans += [child, *child.children(recursive=True)]
        if orphans:
            found["orphans"] = orphans
        return found

    def sample(self, exclude: set[int]) -> None:
        self.load_1m_max = max(self.load_1m_max, os.getloadavg()[0])
        pss_by_kind: dict[str, float] = {}
        pss_by_group: dict[str, float] = {}
        rss_total = 0.0
        for group, procs in self.groups(exclude).items():
            for proc in procs:
                try:
                    with proc.oneshot():
                        times = proc.cpu_times()
                        self.cpu_by_pid[proc.pid] = times.user + times.system
                        kind = self.kinds.get(proc.pid) or process_kind(proc)
                        self.kinds[proc.pid] = kind
                        info = proc.memory_full_info()
                except psutil.Error:
                    continue
                pss_by_kind[kind] = pss_by_kind.get(kind, 0.0) + info.pss / 2**20
                pss_by_group[group] = pss_by_group.get(group, 0.0) + info.pss / 2**20
                rss_total += info.rss / 2**20
        pool = [v for k, v in pss_by_group.items() if k.startswith("pool-")]
        if pool:
            self.peak_process_mib = max(self.peak_process_mib, max(pool))
        self.main_peak_mib = max(self.main_peak_mib, pss_by_group.get("main", 0.0))
        total = sum(pss_by_kind.values())
        if total > self.peak_pss_mib:
            self.peak_pss_mib = total
            self.pss_at_peak = {k: round(v, 1) for k, v in sorted(pss_by_kind.items())}
            self.processes_at_peak_mib = sorted((round(v, 1) for v in pool), reverse=True)
        self.peak_rss_mib = max(self.peak_rss_mib, rss_total)
        for kind, value in pss_by_kind.items():
            self.peak_by_kind[kind] = max(self.peak_by_kind.get(kind, 0.0), round(value, 1))

    def cpu_now(self) -> float:
        return sum(self.cpu_by_pid.values())


def self_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def machine_busy_s() -> float:
    """CPU-seconds the whole machine spent busy (every core, every process) since boot."""
    t = psutil.cpu_times()  # guest time is inside user already; steal is not ours
    return t.user + t.nice + t.system + getattr(t, "irq", 0.0) + getattr(t, "softirq", 0.0)


def servers_cpu_s(roots: set[int]) -> float:
    """CPU-seconds of the portal, Redis and PostgreSQL so far: each root's own and its reaped
    children's (PostgreSQL's ended backends), plus its live descendants'."""
    total = 0.0
    for pid in roots:
        try:
            root = psutil.Process(pid)
            times = root.cpu_times()
            total += times.user + times.system + times.children_user + times.children_system
            for child in root.children(recursive=True):
                with suppress(psutil.Error):
                    child_times = child.cpu_times()
                    total += child_times.user + child_times.system
        except psutil.Error:
            continue
    return total


# -- one level --------------------------------------------------------------------------------
def level_env(
    portal: MockPortalProcess, folder: Path, broker: str, database: str
) -> dict[str, str]:
    return {
        **bot_env(portal, folder),
        "BOT_STATE_DIR": str(folder / "state"),
        "BOT_BROKER_URL": broker,
        "BOT_DATABASE_URL": database,
        "BOT_LOG_LEVEL": "info",  # the default; readiness is read from the worker's log
    }


def wait_ready(worker: subprocess.Popen[bytes], log: Path, processes: int) -> None:
    """Until every pool process has its Chromium and Celery says it is ready (a condition, polled;
    a worker that exits first ends the wait at once)."""
    deadline = time.monotonic() + READY_TIMEOUT_S
    while True:
        text = log.read_text(errors="replace")
        if text.count("worker process") >= processes and " ready." in text:
            return
        if time.monotonic() > deadline:
            raise RuntimeError(f"the worker was not ready after {READY_TIMEOUT_S:.0f} s: {log}")
        with suppress(subprocess.TimeoutExpired):
            code = worker.wait(timeout=0.2)
            raise RuntimeError(f"the worker exited with {code} while starting: {log}")


def follow(
    command: list[str], env: dict[str, str], log: Path, servers: ServerPids
) -> tuple[int, float, float]:
    """Run the follower to its end; returns its exit code, wall seconds and its own CPU-seconds
    (wait4's rusage: what must be taken off RUSAGE_CHILDREN to leave the worker's tree). It is
    not the worker's: the sampler leaves it out."""
    with log.open("wb") as out:
        started = time.perf_counter()
        child = subprocess.Popen(command, env=env, cwd=REPO, stdout=out, stderr=subprocess.STDOUT)
    servers.add(child.pid)
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    return child.returncode, time.perf_counter() - started, usage.ru_utime + usage.ru_stime


def stop_worker(worker: subprocess.Popen[bytes]) -> float:
    """SIGTERM (warm shutdown: log out, close the browsers); SIGKILL to its group if it hangs.
    Returns the seconds the warm shutdown took."""
    started = time.perf_counter()
    with suppress(ProcessLookupError):
        worker.terminate()
    try:
        worker.wait(timeout=STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        with suppress(ProcessLookupError, PermissionError):
            os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()
    return time.perf_counter() - started


def ledger_span(database: str) -> dict[str, Any]:
    """First attempt's start to last attempt's end, and the attempts, from the run's ledger."""
    with psycopg.connect(database) as db:
        first, last, attempts = db.execute(
            "SELECT MIN(started_at), MAX(finished_at), COUNT(*) FROM bot_attempts"
        ).fetchone() or (None, None, 0)
    if not first or not last:
        return {
            "first_start": first,
            "last_final": last,
            "span_s": None,
            "ledger_attempts": attempts,
        }
    span = (datetime.fromisoformat(last) - datetime.fromisoformat(first)).total_seconds()
    return {
        "first_start": first,
        "last_final": last,
        "span_s": round(span, 2),
        "ledger_attempts": attempts,
    }


def run_results(folder: Path) -> dict[str, Any]:
    found = next((folder / "runs").glob("*/results.json"), None)
    if found is None:
        return {"statuses": {}, "durations_s": [], "attempts": []}
    dossiers = json.loads(found.read_text(encoding="utf-8"))["dossiers"]
    statuses: dict[str, int] = {}
    for d in dossiers:
        statuses[d["status"]] = statuses.get(d["status"], 0) + 1
    return {
        "statuses": statuses,
        "durations_s": [round(d["duration_s"], 2) for d in dossiers],
        "attempts": [d["attempts"] for d in dossiers],
    }


def one_level(
    portal: MockPortalProcess,
    redis: RedisServer,
    postgres: PostgresServer,
    servers: ServerPids,
    work: Path,
    concurrency: int,
    dossiers: int,
    sample_s: float,
) -> dict[str, Any]:
    """Measure one worker command with `concurrency` processes over `dossiers` dossiers."""
    portal.reset(seeds.many(dossiers))  # also clears /_mock/requests
    portal.set_faults(profile="realistic", seed=FAULT_SEED)
    folder = work / f"w{concurrency}"
    folder.mkdir(parents=True)
    batch = folder / "input.csv"
    numbers = [seeds.numbered(i)[0]["number"] for i in range(1, dossiers + 1)]
    batch.write_text("dossier\n" + "".join(f"{n}\n" for n in numbers), encoding="utf-8")
    database = postgres.create_database(f"scale_w{concurrency}")
    broker = f"{redis.url.rsplit('/', 1)[0]}/{concurrency}"
    env = level_env(portal, folder, broker, database)
    log = folder / "worker.log"
    samples = WorkerSamples(memory=True)
    load_start = load_average()
    cpu_before, self_before = children_cpu_s(), self_cpu_s()
    roots = set(servers)  # before the follower is added
    busy_before, servers_before = machine_busy_s(), servers_cpu_s(roots)
    started = time.perf_counter()
    with log.open("wb") as out:
        worker = subprocess.Popen(
            [sys.executable, "-m", "bot", "worker", "--concurrency", str(concurrency)],
            env=env,
            cwd=REPO,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its Chromiums go with its group if it must be killed
        )
    samples.root = worker.pid
    try:
        with sampling(samples, servers, sample_s):
            wait_ready(worker, log, concurrency)
            ready_s = time.perf_counter() - started
            startup_cpu_s = samples.cpu_now()  # as last sampled (at most --sample-s old)
            print(f"  {concurrency} process(es) ready in {ready_s:.1f} s", flush=True)
            command = [sys.executable, "-m", "bot", "batch", str(batch), "--engine", "celery"]
            code, follow_s, follower_cpu_s = follow(command, env, folder / "batch.log", servers)
            shutdown_s = stop_worker(worker)
    finally:
        if worker.poll() is None:
            stop_worker(worker)
    killed = reap_tree(servers)
    worker_cpu_s = children_cpu_s() - cpu_before - follower_cpu_s
    span = ledger_span(database)
    results = run_results(folder)
    problems = check_linked(portal, dossiers)
    if code != 0:
        problems.append(f"the follower exited with {code} (see {folder / 'batch.log'})")
    if results["statuses"].get("linked") != dossiers:
        problems.append(f"results.json: {results['statuses']}")
    requests = per_dossier_requests(mock_api(portal, "GET", "/_mock/requests"), dossiers)
    per_minute = round(dossiers / span["span_s"] * 60, 2) if span["span_s"] else None
    figures: dict[str, Any] = {
        "concurrency": concurrency,
        "dossiers": dossiers,
        "linked_once": not check_linked(portal, dossiers),
        "dossiers_per_min": per_minute,
        **span,
        "ready_s": round(ready_s, 1),
        "follower_wall_s": round(follow_s, 1),
        "shutdown_s": round(shutdown_s, 1),
        "worker_cpu_s": round(worker_cpu_s, 2),
        "cpu_s_per_dossier": round(worker_cpu_s / dossiers, 2),
        "startup_cpu_s_sampled": round(startup_cpu_s, 2),
        "cpu_s_per_dossier_after_ready": round((worker_cpu_s - startup_cpu_s) / dossiers, 2),
        "cpu_sampled_s": round(samples.cpu_now(), 2),
        "cpu_sampled_s_by_kind": samples.cpu_by_kind(),
        "follower_cpu_s": round(follower_cpu_s, 2),
        "sampler_cpu_s": round(self_cpu_s() - self_before, 2),
        **others(busy_before, servers_before, roots, worker_cpu_s, follower_cpu_s, self_before),
        "orphans_killed": killed,
        "peak_pss_mib": round(samples.peak_pss_mib, 1),
        "peak_rss_mib": round(samples.peak_rss_mib, 1),
        "pss_at_peak_mib": samples.pss_at_peak,
        "peak_pss_by_kind_mib": dict(sorted(samples.peak_by_kind.items())),
        "peak_pss_per_process_mib": round(samples.peak_process_mib, 1),
        "processes_at_peak_mib": samples.processes_at_peak_mib,
        "main_process_peak_mib": round(samples.main_peak_mib, 1),
        "load_average": {
            "start": load_start,
            "end": load_average(),
            "max_1m": round(samples.load_1m_max, 2),
        },
        "page_loads_per_dossier": requests["page_loads"],
        "posts_per_dossier": requests["posts"],
        **results,
        "problems": problems,
    }
    print(f"  {json.dumps(figures)}", flush=True)
    return figures


def others(
    busy_before: float,
    servers_before: float,
    roots: set[int],
    worker_cpu_s: float,
    follower_cpu_s: float,
    self_before: float,
) -> dict[str, float]:
    """Where the machine's CPU went during the level: the portal and servers, and what nothing
    of this benchmark accounts for (other work on the machine: 0 on a quiet one, give or take
    the kernel's own)."""
    busy = machine_busy_s() - busy_before
    servers = servers_cpu_s(roots) - servers_before
    mine = worker_cpu_s + follower_cpu_s + (self_cpu_s() - self_before) + servers
    return {
        "machine_busy_cpu_s": round(busy, 2),
        "portal_and_servers_cpu_s": round(servers, 2),
        "other_cpu_s": round(busy - mine, 2),
    }


# -- the report -------------------------------------------------------------------------------
def print_table(levels: list[dict[str, Any]]) -> None:
    one = next((x for x in levels if x["concurrency"] == 1), None)
    base = one["dossiers_per_min"] if one else None
    rows = [
        ("worker processes", lambda x: x["concurrency"]),
        ("dossiers, linked once", lambda x: f"{x['dossiers']}, {x['linked_once']}"),
        ("attempts (ledger)", lambda x: x.get("ledger_attempts", sum(x["attempts"]))),
        ("first start -> last final, s", lambda x: x["span_s"]),
        ("dossiers per minute", lambda x: x["dossiers_per_min"]),
        (
            "  x the 1-process figure",
            lambda x: (
                round(x["dossiers_per_min"] / base, 2) if base and x["dossiers_per_min"] else ""
            ),
        ),
        ("worker ready after, s", lambda x: x["ready_s"]),
        ("CPU-s / dossier, whole tree", lambda x: x["cpu_s_per_dossier"]),
        ("  after ready (start-up apart)", lambda x: x["cpu_s_per_dossier_after_ready"]),
        ("peak PSS, worker tree, MiB", lambda x: x["peak_pss_mib"]),
        ("peak PSS, one worker process, MiB", lambda x: x["peak_pss_per_process_mib"]),
        ("peak PSS, Celery main process, MiB", lambda x: x["main_process_peak_mib"]),
        ("load avg 1m: start / max / end", _loads),
        ("CPU-s of other work on the machine", lambda x: x.get("other_cpu_s", "")),
    ]
    print()
    for title, cell in rows:
        print(f"{title:38}" + "".join(f"{cell(x)!s:>24}" for x in levels))
    for x in levels:
        if x["problems"]:
            print(f"PROBLEMS at {x['concurrency']}: {x['problems']}")


def _loads(x: dict[str, Any]) -> str:
    la = x["load_average"]
    return f"{la['start'][0]} / {la['max_1m']} / {la['end'][0]}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="6 dossiers per level, to try it")
    parser.add_argument("--dossiers", type=int, help="dossiers per level (default 12)")
    parser.add_argument(
        "--levels", type=int, nargs="+", default=list(LEVELS), help="worker processes per level"
    )
    parser.add_argument("--sample-s", type=float, default=0.5, help="memory sampling interval")
    parser.add_argument("--keep-work", action="store_true", help="keep the levels' folders")
    parser.add_argument("--table", type=Path, help="only print the table of a scale-*.json")
    args = parser.parse_args(argv)
    if args.table:
        print_table(json.loads(args.table.read_text(encoding="utf-8"))["levels"])
        return 0
    dossiers = args.dossiers or (6 if args.quick else 12)
    become_subreaper()
    RESULTS.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="informex-scale-"))
    report: dict[str, Any] = {
        "when": datetime.now().isoformat(timespec="seconds"),
        "quick": args.quick,
        "machine": machine(),
        "faults": "realistic",
        "dossiers_per_level": dossiers,
        "levels": [],
    }
    seed_file = work / "seed.json"
    seed_file.write_text(json.dumps(seeds.many(dossiers)), encoding="utf-8")
    print(f"machine: {json.dumps(report['machine'])}; load average {load_average()}", flush=True)
    with (
        RedisServer() as redis,
        PostgresServer() as postgres,
        MockPortalProcess(seed=seed_file, faults="realistic") as portal,
    ):
        assert redis.process is not None and postgres.process is not None
        servers = ServerPids(portal_pids(portal) | {redis.process.pid, postgres.process.pid})
        for concurrency in args.levels:
            print(f"{concurrency} worker process(es): load average {load_average()}", flush=True)
            report["levels"].append(
                one_level(
                    portal, redis, postgres, servers, work, concurrency, dossiers, args.sample_s
                )
            )
    out = RESULTS / f"scale-{datetime.now():%Y%m%d-%H%M%S}.json"
    out.write_text(json.dumps(report, indent=2), encoding="utf-8")
    print_table(report["levels"])
    if args.keep_work:
        print(f"\nwritten: {out} (levels' folders kept in {work})")
    else:
        shutil.rmtree(work, ignore_errors=True)
        print(f"\nwritten: {out}")
    return 1 if any(x["problems"] for x in report["levels"]) else 0


if __name__ == "__main__":
    sys.exit(main())
