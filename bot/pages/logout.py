"""Logging out, alike in PlanManager and Winformex: the Afmelden button every logged-in page shows.

(`Se déconnecter` on French screens: the catalogue's `logout.button`.)

The bot logs out at the end of a run so that a session cookie someone copied (from a trace, a
screenshot folder, a memory dump) opens nothing afterwards. It does what a person does: open
the portal's start page and press Afmelden; the portal ends the session on its side.
"""

from __future__ import annotations

from playwright.sync_api import Page

from bot.evidence.recorder import Recorder
from bot.pages.base import BasePage
from bot.pages.labels import Labels, labels_for
from bot.settings import PortalSettings


class LogoutPage(BasePage):
    """Log out of one portal."""

    def __init__(
        self,
        page: Page,
        recorder: Recorder,
        portal: PortalSettings,
        labels: Labels | None = None,
    ) -> None:
        super().__init__(page, recorder, portal.url, portal.name, labels)
        self.screen = f"{portal.name} afmelden"
        self._locate(self.labels)

    def _locate(self, labels: Labels) -> None:
        self.labels = labels
        self.log_out_button = self.page.get_by_role(
            "button", name=labels["logout.button"], exact=True
        )

    def _raise_if_logged_out(self) -> None:
        """The login page is where logging out ends, not a lost session."""

    def log_out(self) -> bool:
        """Open the start page and press Afmelden; True once the portal shows its login page.

        False when the session had ended already (the start page sent us to the login page):
        there was nothing left to end. Raises a PortalSystemError when the portal does not
        answer or shows no Afmelden button.
        """
        self._goto("", "open-start")
        if self.is_login_page():
            return False
        language = self.screen_language()  # the start page tells the user's language
        if language is not None and language != self.labels.language:
            self._locate(labels_for(language))
        self._click_and_load(self.log_out_button, "click-afmelden")
        return self.is_login_page()
