"""Winformex's inbox ("Postvak"): insurance assignments and dossiers imported by PlanManager."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from playwright.sync_api import Page

from bot.domain.models import Assignment
from bot.evidence.recorder import Recorder
from bot.pages.base import BasePage
from bot.pages.formats import parse_screen_date, shows_nothing
from bot.pages.labels import Labels
from bot.pages.tables import read_table


def _or_none(text: str | None) -> str | None:
    return None if shows_nothing(text) else text


@dataclass(frozen=True)
class ImportedDossier:
    """One line of Winformex's list of dossiers imported from PlanManager."""

    number: str
    planmanager_dossier: str | None
    assignment_number: str | None


class InboxPage(BasePage):
    """Search and read the insurance assignments the shop received."""

    screen = "Winformex inbox"

    def __init__(
        self, page: Page, recorder: Recorder, portal_url: str, labels: Labels | None = None
    ) -> None:
        super().__init__(page, recorder, portal_url, "winformex", labels)
        t = self.labels
        self.search_box = page.get_by_label(t["wx_inbox.search_box"], exact=True)
        self.search_button = page.get_by_role("button", name=t["wx_inbox.search"], exact=True)
        self.assignments_table = page.get_by_role("table", name=t["wx_inbox.assignments"])
        self.imported_table = page.get_by_role("table", name=t["wx_inbox.imported"])
        # the tables' column headers, by what each column holds
        self.assignment_columns = t.group("wx_inbox.assignment")
        self.imported_columns = t.group("wx_inbox.imported_column")

    def open(self) -> None:
        self._goto("", "open-postvak")

    def search(self, text: str) -> None:
        """Search assignments by opdrachtnummer, schadenummer, VIN or plate.

        Through the search's own address (`?q=…`, what the Zoeken button sends): one page load
        instead of opening the inbox and then searching. A Winformex that does not take the
        address (its search box does not show the term) is searched by hand instead.
        """
        self._goto(f"?q={quote(text, safe='')}", "zoek-opdracht")
        with self.awaiting("the search box"):
            shown = self.search_box.input_value().strip()
        if shown != text.strip():
            self._fill(self.search_box, text, "fill-zoek-opdracht")
            self._click_and_load(self.search_button, "click-zoeken")

    def assignments(self) -> list[Assignment]:
        """The assignments listed now (after a search: the hits)."""
        with self.awaiting("the assignments table"):
            rows = read_table(self.assignments_table)
        column = self.assignment_columns
        return [
            Assignment(
                number=row.get(column["number"], ""),
                insurer=_or_none(row.get(column["insurer"])),
                claim_number=_or_none(row.get(column["claim_number"])),
                plate=_or_none(row.get(column["plate"])),
                vin=_or_none(row.get(column["vin"])),
                date=parse_screen_date(row.get(column["date"], "")),
                linked_dossier=_or_none(row.get(column["linked_dossier"])),
            )
            for row in rows
            if row.get(column["number"])
        ]

    def imported_from(self, planmanager_dossier: str) -> list[ImportedDossier]:
        """Every Informex dossier Winformex lists as imported from this PlanManager dossier.

        Winformex's search also finds imported dossiers by their PlanManager reference; the
        search matches parts of numbers, so only exact references are kept.
        """
        self.search(planmanager_dossier)
        wanted = planmanager_dossier.strip().casefold()
        return [
            row
            for row in self.imported_dossiers()
            if (row.planmanager_dossier or "").strip().casefold() == wanted
        ]

    def imported_dossiers(self) -> list[ImportedDossier]:
        """The dossiers PlanManager injected, with the opdrachtnummer linked to each (if any)."""
        with self.awaiting("the imported dossiers table"):
            rows = read_table(self.imported_table)
        column = self.imported_columns
        return [
            ImportedDossier(
                number=row[column["number"]],
                planmanager_dossier=_or_none(row.get(column["planmanager_dossier"])),
                assignment_number=_or_none(row.get(column["assignment_number"])),
            )
            for row in rows
            if row.get(column["number"])
        ]
