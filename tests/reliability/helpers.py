"""What the reliability tests share: the short and long forms, a batch as a child process, the
portal's invariants (never injected twice, never overwritten) and the figures they report.

The short form runs in CI with everything else; the long form (`-m long`) is what issue 5 asks
for and what docs/reliability.md reports. Each test that has both is parametrized with `FORMS`,
so the two forms are the same code with other sizes.
"""

from __future__ import annotations

import json
import queue
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import closing, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import psutil
import pytest

from bot.browser.launch import PROFILE_PREFIX
from tests import seeds
from tests.e2e.helpers import cli_environment, in_own_thread  # noqa: F401 (shared by the tests)
from tests.portal.helpers import Client

LONG_TIMEOUT_S = 3600


@dataclass(frozen=True)
class Form:
    """How big one form of the suite is."""

    name: str
    hostile_dossiers: int
    crash_trials: int
    crash_dossiers: int
    fast_faults: bool  # the short form shortens the hostile profile's latency and injection delay


SHORT = Form("short", hostile_dossiers=6, crash_trials=2, crash_dossiers=2, fast_faults=True)
LONG = Form("long", hostile_dossiers=50, crash_trials=10, crash_dossiers=6, fast_faults=False)
FORMS = [
    pytest.param(SHORT, id="short"),
    pytest.param(LONG, id="long", marks=[pytest.mark.long, pytest.mark.timeout(LONG_TIMEOUT_S)]),
]

FIGURES: list[dict[str, Any]] = []
"""Figures the tests measured, printed at the end of the session (see conftest.py)."""


def record_figures(test: str, **values: Any) -> dict[str, Any]:
    """Keep a test's figures for the session summary, and print them (seen with `-s`)."""
    entry = {"test": test, **values}
    FIGURES.append(entry)
    print(f"\nFIGURES {json.dumps(entry)}")
    return entry


# -- input files -----------------------------------------------------------------------------
def dossier_numbers(count: int) -> list[str]:
    """The numbers of `seeds.many(count)`'s dossiers, in order."""
    return [seeds.numbered(i)[0]["number"] for i in range(1, count + 1)]


def write_csv(path: Path, rows: list[str], header: str = "dossier;opdrachtnummer") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\ufeff" + "\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


# -- the batch as a child process -------------------------------------------------------------
def batch_command(*args: str, command: str = "batch") -> list[str]:
    return [sys.executable, "-m", "bot", command, *args]


def run_batch(
    args: list[str],
    env: dict[str, str],
    cwd: Path,
    timeout_s: float = 1800,
    *,
    command: str = "batch",
) -> subprocess.CompletedProcess[str]:
    """`informex-bot batch ARGS` (or another command) to its end, with only the given settings."""
    return subprocess.run(
        batch_command(*args, command=command),
        env=cli_environment(env, cwd),
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout_s,
    )


