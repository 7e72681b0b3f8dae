"""`informex-bot check`: does every locator of every page object still fit the portals?

Walks the screens the bot uses, read-only (it opens pages, follows links and opens menus, never
clicks "i", never saves), and reports for each page object and each of its locators whether it
resolves, with a screenshot per screen. Run it before the first nightly run and after every portal
update.

It also says what it found of each portal's variant: the language its screens speak (and how it
knew: BOT_PORTAL_LANGUAGE, or what the pages declare), the login page's language, and for
Winformex the way to the 2e circuit form (the button "Gegevens 2e circuit" or the menu
Bewerken → 2e circuit → expertise); and every label it could not find, per language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from playwright.sync_api import Browser, Page

from bot.browser.launch import new_context, new_page
from bot.browser.sessions import PORTALS, PortalSessions
from bot.errors import BotError
from bot.evidence.recorder import Recorder
from bot.pages.base import BasePage
from bot.pages.labels import LANGUAGE_NAMES, labels_for
from bot.pages.login import LoginPage
from bot.pages.planmanager.dossier import DossierPage
from bot.pages.planmanager.dossier_list import DossierListPage
from bot.pages.winformex.dossier import BUTTON, InformexDossierPage
from bot.pages.winformex.inbox import InboxPage
from bot.pages.winformex.second_circuit import SecondCircuitPage
from bot.settings import Settings
from bot.steps.screens import portal_labels

OK, MISSING, SKIPPED, AMBIGUOUS = "ok", "missing", "skipped", "ambiguous"
# Locators that stand for one element each; more than one match would make the bot click blindly.
MULTI_OK = {"photos"}
FORCED, DECLARED, ASSUMED = "BOT_PORTAL_LANGUAGE", "declared by its pages", "assumed"
"""How check knew a portal's screen language: the setting, the pages' `<html lang>`, or neither
(Dutch assumed)."""
_QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"')


@dataclass
class LocatorCheck:
    page_object: str
    locator: str
    screen: str
    result: str
    detail: str = ""
    language: str = ""  # the language whose labels the locator looked for (nl, fr)

    @property
    def failed(self) -> bool:
        return self.result in (MISSING, AMBIGUOUS)

    @property
    def labels(self) -> list[str]:
        """The texts a missing locator looked for (`Chassis (VIN)`), from its selector."""
        found = [text.replace('\\"', '"') for text in _QUOTED.findall(self.detail)]
        return found or ([self.detail] if self.detail else [])


@dataclass
class PortalFinding:
    """What check found of one portal's variant."""

    portal: str
    language: str | None = None  # of the screens after the login (nl, fr); None: not reached
    language_source: str = ""  # FORCED, DECLARED or ASSUMED
    login_language: str | None = None  # what the login page declares
    layout: str | None = None  # Winformex: button or menu; None: not seen (or PlanManager)
    dossier_reached: bool = False  # Winformex: an Informex dossier was opened to look for it
    way_to_second_circuit: str = ""  # the button's name or the menu path, in the screen's words

    def summary(self) -> str:
        """One line for a person: `winformex: screens in French (fr, declared by its pages);
        login page in Dutch (nl); 2e circuit through the menu Éditer → 2e circuit → expertise`."""
        if self.language is None:
            said = "screens not reached"
        else:
            name, source = LANGUAGE_NAMES[self.language], self.language_source
            said = f"screens in {name} ({self.language}, {source})"
        parts = [f"{self.portal}: {said}"]
        if self.login_language:
            parts.append(
                f"login page in {LANGUAGE_NAMES[self.login_language]} ({self.login_language})"
            )
        if self.portal == "winformex":
            if not self.dossier_reached:
                parts.append("way to the 2e circuit not looked for (no Informex dossier opened)")
            elif self.layout == BUTTON:
                parts.append(f"2e circuit through the button {self.way_to_second_circuit!r}")
            elif self.layout:
                parts.append(f"2e circuit through the menu {self.way_to_second_circuit}")
            else:
                parts.append("way to the 2e circuit not found (neither button nor menu)")
        return "; ".join(parts)


@dataclass
class CheckFindings:
    """Every locator checked, and what was found of each portal's variant."""

    checks: list[LocatorCheck] = field(default_factory=list)
    portals: dict[str, PortalFinding] = field(default_factory=dict)

    def missing_labels(self) -> dict[str, list[dict[str, str]]]:
        """Per language (nl, fr): every label not found, with the page object and locator."""
        missing: dict[str, list[dict[str, str]]] = {}
        for c in self.checks:
            if c.result == MISSING and c.locator != "(screen)":
                missing.setdefault(c.language or "?", []).append(
                    {
                        "page_object": c.page_object,
                        "locator": c.locator,
                        "label": " › ".join(c.labels),
                    }
                )
        return missing


