"""`informex-bot login PORTAL`: a person logs in by hand (two-factor login) and the bot keeps it.

The browser opens on the portal's login page; once the person is past it, the session is stored
with mode 0600 in BOT_STATE_DIR, and later runs use it instead of logging in themselves.
"""

from __future__ import annotations

import re
from pathlib import Path

from bot.browser import launch_browser, new_context, playwright_driver
from bot.pages.base import LOGIN_PATH
from bot.sessions import PortalSessions
from bot.settings import Settings

WAIT_FOR_PERSON_S = 300


def manual_login(settings: Settings, portal: str) -> Path:
    portal_settings = settings.planmanager if portal == "planmanager" else settings.winformex
    with playwright_driver() as pw:
        browser = launch_browser(pw, settings)
        try:
            context = new_context(browser, settings)
            page = context.new_page()
            page.goto(portal_settings.url.rstrip("/") + "/login")
            page.wait_for_url(
                lambda url: not LOGIN_PATH.search(re.sub(r"[?#].*$", "", url)),
                timeout=WAIT_FOR_PERSON_S * 1000,
            )
            sessions = PortalSessions(settings, settings.runs_dir)
            return sessions.save(portal, context.storage_state())
        finally:
            browser.close()
