"""informex-bot benchmark: the bot side by side with a hand-written floor, at realistic faults.

    .venv/bin/python -m bench.run_bench            # full run, writes bench/results/bench-*.json
    .venv/bin/python -m bench.run_bench --quick    # 1 round of 3 dossiers, to try it out

Everything runs against the built-in mock portal on this machine, started with `--faults
realistic` (latency, spikes, 5xx, popups, injections of 1-3 s). Three configurations, each a
separate process tree started from here: the floor (`bench/floor.py`), the bot with its default
evidence (`informex-bot batch`, screenshots on, trace kept on failure), the bot with screenshots
and trace off. They run in interleaved rounds (the order rotates each round); before each run
the portal is reset to the same dossiers and its fault draws re-seeded with the round's seed.

Per configuration (medians over rounds): wall seconds per dossier, CPU-seconds per dossier over
the whole process tree, page loads and POSTs per dossier (the portal's `/_mock/requests`),
evidence bytes per linked dossier; then the peak memory of `batch --workers 4`, split by kind of
process; the load average around each section. docs/performance.md explains each method.
"""

from __future__ import annotations

import argparse
import ctypes
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import psutil

from bot.browser.finder import find_chromium
from mock_portal.process import MockPortalProcess
from tests import seeds

RESULTS = Path(__file__).resolve().parent / "results"
REPO = Path(__file__).resolve().parents[1]
CONFIGS = ("floor", "bot_default", "bot_lean")
TITLES = {
    "floor": "floor",
    "bot_default": "bot, default evidence",
    "bot_lean": "bot, screenshots+trace off",
}
BOT_EXTRA_ENV = {
    "floor": {},
    "bot_default": {},  # the defaults: BOT_SCREENSHOTS=all, BOT_TRACE=retain-on-failure
    "bot_lean": {"BOT_SCREENSHOTS": "off", "BOT_TRACE": "off"},
}
TARGETS = {  # issue 16
    "ratio": 1.15,
    "cpu_s_per_dossier": 3.5,
    "peak_mib_4_workers": 800.0,
    "evidence_mb_per_dossier": 1.5,
}
_PR_SET_CHILD_SUBREAPER = 36
SAMPLE_S = 0.25
ORPHAN_WAIT_S = 30.0


def median(values: list[float | None]) -> float:
    """The median of the figures there are (a failed run has none), rounded."""
    present = [v for v in values if v is not None]
    return round(statistics.median(present), 3) if present else float("nan")


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


