"""The bot against the portals' variants: both Winformex layouts, and screens in French.

Winformex reaches the 2e circuit form by the button "Gegevens 2e circuit" or by the menu
Bewerken → 2e circuit → expertise; the bot takes whichever the screen offers, with no setting.
A French-speaking user sees every screen in French; the bot reads the language from the pages
(BOT_PORTAL_LANGUAGE=auto) or is told it, and links, refuses and reruns exactly as in Dutch.
"""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser

from bot.browser.sessions import PortalSessions
from bot.domain.models import DossierStatus
from bot.evidence.recorder import Recorder
from bot.pages.labels import remember_language
from bot.pages.login import LoginPage
from bot.settings import Settings, load_settings
from mock_portal.process import MockPortalProcess
from tests import seeds
from tests.conftest import bot_environment
from tests.e2e.helpers import pm_dossier, run_bot, wx_dossiers_of

ASSIGNMENT = "IX-2026-004711"
WAY_TO_THE_FORM = {"button": "click-gegevens-2e-circuit", "menu": "click-menu-expertise"}


def french_settings(portal: MockPortalProcess, runs: Path, language: str = "auto") -> Settings:
    """The bot as a French-speaking shop runs it: the French users of both portals."""
    env = bot_environment(portal, runs)
    env |= {
        "PLANMANAGER_USERNAME": seeds.PM_USER_FR["username"],
        "PLANMANAGER_PASSWORD": seeds.PM_USER_FR["password"],
        "WINFORMEX_USERNAME": seeds.WX_USER_FR["username"],
        "WINFORMEX_PASSWORD": seeds.WX_USER_FR["password"],
        "BOT_PORTAL_LANGUAGE": language,
    }
    return load_settings(env)


def assert_linked_as_the_seed_expects(result, portal: MockPortalProcess) -> None:
    assert result.status is DossierStatus.LINKED, result.error
    assert result.attempts == 1
    assert pm_dossier(portal)["injections"] == 1
    [wx] = wx_dossiers_of(portal)
    assert result.informex_dossier == wx["number"]
    circuit = wx["second_circuit"]
    assert circuit["assignment_number"] == ASSIGNMENT
    assert circuit["vin"] == seeds.VEHICLE["vin"]
    assert circuit["first_registration"] == "2019-03-14"
    assert (circuit["mileage_km"], circuit["mileage_unknown"]) == (84512, False)
    assert (circuit["power_kw"], circuit["displacement_cc"], circuit["co2"]) == (85, 1498, 118)
    assert (circuit["engine_type"], circuit["particle_filter"]) == ("benzine", False)
    assert circuit["saves"] == 1
    assert wx["photos"] == 2


# -- two Winformex layouts ---------------------------------------------------------------------
def test_links_through_whichever_way_winformex_offers(
    each_layout_portal: MockPortalProcess, tmp_path: Path
):
    layout = each_layout_portal.state()["winformex_layout"]
    settings = load_settings(bot_environment(each_layout_portal, tmp_path / "runs"))

    result, _ = run_bot(settings, assignment=ASSIGNMENT)

    assert_linked_as_the_seed_expects(result, each_layout_portal)
    ways = {
        way
        for way, action in WAY_TO_THE_FORM.items()
        if any(action in s for s in result.screenshots)
    }
    assert ways == {layout}


# -- French screens ----------------------------------------------------------------------------
@pytest.mark.parametrize("language", ["auto", "fr"])
def test_links_a_dossier_on_french_screens(
    portal: MockPortalProcess, tmp_path: Path, language: str
):
    settings = french_settings(portal, tmp_path / "runs", language)

    result, _ = run_bot(settings)

    assert_linked_as_the_seed_expects(result, portal)
    assert result.assignment == ASSIGNMENT


def test_links_on_french_screens_in_the_menu_layout(portal_factory, tmp_path: Path):
    portal = portal_factory(winformex_layout="menu")
    settings = french_settings(portal, tmp_path / "runs")

    result, _ = run_bot(settings, assignment=ASSIGNMENT)

    assert_linked_as_the_seed_expects(result, portal)
    assert any(WAY_TO_THE_FORM["menu"] in shot for shot in result.screenshots)


@pytest.mark.parametrize(("user_language", "expected"), [("fr", "fr"), ("nl", "nl")])
def test_the_report_speaks_the_language_the_portals_were_seen_in(
    portal: MockPortalProcess, tmp_path: Path, user_language: str, expected: str
):
    """BOT_REPORT_LANGUAGE unset: a French shop's morning report is in French."""
    if user_language == "fr":
        settings = french_settings(portal, tmp_path / "runs")
    else:
        settings = load_settings(bot_environment(portal, tmp_path / "runs"))
    assert settings.report.language is None

    result, outcome = run_bot(settings)

    assert result.status is DossierStatus.LINKED, result.error
    results = json.loads((outcome.run_dir / "results.json").read_text(encoding="utf-8"))
    assert results["portal_language"] == expected
    report = (outcome.run_dir / "report.html").read_text(encoding="utf-8")
    assert f'<html lang="{expected}">' in report


def test_incomplete_dossier_on_french_screens_is_refused_naming_the_french_label(
    portal: MockPortalProcess, tmp_path: Path
):
    portal.reset(seeds.world(dossiers=[seeds.dossier(vehicle={"vin": None})]))
    settings = french_settings(portal, tmp_path / "runs")

    result, _ = run_bot(settings, assignment=ASSIGNMENT)

    assert result.status is DossierStatus.BUSINESS_ERROR
    assert "Châssis (VIN)" in result.error
    assert "check_complete" in result.error
    assert pm_dossier(portal)["injections"] == 0


def test_rerun_on_french_screens_is_already_linked_and_never_injects_twice(
    portal: MockPortalProcess, tmp_path: Path
):
    settings = french_settings(portal, tmp_path / "runs")

    first, _ = run_bot(settings)
    second, _ = run_bot(settings)

    assert first.status is DossierStatus.LINKED, first.error
    assert second.status is DossierStatus.ALREADY_LINKED, second.error
    assert second.informex_dossier == first.informex_dossier
    assert pm_dossier(portal)["injections"] == 1
    [wx] = wx_dossiers_of(portal)
    assert wx["second_circuit"]["saves"] == 1


def login_attempts(portal: MockPortalProcess) -> dict[str, int]:
    """How many logins each portal counted, per user name (`GET /_mock/logins`)."""
    counted = httpx.get(f"{portal.url}/_mock/logins", timeout=30).json()
    return {
        f"{name}/{user}": record["attempts"]
        for name in ("planmanager", "winformex")
        for user, record in counted[name].items()
    }


def test_a_saved_french_session_is_read_in_french_without_logging_in(
    portal: MockPortalProcess, tmp_path: Path, browser: Browser
):
    settings = french_settings(portal, tmp_path / "runs")
    keep = PortalSessions(settings, tmp_path)
    for name in ("planmanager", "winformex"):  # as `informex-bot login` keeps a person's login
        context = browser.new_context()
        portal_settings = keep.portal(name)
        login = LoginPage(
            context.new_page(),
            Recorder(tmp_path / name, tmp_path, screenshots="off", trace="off"),
            portal_settings,
        )
        login.open()
        login.log_in(portal_settings.username, portal_settings.password)
        keep.save(name, context.storage_state())
        context.close()
    for portal_settings in (settings.planmanager, settings.winformex):
        remember_language(portal_settings.url, "nl")  # as if last seen in Dutch
    before = login_attempts(portal)

    result, _ = run_bot(settings)

    assert_linked_as_the_seed_expects(result, portal)
    assert login_attempts(portal) == before
