"""One login per portal per run, shared by every dossier through Playwright's storage state.

Logins happen in their own short-lived, untraced context, so a typed password never enters a
dossier's trace. A session saved by `informex-bot login` (for portals with two-factor login) is
used first; an expired session is replaced by a fresh login and pushed into the dossier's context,
so the dossier goes on where it was.

At the end of a run the engine logs out (`log_out`) of every portal whose session the run made
itself, so a session cookie copied from the run's evidence or memory opens nothing afterwards. A
session loaded from BOT_STATE_DIR is left alone: a person kept it (two-factor login) for the
coming nights, and logging it out would make them log in by hand again. Once such a session
expired and the run logged in itself, the new session is the run's and is logged out.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from loguru import logger
from playwright.sync_api import Browser, BrowserContext

from bot.browser.launch import SharedChromium, new_context, new_page, own_browser, playwright_driver
from bot.errors import BotError, SystemError_
from bot.evidence.files import write_json_atomic
from bot.evidence.logging_setup import redact_also
from bot.evidence.recorder import Recorder
from bot.pages.labels import labels_for, remember_language
from bot.pages.login import LoginPage
from bot.pages.logout import LogoutPage
from bot.pages.start import StartPage
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
        self._made_here: set[str] = set()  # portals whose current session this run logged in to
        self.languages: dict[str, str] = {}  # portal → the language its screens were seen in

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
                redact_also(str(c.get("value", "")) for c in saved)
                logger.info(
                    "using the saved {} session from {}", name, state_file(self.settings, name)
                )
                self._note_language(name, self._saved_session_language(name, browser, saved))
            else:
                self.log_in(name, browser)

    def _note_language(self, name: str, seen: str | None) -> None:
        """Remember the language of this portal's screens: forced by the setting, else `seen`
        (nothing is noted when neither is known: page objects then look for Dutch labels)."""
        language = self.settings.forced_portal_language or seen
        if language is None:
            logger.warning(
                "{} declares no screen language the bot knows; looking for Dutch labels", name
            )
            return
        if self.languages.get(name) != language:
            logger.info("{} screens in {}", name, labels_for(language).name)
        self.languages[name] = language
        remember_language(self.portal(name).url, language)

    def _saved_session_language(
        self, name: str, browser: Browser, cookies: list[dict[str, Any]]
    ) -> str | None:
        """The language of the start page a saved session opens (None: unknown, e.g. expired;
        the login that follows tells it then)."""
        if self.settings.forced_portal_language:
            return None
        context = new_context(browser, self.settings, {"cookies": cookies, "origins": []})
        try:
            recorder = Recorder(
                self.run_dir / "_login", self.run_dir, screenshots="off", trace="off"
            )
            return StartPage(new_page(context), recorder, self.portal(name)).language()
        except BotError as exc:
            logger.info("could not read the language of the {} session: {}", name, exc)
            return None
        finally:
            context.close()

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
                image_format=self.settings.screenshots_format,
            )
            recorder.at_step(f"login-{name}")
            login = LoginPage(page, recorder, portal)
            try:
                login.open()
                login.log_in(portal.username, portal.password)
                seen = login.screen_language()  # of the first page after the login
            except BaseException:
                recorder.finish(failed=True)  # the login screen as refused (password masked)
                raise
            self._note_language(name, seen)
            self._cookies[name] = self._portal_cookies(name, context.cookies())
            redact_also(str(c.get("value", "")) for c in self._cookies[name])
            self._generation[name] += 1
            self._made_here.add(name)
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

    def made_here(self) -> list[str]:
        """The portals whose current session this run logged in to (a saved one is not)."""
        with self._lock:
            return [name for name in PORTALS if name in self._made_here]

    def log_out(self, browser: Browser) -> list[str]:
        """Log out of every portal whose session this run made; best-effort, never raises.

        Each logout runs in a fresh, untraced context of `browser` holding that portal's cookies.
        A logout that fails is logged (the session then ends when the portal expires it) and
        never fails the run. Returns the portals that confirmed the logout.
        """
        done = []
        for name in self.made_here():
            with self._lock:
                cookies = list(self._cookies[name])
                self._made_here.discard(name)  # one attempt: a second would find it ended
            try:
                if self._log_out_once(name, browser, cookies):
                    done.append(name)
                    logger.info("logged out of {}", name)
                else:
                    logger.info("the {} session had ended already", name)
            except Exception as exc:  # the portal or the browser: the run's result stands
                logger.warning("logging out of {} failed: {}", name, str(exc).splitlines()[0])
        return done

    def _log_out_once(self, name: str, browser: Browser, cookies: list[dict[str, Any]]) -> bool:
        context = new_context(browser, self.settings, {"cookies": cookies, "origins": []})
        recorder = Recorder(
            self.run_dir / "_logout",
            self.run_dir,
            screenshots="off" if self.settings.screenshots == "off" else "failures",
            trace="off",
            image_format=self.settings.screenshots_format,
        )
        recorder.at_step(f"logout-{name}")
        failed = True
        try:
            logged_out = LogoutPage(new_page(context), recorder, self.portal(name)).log_out()
            failed = False
            return logged_out
        finally:
            recorder.finish(failed=failed)
            context.close()

    def end(self, shared: SharedChromium | None = None) -> None:
        """At the end of a run: log out (`log_out`) in a browser of this thread's own, or one
        connected to the run's shared Chromium; never raises."""
        if not self.made_here():
            return
        try:
            if shared is None:
                with own_browser(self.settings) as browser:
                    self.log_out(browser)
                return
            with playwright_driver() as playwright:
                browser = shared.connect(playwright)
                try:
                    self.log_out(browser)
                finally:
                    browser.close()
        except Exception as exc:  # no browser to log out with: the sessions expire on their own
            logger.warning("could not log out of {}: {}", ", ".join(self.made_here()), exc)

    def save(self, name: str, state: dict[str, Any]) -> Path:
        """Store a person's login (from `informex-bot login`) for later runs, mode 0600."""
        path = state_file(self.settings, name)
        write_private_json(path, {"cookies": self._portal_cookies(name, state.get("cookies", []))})
        return path
