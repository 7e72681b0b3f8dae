"""`results.json`: one record per dossier, rewritten atomically after every dossier.

Atomic (write a temporary file, then rename) so a crash or a kill at any moment leaves either the
previous complete file or the new one, never half a JSON document.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from bot.domain.models import DossierResult, DossierStatus
from bot.errors import DUPLICATE_PREFIX
from bot.evidence.files import write_json_atomic

SUCCESS = frozenset({DossierStatus.LINKED, DossierStatus.ALREADY_LINKED, DossierStatus.DRY_RUN})


def is_duplicate(result: DossierResult) -> bool:
    """A dossier with more than one Informex dossier: a fee paid twice, for a person first."""
    return bool(result.error) and str(result.error).startswith(DUPLICATE_PREFIX)


def summarize(results: Iterable[DossierResult]) -> dict[str, int]:
    counts = Counter(r.status.value for r in results)
    return {status.value: counts.get(status.value, 0) for status in DossierStatus}


def results_document(
    run_id: str,
    started: datetime,
    results: list[DossierResult],
    finished: datetime | None = None,
    *,
    error: str | None = None,
    unfinished: int = 0,
    portal_language: str | None = None,
) -> dict[str, Any]:
    """results.json: the documented keys, plus why the run stopped short and how many it left,
    and the language the portals' screens were seen in (the report's language when
    BOT_REPORT_LANGUAGE is not set; null when no portal was reached)."""
    return {
        "run_id": run_id,
        "started_at": started.isoformat(timespec="seconds"),
        "finished_at": finished.isoformat(timespec="seconds") if finished else None,
        "summary": summarize(results),
        "dossiers": [r.to_dict() for r in results],
        "error": error,
        "unfinished": unfinished,
        "portal_language": portal_language,
    }


def write_results(
    run_dir: Path,
    run_id: str,
    started: datetime,
    results: list[DossierResult],
    *,
    finished: bool = False,
) -> Path:
    path = run_dir / "results.json"
    end = datetime.now(timezone.utc).astimezone() if finished else None
    write_json_atomic(path, results_document(run_id, started, results, end))
    return path


def exit_code(results: Iterable[DossierResult]) -> int:
    """0 when every dossier is linked (or already linked, or a clean dry run), else 1."""
    return 0 if all(r.status in SUCCESS for r in results) else 1
