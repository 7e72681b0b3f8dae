"""Run a list of dossiers and leave the evidence: results.json, bot.log.jsonl, screenshots.

Shared by `informex-bot run` and `demo` (and the batch builds on it). Results are written after
every dossier, so a crash loses nothing already finished.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from loguru import logger

from bot.domain.models import DossierInput, DossierResult, DossierStatus
from bot.engine.runner import BotRun, new_run_id
from bot.errors import BotError, LoginRefusedError
from bot.evidence.logging_setup import add_json_sink
from bot.evidence.results import exit_code, write_results
from bot.settings import Settings


@dataclass
class RunOutcome:
    """What a run produced and where it lies."""

    run_id: str
    run_dir: Path
    results: list[DossierResult]

    @property
    def exit_code(self) -> int:
        return exit_code(self.results)


def prepare_run_dir(settings: Settings, run_id: str | None = None) -> tuple[str, Path]:
    run_id = run_id or new_run_id()
    run_dir = settings.runs_dir / run_id
    run_dir.mkdir(parents=True, exist_ok=True)
    return run_id, run_dir


def run_jobs(
    settings: Settings,
    jobs: list[DossierInput],
    *,
    force: bool = False,
    dry_run: bool = False,
    run_id: str | None = None,
) -> RunOutcome:
    """Run every job in order in one browser; raise LoginRefusedError for bad credentials."""
    run_id, run_dir = prepare_run_dir(settings, run_id)
    sink = add_json_sink(run_dir / "bot.log.jsonl", level=settings.log_level)
    started = datetime.now(timezone.utc).astimezone()
    results: list[DossierResult] = []
    logger.info("run {} started: {} dossier(s), evidence in {}", run_id, len(jobs), run_dir)
    try:
        with BotRun(settings, run_dir, force=force, dry_run=dry_run) as bot:
            for job in jobs:
                results.append(bot.run(job))
                write_results(run_dir, run_id, started, results)
    except LoginRefusedError:
        raise
    except BotError as exc:
        # The portals could not be reached or logged in to: every dossier not done is a system
        # error, so the morning report says so instead of staying empty.
        logger.error("run stopped: {}", exc)
        done = {r.dossier for r in results}
        results += [
            DossierResult(
                dossier=job.dossier,
                assignment=job.assignment,
                status=DossierStatus.SYSTEM_ERROR,
                informex_dossier=None,
                attempts=0,
                duration_s=0.0,
                error=f"run stopped before this dossier: {exc}",
                screenshots=[],
                trace=None,
            )
            for job in jobs
            if job.dossier not in done
        ]
    finally:
        write_results(run_dir, run_id, started, results, finished=True)
        logger.remove(sink)
    return RunOutcome(run_id, run_dir, results)
