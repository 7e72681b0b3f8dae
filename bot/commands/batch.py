"""`informex-bot batch`: where a night's dossiers come from (a file, --discover, --resume).

The engine does the rest (`bot.engine.orchestrator.start_run`): rerunning the same input resumes
the unfinished run over it instead of starting a second one; `--resume RUN_ID` names the run. A
SIGTERM (systemd stopping the timer's service) lets the workers finish the attempt in hand, cuts
short any retry backoff and leaves what is not final for `--resume` (exit 1); a SIGKILL loses
nothing either, thanks to the ledger.

`--engine celery` (`start_celery_batch`) makes the same run (run id, folder, ledger rows, rejected
rows) but hands each dossier to the Celery workers (`informex-bot worker`) as one task, follows
the run's progress from the ledger, and ends it as the local engine does: results.json,
junit.xml, report.html, the notification, the same exit codes. Stopping the follower stops
nothing on the workers; `informex-bot report RUN_ID` rebuilds the outputs from the ledger later.

`--profile NAME` says which shop the dossiers belong to (rows with a `profile` column say it per
row). The local engine runs one shop per run, with that shop's portals; the Celery workers serve
every shop.
"""

from __future__ import annotations

import hashlib
import signal
import sys
import threading
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

from loguru import logger

from bot.browser.launch import new_context, new_page, own_browser
from bot.browser.sessions import PortalSessions
from bot.commands.discover import discover_dossiers
from bot.domain.batch_input import BatchInput, read_batch_input
from bot.domain.models import DossierInput
from bot.domain.validation import ValidationRules
from bot.engine.leases import FileLeaseStore, Holder, Lease
from bot.engine.orchestrator import (
    RUN_LEASE,
    ResultsFile,
    RunOutcome,
    find_unfinished_run,
    new_run_id,
    open_ledger,
    start_run,
    tidy_runs,
    write_evidence_pages,
)
from bot.engine.runner import RunOptions
from bot.engine.shops import profile_settings
from bot.engine.stores import RunLedger, run_ledgers
from bot.errors import ConfigError
from bot.evidence.logging_setup import add_json_sink
from bot.evidence.notify import notify_if_failed
from bot.evidence.progress import BatchProgress
from bot.evidence.recorder import Recorder
from bot.settings import Settings

FOLLOW_EVERY_S = 1.0  # how often the follower reads the ledger


def start_batch(
    settings: Settings,
    *,
    input_path: Path | None,
    discover: bool,
    resume: str | None,
    options: RunOptions,
    keep_runs: int | None = None,
    profile: str = "",
) -> RunOutcome:
    """Run (or resume) a batch; raise ConfigError for bad usage before any browser starts."""
    work = None if resume else batch_work(settings, input_path, discover, profile)
    shops = {job.profile for job in work.jobs} if work else set()
    if len(shops) > 1:
        raise ConfigError(
            f"the input names several shops ({', '.join(sorted(shops))}): the local engine "
            "runs one shop per run; use --engine celery, or one run per shop (--profile NAME)"
        )
    if shops and (shop := shops.pop()):
        settings = profile_settings(settings, shop)  # that shop's portals and credentials
    return start_run(settings, options, work=work, resume=resume, keep_runs=keep_runs)


def batch_work(
    settings: Settings, input_path: Path | None, discover: bool, profile: str = ""
) -> BatchInput:
    """The run's dossiers from a file or from the shop's PlanManager (--discover); a row without
    a shop of its own belongs to `profile`."""
    shop = profile_settings(settings, profile)  # ConfigError for an unknown profile
    if input_path is not None:
        work = read_batch_input(input_path, ValidationRules.from_settings(settings))
    elif discover:
        work = discover_batch(shop)
    else:
        raise ConfigError("give an INPUT file, --discover, or --resume RUN_ID")
    if profile:
        work.jobs = [job if job.profile else replace(job, profile=profile) for job in work.jobs]
        work.digest = hashlib.sha256(f"{profile}\n{work.digest}".encode()).hexdigest()
    if settings.profiles_dir is not None:  # the shops must be known here too (a typo: exit 2)
        for name in sorted({job.profile for job in work.jobs if job.profile}):
            profile_settings(settings, name)
    return work


def discover_batch(settings: Settings) -> BatchInput:
    """Log in, list the dossiers to link, and make them a batch input."""
    run_dir = settings.runs_dir / "_discover"
    with own_browser(settings) as browser:
        sessions = PortalSessions(settings, run_dir)
        sessions.start(browser)
        context = new_context(browser, settings, sessions.storage_state)
        recorder = Recorder(run_dir, run_dir, screenshots="off", trace="off")
        try:
            found = discover_dossiers(new_page(context), recorder, settings)
        finally:
            sessions.log_out(browser)  # a cookie that leaks later is dead
    digest = hashlib.sha256("\n".join(sorted(found.to_link)).encode()).hexdigest()
    jobs = [DossierInput(dossier=number, line=i + 1) for i, number in enumerate(found.to_link)]
    return BatchInput(jobs=jobs, rejected=[], digest=digest, source="--discover")


