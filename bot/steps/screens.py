"""The screens one attempt works on: every page object of both portals, on one page.

Built once per attempt (a fresh browser context), so every step of the attempt shares the same
page and recorder, and the film strip stays in order. Steps receive the screens they need from
here; they never build a page object themselves.
"""

from __future__ import annotations

from dataclasses import dataclass

from playwright.sync_api import Page

from bot.evidence.recorder import Recorder
from bot.pages.planmanager.dossier import DossierPage
from bot.pages.planmanager.dossier_form import DossierFormPage
from bot.pages.planmanager.dossier_list import DossierListPage
from bot.pages.winformex.dossier import InformexDossierPage
from bot.pages.winformex.inbox import InboxPage
from bot.pages.winformex.second_circuit import SecondCircuitPage
from bot.settings import Settings


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
    def on(cls, page: Page, recorder: Recorder, settings: Settings) -> Screens:
        pm, wx = settings.planmanager.url, settings.winformex.url
        return cls(
            pm_list=DossierListPage(page, recorder, pm),
            pm_dossier=DossierPage(page, recorder, pm),
            pm_form=DossierFormPage(page, recorder, pm),
            wx_inbox=InboxPage(page, recorder, wx),
            wx_dossier=InformexDossierPage(page, recorder, wx),
            wx_second_circuit=SecondCircuitPage(page, recorder, wx),
        )
