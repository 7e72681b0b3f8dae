"""One login per portal per run, shared by every dossier through Playwright's storage state.

Logins happen in their own short-lived, untraced context, so a typed password never enters a
dossier's trace. A session saved by `informex-bot login` (for portals with two-factor login) is
used first; an expired session is replaced by a fresh login and pushed into the dossier's context,
so the dossier goes on where it was.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from loguru import logger
from playwright.sync_api import Browser, BrowserContext

from bot.browser.launch import new_context, new_page
from bot.errors import SystemError_
from bot.evidence.files import write_json_atomic
from bot.evidence.recorder import Recorder
from bot.pages.login import LoginPage
from bot.settings import PortalSettings, Settings

PORTALS = ("planmanager", "winformex")
LOGIN_ATTEMPTS = 3
"""A login whose page times out or bounces is tried again at once; refused credentials never."""


def state_file(settings: Settings, portal: str) -> Path:
    return settings.state_dir / f"{portal}.json"


def write_private_json(path: Path, data: Any) -> None:
    """Write JSON readable by the owner only (0600), atomically: it holds secrets."""
    write_json_atomic(path, data, private=True)


class PortalSessions:
    """The run's logged-in state for both portals (thread-safe: workers share it)."""

    def __init__(self, settings: Settings, run_dir: Path) -> None:
        self.settings = settings
        self.run_dir = run_dir
        self._lock = threading.Lock()
        self._cookies: dict[str, list[dict[str, Any]]] = {p: [] for p in PORTALS}
        self._generation: dict[str, int] = dict.fromkeys(PORTALS, 0)

    def portal(self, name: str) -> PortalSettings:
        return self.settings.planmanager if name == "planmanager" else self.settings.winformex

    @property
    def storage_state(self) -> dict[str, Any]:
        """Storage state for a new dossier context: both portals' cookies."""
        with self._lock:
            cookies = [c for portal in PORTALS for c in self._cookies[portal]]
        return {"cookies": cookies, "origins": []}

    def start(self, browser: Browser) -> None:
        """Use saved sessions where there are any, log in to the other portals."""
        for name in PORTALS:
            saved = self._load_saved(name)
            if saved:
                self._cookies[name] = saved
                logger.info(
                    "using the saved {} session from {}", name, state_file(self.settings, name)
                )
            else:
                self.log_in(name, browser)

    def _load_saved(self, name: str) -> list[dict[str, Any]]:
        path = state_file(self.settings, name)
        if not path.is_file():
            return []
        try:
            state = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            logger.warning("ignoring unreadable session file {}", path)
            return []
        return self._portal_cookies(name, state.get("cookies", []))

    def _portal_cookies(self, name: str, cookies: list[dict[str, Any]]) -> list[dict[str, Any]]:
        host = urlparse(self.portal(name).url).hostname
        path = urlparse(self.portal(name).url).path.rstrip("/") or "/"
        return [
            c
            for c in cookies
            if c.get("domain", "").lstrip(".") == host
            and (c.get("path", "/") == "/" or path.startswith(c.get("path", "/").rstrip("/")))
        ]

    def log_in(self, name: str, browser: Browser, *, seen_generation: int | None = None) -> None:
        """Log in to one portal in a fresh untraced context of `browser`; keep its cookies.

        The browser is the caller's: Playwright objects belong to the thread that made them.

        When several workers find the session expired at once, only the first logs in again;
        the others see a newer generation and reuse its cookies.
        """
        with self._lock:
            if seen_generation is not None and self._generation[name] != seen_generation:
                return
            portal = self.portal(name)
            for attempt in range(1, LOGIN_ATTEMPTS + 1):
                try:
                    self._log_in_once(name, browser, portal)
                    break
                except SystemError_ as exc:  # a refusal (LoginRefusedError) is not retried
                    if attempt == LOGIN_ATTEMPTS:
                        raise
                    logger.warning(
                        "login to {} failed ({}); trying again ({}/{})",
                        name,
                        exc,
                        attempt + 1,
                        LOGIN_ATTEMPTS,
                    )
            logger.info("logged in to {} as {}", name, portal.username)

    def _log_in_once(self, name: str, browser: Browser, portal: PortalSettings) -> None:
        context = new_context(browser, self.settings)
        try:
            page = new_page(context)
            recorder = Recorder(
                self.run_dir / "_login",
                self.run_dir,
                screenshots="off" if self.settings.screenshots == "off" else "failures",
                trace="off",
            )
            recorder.at_step(f"login-{name}")
            login = LoginPage(page, recorder, portal)
            login.open()
            login.log_in(portal.username, portal.password)
            self._cookies[name] = self._portal_cookies(name, context.cookies())
            self._generation[name] += 1
            recorder.finish(failed=False)
        finally:
            context.close()

    def generation(self, name: str) -> int:
        with self._lock:
            return self._generation[name]

    def refresh_into(self, context: BrowserContext, name: str, seen_generation: int) -> None:
        """After an expired session: log in again (once) and give the context the new cookies."""
        browser = context.browser
        if browser is None:  # pragma: no cover - persistent contexts are not used
            raise RuntimeError("context without a browser")
        self.log_in(name, browser, seen_generation=seen_generation)
        with self._lock:
            cookies = list(self._cookies[name])
        context.add_cookies(cookies)  # type: ignore[arg-type]

    def save(self, name: str, state: dict[str, Any]) -> Path:
        """Store a person's login (from `informex-bot login`) for later runs, mode 0600."""
        path = state_file(self.settings, name)
        write_private_json(path, {"cookies": self._portal_cookies(name, state.get("cookies", []))})
        return path
