"""The "Gegevens 2e circuit" form: where the insurance assignment is tied to the estimate.

Labels and groups are the how-to's, letter for letter. `fill` types what a person would type,
`save` presses Opslaan and reports the portal's own verdict; whether a value already there may be
replaced is decided by the link step, never here.
"""

from __future__ import annotations

from typing import Any, ClassVar

from playwright.sync_api import Page

from bot.domain.models import SecondCircuitData
from bot.errors import PortalRefusedError
from bot.evidence.recorder import Recorder
from bot.pages.base import BasePage
from bot.pages.formats import date_parts


class SecondCircuitPage(BasePage):
    """Gegevens 2e circuit of one Informex dossier."""

    screen = "Winformex Gegevens 2e circuit"
    OPTIONAL: ClassVar[dict[str, str]] = {
        "saved": "shown only after a save (check never saves)",
        "alert": "shown only after a refusal",
    }

    def __init__(self, page: Page, recorder: Recorder, portal_url: str) -> None:
        super().__init__(page, recorder, portal_url, "winformex")
        self.heading = page.get_by_role("heading", name="Gegevens 2e circuit", level=1)
        self.assignment_number = page.get_by_label(
            "Opdrachtnummer van de expertise 2e circuit", exact=True
        )
        self.vin = page.get_by_label("Chassis (VIN)", exact=True)
        first_use = page.get_by_role("group", name="Datum van eerste ingebruikname")
        self.day = first_use.get_by_label("Dag", exact=True)
        self.month = first_use.get_by_label("Maand", exact=True)
        self.year = first_use.get_by_label("Jaar", exact=True)
        self.previous_damage = page.get_by_label("Voorgaande schade", exact=True)
        self.burglary = page.get_by_label("Inbraak", exact=True)
        self.mileage = page.get_by_label("Kilometerstand", exact=True)
        self.mileage_unknown = page.get_by_label("onbekend", exact=True)
        self.power = page.get_by_label("Vermogen", exact=True)
        self.displacement = page.get_by_label("Cilinderinhoud", exact=True)
        self.co2 = page.get_by_label("CO2", exact=True)
        self.engine_type = page.get_by_label("Motortype", exact=True)
        self.particle_filter = page.get_by_label("Partikelfilter", exact=True)
        self.save_button = page.get_by_role("button", name="Opslaan", exact=True)
        self.saved = page.get_by_role("status").filter(has_text="opgeslagen")
        self.alert = page.get_by_role("alert")

    def open(self, informex_dossier: str) -> None:
        self._goto(f"dossiers/{informex_dossier}/2e-circuit", "open-2e-circuit")
        self.wait_until_shown()

    def wait_until_shown(self) -> None:
        with self.awaiting("the 2e circuit form"):
            self.assignment_number.wait_for()

    def current_assignment_number(self) -> str | None:
        """The opdrachtnummer the form holds now (None when empty)."""
        with self.awaiting("the opdrachtnummer field"):
            value = self.assignment_number.input_value().strip()
        return value or None

    def read(self) -> dict[str, Any]:
        """What the form holds, as typed text (for verification and dry runs)."""
        with self.awaiting("the 2e circuit values"):
            return {
                "assignment_number": self.assignment_number.input_value().strip(),
                "vin": self.vin.input_value().strip(),
                "first_registration": "/".join(
                    box.input_value().strip() for box in (self.day, self.month, self.year)
                ),
                "previous_damage": self.previous_damage.is_checked(),
                "burglary": self.burglary.is_checked(),
                "mileage_km": self.mileage.input_value().strip(),
                "mileage_unknown": self.mileage_unknown.is_checked(),
                "power_kw": self.power.input_value().strip(),
                "displacement_cc": self.displacement.input_value().strip(),
                "co2": self.co2.input_value().strip(),
                "engine_type": self.engine_type.input_value(),
                "particle_filter": self.particle_filter.is_checked(),
            }

    def fill(self, data: SecondCircuitData) -> None:
        """Type the opdrachtnummer and the vehicle data into the form (nothing is saved yet)."""
        self._fill(self.assignment_number, data.assignment_number, "fill-opdrachtnummer")
        self._fill(self.vin, data.vin, "fill-chassis-vin")
        day, month, year = date_parts(data.first_registration)
        self._fill(self.day, day, "fill-dag")
        self._fill(self.month, month, "fill-maand")
        self._fill(self.year, year, "fill-jaar")
        self._check(self.previous_damage, data.previous_damage, "check-voorgaande-schade")
        self._check(self.burglary, data.burglary, "check-inbraak")
        self._check(self.mileage_unknown, data.mileage_unknown, "check-onbekend")
        if not data.mileage_unknown:
            self._fill(self.mileage, _number(data.mileage_km), "fill-kilometerstand")
        self._fill(self.power, _number(data.power_kw), "fill-vermogen")
        self._fill(self.displacement, _number(data.displacement_cc), "fill-cilinderinhoud")
        self._fill(self.co2, _number(data.co2), "fill-co2")
        if data.engine_type:
            self._select(self.engine_type, data.engine_type, "select-motortype")
        self._check(self.particle_filter, data.particle_filter, "check-partikelfilter")

    def save(self) -> None:
        """Press Opslaan; PortalRefusedError carries Winformex's own message if it says no."""
        self._submit(self.save_button, "click-opslaan", is_write=True, matches=_is_form)
        if self.alert.count():
            message = self._text(self.alert, "Winformex's message")
            raise PortalRefusedError(
                f"Winformex refused the 2e circuit data: {message}", screen=self.screen
            )
        with self.awaiting("the confirmation 'opgeslagen'"):
            self.saved.wait_for()


def _number(value: int | None) -> str:
    return "" if value is None else str(value)


def _is_form(url: str) -> bool:
    return "/2e-circuit" in url
