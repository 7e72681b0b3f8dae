"""`informex-bot run DOSSIER`: one dossier, as a run of one through the same engine as a batch.

So a single run has what a night's batch has: a ledger (a run killed after its save and rerun
reports `linked`, not `already_linked`), results.json, report.html, junit.xml, retries and the
notification. Rerunning the same command resumes the run it left unfinished.
"""

from __future__ import annotations

import hashlib
import json

from bot.domain.batch_input import BatchInput
from bot.domain.models import DossierInput
from bot.engine.orchestrator import RunOutcome, start_run
from bot.engine.runner import RunOptions
from bot.settings import Settings


def run_one(settings: Settings, job: DossierInput, options: RunOptions) -> RunOutcome:
    """Link one validated dossier; its run resumes an unfinished run of the same request."""
    return start_run(settings, options, work=single_input(job, options), owned_elsewhere="new_run")


def single_input(job: DossierInput, options: RunOptions) -> BatchInput:
    """The run's input: one job, fingerprinted with the options that change what is written."""
    request = {
        "dossier": job.dossier,
        "assignment": job.assignment,
        "overrides": job.overrides,
        "new_dossier": job.new_dossier,
        "force": options.force,
        "dry_run": options.dry_run,
    }
    text = json.dumps(request, sort_keys=True, ensure_ascii=False, default=str)
    digest = hashlib.sha256(f"run\n{text}".encode()).hexdigest()
    return BatchInput(jobs=[job], rejected=[], digest=digest, source=f"run {job.dossier}")