class Child:
    """A batch (or another command) started in the background; its output read as it comes."""

    def __init__(
        self, args: list[str], env: dict[str, str], cwd: Path, *, command: str = "batch"
    ) -> None:
        self.process = subprocess.Popen(
            batch_command(*args, command=command),
            env=cli_environment(env, cwd),
            cwd=cwd,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: list[str] = []
        self._queue: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, name="batch-output", daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout or ():
            self._queue.put(line)
        self._queue.put(None)

    def wait_for(self, condition: Callable[[Child], bool], timeout_s: float) -> bool:
        """Read output until `condition(self)` holds (True) or the child ends (False).

        The condition is checked after every line and at least every 0.2 s, so it may also look
        at files the child writes (its ledger).
        """
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if condition(self):
                return True
            try:
                line = self._queue.get(timeout=0.2)
            except queue.Empty:
                continue
            if line is None:
                return condition(self)
            self.lines.append(line)
        raise TimeoutError(f"batch did not reach the condition in {timeout_s} s")

    def started(self) -> list[psutil.Process]:
        """The processes the batch has started (its browsers and Playwright drivers)."""
        try:
            return psutil.Process(self.process.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            return []

    def kill(self) -> list[psutil.Process]:
        """SIGKILL the batch (only it, as a crash would); returns what it had started."""
        descendants = self.started()
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=60)
        return descendants

    def finish(self, timeout_s: float) -> int:
        """Let the batch run to its end; returns its exit status."""
        self.wait_for(lambda _: False, timeout_s=timeout_s)
        return self.process.wait(timeout=60)


def survivors(processes: list[psutil.Process], grace_s: float = 10) -> list[psutil.Process]:
    """Those of `processes` still running `grace_s` after their parent died (zombies are not)."""
    deadline = time.monotonic() + grace_s
    alive = [p for p in processes if _running(p)]
    while alive and time.monotonic() < deadline:
        psutil.wait_procs(alive, timeout=0.2)  # returns early when they end
        alive = [p for p in alive if _running(p)]
    return alive


def _running(process: psutil.Process) -> bool:
    try:
        return process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def profiles_of(processes: list[psutil.Process]) -> set[Path]:
    """The /tmp profiles of the batch's shared Chromium among `processes` (named while they run)."""
    profiles = set()
    for process in processes:
        try:
            command = process.cmdline()
        except psutil.Error:
            continue
        profiles.update(
            Path(arg.split("=", 1)[1])
            for arg in command
            if arg.startswith("--user-data-dir=") and PROFILE_PREFIX in arg
        )
    return profiles


def end_processes(processes: list[psutil.Process]) -> None:
    """Kill, by pid, processes our own child started and left behind, and their /tmp profiles."""
    profiles = profiles_of(processes)
    for process in processes:
        try:
            process.kill()
        except psutil.NoSuchProcess:
            continue
    psutil.wait_procs(processes, timeout=10)
    for profile in profiles:
        shutil.rmtree(profile, ignore_errors=True)


def run_dirs(runs: Path) -> Iterator[Path]:
    if runs.is_dir():
        yield from (p for p in runs.iterdir() if p.is_dir() and p.name[:1].isdigit())


# -- what the portal must look like after any run ---------------------------------------------
@dataclass
class PortalCheck:
    """The portal's state judged against the promises: no duplicate, no overwrite."""

    injections: dict[str, int]
    informex_of: dict[str, list[str]]
    circuit: dict[str, str | None]
    saves: dict[str, int]

    @classmethod
    def of(cls, state: dict[str, Any]) -> PortalCheck:
        pm = state["planmanager"]["dossiers"]
        wx = state["winformex"]["dossiers"]
        informex_of: dict[str, list[str]] = {d["number"]: [] for d in pm}
        for d in wx:
            informex_of.setdefault(d["planmanager_dossier"], []).append(d["number"])
        return cls(
            injections={d["number"]: d["injections"] for d in pm},
            informex_of=informex_of,
            circuit={d["number"]: d["second_circuit"]["assignment_number"] for d in wx},
            saves={d["number"]: d["second_circuit"]["saves"] for d in wx},
        )

    def duplicates(self) -> dict[str, int]:
        """PlanManager dossiers injected more than once, or with more than one Informex dossier."""
        return {
            number: max(self.injections[number], len(self.informex_of.get(number, [])))
            for number in self.injections
            if self.injections[number] > 1 or len(self.informex_of.get(number, [])) > 1
        }

    def wrong_links(self, expected: dict[str, str]) -> dict[str, str | None]:
        """Dossier → the opdrachtnummer its Informex dossier holds, where it is not the expected."""
        wrong = {}
        for pm_number, assignment in expected.items():
            for wx_number in self.informex_of.get(pm_number, []):
                if self.circuit[wx_number] != assignment:
                    wrong[pm_number] = self.circuit[wx_number]
        return wrong


def statuses(results: list[dict[str, Any]]) -> Counter[str]:
    return Counter(r["status"] for r in results)


def read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


# -- concurrency: processes racing for the same dossiers --------------------------------------
LEASE_WAITING = "is being worked on by"
"""What a process logs when another holds the dossier's lease (bot/engine/leases.py)."""
LEASE_TAKEN = re.compile(r"is free now \(waited (?P<waited>[\d.]+) s\)")
"""What it logs once it has the lease after waiting, with how long it waited."""

_HOLD_LEASE = """
import sys
from pathlib import Path
from bot.engine.leases import FileLeaseStore, Holder
lease = FileLeaseStore(Path(sys.argv[1])).try_acquire(sys.argv[2], Holder.me("test holder"))
print("held" if lease is not None else "busy", flush=True)
sys.stdin.read()  # holds the lease until the test kills it or closes its stdin
"""


class LeaseHolder:
    """A process that takes one dossier's lease the way the bot does, then never lets go.

    Use as a context manager: it is killed (SIGKILL) on the way out if the test did not.
    """

    def __init__(self, folder: Path, key: str, env: dict[str, str], cwd: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", _HOLD_LEASE, str(folder), key],
            env=cli_environment(env, cwd),
            cwd=cwd,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        answer = (self.process.stdout.readline() if self.process.stdout else "").strip()
        if answer != "held":
            self.kill()
            raise RuntimeError(f"the lease holder could not take {key}: {answer!r}")

    @property
    def pid(self) -> int:
        return self.process.pid

    def kill(self) -> None:
        """SIGKILL, as a crash would: the process gets no chance to release anything."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)

    def __enter__(self) -> LeaseHolder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.kill()


def pids_of_run(run_dir: Path) -> set[int]:
    """The processes that logged into a run folder's bot.log.jsonl (loguru notes each line's)."""
    log = run_dir / "bot.log.jsonl"
    if not log.is_file():
        return set()
    pids = set()
    for line in log.read_text(encoding="utf-8").splitlines():
        with suppress(ValueError, KeyError, TypeError):
            pids.add(int(json.loads(line)["record"]["process"]["id"]))
    return pids


def run_dir_of(runs: Path, pid: int) -> Path:
    """The one run folder process `pid` worked in (fails if none or several)."""
    [run_dir] = [d for d in run_dirs(runs) if pid in pids_of_run(d)]
    return run_dir


def dossier_state(ledger: Path, dossier: str) -> str | None:
    """The dossier's state in a run's ledger (pending, in_progress, final); None: not there yet."""
    if not ledger.is_file():
        return None
    with closing(sqlite3.connect(f"file:{ledger}?mode=ro", uri=True, timeout=30)) as db:
        try:
            row = db.execute("SELECT state FROM dossiers WHERE dossier = ?", (dossier,)).fetchone()
        except sqlite3.OperationalError:  # "no such table": the run is still creating it
            return None
    return row[0] if row else None


class HttpPerson(Client):
    """tests/portal's person client, over real HTTP against the running mock portal.

    What staff do by hand next to the bot: log in to PlanManager and press "i" (confirmed),
    each press a new Informex dossier and a fee, as on the real portal.
    """

    def __init__(self, base_url: str) -> None:  # no in-process app: a real server
        self.http = httpx.Client(base_url=base_url, follow_redirects=False, timeout=30)  # type: ignore[assignment]
        self.tokens = {}

    def log_in_to_planmanager(self) -> None:
        answer = self.login("planmanager", seeds.PM_USER["username"], seeds.PM_USER["password"])
        if answer.status_code != 303 or "planmanager" not in self.tokens:
            raise RuntimeError(f"PlanManager refused the person's login ({answer.status_code})")

    def press_inject(self, dossier: str) -> None:
        """PlanManager's "i" on `dossier`, confirmed: the portal queues one more injection."""
        answer = self.post_form(f"/planmanager/dossiers/{dossier}/inject")
        if answer.status_code != 303:
            raise RuntimeError(f"PlanManager answered {answer.status_code} to the person's 'i'")
