"""`informex-bot check`: does every locator of every page object still fit the portals?

Walks the screens the bot uses, read-only (it opens pages and follows links, never clicks "i",
never saves), and reports for each page object and each of its locators whether it resolves, with
a screenshot per screen. Run it before the first nightly run and after every portal update.
"""

from __future__ import annotations

from dataclasses import dataclass

from playwright.sync_api import Browser, Page

from bot.browser.launch import new_context, new_page
from bot.browser.sessions import PortalSessions
from bot.errors import BotError
from bot.evidence.recorder import Recorder
from bot.pages.base import BasePage
from bot.pages.login import LoginPage
from bot.pages.planmanager.dossier import DossierPage
from bot.pages.planmanager.dossier_list import DossierListPage
from bot.pages.winformex.dossier import InformexDossierPage
from bot.pages.winformex.inbox import InboxPage
from bot.pages.winformex.second_circuit import SecondCircuitPage
from bot.settings import Settings

OK, MISSING, SKIPPED, AMBIGUOUS = "ok", "missing", "skipped", "ambiguous"
# Locators that stand for one element each; more than one match would make the bot click blindly.
MULTI_OK = {"photos"}


@dataclass
class LocatorCheck:
    page_object: str
    locator: str
    screen: str
    result: str
    detail: str = ""

    @property
    def failed(self) -> bool:
        return self.result in (MISSING, AMBIGUOUS)


def check_page(page_object: BasePage) -> list[LocatorCheck]:
    """Resolve every locator of a page object on the screen it is showing now."""
    checks = []
    for name, locator in page_object.locators().items():
        base = name.split(".", 1)[0]
        optional = page_object.OPTIONAL.get(base)
        count = locator.count()
        if count == 0 and optional:
            result, detail = SKIPPED, optional
        elif count == 0:
            result, detail = MISSING, _selector(locator)
        elif count > 1 and base not in MULTI_OK:
            result, detail = AMBIGUOUS, f"{count} matches for {_selector(locator)}"
        else:
            result, detail = OK, ""
        checks.append(
            LocatorCheck(type(page_object).__name__, name, page_object.screen, result, detail)
        )
    return checks


def _selector(locator: object) -> str:
    text = str(locator)
    return text.split("selector=", 1)[-1].rstrip(">") if "selector=" in text else text


def _unreachable(page_object: type, screen: str, why: str) -> LocatorCheck:
    return LocatorCheck(page_object.__name__, "(screen)", screen, MISSING, why)


def check_portals(
    browser: Browser, settings: Settings, recorder: Recorder, dossier: str | None = None
) -> list[LocatorCheck]:
    """Walk both portals read-only and check every page object's locators."""
    checks: list[LocatorCheck] = []
    context = new_context(browser, settings)
    sessions = PortalSessions(settings, recorder.run_dir)
    try:
        page = new_page(context)
        recorder.at_step("check")
        for portal in (settings.planmanager, settings.winformex):
            login = LoginPage(page, recorder, portal)
            login.open()
            checks += check_page(login)
        sessions.start(browser)
        context.add_cookies(sessions.storage_state["cookies"])
        checks += _walk(page, recorder, settings, dossier)
    finally:
        context.close()
        sessions.log_out(browser)  # read-only, and no live session left behind either
    return checks


def _walk(
    page: Page, recorder: Recorder, settings: Settings, dossier: str | None
) -> list[LocatorCheck]:
    checks: list[LocatorCheck] = []
    pm, wx = settings.planmanager.url, settings.winformex.url
    listing = DossierListPage(page, recorder, pm)
    listing.open()
    checks += check_page(listing)
    rows = listing.rows()
    injected = [r.number for r in rows if r.informex_dossier]
    number = dossier or next(iter(injected), None) or (rows[0].number if rows else None)
    informex: str | None = None
    if number:
        pm_dossier = DossierPage(page, recorder, pm)
        try:
            pm_dossier.open(number)
            checks += check_page(pm_dossier)
            informex = pm_dossier.informex_number()
        except BotError as exc:
            checks.append(_unreachable(DossierPage, DossierPage.screen, str(exc)))
    else:
        checks.append(_unreachable(DossierPage, DossierPage.screen, "PlanManager lists no dossier"))
    inbox = InboxPage(page, recorder, wx)
    inbox.open()
    checks += check_page(inbox)
    if informex is None:
        informex = next((r.number for r in inbox.imported_dossiers()), None)
    if informex is None:
        why = "no Informex dossier to open (inject one first, or pass a DOSSIER already injected)"
        checks.append(_unreachable(InformexDossierPage, InformexDossierPage.screen, why))
        return checks
    wx_dossier = InformexDossierPage(page, recorder, wx)
    wx_dossier.open(informex)
    checks += check_page(wx_dossier)
    form = SecondCircuitPage(page, recorder, wx)
    try:
        wx_dossier.open_second_circuit()
        checks += check_page(form)
    except BotError as exc:
        checks.append(_unreachable(SecondCircuitPage, form.screen, str(exc)))
    return checks