# -- --engine celery --------------------------------------------------------------------------
def start_celery_batch(
    settings: Settings,
    *,
    input_path: Path | None,
    discover: bool,
    resume: str | None,
    options: RunOptions,
    keep_runs: int | None = None,
    profile: str = "",
) -> RunOutcome:
    """Make (or resume) a run, enqueue its dossiers for the Celery workers, follow it from the
    ledger to its end, then write its outputs and notify as the local engine does."""
    from bot.engine.celery_app import configure
    from bot.engine.tasks import enqueue

    if not settings.broker_url:
        raise ConfigError("--engine celery needs BOT_BROKER_URL (redis://HOST:6379/0)")
    ledgers = run_ledgers(settings)
    work = None if resume else batch_work(settings, input_path, discover, profile)
    run_id = resume or (
        find_unfinished_run(settings.runs_dir, work.digest, ledgers=ledgers) if work else None
    )
    if run_id:
        run_dir = settings.runs_dir / run_id
        if not run_dir.is_dir() or not ledgers.exists(run_dir):
            raise ConfigError(f"--resume {run_id}: no batch ledger in {ledgers.where(run_dir)}")
        logger.info("run {}: enqueueing what it has still to do", run_id)
    else:
        run_id = new_run_id()
        run_dir = settings.runs_dir / run_id
        run_dir.mkdir(parents=True, exist_ok=True)
    owner = _own(run_dir, run_id)
    configure(settings)
    stop = threading.Event()
    restore = _stop_on_signals(stop)
    try:
        with open_ledger(run_dir, run_id, None if resume else work, ledgers) as ledger:
            ledger.set_meta(engine="celery")
            jobs = ledger.pending_jobs()
            for job in jobs:
                enqueue(run_id, job, options)
            logger.info(
                "run {}: {} dossier(s) enqueued on {} ({} already final); evidence in {}",
                run_id,
                len(jobs),
                settings.broker_url.split("@")[-1],
                len(ledger.results()),
                run_dir,
            )
            outcome = follow_run(settings, run_id, run_dir, ledger, stop, total=len(jobs))
    finally:
        restore()
        owner.release()
    tidy_runs(settings, run_id, keep_runs)
    notify_if_failed(settings, outcome)
    return outcome


def follow_run(
    settings: Settings,
    run_id: str,
    run_dir: Path,
    ledger: RunLedger,
    stop: threading.Event,
    *,
    total: int,
) -> RunOutcome:
    """Show the run's progress from its ledger until every dossier is final (or `stop`), then
    write results.json, junit.xml and report.html."""
    sink = add_json_sink(run_dir / "bot.log.jsonl", level=settings.log_level)
    started = datetime.now(timezone.utc).astimezone()
    published = ResultsFile(run_dir, run_id, started, ledger)
    progress = BatchProgress(total=total, interactive=sys.stderr.isatty())
    known = {result.dossier for result in ledger.results()}
    unfinished, error = total, None
    try:
        while True:
            unfinished = _show(ledger, progress, known)
            if not unfinished:
                break
            published.dossier_done()  # results.json as it stands, at most every 2 s
            if stop.wait(FOLLOW_EVERY_S):
                error = (
                    f"stopped following run {run_id}; the workers go on with its {unfinished} "
                    f"dossier(s) left: informex-bot report {run_id} writes its outputs from the "
                    f"ledger at any time (--resume {run_id} --engine celery follows it again)"
                )
                logger.warning(error)
                break
    finally:
        progress.close()
        language = ledger.meta().get("portal_language")
        if language:
            published.portal_languages = {"winformex": language}
        results = ledger.results()
        finished = None if unfinished else datetime.now(timezone.utc).astimezone()
        published.write(unfinished=unfinished, finished=finished, error=error, results=results)
        logger.remove(sink)
    write_evidence_pages(run_dir, language=settings.report.language)
    return RunOutcome(run_id, run_dir, results, unfinished, error)


def _show(ledger: RunLedger, progress: BatchProgress, known: set[str]) -> int:
    """Bring the progress up to the ledger; returns how many dossiers are not final yet."""
    for result in ledger.results():
        if result.dossier not in known:
            known.add(result.dossier)
            progress.finished(result.dossier, result.status)
            progress.current.pop(result.dossier, None)
    in_hand = ledger.in_progress()
    for dossier, step in in_hand.items():
        progress.step(dossier, dossier, step or "start")
    counts = ledger.counts()
    return counts.get("pending", 0) + counts.get("in_progress", 0)


def _own(run_dir: Path, run_id: str) -> Lease:
    """Become the one process following the run (what `report` and the office page see)."""
    owners = FileLeaseStore(run_dir)
    owner = owners.try_acquire(RUN_LEASE, Holder.me(f"run {run_id} (following celery workers)"))
    if owner is None:
        raise ConfigError(f"run {run_id} is followed by {owners.holder(RUN_LEASE)} already")
    return owner


def _stop_on_signals(stop: threading.Event) -> Callable[[], None]:
    """SIGTERM and Ctrl-C stop the following (the workers go on); returns the undo."""
    if threading.current_thread() is not threading.main_thread():
        return lambda: None

    def handler(signum: int, frame: object) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGTERM, signal.SIGINT)}

    def restore() -> None:
        for sig, old in previous.items():
            signal.signal(sig, old)

    return restore
