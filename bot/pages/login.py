"""The login screen, alike in PlanManager and Winformex (Gebruikersnaam / Wachtwoord / Aanmelden).

Its language is the portal's or the browser's choice, not yet the user's: `open` reads the
language the page declares and looks for that language's labels (the catalogue's `login.*`);
after the login, `screen_language` tells the language of the user's screens.

Used only in the run's login context, never in a traced dossier context, so a typed password
cannot end up in a trace; the recorder masks the password field in screenshots.

What a login's answer means: the portal's alert is a refusal (never retried); a throttled login
(429, or an alert saying there were too many attempts) stops the bot at once, so it never locks
the account; the login page again without a word is a dropped session (a new attempt cures it).
"""

from __future__ import annotations

import re
from typing import ClassVar
from urllib.parse import urlparse

from playwright.sync_api import Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from bot.errors import (
    LoginRefusedError,
    LoginThrottledError,
    NobodyLoggedInError,
    SessionExpiredError,
)
from bot.evidence.recorder import Recorder
from bot.pages.base import LOGIN_PATH, BasePage
from bot.pages.labels import Labels, labels_for
from bot.settings import PortalSettings

TOO_MANY_REQUESTS = 429
THROTTLED = re.compile(
    r"te veel (mislukte )?(aanmeld)?pogingen"
    r"|trop de tentatives"
    r"|too many (failed )?(login )?attempts",
    re.IGNORECASE,
)
"""How a portal says it throttles logins (Dutch, French, English), when not with a 429."""


class LoginPage(BasePage):
    """Log in to one portal."""

    def __init__(
        self,
        page: Page,
        recorder: Recorder,
        portal: PortalSettings,
        labels: Labels | None = None,
    ) -> None:
        super().__init__(page, recorder, portal.url, portal.name, labels)
        self.screen = f"{portal.name} login"
        self._locate(self.labels)

    def _locate(self, labels: Labels) -> None:
        self.labels = labels
        self.username = self.page.get_by_label(labels["login.username"], exact=True)
        self.password = self.page.get_by_label(labels["login.password"], exact=True)
        self.submit = self.page.get_by_role("button", name=labels["login.submit"], exact=True)
        self.error = self.page.get_by_role("alert")

    OPTIONAL: ClassVar[dict[str, str]] = {"error": "shown only after a refused login"}

    def _raise_if_logged_out(self) -> None:
        """Being on the login page is this screen's normal state, not a lost session."""

    def open(self) -> None:
        """Open the login page and look for the labels of the language it declares (those
        given at construction when it declares none the catalogue has)."""
        self._goto("login", "open-login")
        language = self.screen_language()
        if language is not None and language != self.labels.language:
            self._locate(labels_for(language))

    def log_in(self, username: str, password: str) -> None:
        """Fill the form and submit; raise LoginRefusedError if the portal says no, and
        LoginThrottledError if it says there were too many attempts.

        Only the portal's own alert means "no": landing on the login page again without one is
        what an expired or dropped session looks like, which a new attempt cures, so that is a
        (retryable) SessionExpiredError and never a reason to stop the whole night.
        """
        self._fill(self.username, username, "fill-gebruikersnaam")
        with self.awaiting("the password field"):
            self.password.fill(password)  # no screenshot of a field holding a password
        answer = self._submit(
            self.submit, "click-aanmelden", is_write=False, matches=lambda u: "login" in u
        )
        if answer.status != TOO_MANY_REQUESTS and not self.is_login_page():
            return
        reason = self._text_if_present(self.error)
        if answer.status == TOO_MANY_REQUESTS or (reason and THROTTLED.search(reason)):
            raise LoginThrottledError(
                f"{self.portal} is throttling logins of {username!r} "
                f"({reason or f'HTTP {answer.status}'}); the bot stopped trying so as not to "
                "lock the account: wait until the portal allows logins again, check the "
                "credentials, then run again",
                screen=self.screen,
            )
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
