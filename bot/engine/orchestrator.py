"""The nightly batch: many dossiers, N workers, a durable ledger, and the morning report.

Workers are threads, each with its own Playwright and browser (Playwright objects belong to the
thread that made them), sharing one login per portal through storage state. The ledger records
every dossier's state as it moves, so a killed batch resumes where it was; a dossier found in
progress is simply run again, which is safe because every step reads the portals before it
writes (a dossier that already shows an Informex number is never injected again).
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from loguru import logger

from bot.browser.launch import SharedChromium, launch_browser, playwright_driver
from bot.browser.sessions import PortalSessions
from bot.domain.batch_input import BatchInput
from bot.domain.models import DossierInput, DossierResult, DossierStatus
from bot.engine.ledger import Ledger
from bot.engine.runner import BotRun
from bot.errors import DossierInterrupted
from bot.evidence.files import write_json_atomic
from bot.evidence.logging_setup import add_json_sink
from bot.evidence.progress import BatchProgress
from bot.evidence.results import exit_code, results_document
from bot.settings import Settings

LEDGER_FILE = "ledger.sqlite"
MAX_WORKERS = 8  # more would flood a portal that serves a whole country's body shops


@dataclass
class BatchOutcome:
    run_id: str
    run_dir: Path
    results: list[DossierResult]
    unfinished: int = 0  # dossiers a stop left for `--resume`

    @property
    def exit_code(self) -> int:
        """As for `run`; a stopped batch is 1 even if all it did was linked: it is not done."""
        return 1 if self.unfinished else exit_code(self.results)


@dataclass
class BatchOptions:
    workers: int = 1
    retries: int | None = None
    force: bool = False
    dry_run: bool = False


def find_unfinished_run(runs_dir: Path, digest: str) -> str | None:
    """The newest run over the same input that did not finish (so rerunning resumes it)."""
    if not runs_dir.is_dir():
        return None
    for run_dir in sorted(runs_dir.iterdir(), reverse=True):
        ledger_path = run_dir / LEDGER_FILE
        if not ledger_path.is_file():
            continue
        try:
            with Ledger(ledger_path) as ledger:
                if ledger.meta().get("input_digest") != digest:
                    continue
                counts = ledger.counts()
        except Exception as exc:  # a broken ledger is not ours to resume
            logger.warning("skipping {}: {}", ledger_path, exc)
            continue
        if counts.get("pending", 0) or counts.get("in_progress", 0):
            return run_dir.name
    return None


def open_ledger(run_dir: Path, run_id: str, batch: BatchInput | None) -> Ledger:
    ledger = Ledger(run_dir / LEDGER_FILE)
    if batch is not None:
        if not ledger.meta().get("run_id"):
            ledger.set_meta(
                run_id=run_id,
                input_digest=batch.digest,
                input_source=batch.source,
                created_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
            )
        ledger.add_jobs(batch.jobs, batch.rejected)
    return ledger


def run_batch(
    settings: Settings,
    run_id: str,
    run_dir: Path,
    ledger: Ledger,
    options: BatchOptions,
    *,
    interactive: bool = False,
    stop: threading.Event | None = None,
) -> BatchOutcome:
    """Run every dossier the ledger still has to do, then write results, junit and report."""
    stop = stop or threading.Event()
    sink = add_json_sink(run_dir / "bot.log.jsonl", level=settings.log_level)
    started = datetime.now(timezone.utc).astimezone()
    try:
        jobs = ledger.pending_jobs()
        redo = ledger.in_progress()
        if redo:
            logger.warning(
                "resuming: {} dossier(s) were in progress; the portals are read before any "
                "step is redone: {}",
                len(redo),
                ", ".join(sorted(redo)),
            )
        workers = max(1, min(options.workers, MAX_WORKERS, len(jobs) or 1))
        logger.info(
            "batch {}: {} dossier(s) to do, {} already final, {} worker(s)",
            run_id,
            len(jobs),
            len(ledger.results()),
            workers,
        )
        progress = BatchProgress(total=len(jobs), interactive=interactive)
        if jobs:
            _run_workers(settings, run_dir, ledger, jobs, options, workers, progress, stop)
        progress.close()
    finally:
        results = ledger.results()
        unfinished = len(ledger.pending_jobs())
        if unfinished:
            logger.warning(
                "batch {} stopped with {} dossier(s) not done; continue it with "
                "informex-bot batch --resume {}",
                run_id,
                unfinished,
                run_id,
            )
        finished = None if unfinished else datetime.now(timezone.utc).astimezone()
        write_json_atomic(
            run_dir / "results.json", results_document(run_id, started, results, finished)
        )
        logger.remove(sink)
    write_evidence_pages(run_dir)
    return BatchOutcome(run_id, run_dir, results, unfinished)


def write_evidence_pages(run_dir: Path) -> None:
    """junit.xml and report.html from results.json (also `informex-bot report RUN_DIR`)."""
    from bot.evidence.html_report import build_report
    from bot.evidence.junit import write_junit

    write_junit(run_dir)
    build_report(run_dir)


def _run_workers(
    settings: Settings,
    run_dir: Path,
    ledger: Ledger,
    jobs: list[DossierInput],
    options: BatchOptions,
    workers: int,
    progress: BatchProgress,
    stop: threading.Event,
) -> None:
    todo: queue.Queue[DossierInput] = queue.Queue()
    for job in jobs:
        todo.put(job)
    sessions = PortalSessions(settings, run_dir)
    errors: list[BaseException] = []
    shared = SharedChromium(settings) if workers > 1 else None
    if shared is not None:
        shared.start()
    try:
        _log_in_once(settings, sessions, shared)
    except BaseException:
        if shared is not None:
            shared.stop()
        raise

    def worker(index: int) -> None:
        name = f"worker-{index}"
        try:
            _work(name, settings, run_dir, ledger, sessions, todo, options, progress, stop, shared)
        except BaseException as exc:  # a worker must not die silently
            logger.exception("{} stopped: {}", name, exc)
            errors.append(exc)

    threads = [
        threading.Thread(target=worker, args=(i + 1,), name=f"worker-{i + 1}", daemon=True)
        for i in range(workers)
    ]
    for thread in threads:
        thread.start()
    try:
        for thread in threads:
            while thread.is_alive():
                thread.join(timeout=0.5)  # joins in slices so Ctrl-C reaches the main thread
    finally:
        if shared is not None:
            shared.stop()
    if errors and not stop.is_set():
        raise errors[0]


def _log_in_once(
    settings: Settings, sessions: PortalSessions, shared: SharedChromium | None
) -> None:
    """One login per portal for the whole batch, from this thread."""
    with playwright_driver() as playwright:
        browser = shared.connect(playwright) if shared else launch_browser(playwright, settings)
        try:
            sessions.start(browser)
        finally:
            browser.close()


def _work(
    name: str,
    settings: Settings,
    run_dir: Path,
    ledger: Ledger,
    sessions: PortalSessions,
    todo: queue.Queue[DossierInput],
    options: BatchOptions,
    progress: BatchProgress,
    stop: threading.Event,
    shared: SharedChromium | None,
) -> None:
    def on_step(job: DossierInput, step: str) -> None:
        ledger.record_step(job.dossier, step)
        progress.step(name, job.dossier, step)

    with BotRun(
        settings,
        run_dir,
        force=options.force,
        dry_run=options.dry_run,
        retries=options.retries,
        on_progress=on_step,
        sessions=sessions,
        on_attempt=_attempt_recorder(ledger),
        shared_browser=shared,
        stop=stop,
        saves=ledger,
    ) as bot:
        while not stop.is_set():
            try:
                job = todo.get_nowait()
            except queue.Empty:
                return
            progress.started(name, job.dossier)
            try:
                result = bot.run(job)
            except DossierInterrupted:
                return  # left in progress in the ledger: `--resume` reads the portals first
            ledger.finish(result)
            progress.finished(name, result.status)


def _attempt_recorder(
    ledger: Ledger,
) -> Callable[[DossierInput, int, DossierStatus | None, str | None], int]:
    """Record each attempt in the ledger; returns the ledger's attempt number."""

    def record(
        job: DossierInput, attempt: int, status: DossierStatus | None, error: str | None
    ) -> int:
        if status is None:
            return ledger.start_attempt(job.dossier)
        ledger.end_attempt(job.dossier, attempt, status.value, error)
        return attempt

    return record
