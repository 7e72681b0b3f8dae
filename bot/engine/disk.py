"""Room on disk before a billable write, for every engine (local threads and Celery workers).

A fee paid with no screenshot, trace or ledger line to show for it is what this prevents: just
before the "i" injection and before Opslaan, the run folder (BOT_RUNS_DIR/RUN_ID) and the lease
folder must have BOT_MIN_FREE_MB free, or the write is refused with NoRoomForEvidenceError (not
retried: the dossier ends system_error, saying how much is free and how much is needed).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from bot.errors import NoRoomForEvidenceError
from bot.settings import Settings


def room_for_evidence(
    settings: Settings, run_dir: Path, *, halt: Callable[[str], None] | None = None
) -> None:
    """Raise NoRoomForEvidenceError when a folder the dossier writes to lacks BOT_MIN_FREE_MB.

    `halt(reason)` is called first when given: the local engine stops its run there (the rest
    stays for --resume); a Celery worker refuses the one dossier and takes the next.
    """
    need = settings.min_free_mb * 1024 * 1024
    for folder in {run_dir, settings.lease_folder.parent}:
        free = free_bytes(folder)
        if free is not None and free < need:
            reason = (
                f"only {free // (1024 * 1024)} MB free in {folder}, "
                f"{settings.min_free_mb} MB needed before a write to a portal (BOT_MIN_FREE_MB)"
            )
            if halt is not None:
                halt(reason)
            raise NoRoomForEvidenceError(reason)


def free_bytes(folder: Path) -> int | None:
    """Free bytes on the file system of `folder`, or of its nearest existing parent."""
    for candidate in (folder, *folder.parents):
        if candidate.exists():
            return shutil.disk_usage(candidate).free
    return None