# -- the process tree ---------------------------------------------------------------------------
def become_subreaper() -> None:
    """Orphans of the processes started from here (Chromium's zygote and renderers outlive the
    browser) are re-parented to this process instead of init, so they stay in the tree, are
    reaped here and their CPU time lands in this process's RUSAGE_CHILDREN."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_CHILD_SUBREAPER) failed")


def children_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def process_kind(proc: psutil.Process) -> str:
    """driver (Playwright's Node.js), python, browser, renderer, zygote, utility or other:NAME."""
    name = proc.name().lower()
    if "node" in name:
        return "driver"
    if "python" in name:
        return "python"
    cmdline = proc.cmdline()
    # Without a zygote Chromium starts its children as /proc/self/exe: named `exe`, with --type
    child = name == "exe" and any(a.startswith("--type=") for a in cmdline)
    if child or "chrom" in name or (cmdline and "chrom" in Path(cmdline[0]).name):
        kind = next((a.split("=", 1)[1] for a in cmdline if a.startswith("--type=")), None)
        if kind is None:
            return "browser"
        return {"renderer": "renderer", "zygote": "zygote"}.get(kind, "utility")
    return f"other:{name}"


@dataclass
class TreeSamples:
    """What the sampler saw: CPU per process (the last figure seen), memory peaks."""

    memory: bool
    cpu_by_pid: dict[int, float] = field(default_factory=dict)
    peak_pss_mib: float = 0.0
    peak_rss_mib: float = 0.0
    pss_at_peak: dict[str, float] = field(default_factory=dict)
    peak_by_kind: dict[str, float] = field(default_factory=dict)
    kinds: dict[int, str] = field(default_factory=dict)

    def cpu_by_kind(self) -> dict[str, float]:
        """CPU-seconds per kind of process (driver, renderer, browser, python, ...)."""
        totals: dict[str, float] = {}
        for pid, seconds in self.cpu_by_pid.items():
            kind = self.kinds.get(pid, "other")
            totals[kind] = totals.get(kind, 0.0) + seconds
        return {k: round(v, 2) for k, v in sorted(totals.items())}

    def sample(self, exclude: set[int]) -> None:
        pss_by_kind: dict[str, float] = {}
        rss_total = 0.0
        for proc in psutil.Process().children(recursive=True):
            if proc.pid in exclude:
                continue
            try:
                with proc.oneshot():
                    times = proc.cpu_times()
                    self.cpu_by_pid[proc.pid] = times.user + times.system
                    kind = self.kinds.get(proc.pid) or process_kind(proc)
                    self.kinds[proc.pid] = kind
                    if not self.memory:
                        continue
                    info = proc.memory_full_info()
            except psutil.Error:
                continue
            pss_by_kind[kind] = pss_by_kind.get(kind, 0.0) + info.pss / 2**20
            rss_total += info.rss / 2**20
        if not self.memory:
            return
        total = sum(pss_by_kind.values())
        if total > self.peak_pss_mib:
            self.peak_pss_mib = total
            self.pss_at_peak = {k: round(v, 1) for k, v in sorted(pss_by_kind.items())}
        self.peak_rss_mib = max(self.peak_rss_mib, rss_total)
        for kind, value in pss_by_kind.items():
            self.peak_by_kind[kind] = max(self.peak_by_kind.get(kind, 0.0), round(value, 1))


@contextmanager
def sampling(samples: TreeSamples, exclude: set[int], every_s: float = SAMPLE_S) -> Iterator[None]:
    """Sample the tree every `every_s` seconds in a thread (a wait on an event, not a sleep)."""
    stop = threading.Event()

    def loop() -> None:
        while not stop.is_set():
            samples.sample(exclude)
            stop.wait(every_s)

    thread = threading.Thread(target=loop, name="tree-sampler", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def reap_tree(exclude: set[int]) -> int:
    """Wait for every remaining descendant (orphans re-parented here) to end, and reap it.

    Returns how many had to be killed after ORPHAN_WAIT_S (they were started from here)."""
    deadline = time.monotonic() + ORPHAN_WAIT_S
    killed = 0
    while True:
        left = [p for p in psutil.Process().children() if p.pid not in exclude]
        if not left:
            return killed
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            for proc in left:
                proc.kill()
                killed += 1
            remaining = 10.0
        psutil.wait_procs(left, timeout=remaining)  # waitpid: reaps, so rusage counts them


@dataclass
class TreeRun:
    wall_s: float
    cpu_s: float
    cpu_sampled_s: float
    returncode: int
    stdout: str
    samples: TreeSamples
    killed: int


def run_tree(
    command: list[str], env: dict[str, str], exclude: set[int], *, memory: bool, log: Path
) -> TreeRun:
    """Run `command` to its end and every process it left behind; measure the whole tree."""
    samples = TreeSamples(memory=memory)
    before = children_cpu_s()
    with (
        sampling(samples, exclude),
        log.open("w") as err,
        tempfile.TemporaryFile("w+") as out,
    ):
        start = time.perf_counter()
        child = subprocess.Popen(command, env=env, stdout=out, stderr=err, cwd=REPO)
        returncode = child.wait()
        wall = time.perf_counter() - start
        killed = reap_tree(exclude)
        out.seek(0)
        stdout = out.read()
    return TreeRun(
        wall_s=wall,
        cpu_s=children_cpu_s() - before,
        cpu_sampled_s=sum(samples.cpu_by_pid.values()),
        returncode=returncode,
        stdout=stdout,
        samples=samples,
        killed=killed,
    )


# -- the portal -------------------------------------------------------------------------------
def mock_api(portal: MockPortalProcess, method: str, path: str) -> Any:
    request = urllib.request.Request(
        f"{portal.url}{path}", method=method, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.loads(answer.read() or b"null")


def portal_pids(portal: MockPortalProcess) -> set[int]:
    assert portal.process is not None
    root = psutil.Process(portal.process.pid)
    return {root.pid} | {c.pid for c in root.children(recursive=True)}


def per_dossier_requests(counts: dict[str, Any], dossiers: int) -> dict[str, Any]:
    """Page loads and POSTs per dossier, the run's logins and logouts left out (they happen once
    per run; the page each login lands on stays in, spread over the dossiers)."""
    per_run = ("/login", "/logout")
    loads = posts = 0
    for key, n in counts["by_path"].items():
        kind, _method, path = key.split(" ", 2)
        if path.endswith(per_run):
            continue
        loads += n if kind == "page_load" else 0
        posts += n if kind == "post" else 0
    return {
        "page_loads": round(loads / dossiers, 2),
        "posts": round(posts / dossiers, 2),
        "by_path": counts["by_path"],
    }


def check_linked(portal: MockPortalProcess, dossiers: int) -> list[str]:
    """What is wrong with the portal's state: each dossier injected once, its 2e circuit
    holding its assignment. Empty when all is well."""
    state = portal.state()
    pm = {d["number"]: d for d in state["planmanager"]["dossiers"]}
    wx = {d["number"]: d for d in state["winformex"]["dossiers"]}
    problems = []
    for i in range(1, dossiers + 1):
        dossier, assignment = seeds.numbered(i)
        number = dossier["number"]
        injected = pm[number]["injections"]
        informex = pm[number]["informex_dossier"]
        if injected != 1:
            problems.append(f"{number}: injected {injected} times")
        held = (wx.get(informex) or {}).get("second_circuit", {}).get("assignment_number")
        if held != assignment["number"]:
            problems.append(f"{number}: 2e circuit of {informex} holds {held!r}")
    return problems


# -- the three configurations ------------------------------------------------------------------
def base_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "BENCH_"))}
    if os.environ.get("BOT_BROWSER_EXECUTABLE"):  # the machine's choice, for both sides
        env["BOT_BROWSER_EXECUTABLE"] = os.environ["BOT_BROWSER_EXECUTABLE"]
    env["PYTHONPATH"] = str(REPO)
    return env


