"""One way to write a file that a reader (or a crash) never sees half-written.

results.json, report.html, junit.xml, session files and `.env` are all read by someone else
while the bot may still be writing, or after it was killed mid-write. Each is written to a
temporary file beside its target, flushed to disk, then renamed over it: a reader sees the old
file or the new one, never a mix, and a failed write leaves no temporary file behind.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import uuid
from pathlib import Path
from typing import Any


def write_text_atomic(path: Path, text: str, *, private: bool = False) -> None:
    """Write `text` to `path` atomically; `private` makes it readable by the owner only (0600).

    A non-private file is created like any other file of the run folder (0666 less the umask).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
    descriptor = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600 if private else 0o666)
    try:
        with open(descriptor, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if private:
            os.chmod(tmp, 0o600)  # whatever the umask
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_json_atomic(path: Path, data: Any, *, private: bool = False) -> None:
    """Write `data` as indented UTF-8 JSON to `path`, atomically (see `write_text_atomic`)."""
    write_text_atomic(path, json.dumps(data, ensure_ascii=False, indent=2), private=private)


RUN_FILE_SUFFIXES = (
    ".json",
    ".jsonl",
    ".html",
    ".xml",
    ".sqlite",
    ".sqlite-wal",
    ".sqlite-shm",
    ".tmp",
)
"""Endings of the run folder's own files (results.json, report.html, junit.xml, bot.log.jsonl,
ledger.sqlite and its WAL, temporary files): a dossier folder never ends like one."""


def dossier_folder(dossier: str) -> str:
    """A dossier number made safe as the name of its evidence folder in the run folder.

    An ordinary number stays as it is (PM-2026-0101), so a person finds it by eye. A number that
    had to be cleaned (or cut to 80 characters) gets a short hash of the number itself, so
    `PM-2026-0101/x` and `PM-2026-0101_x`, which clean to one name, keep their evidence apart.
    Hashed too: a leading `_` (`_login`, `_logout`, `_report` hold the run's own evidence) and a
    name that ends like one of the run's files (a dossier numbered `report.html` must not take the
    report's place). The engine records into this folder and the report links to it: one rule.
    """
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "_", dossier).strip("._")[:80] or "dossier"
    reserved = dossier.startswith("_") or dossier.lower().endswith(RUN_FILE_SUFFIXES)
    if cleaned == dossier and not reserved:
        return cleaned
    digest = hashlib.sha256(dossier.encode("utf-8")).hexdigest()[:8]
    return f"{cleaned}-{digest}"
