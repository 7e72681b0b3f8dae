"""One way to write a file that a reader (or a crash) never sees half-written.

results.json, report.html, junit.xml, session files and `.env` are all read by someone else
while the bot may still be writing, or after it was killed mid-write. Each is written to a
temporary file beside its target, flushed to disk, then renamed over it: a reader sees the old
file or the new one, never a mix, and a failed write leaves no temporary file behind.
"""

from __future__ import annotations

import json
import os
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