def floor_command(portal: MockPortalProcess, numbers: list[str]) -> tuple[list[str], dict]:
    env = {
        **base_env(),
        "BENCH_PM_USER": seeds.PM_USER["username"],
        "BENCH_PM_PASSWORD": seeds.PM_USER["password"],
        "BENCH_WX_USER": seeds.WX_USER["username"],
        "BENCH_WX_PASSWORD": seeds.WX_USER["password"],
    }
    command = [sys.executable, "-m", "bench.floor", portal.planmanager_url, portal.winformex_url]
    return [*command, *numbers], env


def bot_env(portal: MockPortalProcess, folder: Path) -> dict[str, str]:
    """The bot's environment for the benchmark's portal and its seed users, files in `folder`
    (no `.env` read: only what the benchmark sets counts)."""
    return {
        **base_env(),
        "PLANMANAGER_URL": portal.planmanager_url,
        "PLANMANAGER_USERNAME": seeds.PM_USER["username"],
        "PLANMANAGER_PASSWORD": seeds.PM_USER["password"],
        "WINFORMEX_URL": portal.winformex_url,
        "WINFORMEX_USERNAME": seeds.WX_USER["username"],
        "WINFORMEX_PASSWORD": seeds.WX_USER["password"],
        "BOT_RUNS_DIR": str(folder / "runs"),
        "BOT_ENV_FILE": str(folder / "no.env"),
    }