def check_page(page_object: BasePage) -> list[LocatorCheck]:
    """Resolve every locator of a page object on the screen it is showing now."""
    checks = []
    optional_now = page_object.optional()
    for name, locator in page_object.locators().items():
        base = name.split(".", 1)[0]
        optional = optional_now.get(base) or optional_now.get(name)
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
            LocatorCheck(
                type(page_object).__name__,
                name,
                page_object.screen,
                result,
                detail,
                page_object.labels.language,
            )
        )
    return checks


def _selector(locator: object) -> str:
    text = str(locator)
    return text.split("selector=", 1)[-1].rstrip(">") if "selector=" in text else text


def _unreachable(page_object: type, screen: str, why: str, language: str = "") -> LocatorCheck:
    return LocatorCheck(page_object.__name__, "(screen)", screen, MISSING, why, language)


def check_portals(
    browser: Browser, settings: Settings, recorder: Recorder, dossier: str | None = None
) -> CheckFindings:
    """Walk both portals read-only, check every page object's locators and note each portal's
    variant (language, login page's language, Winformex's way to the 2e circuit)."""
    found = CheckFindings(portals={name: PortalFinding(name) for name in PORTALS})
    context = new_context(browser, settings)
    sessions = PortalSessions(settings, recorder.run_dir)
    try:
        page = new_page(context)
        recorder.at_step("check")
        for portal in (settings.planmanager, settings.winformex):
            login = LoginPage(page, recorder, portal, labels_for(settings.forced_portal_language))
            login.open()  # looks for the labels of the language the login page declares
            found.portals[portal.name].login_language = login.screen_language()
            found.checks += check_page(login)
        sessions.start(browser)
        for name, finding in found.portals.items():
            finding.language = portal_labels(
                settings, sessions.portal(name), sessions.languages
            ).language
            finding.language_source = (
                FORCED
                if settings.forced_portal_language
                else DECLARED
                if name in sessions.languages
                else ASSUMED
            )
        context.add_cookies(sessions.storage_state["cookies"])
        found.checks += _walk(page, recorder, settings, sessions, found, dossier)
    finally:
        context.close()
        sessions.log_out(browser)  # read-only, and no live session left behind either
    return found


def _walk(
    page: Page,
    recorder: Recorder,
    settings: Settings,
    sessions: PortalSessions,
    found: CheckFindings,
    dossier: str | None,
) -> list[LocatorCheck]:
    checks: list[LocatorCheck] = []
    pm, wx = settings.planmanager.url, settings.winformex.url
    pm_labels = portal_labels(settings, settings.planmanager, sessions.languages)
    wx_labels = portal_labels(settings, settings.winformex, sessions.languages)
    listing = DossierListPage(page, recorder, pm, pm_labels)
    listing.open()
    checks += check_page(listing)
    rows = listing.rows()
    injected = [r.number for r in rows if r.informex_dossier]
    number = dossier or next(iter(injected), None) or (rows[0].number if rows else None)
    informex: str | None = None
    pm_screen, pm_lang = DossierPage.screen, pm_labels.language
    if number:
        pm_dossier = DossierPage(page, recorder, pm, pm_labels)
        try:
            pm_dossier.open(number)
            checks += check_page(pm_dossier)
            informex = pm_dossier.informex_number()
        except BotError as exc:
            checks.append(_unreachable(DossierPage, pm_screen, str(exc), pm_lang))
    else:
        checks.append(_unreachable(DossierPage, pm_screen, "PlanManager lists no dossier", pm_lang))
    inbox = InboxPage(page, recorder, wx, wx_labels)
    inbox.open()
    checks += check_page(inbox)
    if informex is None:
        informex = next((r.number for r in inbox.imported_dossiers()), None)
    if informex is None:
        why = "no Informex dossier to open (inject one first, or pass a DOSSIER already injected)"
        checks.append(
            _unreachable(InformexDossierPage, InformexDossierPage.screen, why, wx_labels.language)
        )
        return checks
    wx_dossier = InformexDossierPage(page, recorder, wx, wx_labels)
    wx_dossier.open(informex)
    layout = wx_dossier.layout()
    finding = found.portals["winformex"]
    finding.layout, finding.dossier_reached = layout, True
    finding.way_to_second_circuit = (
        wx_labels["wx_dossier.second_circuit_button"]
        if layout == BUTTON
        else wx_dossier.menu_path()
    )
    checks += check_page(wx_dossier)
    form = SecondCircuitPage(page, recorder, wx, wx_labels)
    try:
        wx_dossier.open_second_circuit()
        checks += check_page(form)
    except BotError as exc:
        checks.append(_unreachable(SecondCircuitPage, form.screen, str(exc), wx_labels.language))
    return checks
