"""`informex-bot login`: a person logs in by hand, the bot keeps the session and later runs use it.

The person is played by the test, typing into the login screen the bot opened; the bot's part
(opening the screen, waiting until the person is past it, storing the session 0600) is real.
"""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page

from bot.browser.sessions import state_file
from bot.commands.login import keep_session_of_person, open_login_for_person
from bot.errors import NobodyLoggedInError
from bot.settings import Settings
from mock_portal.process import MockPortalProcess
from tests import seeds
from tests.e2e.helpers import only_run_dir, read_results, run_cli


def log_in_as_a_person(page: Page, user: dict[str, str]) -> None:
    page.get_by_label("Gebruikersnaam", exact=True).fill(user["username"])
    page.get_by_label("Wachtwoord", exact=True).fill(user["password"])
    page.get_by_role("button", name="Aanmelden", exact=True).click()


def test_a_session_kept_by_hand_is_used_by_the_next_run_instead_of_the_password(
    portal: MockPortalProcess,
    settings: Settings,
    bot_env: dict[str, str],
    context: BrowserContext,
    tmp_path: Path,
):
    login = open_login_for_person(context, settings, "planmanager")
    log_in_as_a_person(login.page, seeds.PM_USER)

    path = keep_session_of_person(login, context, settings, "planmanager", wait_s=30)

    assert path == state_file(settings, "planmanager")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert seeds.PM_USER["password"] not in path.read_text(encoding="utf-8")
    # The configured PlanManager password is now wrong: only the kept session can log the run in.
    env = {**bot_env, "PLANMANAGER_PASSWORD": "niet-meer-geldig-1"}
    done = run_cli(["run", "PM-2026-0101"], env, tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "using the saved planmanager session" in done.stderr + done.stdout
    [result] = read_results(only_run_dir(settings.runs_dir))["dossiers"]
    assert result["status"] == "linked", result["error"]


def test_nobody_logging_in_stores_nothing_and_says_so(
    portal: MockPortalProcess, settings: Settings, context: BrowserContext
):
    login = open_login_for_person(context, settings, "winformex")

    with pytest.raises(NobodyLoggedInError, match="winformex login screen within 1 s"):
        keep_session_of_person(login, context, settings, "winformex", wait_s=1)

    assert not state_file(settings, "winformex").exists()


def test_a_detour_through_another_address_is_not_taken_for_a_login(
    portal: MockPortalProcess, settings: Settings, context: BrowserContext
):
    """A sign-in service or second-factor page on another address is not the portal yet."""
    login = open_login_for_person(context, settings, "planmanager")
    login.page.goto("data:text/html,<h1>Tweestapsverificatie</h1>")  # and the person stops here

    with pytest.raises(NobodyLoggedInError, match="planmanager login screen"):
        keep_session_of_person(login, context, settings, "planmanager", wait_s=1)

    assert not state_file(settings, "planmanager").exists()
