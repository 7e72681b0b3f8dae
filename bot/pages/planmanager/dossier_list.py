"""PlanManager's dossier list: search a dossier by number or plate and open it."""

from __future__ import annotations

from dataclasses import dataclass

from playwright.sync_api import Page

from bot.errors import DossierNotFoundError
from bot.evidence.recorder import Recorder
from bot.pages.base import BasePage
from bot.pages.formats import shows_nothing
from bot.pages.labels import Labels
from bot.pages.tables import read_table


@dataclass(frozen=True)
class DossierRow:
    """One line of PlanManager's dossier list."""

    number: str
    informex_dossier: str | None


def _or_none(text: str | None) -> str | None:
    return None if shows_nothing(text) else text


class DossierListPage(BasePage):
    """The list of repair dossiers ("Dossiers") with its search box."""

    screen = "PlanManager dossier list"

    def __init__(
        self, page: Page, recorder: Recorder, portal_url: str, labels: Labels | None = None
    ) -> None:
        super().__init__(page, recorder, portal_url, "planmanager", labels)
        t = self.labels
        self.search_box = page.get_by_label(t["pm_list.search_box"])
        self.search_button = page.get_by_role("button", name=t["pm_list.search"], exact=True)
        self.table = page.get_by_role("table", name=t["pm_list.table"])
        self.new_dossier = page.get_by_role("link", name=t["pm_list.new_dossier"])
        self.columns = t.group("pm_list.column")

    def open(self) -> None:
        self._goto("dossiers", "open-dossierlijst")

    def search(self, text: str) -> None:
        self._fill(self.search_box, text, "fill-zoek")
        self._click_and_load(self.search_button, "click-zoeken")

    def rows(self) -> list[DossierRow]:
        """The listed dossiers: number and, once sent, its Informex dossier."""
        with self.awaiting("the dossier table"):
            rows = read_table(self.table)
        return [
            DossierRow(
                number=row[self.columns["dossier"]],
                informex_dossier=_or_none(row.get(self.columns["informex"])),
            )
            for row in rows
            if row.get(self.columns["dossier"])
        ]

    def lists(self, number: str) -> bool:
        """Whether the (searched) list shows this dossier."""
        return self.table.get_by_role("link", name=number, exact=True).count() > 0

    def open_dossier(self, number: str) -> None:
        """Click the dossier's number in the list; DossierNotFoundError if it is not listed."""
        link = self.table.get_by_role("link", name=number, exact=True)
        if link.count() == 0:
            raise DossierNotFoundError(f"PlanManager has no dossier {number!r}", screen=self.screen)
        self._click_and_load(link, f"click-{number}")

    def start_new_dossier(self) -> None:
        self._click_and_load(self.new_dossier, "click-nieuw-dossier")
