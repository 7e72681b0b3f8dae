"""informex-bot benchmark: overhead against a hand-written floor, time breakdown, scaling, memory.

    .venv/bin/python -m bench.run_bench            # full run, writes bench/results/bench-*.json
    .venv/bin/python -m bench.run_bench --quick    # a smaller run to try it out

Everything runs against the built-in mock portal on this machine, in one run, so ratios compare
like with like. "zero" latency is the mock without faults; "realistic" is the `realistic`
profile's latency (100-400 ms a request, 2% spikes of 1.5 s, injections of 1-3 s) without its
random 5xx and popups, which would make single timings noisy rather than slower.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import psutil

from bench import floor
from bot.browser.finder import find_chromium
from bot.browser.launch import launch_browser, playwright_driver
from bot.domain.batch_input import BatchInput
from bot.domain.models import DossierInput
from bot.engine.ledger import Ledger
from bot.engine.orchestrator import start_run
from bot.engine.runner import BotRun, RunOptions
from bot.evidence.logging_setup import configure_logging
from bot.evidence.recorder import Recorder
from bot.settings import Settings, load_settings
from mock_portal.process import MockPortalProcess
from tests import seeds

RESULTS = Path(__file__).resolve().parent / "results"
LATENCY = {
    "zero": {"profile": "none", "injection_delay_s": [0.5, 0.5]},
    "realistic": {
        "profile": "realistic",
        "error_rate_get": 0.0,
        "error_rate_save": 0.0,
        "popup_rate": 0.0,
    },
}


def bench_settings(portal: MockPortalProcess, runs: Path, **extra: str) -> Settings:
    env = {
        "PLANMANAGER_URL": portal.planmanager_url,
        "PLANMANAGER_USERNAME": seeds.PM_USER["username"],
        "PLANMANAGER_PASSWORD": seeds.PM_USER["password"],
        "WINFORMEX_URL": portal.winformex_url,
        "WINFORMEX_USERNAME": seeds.WX_USER["username"],
        "WINFORMEX_PASSWORD": seeds.WX_USER["password"],
        "BOT_RUNS_DIR": str(runs),
        "BOT_LOG_LEVEL": "warning",
        **extra,
    }
    if os.environ.get("BOT_BROWSER_EXECUTABLE"):  # the machine's choice, as for the bot itself
        env.setdefault("BOT_BROWSER_EXECUTABLE", os.environ["BOT_BROWSER_EXECUTABLE"])
    return load_settings(env)


def median(values: list[float]) -> float:
    return round(statistics.median(values), 3) if values else float("nan")


# -- 1. per-dossier overhead, side by side -----------------------------------------------------
def overhead(portal: MockPortalProcess, runs: Path, rounds: int) -> dict[str, Any]:
    """Floor vs bot (screenshots on / off), side by side in rounds, per latency.

    Every round re-seeds the portal's faults before each variant, so the floor and both bot
    variants of one round meet the same latencies and the same injection time for the same
    requests: the ratio compares the bot with the floor, not one random draw with another.
    """
    figures: dict[str, Any] = {}
    variants = ("floor", "bot_screens_on", "bot_screens_off")
    for latency, knobs in LATENCY.items():
        portal.reset(seeds.many(rounds * len(variants)))
        pairs = iter(seeds.numbered(i) for i in range(1, rounds * len(variants) + 1))
        times: dict[str, list[float]] = {v: [] for v in variants}
        breakdown: list[dict[str, float]] = []
        on = bench_settings(portal, runs, BOT_SCREENSHOTS="all")
        off = bench_settings(portal, runs, BOT_SCREENSHOTS="off")
        run_dir = Path(tempfile.mkdtemp(dir=runs))
        with playwright_driver() as pw:
            browser = launch_browser(pw, on)
            context = floor.new_logged_in_context(
                browser,
                portal.planmanager_url,
                portal.winformex_url,
                {
                    "pm_user": seeds.PM_USER["username"],
                    "pm_password": seeds.PM_USER["password"],
                    "wx_user": seeds.WX_USER["username"],
                    "wx_password": seeds.WX_USER["password"],
                },
            )
            page = context.new_page()
            with (
                BotRun(on, run_dir / "on", _ledger(run_dir / "on"), playwright=pw) as bot_on,
                BotRun(off, run_dir / "off", _ledger(run_dir / "off"), playwright=pw) as bot_off,
            ):
                for round_number in range(rounds):
                    for variant in variants:
                        dossier, assignment = next(pairs)
                        portal.set_faults(seed=1000 + round_number, **knobs)
                        number, vin = dossier["number"], dossier["vehicle"]["vin"]
                        if variant == "floor":
                            start = time.perf_counter()
                            floor.link_one(
                                page,
                                portal.planmanager_url,
                                portal.winformex_url,
                                number,
                                vin,
                                assignment["number"],
                            )
                            times[variant].append(time.perf_counter() - start)
                            continue
                        bot = bot_on if variant == "bot_screens_on" else bot_off
                        steps, shots = _timed_run(bot, DossierInput.create(number))
                        times[variant].append(steps.pop("total"))
                        if variant == "bot_screens_on":
                            breakdown.append({**steps, "screenshots": shots})
            browser.close()
        medians = {k: median(v) for k, v in times.items()}
        paired = {
            name: [b / f for b, f in zip(times[name], times["floor"], strict=True)]
            for name in ("bot_screens_on", "bot_screens_off")
        }
        figures[latency] = {
            "median_s": medians,
            "samples": {k: [round(x, 2) for x in v] for k, v in times.items()},
            "ratio_screens_on": round(medians["bot_screens_on"] / medians["floor"], 3),
            "ratio_screens_off": round(medians["bot_screens_off"] / medians["floor"], 3),
            "paired_ratio_screens_on": median(paired["bot_screens_on"]),
            "paired_ratio_screens_off": median(paired["bot_screens_off"]),
            "breakdown_median_s": {
                key: median([b[key] for b in breakdown if key in b])
                for key in (breakdown[0] if breakdown else {})
            },
        }
        print(f"overhead {latency}: {json.dumps(figures[latency])}", flush=True)
    return figures


def _ledger(run_dir: Path) -> Ledger:
    """A ledger for a BotRun driven by hand (each job is added to it before it runs)."""
    return Ledger(run_dir / "ledger.sqlite")


def _run_one(bot: BotRun, job: DossierInput) -> None:
    bot.ledger.add_jobs([job])
    bot.run(job)


def _timed_run(bot: BotRun, job: DossierInput) -> tuple[dict[str, float], float]:
    """Run one dossier; return seconds per step (and total) and seconds spent screenshotting."""
    marks: list[tuple[str, float]] = []
    shot_time = [0.0]
    original = Recorder._capture

    def timed_capture(page: Any, path: Path) -> bytes | None:
        start = time.perf_counter()
        try:
            return original(page, path)
        finally:
            shot_time[0] += time.perf_counter() - start

    bot.on_step = lambda _job, step: marks.append((step, time.perf_counter()))
    bot.ledger.add_jobs([job])
    Recorder._capture = staticmethod(timed_capture)  # type: ignore[method-assign]
    start = time.perf_counter()
    try:
        result = bot.run(job)
    finally:
        Recorder._capture = staticmethod(original)  # type: ignore[method-assign]
    if result.status.value != "linked":
        raise RuntimeError(f"benchmark dossier {job.dossier} not linked: {result.error}")
    steps: dict[str, float] = {}
    previous = start
    for step, at in marks:
        steps[step] = at - previous
        previous = at
    steps["total"] = time.perf_counter() - start
    return steps, shot_time[0]


# -- 2. start-up costs -------------------------------------------------------------------------
def startup(portal: MockPortalProcess, runs: Path) -> dict[str, float]:
    settings = bench_settings(portal, runs)
    with playwright_driver() as pw:
        start = time.perf_counter()
        browser = launch_browser(pw, settings)
        launched = time.perf_counter()
        from bot.browser.sessions import PortalSessions

        PortalSessions(settings, runs).start(browser)
        logged_in = time.perf_counter()
        browser.close()
    return {
        "browser_start_s": round(launched - start, 3),
        "login_both_portals_s": round(logged_in - launched, 3),
    }


def cold_start(runs: Path, repeats: int) -> dict[str, Any]:
    """From spawning `informex-bot run` to the first request the portal sees."""
    samples = [s for s in (_cold_start_once(runs) for _ in range(repeats)) if s is not None]
    return {"median_s": median(samples), "samples": [round(s, 3) for s in samples]}


def _cold_start_once(runs: Path) -> float | None:
    first = threading.Event()
    seen_at = [0.0]
    armed_at = [float("inf")]  # lines before the bot starts (the readiness probe) don't count

    def on_line(line: str) -> None:
        now = time.perf_counter()
        if now > armed_at[0] and not first.is_set() and ("GET /" in line or "POST /" in line):
            seen_at[0] = now
            first.set()

    seed_file = runs / "cold-seed.json"
    seed_file.write_text(json.dumps(seeds.world()), encoding="utf-8")
    with MockPortalProcess(
        seed=seed_file, extra_args=["--log-level", "debug"], on_line=on_line
    ) as portal:
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("BOT_")},
            "PLANMANAGER_URL": portal.planmanager_url,
            "WINFORMEX_URL": portal.winformex_url,
            "PLANMANAGER_USERNAME": seeds.PM_USER["username"],
            "PLANMANAGER_PASSWORD": seeds.PM_USER["password"],
            "WINFORMEX_USERNAME": seeds.WX_USER["username"],
            "WINFORMEX_PASSWORD": seeds.WX_USER["password"],
            "BOT_RUNS_DIR": str(runs),
            "BOT_ENV_FILE": str(runs / "no.env"),
        }
        start = armed_at[0] = time.perf_counter()
        child = subprocess.Popen(
            [sys.executable, "-m", "bot", "run", "PM-2026-0101", "--dry-run"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        got = first.wait(60)
        child.wait(timeout=120)
    return seen_at[0] - start if got else None


# -- CPU per dossier ---------------------------------------------------------------------------
@contextmanager
def cpu_seconds(exclude: set[int]) -> Iterator[dict[str, float]]:
    """CPU time of this process and every descendant while the block runs.

    A dossier's renderer ends with its context, so descendants are sampled every 50 ms and the
    last figure seen per process counts (an ending process's final few ms are missed).
    """

    def cpu_of(proc: psutil.Process) -> float:
        times = proc.cpu_times()
        return times.user + times.system

    before = dict(_per_process(exclude, cpu_of))
    seen: dict[int, float] = {}
    result = {"cpu_s": 0.0}
    with _sampling(0.05, lambda: seen.update(_per_process(exclude, cpu_of))):
        yield result
    seen.update(_per_process(exclude, cpu_of))
    result["cpu_s"] = sum(v - before.get(pid, 0.0) for pid, v in seen.items())


def cpu_per_dossier(portal: MockPortalProcess, runs: Path, dossiers: int) -> dict[str, Any]:
    """CPU-seconds per dossier at zero latency, 1 worker: defaults, trace off, evidence off."""
    exclude = _portal_pids(portal)
    variants = {
        "defaults": {},
        "trace_off": {"BOT_TRACE": "off"},
        "trace_and_screenshots_off": {"BOT_TRACE": "off", "BOT_SCREENSHOTS": "off"},
    }
    figures: dict[str, Any] = {}
    for name, extra in variants.items():
        portal.reset(seeds.many(dossiers + 1))
        portal.set_faults(seed=31, **LATENCY["zero"])
        settings = bench_settings(portal, runs, **extra)
        with BotRun(settings, runs / f"cpu-{name}", _ledger(runs / f"cpu-{name}")) as bot:
            _run_one(bot, DossierInput.create(seeds.numbered(dossiers + 1)[0]["number"]))  # warm
            with cpu_seconds(exclude) as cpu:
                start = time.perf_counter()
                for i in range(1, dossiers + 1):
                    _run_one(bot, DossierInput.create(seeds.numbered(i)[0]["number"]))
                wall = time.perf_counter() - start
        figures[name] = {
            "cpu_s_per_dossier": round(cpu["cpu_s"] / dossiers, 2),
            "wall_s_per_dossier": round(wall / dossiers, 2),
        }
        print(f"cpu {name}: {json.dumps(figures[name])}", flush=True)
    return figures


def _portal_pids(portal: MockPortalProcess) -> set[int]:
    if portal.process is None:
        return set()
    return {portal.process.pid} | {
        c.pid for c in psutil.Process(portal.process.pid).children(recursive=True)
    }


# -- 3. scaling and memory ---------------------------------------------------------------------
@contextmanager
def _sampling(interval_s: float, sample: Callable[[], None]) -> Iterator[None]:
    """Call `sample` every `interval_s` in a background thread while the block runs."""
    stop = threading.Event()

    def loop() -> None:
        while not stop.is_set():
            sample()
            stop.wait(interval_s)

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def _per_process(
    exclude: set[int], measure: Callable[[psutil.Process], float]
) -> list[tuple[int, float]]:
    """`measure` of this process and each descendant not excluded (those gone are skipped)."""
    me = psutil.Process()
    figures = []
    for proc in [me, *me.children(recursive=True)]:
        if proc.pid in exclude:
            continue
        try:
            figures.append((proc.pid, measure(proc)))
        except psutil.Error:
            continue
    return figures


@contextmanager
def peak_memory(exclude: set[int]) -> Iterator[dict[str, float]]:
    """Peak memory of this process and its children (the browsers), sampled every 100 ms.

    Summed as PSS (proportional set size): Chromium's processes share most of their pages, so a
    sum of RSS would count the same memory several times.
    """
    peak = {"rss_mib": 0.0}

    def sample() -> None:
        total = sum(pss for _, pss in _per_process(exclude, lambda p: p.memory_full_info().pss))
        peak["rss_mib"] = max(peak["rss_mib"], total / 2**20)

    with _sampling(0.1, sample):
        yield peak


def scaling(
    portal: MockPortalProcess, runs: Path, dossiers: int, workers_list: list[int]
) -> dict[str, Any]:
    figures: dict[str, Any] = {}
    exclude = _portal_pids(portal)
    for workers in workers_list:
        portal.reset(seeds.many(dossiers))
        portal.set_faults(seed=23, **LATENCY["realistic"])
        settings = bench_settings(portal, runs, BOT_SCREENSHOTS="all")
        jobs = [
            DossierInput(dossier=f"PM-2026-{1000 + i:04d}", line=i) for i in range(1, dossiers + 1)
        ]
        batch = BatchInput(jobs=jobs, rejected=[], digest=f"bench-{time.time_ns()}", source="bench")
        with peak_memory(exclude) as peak:
            start = time.perf_counter()
            outcome = start_run(settings, RunOptions(workers=workers), work=batch)
            wall = time.perf_counter() - start
        linked = sum(r.status.value == "linked" for r in outcome.results)
        figures[str(workers)] = {
            "dossiers": dossiers,
            "linked": linked,
            "wall_s": round(wall, 1),
            "dossiers_per_min": round(dossiers / wall * 60, 2),
            "peak_pss_mib": round(peak["rss_mib"], 1),
        }
        print(f"scaling workers={workers}: {json.dumps(figures[str(workers)])}", flush=True)
    base = figures[str(workers_list[0])]["dossiers_per_min"]
    for value in figures.values():
        value["speedup"] = round(value["dossiers_per_min"] / base, 2)
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, to try it out")
    parser.add_argument(
        "--skip", nargs="*", default=[], choices=["overhead", "cpu", "scaling", "cold"]
    )
    parser.add_argument("--workers", nargs="*", type=int, help="worker counts for scaling")
    args = parser.parse_args(argv)
    rounds, dossiers, workers = (3, 8, [1, 2]) if args.quick else (8, 40, [1, 2, 4, 8])
    cpu_dossiers = 4 if args.quick else 8
    workers = args.workers or workers
    configure_logging(level="WARNING")
    RESULTS.mkdir(parents=True, exist_ok=True)
    runs = Path(tempfile.mkdtemp(prefix="informex-bench-"))
    report: dict[str, Any] = {
        "when": datetime.now().isoformat(timespec="seconds"),
        "machine": {
            "cores": os.cpu_count(),
            "memory_gib": round(psutil.virtual_memory().total / 2**30, 1),
            "python": sys.version.split()[0],
            "browser": str(find_chromium(os.environ.get("BOT_BROWSER_EXECUTABLE") or None)),
        },
        "quick": args.quick,
    }
    seed_file = runs / "seed.json"
    seed_file.write_text(json.dumps(seeds.world()), encoding="utf-8")
    steps: list[tuple[str, Callable[[MockPortalProcess], Any]]] = [
        ("startup", lambda p: startup(p, runs)),
    ]
    if "overhead" not in args.skip:
        steps.append(("overhead", lambda p: overhead(p, runs, rounds)))
    if "cpu" not in args.skip:
        steps.append(("cpu", lambda p: cpu_per_dossier(p, runs, cpu_dossiers)))
    if "scaling" not in args.skip:
        steps.append(("scaling", lambda p: scaling(p, runs, dossiers, workers)))
    with MockPortalProcess(seed=seed_file) as portal:
        for name, run in steps:
            report[name] = run(portal)
            print(f"{name}: done", flush=True)
    if "cold" not in args.skip:
        report["cold_start"] = cold_start(runs, repeats=3 if args.quick else 5)
    out = RESULTS / f"bench-{datetime.now():%Y%m%d-%H%M%S}.json"
    out.write_text(json.dumps(report, indent=2), encoding="utf-8")
    print(json.dumps(report, indent=2))
    print(f"written: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
