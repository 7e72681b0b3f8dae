"""The one engine: every run of the bot, one dossier or ten thousand, goes through here.

`informex-bot run` is a run of one dossier, `batch` one of many, the demo one of the seed's;
they differ only in where their dossiers come from. Each run has a folder with a durable ledger
(every dossier's state as it moves), `results.json`, `junit.xml`, `report.html` and its evidence,
and sends its notification when something failed. Rerunning the same input resumes the run over
it that did not finish; a dossier found in progress is simply run again, which is safe because
every step reads the portals before it writes (a dossier that already shows an Informex number
is never injected again, and the ledger knows whether a link found in place is the run's own).

Workers are threads, each with its own Playwright (Playwright objects belong to the thread that
made them), sharing one login per portal through storage state and, with more than one worker,
one Chromium.
"""

from __future__ import annotations

import json
import queue
import secrets
import signal
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from loguru import logger

from bot.browser.launch import SharedChromium, own_browser, playwright_driver
from bot.browser.sessions import PortalSessions
from bot.domain.batch_input import BatchInput
from bot.domain.models import DossierInput, DossierResult, DossierStatus
from bot.engine.disk import room_for_evidence
from bot.engine.leases import FileLeaseStore, Holder, Lease
from bot.engine.ledger import LEDGER_FILE as LEDGER_FILE  # where web/ and tests look for it
from bot.engine.runner import BotRun, RunOptions
from bot.engine.stores import EMBEDDED, RunLedger, RunLedgers, run_ledgers
from bot.errors import (
    BotError,
    ConfigError,
    DossierInterrupted,
    LedgerError,
    LoginRefusedError,
)
from bot.evidence.files import write_json_atomic
from bot.evidence.housekeeping import (
    Pruning,
    RemovedRun,
    choose_removals,
    folder_bytes,
    remove_run_folder,
    run_folders,
    sweep_leftovers,
    write_pruning,
)
from bot.evidence.html_report import build_report
from bot.evidence.junit import write_junit
from bot.evidence.logging_setup import add_json_sink
from bot.evidence.notify import notify_if_failed
from bot.evidence.progress import BatchProgress
from bot.evidence.results import exit_code, results_document
from bot.evidence.texts import run_language
from bot.settings import Settings

RUN_LEASE = "owner"
# A run's owner: a lease in the run's own folder, freed at death, whatever BOT_DATABASE_URL says
# (bot/engine/stores.py says why).
_RUN_OWNERS = FileLeaseStore
MAX_WORKERS = 8  # more would flood a portal that serves a whole country's body shops


@dataclass
class RunOutcome:
    """What a run produced and where it lies."""

    run_id: str
    run_dir: Path
    results: list[DossierResult]
    unfinished: int = 0  # dossiers a stop (or a portal that could not be used) left undone
    error: str | None = None  # why the run stopped before it was done, if it did
    refused: bool = False  # a portal refused the credentials: a configuration problem

    @property
    def exit_code(self) -> int:
        """0 all linked (or already); 2 refused credentials; else 1 (a stopped run included)."""
        if self.refused:
            return 2
        return 1 if self.unfinished or self.error else exit_code(self.results)


def new_run_id(now: datetime | None = None) -> str:
    """Sortable and unique: 20261128-231502-3fa1."""
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    return f"{stamp}-{secrets.token_hex(2)}"


