"""`informex-bot batch`: decide which run to do (new, resumed, discovered), run it, tidy up.

Rerunning the same input resumes the unfinished run over it instead of starting a second one;
`--resume RUN_ID` names the run explicitly. A SIGTERM (systemd stopping the timer's service)
lets the workers finish the attempt in hand, cuts short any retry backoff and leaves what is not
final for `--resume` (exit 1); a SIGKILL loses nothing either, thanks to the ledger.
"""

from __future__ import annotations

import hashlib
import shutil
import signal
import sys
import threading
from collections.abc import Callable
from pathlib import Path

from loguru import logger

from bot.browser.launch import launch_browser, new_context, playwright_driver
from bot.browser.sessions import PortalSessions
from bot.commands.discover import discover_dossiers
from bot.domain.batch_input import BatchInput, read_batch_input
from bot.domain.models import DossierInput
from bot.engine.orchestrator import (
    LEDGER_FILE,
    BatchOptions,
    BatchOutcome,
    find_unfinished_run,
    open_ledger,
    run_batch,
)
from bot.engine.runner import new_run_id, validation_rules
from bot.errors import ConfigError
from bot.evidence.notify import notify_if_failed
from bot.evidence.recorder import Recorder
from bot.pages.popups import install_popup_handlers
from bot.settings import Settings


def start_batch(
    settings: Settings,
    *,
    input_path: Path | None,
    discover: bool,
    resume: str | None,
    options: BatchOptions,
    keep_runs: int | None = None,
    batch: BatchInput | None = None,
) -> BatchOutcome:
    """Run (or resume) a batch; raise ConfigError for bad usage before any browser starts.

    `batch` hands over dossiers already chosen by the caller (the demo) instead of a file.
    """
    if resume:
        run_id = resume
        run_dir = settings.runs_dir / run_id
        if not (run_dir / LEDGER_FILE).is_file():
            raise ConfigError(f"--resume {run_id}: no batch ledger in {run_dir}")
    else:
        if batch is None and input_path is not None:
            batch = read_batch_input(input_path, validation_rules(settings))
        elif batch is None and discover:
            batch = discover_batch(settings)
        elif batch is None:
            raise ConfigError("give an INPUT file, --discover, or --resume RUN_ID")
        unfinished = find_unfinished_run(settings.runs_dir, batch.digest)
        if unfinished:
            logger.info("the same input has an unfinished run {}: resuming it", unfinished)
        run_id = unfinished or new_run_id()
        run_dir = settings.runs_dir / run_id
        run_dir.mkdir(parents=True, exist_ok=True)
    stop = threading.Event()
    restore = _stop_on_sigterm(stop)
    try:
        with open_ledger(run_dir, run_id, batch) as ledger:
            outcome = run_batch(
                settings,
                run_id,
                run_dir,
                ledger,
                options,
                interactive=sys.stderr.isatty(),
                stop=stop,
            )
    finally:
        restore()
    if keep_runs is not None:
        prune_runs(settings.runs_dir, keep_runs, current=run_id)
    notify_if_failed(settings, outcome)
    return outcome


def discover_batch(settings: Settings) -> BatchInput:
    """Log in, list the dossiers to link, and make them a batch input."""
    run_dir = settings.runs_dir / "_discover"
    with playwright_driver() as playwright:
        browser = launch_browser(playwright, settings)
        try:
            sessions = PortalSessions(settings, run_dir)
            sessions.start(browser)
            context = new_context(browser, settings, sessions.storage_state)
            page = context.new_page()
            install_popup_handlers(page)
            recorder = Recorder(run_dir, run_dir, screenshots="off", trace="off")
            found = discover_dossiers(page, recorder, settings)
        finally:
            browser.close()
    digest = hashlib.sha256("\n".join(sorted(found.to_link)).encode()).hexdigest()
    jobs = [DossierInput(dossier=number, line=i + 1) for i, number in enumerate(found.to_link)]
    return BatchInput(jobs=jobs, rejected=[], digest=digest, source="--discover")


def prune_runs(runs_dir: Path, keep: int, current: str | None = None) -> list[str]:
    """Delete the oldest run folders beyond the newest `keep` (never the current one)."""
    runs = sorted(
        (p for p in runs_dir.iterdir() if p.is_dir() and (p / "results.json").is_file()),
        key=lambda p: p.name,
        reverse=True,
    )
    removed = []
    for old in runs[max(keep, 1) :]:
        if old.name == current:
            continue
        shutil.rmtree(old, ignore_errors=True)
        removed.append(old.name)
    if removed:
        logger.info("removed {} old run folder(s): {}", len(removed), ", ".join(removed))
    return removed


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
