"""A portal's start page: where a saved session lands, and which language its screens speak.

A login tells the bot the user's language (the page it lands on); a session kept from
`informex-bot login` skips the login, so the bot opens the start page once to read it.
"""

from __future__ import annotations

from playwright.sync_api import Page

from bot.evidence.recorder import Recorder
from bot.pages.base import BasePage
from bot.settings import PortalSettings


class StartPage(BasePage):
    """The page a portal opens on once logged in (PlanManager's list, Winformex's Postvak)."""

    def __init__(self, page: Page, recorder: Recorder, portal: PortalSettings) -> None:
        super().__init__(page, recorder, portal.url, portal.name)
        self.screen = f"{portal.name} start"

    def language(self) -> str | None:
        """Open the start page and read the language it declares (None: none the catalogue
        has). A SessionExpiredError when the portal sends us to its login page instead."""
        self._goto("", "open-start")
        return self.screen_language()