def start_run(
    settings: Settings,
    options: RunOptions,
    *,
    work: BatchInput | None = None,
    resume: str | None = None,
    keep_runs: int | None = None,
    owned_elsewhere: str = "refuse",
) -> RunOutcome:
    """Run `work` (resuming the unfinished run over the same input) or resume run `resume`.

    A run has one owner: a run whose owner process still works on it is never taken over. For
    `owned_elsewhere="refuse"` (a batch) that is a ConfigError naming the owner; for
    `"new_run"` (a single `run`) a new run starts, whose dossier waits for the other's lease.
    Raises ConfigError for bad usage and LoginRefusedError for refused credentials, before any
    dossier is touched.
    """
    ledgers = run_ledgers(settings)
    if resume:
        run_id = resume
        run_dir = settings.runs_dir / run_id
        if not run_dir.is_dir() or not ledgers.exists(run_dir):
            raise ConfigError(f"--resume {run_id}: no batch ledger in {ledgers.where(run_dir)}")
        owner = _own_run(run_dir, run_id)
    elif work is not None:
        run_id, run_dir, owner = _run_for(settings, work, owned_elsewhere, ledgers)
    else:
        raise ConfigError("give the dossiers to run, or --resume RUN_ID")
    stop = threading.Event()
    restore = _stop_on_sigterm(stop)
    try:
        with open_ledger(run_dir, run_id, None if resume else work, ledgers) as ledger:
            outcome = _run(settings, run_id, run_dir, ledger, options, stop)
    finally:
        restore()
        owner.release()
    tidy_runs(settings, run_id, keep_runs)
    notify_if_failed(settings, outcome)
    return outcome


def _run_for(
    settings: Settings, work: BatchInput, owned_elsewhere: str, ledgers: RunLedgers
) -> tuple[str, Path, Lease]:
    """The run to do `work` in, owned by this process: the unfinished one over it, or new."""
    unfinished = find_unfinished_run(settings.runs_dir, work.digest, ledgers=ledgers)
    if unfinished:
        run_dir = settings.runs_dir / unfinished
        owner = _RUN_OWNERS(run_dir).try_acquire(RUN_LEASE, Holder.me(f"run {unfinished}"))
        if owner is not None and ledgers.unfinished(run_dir):
            logger.info("the same input has an unfinished run {}: resuming it", unfinished)
            return unfinished, run_dir, owner
        if owner is not None:  # its owner finished it in the meantime: not ours to redo
            owner.release()
        else:
            holder = _RUN_OWNERS(run_dir).holder(RUN_LEASE)
            if owned_elsewhere == "refuse":
                raise ConfigError(_owned_message(unfinished, holder))
            logger.info(
                "run {} over the same input is in hand ({}); starting a new run",
                unfinished,
                holder,
            )
    run_id = new_run_id()
    run_dir = settings.runs_dir / run_id
    run_dir.mkdir(parents=True, exist_ok=True)
    return run_id, run_dir, _own_run(run_dir, run_id)


def _own_run(run_dir: Path, run_id: str) -> Lease:
    """Become the run's owner, or raise ConfigError naming the live owner."""
    stores = _RUN_OWNERS(run_dir)
    owner = stores.try_acquire(RUN_LEASE, Holder.me(f"run {run_id}"))
    if owner is None:
        raise ConfigError(_owned_message(run_id, stores.holder(RUN_LEASE)))
    return owner


def _owned_message(run_id: str, holder: Holder | None) -> str:
    who = str(holder) if holder else "another process"
    return (
        f"run {run_id} is being worked on by {who}; it is not taken over. Wait for it to end "
        "(or stop that process), then rerun to resume what it left"
    )


def find_unfinished_run(
    runs_dir: Path, digest: str, *, ledgers: RunLedgers = EMBEDDED
) -> str | None:
    """The newest run over the same input that did not finish (so rerunning resumes it)."""
    if not runs_dir.is_dir():
        return None
    for run_dir in sorted(runs_dir.iterdir(), reverse=True):
        if run_dir.is_dir() and ledgers.unfinished(run_dir, digest):
            return run_dir.name
    return None


