"""The screens one attempt works on: every page object of both portals, on one page.

Built once per attempt (a fresh browser context), so every step of the attempt shares the same
page and recorder, and the film strip stays in order. Steps receive the screens they need from
here; they never build a page object themselves.

Each portal's page objects look for the labels of that portal's screen language: the one
BOT_PORTAL_LANGUAGE forces, else the one given (`languages`), else the one the run's login saw
(bot.pages.labels remembers it per portal), else Dutch.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from playwright.sync_api import Page

from bot.evidence.recorder import Recorder
from bot.pages.labels import Labels, labels_for, seen_language
from bot.pages.planmanager.dossier import DossierPage
from bot.pages.planmanager.dossier_form import DossierFormPage
from bot.pages.planmanager.dossier_list import DossierListPage
from bot.pages.winformex.dossier import InformexDossierPage
from bot.pages.winformex.inbox import InboxPage
from bot.pages.winformex.second_circuit import SecondCircuitPage
from bot.settings import PortalSettings, Settings


def portal_labels(
    settings: Settings, portal: PortalSettings, languages: Mapping[str, str] | None = None
) -> Labels:
    """The labels of `portal`'s screens: forced by the setting, given, seen at login, or Dutch."""
    language = (
        settings.forced_portal_language
        or (languages or {}).get(portal.name)
        or seen_language(portal.url)
    )
    return labels_for(language)


@dataclass(frozen=True)
class Screens:
    """PlanManager's list, dossier and new-dossier form; Winformex's inbox, dossier, 2e circuit."""

    pm_list: DossierListPage
    pm_dossier: DossierPage
    pm_form: DossierFormPage
    wx_inbox: InboxPage
    wx_dossier: InformexDossierPage
    wx_second_circuit: SecondCircuitPage

    @classmethod
    def on(
        cls,
        page: Page,
        recorder: Recorder,
        settings: Settings,
        languages: Mapping[str, str] | None = None,
    ) -> Screens:
        pm, wx = settings.planmanager.url, settings.winformex.url
        pm_labels = portal_labels(settings, settings.planmanager, languages)
        wx_labels = portal_labels(settings, settings.winformex, languages)
        return cls(
            pm_list=DossierListPage(page, recorder, pm, pm_labels),
            pm_dossier=DossierPage(page, recorder, pm, pm_labels),
            pm_form=DossierFormPage(page, recorder, pm, pm_labels),
            wx_inbox=InboxPage(page, recorder, wx, wx_labels),
            wx_dossier=InformexDossierPage(page, recorder, wx, wx_labels),
            wx_second_circuit=SecondCircuitPage(page, recorder, wx, wx_labels),
        )
