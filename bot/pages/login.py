"""The login screen, alike in PlanManager and Winformex (Gebruikersnaam / Wachtwoord / Aanmelden).

Used only in the run's login context, never in a traced dossier context, so a typed password
cannot end up in a trace; the recorder masks the password field in screenshots.
"""

from __future__ import annotations

from typing import ClassVar
from urllib.parse import urlparse

from playwright.sync_api import Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from bot.errors import LoginRefusedError, NobodyLoggedInError, SessionExpiredError
from bot.evidence.recorder import Recorder
from bot.pages.base import LOGIN_PATH, BasePage
from bot.settings import PortalSettings


class LoginPage(BasePage):
    """Log in to one portal."""

    def __init__(self, page: Page, recorder: Recorder, portal: PortalSettings) -> None:
        super().__init__(page, recorder, portal.url, portal.name)
        self.screen = f"{portal.name} login"
        self.username = page.get_by_label("Gebruikersnaam", exact=True)
        self.password = page.get_by_label("Wachtwoord", exact=True)
        self.submit = page.get_by_role("button", name="Aanmelden", exact=True)
        self.error = page.get_by_role("alert")

    OPTIONAL: ClassVar[dict[str, str]] = {"error": "shown only after a refused login"}

    def _raise_if_logged_out(self) -> None:
        """Being on the login page is this screen's normal state, not a lost session."""

    def open(self) -> None:
        self._goto("login", "open-login")

    def log_in(self, username: str, password: str) -> None:
        """Fill the form and submit; raise LoginRefusedError if the portal says no.

        Only the portal's own alert means "no": landing on the login page again without one is
        what an expired or dropped session looks like, which a new attempt cures, so that is a
        (retryable) SessionExpiredError and never a reason to stop the whole night.
        """
        self._fill(self.username, username, "fill-gebruikersnaam")
        with self.awaiting("the password field"):
            self.password.fill(password)  # no screenshot of a field holding a password
        self._submit(self.submit, "click-aanmelden", is_write=False, matches=lambda u: "login" in u)
        if not self.is_login_page():
            return
        reason = self._text_if_present(self.error)
        if reason:
            raise LoginRefusedError(
                f"{self.portal} refused the login of {username!r}: {reason}", screen=self.screen
            )
        raise SessionExpiredError(
            f"{self.portal} showed its login page again after the login of {username!r}, "
            "without saying why (session dropped)",
            portal=self.portal,
            screen=self.screen,
        )

    def wait_for_person(self, timeout_s: float) -> None:
        """Wait while a person logs in by hand (e.g. with a second factor) until the portal
        shows one of its own pages other than the login screen; the bot types nothing here.

        A detour through a sign-in service on another address (SSO, the second factor's page)
        is not "logged in": only the portal's own address counts.
        """

        def back_in_the_portal(url: str) -> bool:
            return url.startswith(self.portal_url) and not LOGIN_PATH.search(urlparse(url).path)

        try:
            self.page.wait_for_url(back_in_the_portal, timeout=timeout_s * 1000)
        except PlaywrightTimeoutError:
            raise NobodyLoggedInError(
                f"nobody got past the {self.portal} login screen within {timeout_s:.0f} s; "
                "no session stored",
                screen=self.screen,
            ) from None
        self.recorder.after(self.page, "past-login")
