"""`informex-bot report RUN`: a run's results.json rebuilt from its ledger, then its pages.

The ledger is the truth of a run: every dossier's state as it moves, whoever worked on it. A
local run rewrites results.json itself as it goes, but the dossiers of a run on Celery workers
are written to the ledger by the workers, on any machine; so `report` first writes results.json
afresh from the ledger (the embedded `ledger.sqlite` in the run's folder, or the run's rows in
BOT_DATABASE_URL) whenever it finds one, then builds junit.xml and report.html from it as
before. A local run that a live process is driving is left to that process (its results.json is
as fresh as the ledger). The fields of results.json are the engine's own (`ResultsFile`).
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

from loguru import logger

from bot.engine.orchestrator import ResultsFile, run_holder
from bot.engine.stores import EMBEDDED, PgRunLedgers, RunLedgers
from bot.settings import read_environment


def ledgers_from_environment() -> RunLedgers:
    """The run ledgers' store BOT_DATABASE_URL names (without reading any other setting)."""
    url = read_environment().get("BOT_DATABASE_URL", "").strip()
    return PgRunLedgers(url) if url else EMBEDDED


def rebuild_results(run_dir: Path, ledgers: RunLedgers | None = None) -> bool:
    """Write the run's results.json from its ledger; False when there is no ledger to read, or
    a live local run writes it itself."""
    ledgers = ledgers or ledgers_from_environment()
    if not ledgers.exists(run_dir):
        return False
    with ledgers.open(run_dir) as ledger:
        meta = ledger.meta()
        celery = meta.get("engine") == "celery"
        if not celery and run_holder(run_dir) is not None:
            return False
        previous = _read(run_dir / "results.json")
        results = ledger.results()
        unfinished = len(ledger.pending_jobs())
        started = _time(previous.get("started_at")) or _time(meta.get("created_at"))
        finished = None
        if not unfinished:
            finished = _time(previous.get("finished_at")) or datetime.now(timezone.utc)
        published = ResultsFile(
            run_dir, run_dir.name, started or datetime.now(timezone.utc), ledger
        )
        language = previous.get("portal_language") or meta.get("portal_language")
        if language:
            published.portal_languages = {"winformex": str(language)}
        published.write(
            unfinished=unfinished,
            finished=finished.astimezone() if finished else None,
            # a follower's "stopped following" is over once every dossier is final
            error=previous.get("error") if unfinished or not celery else None,
            results=results,
        )
    logger.info(
        "results.json of {} rebuilt from its ledger {}", run_dir.name, ledgers.where(run_dir)
    )
    return True


def _read(path: Path) -> dict[str, object]:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return document if isinstance(document, dict) else {}


def _time(value: object) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return datetime.fromisoformat(value).astimezone()
    except ValueError:
        return None