def open_ledger(
    run_dir: Path, run_id: str, work: BatchInput | None, ledgers: RunLedgers = EMBEDDED
) -> RunLedger:
    """The run's ledger: created for `work`, or (a resume) checked to hold the whole run.

    `ledgers` is where it lives (`bot.engine.stores.run_ledgers(settings)`); the embedded
    SQLite file in the run's folder by default.
    """
    if work is None and not ledgers.usable(run_dir):
        raise LedgerError(_unresumable(run_id, ledgers.where(run_dir), "is missing or empty"))
    ledger = ledgers.open(run_dir)
    if work is None:
        try:
            _check_holds_run(ledger, run_dir, run_id, ledgers)
        except LedgerError:
            ledger.close()
            raise
    if work is not None:
        if not ledger.meta().get("run_id"):
            ledger.set_meta(
                run_id=run_id,
                input_digest=work.digest,
                input_source=work.source,
                created_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
            )
        ledger.add_jobs(work.jobs, work.rejected)
    return ledger


RESULTS_EVERY_S = 2.0  # results.json during a run: after a dossier, at most this often


class ResultsFile:
    """results.json as the night goes: rewritten (atomically) after a dossier ends, at most
    every RESULTS_EVERY_S seconds, so a long run is followed without rereading it whole."""

    def __init__(self, run_dir: Path, run_id: str, started: datetime, ledger: RunLedger) -> None:
        self.path = run_dir / "results.json"
        self.run_id, self.started, self.ledger = run_id, started, ledger
        self._lock = threading.Lock()
        self._last = 0.0
        self.portal_languages: dict[str, str] = {}  # the run's sessions fill it as they log in

    def dossier_done(self) -> None:
        with self._lock:
            now = time.monotonic()
            if now - self._last < RESULTS_EVERY_S:
                return
            self._last = now
            unfinished = len(self.ledger.pending_jobs())
            self.write(unfinished=unfinished, finished=None)

    def write(
        self,
        *,
        unfinished: int,
        finished: datetime | None,
        error: str | None = None,
        results: list[DossierResult] | None = None,
    ) -> None:
        document = results_document(
            self.run_id,
            self.started,
            self.ledger.results() if results is None else results,
            finished,
            error=error,
            unfinished=unfinished,
            portal_language=(
                self.portal_languages.get("winformex") or self.portal_languages.get("planmanager")
            ),
        )
        write_json_atomic(self.path, document)


class RunControl:
    """What every worker of a run watches: a stop (SIGTERM, a portal that looks down, a full
    disk) and the run of system errors in a row that says a portal is down."""

    def __init__(self, stop: threading.Event, max_consecutive_system_errors: int) -> None:
        self.stop = stop
        self.reason: str | None = None
        self.limit = max_consecutive_system_errors
        self._in_a_row = 0
        self._lock = threading.Lock()

    def halt(self, reason: str) -> None:
        """Take no new dossier; the ones not done stay for `--resume`."""
        with self._lock:
            if self.reason is None:
                self.reason = reason
                logger.error("run stops taking dossiers: {}", reason)
        self.stop.set()

    def note(self, result: DossierResult) -> None:
        """Count system errors in a row (a busy dossier says nothing about the portals)."""
        portal_failed = result.status is DossierStatus.SYSTEM_ERROR and not (
            result.error or ""
        ).startswith("busy:")
        with self._lock:
            self._in_a_row = self._in_a_row + 1 if portal_failed else 0
            tripped = bool(self.limit) and self._in_a_row >= self.limit
        if tripped:
            self.halt(
                f"{self.limit} dossiers in a row ended system_error: a portal looks down "
                f"(or refuses us); the last error: {result.error}"
            )


def _check_holds_run(
    ledger: RunLedger, run_dir: Path, run_id: str, ledgers: RunLedgers = EMBEDDED
) -> None:
    """A ledger that lost its write-ahead log, or was emptied, must never read as "all done"."""
    if ledger.meta().get("run_id") != run_id or not sum(ledger.counts().values()):
        raise LedgerError(
            _unresumable(run_id, ledger.path, "does not hold this run", ledgers.resume_hint())
        )
    reported = _reported_dossiers(run_dir / "results.json")
    missing = sorted(reported - set(ledger.dossiers()))
    if missing:
        lost = f"has lost {len(missing)} dossier(s) results.json lists ({', '.join(missing[:5])})"
        raise LedgerError(_unresumable(run_id, ledger.path, lost, ledgers.resume_hint()))


