"""Loguru, configured once at the entry point: console for people, JSON lines for machines.

Every line carries the dossier and the step it belongs to (`logger.bind(dossier=…, step=…)`), so
the morning report and a grep over `bot.log.jsonl` tell one dossier's story. A patcher removes
every configured secret from every message before any sink sees it: the passwords from the
settings, the session cookies the run logs in with (`redact_also`), and whatever a message
holds as a cookie, an authorization header or a token-named form value.
"""

from __future__ import annotations

import re
import sys
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from loguru import logger

CONSOLE_FORMAT = (
    "<green>{time:HH:mm:ss}</green> <level>{level: <7}</level> "
    "<cyan>{extra[dossier]}</cyan> <magenta>{extra[step]}</magenta> {message}"
)
REDACTED = "***"
CREDENTIAL_HEADER = re.compile(
    r"\b((?:set-)?cookie|(?:proxy-)?authorization)(\s*[:=]\s*)[^\n]+", re.IGNORECASE
)
CREDENTIAL_FIELD = re.compile(
    r"\b([\w.-]*(?:csrf|xsrf|token|session|sessid|passw|secret)[\w.-]*)(['\"]?\s*[=:]\s*['\"]?)"
    r"(?!\*\*\*)[^\s&;,'\"]+",
    re.IGNORECASE,
)


class Redactor:
    """Replaces secrets in log records; shared by every sink through loguru's patcher.

    Known values (passwords, session cookies) are replaced wherever they stand; a message that
    shows a cookie or authorization header, or a token-named `name=value`, loses the value.
    """

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self._lock = threading.Lock()
        self.secrets: tuple[str, ...] = ()
        self.add(secrets)

    def add(self, secrets: Iterable[str]) -> None:
        """Redact these values too from now on (longest first, so none is left half shown)."""
        with self._lock:
            known = set(self.secrets) | {s for s in secrets if s}
            self.secrets = tuple(sorted(known, key=len, reverse=True))

    def scrub(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, REDACTED)
        text = CREDENTIAL_HEADER.sub(rf"\1\2{REDACTED}", text)
        return CREDENTIAL_FIELD.sub(rf"\1\2{REDACTED}", text)

    def __call__(self, record: Any) -> None:
        record["message"] = self.scrub(record["message"])
        for key, value in list(record["extra"].items()):
            if isinstance(value, str):
                record["extra"][key] = self.scrub(value)
        if record["exception"] is not None:
            # Exceptions are rendered by the sinks; their text is scrubbed in the message we
            # log with them, and we never log raw portal exceptions with credentials in them.
            pass


_active: Redactor | None = None
MIN_TOKEN_CHARS = 8  # a shorter cookie (`lang=nl`) is no credential, and would blank words


def redact_also(tokens: Iterable[str]) -> None:
    """Keep these values (the session cookies the run just got) out of every later log line."""
    if _active is not None:
        _active.add(t for t in tokens if len(t) >= MIN_TOKEN_CHARS)


def configure_logging(
    *,
    level: str = "INFO",
    secrets: Iterable[str] = (),
    json_file: Path | None = None,
    console: bool = True,
) -> Redactor:
    """Set up loguru's sinks; call once per process at the entry point."""
    global _active
    redactor = _active = Redactor(secrets)
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
