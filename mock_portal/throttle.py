"""Login throttling, as a real portal does it: a few failed logins lock the user name a while.

After `max_failures` failed logins for one user name of one portal within `window_s`, every
login of that name (a right password too: that is what a lockout is) is refused for
`lockout_s`. Attempts refused during the lockout do not extend it, so a client that stops at the
first refusal is let in again when the lockout ends. Unknown user names are throttled alike, so
the answer does not tell which names exist. The bot must stop at the first refusal instead of
hammering the account; `GET /_mock/logins` shows what it did.

State lives in memory (it is not data a restart should keep) and `/_mock/reset` clears it.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass, field
from typing import Any

from mock_portal.i18n import message

DEFAULT_MAX_FAILURES = 5
DEFAULT_WINDOW_S = 300.0
DEFAULT_LOCKOUT_S = 60.0


def throttled_message(remaining_s: float, language: str = "nl") -> str:
    """What the login page says during a lockout (role `alert`), in whole minutes rounded up."""
    minutes = max(1, math.ceil(remaining_s / 60))
    key = "login.throttled_one" if minutes == 1 else "login.throttled_many"
    return message(key, language, minutes=minutes)


@dataclass
class _Record:
    """What the portal remembers of one user name's logins."""

    failures: list[float] = field(default_factory=list)  # times of recent failed logins
    locked_until: float | None = None
    attempts: int = 0  # every login post with a valid form token
    refused_while_locked: int = 0


class LoginThrottle:
    """Failed-login counting and lockouts of one running portal (thread-safe)."""

    def __init__(
        self,
        max_failures: int = DEFAULT_MAX_FAILURES,
        window_s: float = DEFAULT_WINDOW_S,
        lockout_s: float = DEFAULT_LOCKOUT_S,
    ) -> None:
        self.max_failures = max_failures
        self.window_s = window_s
        self.lockout_s = lockout_s
        self._lock = threading.Lock()
        self._records: dict[tuple[str, str], _Record] = {}

    @property
    def enabled(self) -> bool:
        return self.max_failures > 0

    def attempt(self, portal: str, username: str, now: float) -> float | None:
        """Count a login attempt; return the lockout's remaining seconds if it must be refused."""
        with self._lock:
            record = self._records.setdefault((portal, username), _Record())
            record.attempts += 1
            remaining = self._remaining(record, now)
            if remaining is not None:
                record.refused_while_locked += 1
            return remaining

    def failed(self, portal: str, username: str, now: float) -> float | None:
        """Record a wrong password; return the lockout's length if this failure started one."""
        if not self.enabled:
            return None
        with self._lock:
            record = self._records.setdefault((portal, username), _Record())
            record.failures = [t for t in record.failures if now - t < self.window_s] + [now]
            if len(record.failures) < self.max_failures:
                return None
            record.failures = []
            record.locked_until = now + self.lockout_s
            return self.lockout_s

    def succeeded(self, portal: str, username: str) -> None:
        with self._lock:
            record = self._records.get((portal, username))
            if record is not None:
                record.failures = []

    def clear(self) -> None:
        with self._lock:
            self._records.clear()

    def state(self, now: float) -> dict[str, Any]:
        """`GET /_mock/logins`: per portal and user name, what the throttle knows."""
        with self._lock:
            result: dict[str, Any] = {
                "max_failures": self.max_failures,
                "window_s": self.window_s,
                "lockout_s": self.lockout_s,
                "planmanager": {},
                "winformex": {},
            }
            for (portal, username), record in sorted(self._records.items()):
                recent = [t for t in record.failures if now - t < self.window_s]
                result.setdefault(portal, {})[username] = {
                    "attempts": record.attempts,
                    "failures": len(recent),
                    "locked": self._remaining(record, now) is not None,
                    "locked_until": record.locked_until,
                    "refused_while_locked": record.refused_while_locked,
                }
            return result

    def _remaining(self, record: _Record, now: float) -> float | None:
        if not self.enabled or record.locked_until is None or now >= record.locked_until:
            return None
        return record.locked_until - now
