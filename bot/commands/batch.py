"""`informex-bot batch`: where a night's dossiers come from (a file, --discover, --resume).

The engine does the rest (`bot.engine.orchestrator.start_run`): rerunning the same input resumes
the unfinished run over it instead of starting a second one; `--resume RUN_ID` names the run. A
SIGTERM (systemd stopping the timer's service) lets the workers finish the attempt in hand, cuts
short any retry backoff and leaves what is not final for `--resume` (exit 1); a SIGKILL loses
nothing either, thanks to the ledger.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from bot.browser.launch import new_context, new_page, own_browser
from bot.browser.sessions import PortalSessions
from bot.commands.discover import discover_dossiers
from bot.domain.batch_input import BatchInput, read_batch_input
from bot.domain.models import DossierInput
from bot.domain.validation import ValidationRules
from bot.engine.orchestrator import RunOutcome, start_run
from bot.engine.runner import RunOptions
from bot.errors import ConfigError
from bot.evidence.recorder import Recorder
from bot.settings import Settings


def start_batch(
    settings: Settings,
    *,
    input_path: Path | None,
    discover: bool,
    resume: str | None,
    options: RunOptions,
    keep_runs: int | None = None,
) -> RunOutcome:
    """Run (or resume) a batch; raise ConfigError for bad usage before any browser starts."""
    work: BatchInput | None = None
    if not resume:
        if input_path is not None:
            work = read_batch_input(input_path, ValidationRules.from_settings(settings))
        elif discover:
            work = discover_batch(settings)
        else:
            raise ConfigError("give an INPUT file, --discover, or --resume RUN_ID")
    return start_run(settings, options, work=work, resume=resume, keep_runs=keep_runs)


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
