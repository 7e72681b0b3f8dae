"""The work a click starts, as child processes the page follows.

A click on "Link now" starts `python -m bot run DOSSIER [--assignment N] [--force] [--dry-run]`:
the very command a terminal runs, so the same validation, engine, per-dossier lease, retries,
evidence and exit codes apply, and a click during the nightly batch can never inject twice (the
run waits for the batch's lease, then reads the portals first). The page adds one guard of its
own: while a click's run of a dossier is going, another click on that dossier joins it instead of
starting a second process. Children run in their own session, so stopping the page (Ctrl-C in
its terminal) never cuts a dossier short; they finish on their own.

Browser work that only reads (the waiting dossiers, the health check, the values a link wrote)
runs as `python -m bot.web.tasks KIND …`, one of each at a time, its answer a JSON file.

Every job is also written to BOT_STATE_DIR/web/jobs/ID.json, so the page still knows, after a
restart, which runs were started from it.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from loguru import logger

from bot.evidence.files import write_json_atomic
from bot.web.evidence import pid_alive, run_owned_by

MAX_RUNNING = 3
"""Clicks linked at once: each is a Chromium; more would starve a small office PC."""
OUTPUT_LINES = 12
"""The last lines of a child's output kept to explain an end without a result (exit 2: the
command line's message is its last line)."""
KEEP_JOBS = 500
"""Job records kept in BOT_STATE_DIR/web/jobs (the runs themselves are kept by --keep-runs)."""
FOLLOW_EVERY_S = 0.2


def now_iso() -> str:
    return datetime.now(timezone.utc).astimezone().isoformat(timespec="seconds")


@dataclass(frozen=True)
class LinkRequest:
    """What a person asked for one dossier: the run command's arguments, validated already."""

    dossier: str
    assignment: str | None = None
    force: bool = False
    dry_run: bool = False

    def arguments(self) -> list[str]:
        args = ["run", self.dossier]
        if self.assignment:
            args += ["--assignment", self.assignment]
        if self.force:
            args.append("--force")
        if self.dry_run:
            args.append("--dry-run")
        return args


@dataclass
class Job:
    """One click's run: its process, the run folder it works in, how it ended."""

    id: str
    request: LinkRequest
    started_at: str
    pid: int | None = None
    run_id: str | None = None
    exit_code: int | None = None
    ended_at: str | None = None
    output: str = ""  # the end of what the command printed (kept for a refusal's message)
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False, compare=False)

    @property
    def running(self) -> bool:
        return self.process is not None and self.exit_code is None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "request": asdict(self.request),
            "started_at": self.started_at,
            "pid": self.pid,
            "run_id": self.run_id,
            "exit_code": self.exit_code,
            "ended_at": self.ended_at,
            "output": self.output,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Job:
        request = LinkRequest(**data["request"])
        job = cls(
            id=data["id"],
            request=request,
            started_at=data["started_at"],
            pid=data.get("pid"),
            run_id=data.get("run_id"),
            exit_code=data.get("exit_code"),
            ended_at=data.get("ended_at"),
            output=data.get("output") or "",
        )
        return job  # one the page stopped during (no exit code) is followed by its run folder


class TooManyRuns(Exception):
    """MAX_RUNNING clicks are being linked; the person is asked to wait."""


