"""What the steps of one dossier share: the page, its page objects, and the progress so far.

Progress lives here (dossier data, assignment, Informex number…) so that a step redone after a
lost session or a lost answer continues where the dossier was, instead of starting over.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from loguru import logger
from playwright.sync_api import Page

from bot.domain.models import Assignment, DossierInput, PlanManagerDossier, SecondCircuitData
from bot.domain.validation import ValidationRules
from bot.evidence.recorder import Recorder
from bot.pages.planmanager.dossier import DossierPage
from bot.pages.planmanager.dossier_list import DossierListPage
from bot.pages.winformex.dossier import InformexDossierPage
from bot.pages.winformex.inbox import InboxPage
from bot.pages.winformex.second_circuit import SecondCircuitPage
from bot.settings import Settings


@dataclass
class DossierContext:
    """One dossier's run through the steps."""

    job: DossierInput
    settings: Settings
    rules: ValidationRules
    page: Page
    recorder: Recorder
    relogin: Callable[[str], None]
    force: bool = False
    dry_run: bool = False
    on_save: Callable[[], None] | None = None  # told just before Opslaan (the batch's ledger)
    # progress, filled in by the steps
    dossier: PlanManagerDossier | None = None
    assignment: Assignment | None = None
    data: SecondCircuitData | None = None
    informex_dossier: str | None = None
    photos_in_informex: int | None = None  # as counted when the imported dossier was opened
    already_linked: bool = False
    injected_now: bool = False
    save_attempted: bool = False
    stop_here: bool = False  # a dry run stops before its first write
    completed: list[str] = field(default_factory=list)
    dry_run_values: dict[str, Any] | None = None

    def about_to_save(self) -> None:
        """Remember, here and with whoever listens, that Opslaan is pressed next.

        Before, not after: if the process dies between the two, a resumed run must still know
        that a link it finds may be its own.
        """
        self.save_attempted = True
        if self.on_save is not None:
            self.on_save()

    @property
    def log(self) -> Any:
        return logger.bind(dossier=self.job.dossier, step=self.recorder.step)

    # page objects, built once per dossier on the shared page and recorder
    @cached_property
    def pm_list(self) -> DossierListPage:
        return DossierListPage(self.page, self.recorder, self.settings.planmanager.url)

    @cached_property
    def pm_dossier(self) -> DossierPage:
        return DossierPage(self.page, self.recorder, self.settings.planmanager.url)

    @cached_property
    def wx_inbox(self) -> InboxPage:
        return InboxPage(self.page, self.recorder, self.settings.winformex.url)

    @cached_property
    def wx_dossier(self) -> InformexDossierPage:
        return InformexDossierPage(self.page, self.recorder, self.settings.winformex.url)

    @cached_property
    def wx_second_circuit(self) -> SecondCircuitPage:
        return SecondCircuitPage(self.page, self.recorder, self.settings.winformex.url)