def bot_command(
    portal: MockPortalProcess, numbers: list[str], runs: Path, workers: int, extra: dict[str, str]
) -> tuple[list[str], dict]:
    runs.mkdir(parents=True, exist_ok=True)
    batch = runs / "input.csv"
    batch.write_text("dossier\n" + "".join(f"{n}\n" for n in numbers), encoding="utf-8")
    env = {**bot_env(portal, runs), "BOT_LOG_LEVEL": "warning", **extra}
    command = [sys.executable, "-m", "bot", "batch", str(batch), "--workers", str(workers)]
    return command, env


def folder_bytes(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())


def bot_outcome(runs: Path) -> dict[str, Any]:
    """Per-dossier seconds and evidence bytes from the bot's own run folder."""
    results_file = next((runs / "runs").glob("*/results.json"), None)
    if results_file is None:
        return {"linked": 0, "evidence_bytes_run": 0, "evidence_bytes_dossier_folders": 0}
    run_dir = results_file.parent
    results = json.loads(results_file.read_text(encoding="utf-8"))["dossiers"]
    linked = [r for r in results if r["status"] == "linked"]
    dossier_dirs = [d for d in run_dir.iterdir() if d.is_dir()]
    return {
        "durations_s": [r["duration_s"] for r in results],
        "attempts": [r["attempts"] for r in results],
        "linked": len(linked),
        "evidence_bytes_run": folder_bytes(runs / "runs"),
        "evidence_bytes_dossier_folders": sum(folder_bytes(d) for d in dossier_dirs),
        "screenshots": sum(len(r["screenshots"]) for r in results),
    }


def one_run(
    portal: MockPortalProcess,
    config: str,
    round_number: int,
    dossiers: int,
    work: Path,
    *,
    workers: int = 1,
    memory: bool = False,
) -> dict[str, Any]:
    """Reset the portal, run one configuration over `dossiers` dossiers, measure it."""
    portal.reset(seeds.many(dossiers))  # also clears /_mock/requests
    portal.set_faults(profile="realistic", seed=1000 + round_number)
    numbers = [seeds.numbered(i)[0]["number"] for i in range(1, dossiers + 1)]
    runs = work / f"{config}-r{round_number}-w{workers}"
    if config == "floor":
        command, env = floor_command(portal, numbers)
    else:
        command, env = bot_command(portal, numbers, runs, workers, BOT_EXTRA_ENV[config])
    runs.mkdir(parents=True, exist_ok=True)
    tree = run_tree(command, env, portal_pids(portal), memory=memory, log=runs / "stderr.log")
    requests = per_dossier_requests(mock_api(portal, "GET", "/_mock/requests"), dossiers)
    problems = check_linked(portal, dossiers)
    if tree.returncode != 0:
        problems.append(f"exit status {tree.returncode} (see {runs / 'stderr.log'})")
    figures: dict[str, Any] = {
        "config": config,
        "round": round_number,
        "dossiers": dossiers,
        "workers": workers,
        "process_wall_s": round(tree.wall_s, 2),
        "cpu_s": round(tree.cpu_s, 2),
        "cpu_sampled_s": round(tree.cpu_sampled_s, 2),
        "cpu_s_per_dossier": round(tree.cpu_s / dossiers, 3),
        "cpu_sampled_s_by_kind": tree.samples.cpu_by_kind(),
        "orphans_killed": tree.killed,
        **requests,
        "problems": problems,
    }
    if config == "floor" and tree.returncode == 0:
        report = json.loads(tree.stdout.strip().splitlines()[-1])
        figures["durations_s"] = [round(d["duration_s"], 2) for d in report["dossiers"]]
        figures["attempts"] = [d["attempts"] for d in report["dossiers"]]
        figures["linked"] = len(report["dossiers"])
    elif config != "floor":
        figures.update(bot_outcome(runs))
    figures.update(timing(figures.get("durations_s") or [], tree.wall_s, dossiers, workers))
    if memory:
        s = tree.samples
        figures["peak_pss_mib"] = round(s.peak_pss_mib, 1)
        figures["peak_rss_mib"] = round(s.peak_rss_mib, 1)
        figures["pss_at_peak_mib"] = s.pss_at_peak
        figures["peak_pss_by_kind_mib"] = dict(sorted(s.peak_by_kind.items()))
    shown = {k: v for k, v in figures.items() if k not in ("by_path",)}
    print(f"  {config} round {round_number}: {json.dumps(shown)}", flush=True)
    return figures