def _reported_dossiers(path: Path) -> set[str]:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        return {str(d["dossier"]) for d in document.get("dossiers", [])}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return set()


def _unresumable(
    run_id: str, path: Path | str, what: str, hint: str = EMBEDDED.resume_hint()
) -> str:
    return (
        f"--resume {run_id}: its ledger {path} {what} ({hint}); nothing was run. Rerun the same "
        "input (the file, --discover or the same run command) as a new run: the portals are read "
        "before any write, so nothing is injected twice"
    )


def _run(
    settings: Settings,
    run_id: str,
    run_dir: Path,
    ledger: RunLedger,
    options: RunOptions,
    stop: threading.Event,
) -> RunOutcome:
    """Run every dossier the ledger still has to do, then write results, junit and report.

    Whatever stops the run (refused credentials, a portal that never answers, a crashed worker,
    a full disk, a portal that looks down) is said in results.json, the report and the outcome,
    and what was not done stays for `--resume`.
    """
    sink = add_json_sink(run_dir / "bot.log.jsonl", level=settings.log_level)
    started = datetime.now(timezone.utc).astimezone()
    control = RunControl(stop, settings.max_consecutive_system_errors)
    published = ResultsFile(run_dir, run_id, started, ledger)
    error: str | None = None
    refused = False
    try:
        jobs = _announce(ledger, run_id, run_dir, options)
        workers = max(1, min(options.workers, MAX_WORKERS, len(jobs) or 1))
        progress = BatchProgress(total=len(jobs), interactive=sys.stderr.isatty())
        try:
            if jobs:
                crashed = _run_workers(
                    settings, run_dir, ledger, jobs, options, workers, progress, control, published
                )
                if crashed:
                    error = f"a worker stopped on an unexpected error: {crashed[0]!r}"
        except BotError as exc:  # the portals could not be used at all: say so, keep the work
            error = f"no dossier was started: {exc}"
            refused = isinstance(exc, LoginRefusedError)
            logger.error(error)
        except Exception as exc:  # a bug or a browser that would not start: said, never silent
            error = f"the run stopped on an unexpected error: {exc!r}"
            logger.error(error)
            logger.opt(exception=exc).debug("where the unexpected error came from")
        finally:
            progress.close()
        error = error or control.reason
    finally:
        results, unfinished = ledger.results(), len(ledger.pending_jobs())
        if unfinished:
            logger.warning(
                "run {} stopped with {} dossier(s) not done; continue it with "
                "informex-bot batch --resume {} (or rerun the same command)",
                run_id,
                unfinished,
                run_id,
            )
        finished = None if unfinished else datetime.now(timezone.utc).astimezone()
        published.write(unfinished=unfinished, finished=finished, error=error, results=results)
        logger.remove(sink)
    write_evidence_pages(run_dir, language=settings.report.language)
    return RunOutcome(run_id, run_dir, results, unfinished, error, refused)


def _announce(
    ledger: RunLedger, run_id: str, run_dir: Path, options: RunOptions
) -> list[DossierInput]:
    """The dossiers still to do, said in the log (and which ones a killed run left in hand)."""
    jobs = ledger.pending_jobs()
    redo = ledger.in_progress()
    if redo:
        logger.warning(
            "resuming: {} dossier(s) were in progress; the portals are read before any "
            "step is redone: {}",
            len(redo),
            ", ".join(sorted(redo)),
        )
    logger.info(
        "run {}: {} dossier(s) to do, {} already final, up to {} worker(s), evidence in {}",
        run_id,
        len(jobs),
        len(ledger.results()),
        options.workers,
        run_dir,
    )
    return jobs


