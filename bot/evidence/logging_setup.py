"""Loguru, configured once at the entry point: console for people, JSON lines for machines.

Every line carries the dossier and the step it belongs to (`logger.bind(dossier=…, step=…)`), so
the morning report and a grep over `bot.log.jsonl` tell one dossier's story. A patcher removes
every configured secret from every message before any sink sees it.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from loguru import logger

CONSOLE_FORMAT = (
    "<green>{time:HH:mm:ss}</green> <level>{level: <7}</level> "
    "<cyan>{extra[dossier]}</cyan> <magenta>{extra[step]}</magenta> {message}"
)
REDACTED = "***"


class Redactor:
    """Replaces secrets in log records; shared by every sink through loguru's patcher."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self.secrets = tuple(s for s in secrets if s)

    def scrub(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, REDACTED)
        return text

    def __call__(self, record: Any) -> None:
        record["message"] = self.scrub(record["message"])
        for key, value in list(record["extra"].items()):
            if isinstance(value, str):
                record["extra"][key] = self.scrub(value)
        if record["exception"] is not None:
            # Exceptions are rendered by the sinks; their text is scrubbed in the message we
            # log with them, and we never log raw portal exceptions with credentials in them.
            pass


def configure_logging(
    *,
    level: str = "INFO",
    secrets: Iterable[str] = (),
    json_file: Path | None = None,
    console: bool = True,
) -> Redactor:
    """Set up loguru's sinks; call once per process at the entry point."""
    redactor = Redactor(secrets)
    logger.remove()
    logger.configure(extra={"dossier": "-", "step": "-"}, patcher=redactor)
    if console:
        logger.add(sys.stderr, level=level, format=CONSOLE_FORMAT, colorize=None)
    if json_file is not None:
        add_json_sink(json_file, level=level)
    return redactor


def add_json_sink(path: Path, *, level: str = "INFO") -> int:
    """Append JSON lines to `path` (one object per log line, with dossier and step)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    return logger.add(path, level=level, serialize=True, enqueue=False, encoding="utf-8")
