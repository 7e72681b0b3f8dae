"""An Informex dossier in Winformex, with the how-to's left navigation and "Gegevens 2e circuit"."""

from __future__ import annotations

import re
from urllib.parse import quote, urlparse

from playwright.sync_api import Page

from bot.errors import DossierNotFoundError
from bot.evidence.recorder import Recorder
from bot.pages.base import BasePage
from bot.pages.formats import parse_screen_int, shows_nothing

# The left navigation, group by group, exactly as the how-to shows it.
NAVIGATION: dict[str, tuple[str, ...]] = {
    "Identificatie": (
        "Maatschappijen",
        "Makelaar",
        "Deskundigen",
        "Schadelijder & leaser",
        "Hersteller",
        "Voertuig",
        "Nota aanstelling",
    ),
    "Expertise": ("Expertise gegevens", "Totaal verlies"),
    "Audatex gegevens": (
        "Type & opties",
        "Standaard bewerkingen",
        "Globale codes",
        "Niet standaard bewerkingen",
        "Smart Repair bewerkingen",
        "Aanmerkingen",
    ),
    "Fotoalbums": ("Algemeen", "Ongevalsaanrijding"),
    "2e circuit": ("Gegevens 2e circuit",),
}
SECOND_CIRCUIT = "Gegevens 2e circuit"


class InformexDossierPage(BasePage):
    """The dossier PlanManager imported into Winformex."""

    screen = "Winformex dossier"

    def __init__(self, page: Page, recorder: Recorder, portal_url: str) -> None:
        super().__init__(page, recorder, portal_url, "winformex")
        self.heading = page.get_by_role("heading", name=re.compile(r"^Dossier "), level=1)
        self.navigation = page.get_by_role("navigation", name="Dossiernavigatie")
        self.second_circuit_button = page.get_by_role("button", name=SECOND_CIRCUIT, exact=True)
        self.planmanager_dossier = page.get_by_label("PlanManager dossier", exact=True)
        self.photo_count_value = page.get_by_label("Aantal foto's", exact=True)
        # Not clicked by the bot: `informex-bot check` resolves them to confirm the screen is the
        # how-to's (a navigation that changed is the first sign of a new Winformex version).
        self.navigation_items = {
            item: self.navigation.get_by_role("link", name=item, exact=True)
            for items in NAVIGATION.values()
            for item in items
        }

    def open(self, number: str) -> None:
        if self._goto(f"dossiers/{quote(number, safe='')}", "open-informex-dossier") == 404:
            raise DossierNotFoundError(f"Winformex has no dossier {number!r}", screen=self.screen)

    def is_showing(self, number: str) -> bool:
        """True when the browser shows this dossier's main screen (not a form, not a login)."""
        return (
            urlparse(self.page.url).path.rstrip("/").endswith(f"/dossiers/{quote(number, safe='')}")
        )

    def open_second_circuit(self) -> None:
        """The button at the bottom left that opens the 2e circuit form."""
        self._click_and_load(self.second_circuit_button, "click-gegevens-2e-circuit")

    def imported_from(self) -> str | None:
        text = self._text(self.planmanager_dossier, "the PlanManager dossier number")
        return None if shows_nothing(text) else text

    def photo_count(self) -> int:
        text = self._text(self.photo_count_value, "the photo count")
        return parse_screen_int(text) or 0