class JobBoard:
    """Starts clicks' runs and follows them (thread-safe: requests come on many threads)."""

    def __init__(
        self,
        runs_dir: Path,
        folder: Path,
        *,
        scrub: Callable[[str], str] = lambda text: text,
        command: list[str] | None = None,
        max_running: int = MAX_RUNNING,
    ) -> None:
        self.runs_dir = runs_dir
        self.folder = folder
        self.scrub = scrub
        self.command = command or [sys.executable, "-m", "bot"]
        self.max_running = max_running
        self._lock = threading.Lock()
        self._jobs: dict[str, Job] = {}
        self._load()

    def _load(self) -> None:
        if not self.folder.is_dir():
            return
        records = sorted(self.folder.glob("*.json"))
        for old in records[:-KEEP_JOBS]:
            old.unlink(missing_ok=True)
            old.with_suffix(".log").unlink(missing_ok=True)
        for path in records[-KEEP_JOBS:]:
            try:
                job = Job.from_dict(json.loads(path.read_text(encoding="utf-8")))
            except (OSError, ValueError, KeyError, TypeError) as exc:
                logger.warning("ignoring {}: {}", path, exc)
                continue
            if job.exit_code is None and job.run_id is None and job.pid and pid_alive(job.pid):
                job.run_id = run_owned_by(self.runs_dir, job.pid)  # still going: find its run
            self._jobs[job.id] = job

    def _save(self, job: Job) -> None:
        write_json_atomic(self.folder / f"{job.id}.json", job.to_dict())

    # -- asking --------------------------------------------------------------------------------
    def latest(self, dossier: str) -> Job | None:
        with self._lock:
            jobs = [j for j in self._jobs.values() if j.request.dossier == dossier]
        return max(jobs, key=lambda j: (j.started_at, j.id)) if jobs else None

    def recent(self, count: int = 10) -> list[Job]:
        with self._lock:
            jobs = list(self._jobs.values())
        return sorted(jobs, key=lambda j: (j.started_at, j.id), reverse=True)[:count]

    def page_runs(self) -> set[str]:
        with self._lock:
            return {j.run_id for j in self._jobs.values() if j.run_id}

    # -- starting ------------------------------------------------------------------------------
    def start(self, request: LinkRequest) -> tuple[Job, bool]:
        """Start a run for the request; or, when that dossier's run is going, return that one.

        Returns (job, started). Raises TooManyRuns when MAX_RUNNING clicks are running.
        """
        with self._lock:
            for job in self._jobs.values():
                if job.running and job.request.dossier == request.dossier:
                    return job, False
            if sum(job.running for job in self._jobs.values()) >= self.max_running:
                raise TooManyRuns(self.max_running)
            job = Job(id=_job_id(), request=request, started_at=now_iso())
            self.folder.mkdir(parents=True, exist_ok=True)
            log = (self.folder / f"{job.id}.log").open("wb")
            try:
                job.process = subprocess.Popen(
                    [*self.command, *request.arguments()],
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,  # not stopped with the page, nor by its Ctrl-C
                    env={**os.environ, "NO_COLOR": "1", "COLUMNS": "200"},
                )
            finally:
                log.close()
            job.pid = job.process.pid
            self._jobs[job.id] = job
            self._save(job)
        logger.info("started {} for {} (pid {})", " ".join(request.arguments()), job.id, job.pid)
        follower = threading.Thread(target=self._follow, args=(job,), name=f"job-{job.id}")
        follower.daemon = True
        follower.start()
        return job, True

    def _follow(self, job: Job) -> None:
        """Find the run folder the child works in (it owns the run's lease), then its end."""
        process = job.process
        if process is None:  # a job read back from disk: nothing to follow
            return
        while True:
            if job.run_id is None and job.pid is not None:
                run_id = run_owned_by(self.runs_dir, job.pid)
                if run_id is not None:
                    with self._lock:
                        job.run_id = run_id
                        self._save(job)
            try:
                code = process.wait(timeout=FOLLOW_EVERY_S)
                break
            except subprocess.TimeoutExpired:
                continue
        output = self._output(job)
        with self._lock:
            job.exit_code, job.ended_at = code, now_iso()
            job.output = "\n".join(output.strip().splitlines()[-OUTPUT_LINES:])
            self._save(job)
        logger.info("{} ({}) ended with exit code {}", job.id, job.request.dossier, code)

    def _output(self, job: Job) -> str:
        try:
            text = (self.folder / f"{job.id}.log").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        return self.scrub(text)


def _job_id() -> str:
    return datetime.now().strftime("%Y%m%d-%H%M%S-") + secrets.token_hex(3)


# -- browser tasks that only read ----------------------------------------------------------------
@dataclass
class Task:
    """One read-only browser task in its own process (the page waits for its JSON answer)."""

    kind: str
    key: str
    started_at: str
    process: subprocess.Popen[bytes]
    log: Path


class TaskBoard:
    """At most one task per key (`survey`, `health`, `values:RUN:DOSSIER`) at a time."""

    def __init__(self, folder: Path, command: list[str] | None = None) -> None:
        self.folder = folder
        self.command = command or [sys.executable, "-m", "bot.web.tasks"]
        self._lock = threading.Lock()
        self._tasks: dict[str, Task] = {}

    def running(self, key: str) -> Task | None:
        with self._lock:
            task = self._tasks.get(key)
            if task is not None and task.process.poll() is not None:
                del self._tasks[key]
                return None
            return task

    def log_of(self, key: str) -> Path:
        return self.folder / (re.sub(r"[^A-Za-z0-9_.-]+", "_", key) + ".log")

    def last_words(self, key: str) -> str:
        """The last line a task printed (why it left no answer, when it crashed)."""
        try:
            lines = self.log_of(key).read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            return ""
        return next((line.strip() for line in reversed(lines) if line.strip()), "")

    def start(self, key: str, kind: str, *args: str) -> bool:
        """Start `python -m bot.web.tasks KIND ARGS` unless that key runs already."""
        if self.running(key) is not None:
            return False
        with self._lock:
            if key in self._tasks:
                return False
            self.folder.mkdir(parents=True, exist_ok=True)
            log_path = self.log_of(key)
            with log_path.open("wb") as log:
                process = subprocess.Popen(
                    [*self.command, kind, *args],
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                    env={**os.environ, "NO_COLOR": "1", "COLUMNS": "200"},
                )
            self._tasks[key] = Task(kind, key, now_iso(), process, log_path)
        threading.Thread(target=process.wait, name=f"task-{kind}", daemon=True).start()
        logger.info("started task {} ({})", kind, key)
        return True
