"""PlanManager's "Nieuw dossier" form: create the dossier when the shop has none yet."""

from __future__ import annotations

from typing import ClassVar

from playwright.sync_api import Page

from bot.domain.new_dossier import NewDossierData
from bot.errors import PortalRefusedError
from bot.evidence.recorder import Recorder
from bot.pages.base import BasePage
from bot.pages.formats import format_screen_date

# Text fields of the form: NewDossierData attribute -> label on screen.
TEXT_FIELDS = {
    "number": "Dossiernummer",
    "customer": "Klant",
    "phone": "Telefoon",
    "plate": "Nummerplaat",
    "vin": "Chassisnummer (VIN)",
    "make": "Merk",
    "model": "Model",
    "power_kw": "Vermogen (kW)",
    "displacement_cc": "Cilinderinhoud (cc)",
    "co2": "CO2 (g/km)",
    "insurer": "Verzekeraar",
    "claim_number": "Schadenummer",
}
DATE_FIELDS = {"first_registration": "Eerste inschrijving", "damage_date": "Schadedatum"}
CHECKBOXES = {
    "mileage_unknown": "Kilometerstand onbekend",
    "particle_filter": "Partikelfilter",
    "previous_damage": "Voorgaande schade",
    "burglary": "Inbraak",
}


class DossierFormPage(BasePage):
    """Create a repair dossier in PlanManager."""

    screen = "PlanManager nieuw dossier"
    OPTIONAL: ClassVar[dict[str, str]] = {"alert": "shown only after a refusal"}

    def __init__(self, page: Page, recorder: Recorder, portal_url: str) -> None:
        super().__init__(page, recorder, portal_url, "planmanager")
        self.text = {
            name: page.get_by_label(label, exact=True) for name, label in TEXT_FIELDS.items()
        }
        self.dates = {
            name: page.get_by_label(label, exact=True) for name, label in DATE_FIELDS.items()
        }
        self.checkboxes = {
            name: page.get_by_label(label, exact=True) for name, label in CHECKBOXES.items()
        }
        self.mileage = page.get_by_label("Kilometerstand", exact=True)
        self.engine_type = page.get_by_label("Motortype", exact=True)
        self.save_button = page.get_by_role("button", name="Opslaan", exact=True)
        self.alert = page.get_by_role("alert")

    def fill(self, data: NewDossierData) -> None:
        for name, locator in self.text.items():
            value = getattr(data, name)
            self._fill(locator, "" if value is None else str(value), f"fill-{TEXT_FIELDS[name]}")
        for name, locator in self.dates.items():
            self._fill(
                locator, format_screen_date(getattr(data, name)), f"fill-{DATE_FIELDS[name]}"
            )
        for name, locator in self.checkboxes.items():
            self._check(locator, bool(getattr(data, name)), f"check-{CHECKBOXES[name]}")
        if not data.mileage_unknown:
            self._fill(self.mileage, str(data.mileage_km), "fill-kilometerstand")
        if data.engine_type:
            self._select(self.engine_type, data.engine_type, "select-motortype")

    def save(self) -> None:
        """Press Opslaan; PortalRefusedError carries PlanManager's message if it says no."""
        self._submit(
            self.save_button, "click-opslaan", is_write=True, matches=lambda u: "/dossiers" in u
        )
        if self.alert.count():
            message = self._text(self.alert, "PlanManager's message")
            raise PortalRefusedError(
                f"PlanManager refused the new dossier: {message}", screen=self.screen
            )
