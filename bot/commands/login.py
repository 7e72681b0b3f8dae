"""`informex-bot login PORTAL`: a person logs in by hand (two-factor login) and the bot keeps it.

The browser opens on the portal's login page; once the person is past it, the session is stored
with mode 0600 in BOT_STATE_DIR, and later runs use it instead of logging in themselves.
No screenshots and no trace: the person types a password and a code on that screen.
"""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import BrowserContext

from bot.browser.launch import new_context, new_page, own_browser
from bot.browser.sessions import PortalSessions
from bot.evidence.recorder import Recorder
from bot.pages.login import LoginPage
from bot.settings import Settings

WAIT_FOR_PERSON_S = 300


def manual_login(settings: Settings, portal: str) -> Path:
    """Open a browser on the portal's login screen and keep what the person logs in to."""
    with own_browser(settings) as browser:
        context = new_context(browser, settings)
        login = open_login_for_person(context, settings, portal)
        return keep_session_of_person(login, context, settings, portal)


def open_login_for_person(context: BrowserContext, settings: Settings, portal: str) -> LoginPage:
    """The portal's login screen in a new tab of `context`, for a person to fill in."""
    portal_settings = settings.planmanager if portal == "planmanager" else settings.winformex
    recorder = Recorder(settings.state_dir, settings.state_dir, screenshots="off", trace="off")
    recorder.at_step(f"login-{portal}")
    login = LoginPage(new_page(context), recorder, portal_settings)
    login.open()
    return login


def keep_session_of_person(
    login: LoginPage,
    context: BrowserContext,
    settings: Settings,
    portal: str,
    wait_s: float = WAIT_FOR_PERSON_S,
) -> Path:
    """Once the person is past the login screen, store the session (mode 0600); its path."""
    login.wait_for_person(wait_s)
    return PortalSessions(settings, settings.runs_dir).save(portal, context.storage_state())