def write_evidence_pages(run_dir: Path, *, language: str | None = None) -> None:
    """junit.xml and report.html from results.json (also `informex-bot report RUN_DIR`), in
    the office's language (BOT_REPORT_LANGUAGE), so the report is built once per run."""
    write_junit(run_dir)
    build_report(run_dir, language=language)


def _run_workers(
    settings: Settings,
    run_dir: Path,
    ledger: RunLedger,
    jobs: list[DossierInput],
    options: RunOptions,
    workers: int,
    progress: BatchProgress,
    control: RunControl,
    published: ResultsFile,
) -> list[BaseException]:
    """Run the jobs on `workers` threads; returns what made a worker stop unexpectedly."""
    todo: queue.Queue[DossierInput] = queue.Queue()
    for job in jobs:
        todo.put(job)
    sessions = PortalSessions(settings, run_dir)
    published.portal_languages = sessions.languages  # filled at login: the report's language
    errors: list[BaseException] = []
    shared = _shared_browser_logged_in(settings, sessions, workers)

    def worker(index: int) -> None:
        name = f"worker-{index}"
        try:
            with BotRun(
                settings,
                run_dir,
                ledger,
                options,
                sessions=sessions,
                shared_browser=shared,
                stop=control.stop,
                on_step=lambda job, step: progress.step(name, job.dossier, step),
                before_write=lambda: room_for_evidence(settings, run_dir, halt=control.halt),
            ) as bot:
                _work(name, bot, todo, progress, control, published)
        except BaseException as exc:  # a worker must not die silently
            logger.exception("{} stopped: {}", name, exc)
            errors.append(exc)

    threads = [
        threading.Thread(target=worker, args=(i + 1,), name=f"worker-{i + 1}", daemon=True)
        for i in range(workers)
    ]
    try:
        _start_and_join(threads)
    finally:
        sessions.end(shared)  # a session cookie copied from the run opens nothing afterwards
        if shared is not None:
            shared.stop()
    return errors


def _shared_browser_logged_in(
    settings: Settings, sessions: PortalSessions, workers: int
) -> SharedChromium | None:
    """With several workers, one Chromium for all; either way, one login per portal."""
    shared = SharedChromium(settings) if workers > 1 else None
    if shared is not None:
        shared.start()
    try:
        _log_in_once(settings, sessions, shared)
    except BaseException:
        sessions.end(shared)  # a portal that did log in is logged out again
        if shared is not None:
            shared.stop()
        raise
    return shared


def _start_and_join(threads: list[threading.Thread]) -> None:
    for thread in threads:
        thread.start()
    for thread in threads:
        while thread.is_alive():
            thread.join(timeout=0.5)  # joins in slices so Ctrl-C reaches the main thread


def _log_in_once(
    settings: Settings, sessions: PortalSessions, shared: SharedChromium | None
) -> None:
    """One login per portal for the whole run, from this thread."""
    if shared is None:
        with own_browser(settings) as browser:
            sessions.start(browser)
        return
    with playwright_driver() as playwright:
        browser = shared.connect(playwright)
        try:
            sessions.start(browser)
        finally:
            browser.close()


def _work(
    name: str,
    bot: BotRun,
    todo: queue.Queue[DossierInput],
    progress: BatchProgress,
    control: RunControl,
    published: ResultsFile,
) -> None:
    while not control.stop.is_set():
        try:
            job = todo.get_nowait()
        except queue.Empty:
            return
        progress.started(name, job.dossier)
        try:
            result = bot.run(job)  # final in the ledger when it returns
        except DossierInterrupted:
            return  # left in progress in the ledger: `--resume` reads the portals first
        progress.finished(name, result.status)
        control.note(result)
        if bot.login_refused:
            control.halt(f"a portal refused a new login during the run: {bot.login_refused}")
        published.dossier_done()