def timing(durations: list[float], wall_s: float, dossiers: int, workers: int) -> dict[str, Any]:
    """Seconds per dossier: with one worker the dossiers' own spans (the run's start-up, logins
    and end apart, as `per_run_s`); with several, whose spans overlap, the whole run's wall
    time per dossier (and dossiers per minute)."""
    if workers > 1:
        return {
            "wall_s_per_dossier": round(wall_s / dossiers, 3),
            "per_run_s": None,
            "dossiers_per_min": round(dossiers / wall_s * 60, 2),
        }
    return {
        "wall_s_per_dossier": round(sum(durations) / dossiers, 3) if durations else None,
        "per_run_s": round(wall_s - sum(durations), 2) if durations else None,
    }


# -- sections ---------------------------------------------------------------------------------
def compare(portal: MockPortalProcess, work: Path, rounds: int, dossiers: int) -> dict[str, Any]:
    """The three configurations in interleaved rounds (the order rotates each round)."""
    runs: dict[str, list[dict[str, Any]]] = {c: [] for c in CONFIGS}
    for r in range(rounds):
        order = CONFIGS[r % 3 :] + CONFIGS[: r % 3]
        for config in order:
            runs[config].append(one_run(portal, config, r, dossiers, work))
    summary: dict[str, Any] = {}
    for config, done in runs.items():
        bot = config != "floor"
        summary[config] = {
            "wall_s_per_dossier": median([x["wall_s_per_dossier"] for x in done]),
            "process_wall_s_per_dossier": median([x["process_wall_s"] / dossiers for x in done]),
            "per_run_s": median([x["per_run_s"] for x in done]),
            "cpu_s_per_dossier": median([x["cpu_s_per_dossier"] for x in done]),
            "cpu_sampled_s_per_dossier": median([x["cpu_sampled_s"] / dossiers for x in done]),
            "page_loads_per_dossier": median([x["page_loads"] for x in done]),
            "posts_per_dossier": median([x["posts"] for x in done]),
            "evidence_mb_per_linked_dossier": median(
                [x["evidence_bytes_run"] / 1e6 / max(x["linked"], 1) for x in done]
            )
            if bot
            else 0.0,
            "evidence_mb_per_dossier_folder": median(
                [x["evidence_bytes_dossier_folders"] / 1e6 / max(x["linked"], 1) for x in done]
            )
            if bot
            else 0.0,
            "problems": [p for x in done for p in x["problems"]],
        }
    floor_walls = [x["wall_s_per_dossier"] or float("nan") for x in runs["floor"]]
    for config in ("bot_default", "bot_lean"):
        walls = [x["wall_s_per_dossier"] or float("nan") for x in runs[config]]
        summary[config]["ratio"] = round(
            summary[config]["wall_s_per_dossier"] / summary["floor"]["wall_s_per_dossier"], 3
        )
        summary[config]["paired_ratio"] = median(
            [b / f for b, f in zip(walls, floor_walls, strict=True)]
        )
    return {"rounds": rounds, "dossiers": dossiers, "summary": summary, "runs": runs}