def prune_runs(
    runs_dir: Path,
    keep: int | None,
    current: str | None = None,
    *,
    max_bytes: int | None = None,
) -> Pruning:
    """Delete old run folders: those beyond the newest `keep`, then the oldest while all of
    them take more than `max_bytes` (BOT_RUNS_MAX_GB).

    Never the current run, never one a live process owns; a run with unresolved failures only
    when the budget cannot be met otherwise (bot.evidence.housekeeping decides). What went is
    written to the current run's pruned.json, which its report shows.
    """
    pruning = Pruning(budget_bytes=max_bytes or None)
    if keep is None and not max_bytes:
        return pruning
    sweep_leftovers(runs_dir)
    folders = run_folders(runs_dir)
    protected = {f.name for f in folders if f.name == current or run_holder(f.path)}
    if max_bytes:
        for folder in folders:
            folder.size = folder_bytes(folder.path)
    chosen, left = choose_removals(folders, keep=keep, budget_bytes=max_bytes, protected=protected)
    for folder, forced in chosen:
        owner = _RUN_OWNERS(folder.path).try_acquire(RUN_LEASE, Holder.me("pruning old runs"))
        if owner is None:  # taken up by a process meanwhile (a --resume): it stays
            left = None if left is None else left + (folder.size or 0)
            continue
        try:
            remove_run_folder(folder.path)
        finally:
            owner.release()
        pruning.removed.append(RemovedRun(folder.name, folder.size, folder.unresolved, forced))
    pruning.total_bytes = left
    if pruning.removed:
        logger.info(
            "removed {} old run folder(s): {}",
            len(pruning.removed),
            ", ".join(run.run_id for run in pruning.removed),
        )
    for run in pruning.forced:
        logger.warning(
            "run {} had {} unresolved failure(s) but was removed to stay within BOT_RUNS_MAX_GB",
            run.run_id,
            run.unresolved,
        )
    if pruning.over_budget:
        logger.warning("the run folders still take {} bytes, over BOT_RUNS_MAX_GB", left)
    if current and (pruning.removed or pruning.over_budget):
        write_pruning(runs_dir / current, pruning)
    return pruning


def run_holder(run_dir: Path) -> Holder | None:
    """Who works on the run now (None: nobody; its owner lease is free, or was left by a
    process that died). Asked by trying the lease, never by trusting the file's contents."""
    owners = _RUN_OWNERS(run_dir)
    try:
        lease = owners.try_acquire(RUN_LEASE, Holder.me("looking"))
    except OSError:  # a folder we may not write to (copied, read-only): nobody runs it here
        return None
    if lease is not None:
        lease.release()
        return None
    return owners.holder(RUN_LEASE) or Holder(0, "?", "?", "another process")


def tidy_runs(settings: Settings, run_id: str, keep_runs: int | None) -> Pruning:
    """After a run: prune old run folders (--keep-runs, BOT_RUNS_MAX_GB), and build the run's
    report again (in its language) when it must say what was deleted."""
    run_dir = settings.runs_dir / run_id
    pruning = prune_runs(
        settings.runs_dir, keep_runs, current=run_id, max_bytes=settings.report.runs_max_bytes
    )
    language = run_language(settings.report.language, run_dir)
    said = pruning.removed or pruning.over_budget
    if (run_dir / "results.json").is_file() and said:
        build_report(run_dir, language=language)
    return pruning


def _stop_on_sigterm(stop: threading.Event) -> Callable[[], object]:
    """SIGTERM: finish the attempts in hand, retry nothing, take no new dossier.

    Returns a function that puts the previous handler back.
    """
    if threading.current_thread() is not threading.main_thread():
        return lambda: None

    def handler(signum: int, frame: object) -> None:
        logger.warning("stop requested (signal {}): finishing the attempts in hand", signum)
        stop.set()

    previous = signal.signal(signal.SIGTERM, handler)
    return lambda: signal.signal(signal.SIGTERM, previous)