def memory(portal: MockPortalProcess, work: Path, dossiers: int, workers: int) -> dict[str, Any]:
    """`batch --workers N` with the default evidence: peak memory of the whole tree."""
    return one_run(portal, "bot_default", 99, dossiers, work, workers=workers, memory=True)


def cold_start(work: Path, repeats: int) -> dict[str, Any]:
    """From spawning `informex-bot run` to the first request the portal sees."""
    samples = [s for s in (_cold_start_once(work) for _ in range(repeats)) if s is not None]
    return {"median_s": median(samples), "samples": [round(s, 3) for s in samples]}


def _cold_start_once(work: Path) -> float | None:
    first = threading.Event()
    seen_at = [0.0]
    armed_at = [float("inf")]  # lines before the bot starts (the readiness probe) don't count

    def on_line(line: str) -> None:
        now = time.perf_counter()
        if now > armed_at[0] and not first.is_set() and ("GET /" in line or "POST /" in line):
            seen_at[0] = now
            first.set()

    seed_file = work / "cold-seed.json"
    seed_file.write_text(json.dumps(seeds.world()), encoding="utf-8")
    with MockPortalProcess(
        seed=seed_file, extra_args=["--log-level", "debug"], on_line=on_line
    ) as portal:
        _, env = bot_command(portal, [], work / "cold", 1, {})
        start = armed_at[0] = time.perf_counter()
        child = subprocess.Popen(
            [sys.executable, "-m", "bot", "run", "PM-2026-0101", "--dry-run"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        got = first.wait(60)
        child.wait(timeout=120)
        reap_tree(portal_pids(portal))
    return seen_at[0] - start if got else None


# -- the report -------------------------------------------------------------------------------
def machine() -> dict[str, Any]:
    explicit = os.environ.get("BOT_BROWSER_EXECUTABLE") or None
    browser = find_chromium(explicit)
    version = "Playwright's bundled Chromium"
    if browser is not None:
        answer = subprocess.run(
            [str(browser), "--version"], capture_output=True, text=True, timeout=30
        )
        version = (answer.stdout or answer.stderr).strip()
    return {
        "cores": os.cpu_count(),
        "memory_gib": round(psutil.virtual_memory().total / 2**30, 1),
        "python": sys.version.split()[0],
        "chromium": str(browser) if browser else "Playwright's bundled Chromium",
        "chromium_version": version,
    }


def verdict(value: float, target: float) -> str:
    return "met" if value <= target else f"NOT met (+{(value - target) / target:.0%})"


def print_summary(report: dict[str, Any]) -> None:
    cmp = report.get("compare", {}).get("summary")
    mem = report.get("memory")
    if cmp:
        rows = [
            ("wall s / dossier (dossier work)", "wall_s_per_dossier"),
            ("wall s / dossier (whole process)", "process_wall_s_per_dossier"),
            ("per run s (start-up, logins, end)", "per_run_s"),
            ("ratio to the floor (medians)", "ratio"),
            ("ratio to the floor (median of rounds)", "paired_ratio"),
            ("CPU-s / dossier, whole tree", "cpu_s_per_dossier"),
            ("CPU-s / dossier, sampled (check)", "cpu_sampled_s_per_dossier"),
            ("page loads / dossier", "page_loads_per_dossier"),
            ("POSTs / dossier", "posts_per_dossier"),
            ("evidence MB / linked dossier (run)", "evidence_mb_per_linked_dossier"),
            ("  of which its own folder", "evidence_mb_per_dossier_folder"),
        ]
        print(f"\n{'':40}" + "".join(f"{TITLES[c]:>28}" for c in CONFIGS))
        for title, key in rows:
            cells = [cmp[c].get(key, "") for c in CONFIGS]
            print(f"{title:40}" + "".join(f"{x!s:>28}" for x in cells))
        for c in CONFIGS:
            if cmp[c]["problems"]:
                print(f"PROBLEMS {c}: {cmp[c]['problems']}")
    print("\nTargets (issue 16):")
    if cmp:
        d = cmp["bot_default"]
        print(
            f"  bot/floor <= {TARGETS['ratio']} (screenshots on): {d['ratio']} -> "
            f"{verdict(d['ratio'], TARGETS['ratio'])}"
        )
        print(
            f"  CPU-s/dossier <= {TARGETS['cpu_s_per_dossier']} (defaults): "
            f"{d['cpu_s_per_dossier']} -> "
            f"{verdict(d['cpu_s_per_dossier'], TARGETS['cpu_s_per_dossier'])}"
        )
        ev = d["evidence_mb_per_linked_dossier"]
        print(
            f"  evidence MB/dossier <= {TARGETS['evidence_mb_per_dossier']} (defaults): {ev} -> "
            f"{verdict(ev, TARGETS['evidence_mb_per_dossier'])}"
        )
    if mem:
        pss = mem["peak_pss_mib"]
        print(
            f"  peak MiB (PSS) at {mem['workers']} workers <= {TARGETS['peak_mib_4_workers']}: "
            f"{pss} -> {verdict(pss, TARGETS['peak_mib_4_workers'])}; by kind at the peak "
            f"{mem['pss_at_peak_mib']}; RSS summed {mem['peak_rss_mib']}"
        )
        if mem["problems"]:
            print(f"  PROBLEMS memory run: {mem['problems']}")
    print(f"\nload average per section: {json.dumps(report['load_average'])}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1 round of 3 dossiers, to try it")
    parser.add_argument("--skip", nargs="*", default=[], choices=["compare", "memory", "cold"])
    parser.add_argument("--rounds", type=int, help="rounds of the comparison (default 3)")
    parser.add_argument("--dossiers", type=int, help="dossiers per run (default 6)")
    parser.add_argument("--workers", type=int, default=4, help="workers of the memory run")
    parser.add_argument(
        "--keep-work", action="store_true", help="keep the runs' folders (evidence, logs)"
    )
    args = parser.parse_args(argv)
    rounds = args.rounds or (1 if args.quick else 3)
    dossiers = args.dossiers or (3 if args.quick else 6)
    memory_dossiers = 8 if args.quick else 16
    become_subreaper()
    RESULTS.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="informex-bench-"))
    report: dict[str, Any] = {
        "when": datetime.now().isoformat(timespec="seconds"),
        "quick": args.quick,
        "machine": machine(),
        "faults": "realistic",
        "load_average": {},
    }
    seed_file = work / "seed.json"
    seed_file.write_text(json.dumps(seeds.many(max(dossiers, memory_dossiers))), encoding="utf-8")
    sections: list[tuple[str, Callable[[MockPortalProcess], Any]]] = []
    if "compare" not in args.skip:
        sections.append(("compare", lambda p: compare(p, work, rounds, dossiers)))
    if "memory" not in args.skip:
        sections.append(("memory", lambda p: memory(p, work, memory_dossiers, args.workers)))
    with MockPortalProcess(seed=seed_file, faults="realistic") as portal:
        for name, section in sections:
            print(f"{name}: load average {load_average()}", flush=True)
            before = load_average()
            report[name] = section(portal)
            report["load_average"][name] = {"start": before, "end": load_average()}
    if "cold" not in args.skip and not args.quick:
        before = load_average()
        report["cold_start"] = cold_start(work, repeats=5)
        report["load_average"]["cold_start"] = {"start": before, "end": load_average()}
    out = RESULTS / f"bench-{datetime.now():%Y%m%d-%H%M%S}.json"
    out.write_text(json.dumps(report, indent=2), encoding="utf-8")
    print_summary(report)
    if args.keep_work:
        print(f"\nwritten: {out} (runs' folders kept in {work})")
    else:
        shutil.rmtree(work, ignore_errors=True)
        print(f"\nwritten: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
