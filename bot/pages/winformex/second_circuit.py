"""The "Gegevens 2e circuit" form: where the insurance assignment is tied to the estimate.

Labels and groups are the how-to's, letter for letter, one per declared field, in the screen's
language (bot.pages.labels: `second_circuit.field.*`; `LABELS` are the Dutch ones). `fill`
types what a person would type, field by field, with the widget each field's kind calls for;
`save` presses Opslaan and reports the portal's own verdict; whether a value already there may be
replaced is decided by the link step, never here.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar
from urllib.parse import quote, urlparse

from playwright.sync_api import Locator, Page

from bot.domain.fields import ASSIGNMENT_NUMBER, FIELD_NAMES, FIELDS, Kind, written
from bot.domain.models import SecondCircuitData
from bot.errors import PortalRefusedError
from bot.evidence.recorder import Recorder
from bot.pages.base import BasePage, action_name
from bot.pages.formats import date_parts
from bot.pages.labels import DUTCH, Labels, action_labels

LABELS = DUTCH.group("second_circuit.field")
"""Declared field -> its label on this form, in the form's order (Dutch; every language's are in
bot.pages.labels). A date is a group of boxes."""
DATE_BOXES = tuple(DUTCH.group("second_circuit.box").values())
"""The boxes of a date group, in the order `date_parts` gives them (Dutch: Dag, Maand, Jaar);
`inputs` and `check` name a box by these, whatever the screen's language."""
SHORT_NAMES = {"assignment_number": "Opdrachtnummer"}
"""What screenshots call a field whose label is a sentence."""
ACTION_LABELS = {**action_labels().group("second_circuit.field"), **SHORT_NAMES}
"""What screenshots call each field: its Dutch label, whatever the screen's language."""
UNTOUCHED = """button => [...button.form.elements].every(e => {
    if (e.type === "checkbox" || e.type === "radio") return e.checked === e.defaultChecked;
    if (e.tagName === "SELECT") {
        const given = [...e.options].findIndex(o => o.defaultSelected);
        return e.selectedIndex === (given >= 0 ? given : (e.options.length ? 0 : -1));
    }
    return !("defaultValue" in e) || e.value === e.defaultValue;
})"""
"""Whether every field of the form still holds what the portal sent with the page."""
REDIRECTS = frozenset({301, 302, 303, 307, 308})


class SecondCircuitPage(BasePage):
    """Gegevens 2e circuit of one Informex dossier."""

    screen = "Winformex Gegevens 2e circuit"
    OPTIONAL: ClassVar[dict[str, str]] = {
        "saved": "shown only after a save (check never saves)",
        "alert": "shown only after a refusal",
    }

    def __init__(
        self, page: Page, recorder: Recorder, portal_url: str, labels: Labels | None = None
    ) -> None:
        super().__init__(page, recorder, portal_url, "winformex", labels)
        t = self.labels
        self.heading = page.get_by_role("heading", name=t["second_circuit.heading"], level=1)
        fields = t.group("second_circuit.field")
        boxes = dict(zip(DATE_BOXES, t.group("second_circuit.box").values(), strict=True))
        # One input per field, and for a date its three boxes as `name.Dag`, `name.Maand`...
        self.inputs: dict[str, Locator] = {}
        for name in FIELD_NAMES:
            if FIELDS[name].kind is Kind.DATE:
                group = page.get_by_role("group", name=fields[name])
                for box, label in boxes.items():
                    self.inputs[f"{name}.{box}"] = group.get_by_label(label, exact=True)
            else:
                self.inputs[name] = page.get_by_label(fields[name], exact=True)
        self.save_button = page.get_by_role("button", name=t["second_circuit.save"], exact=True)
        self.saved = page.get_by_role("status").filter(has_text=t["second_circuit.saved"])
        self.alert = page.get_by_role("alert")
        self._loaded_by_get = True  # False once a save's answer was a page of its own (no redirect)

    def locators(self) -> dict[str, Locator]:
        """Every locator, a field's input under the field's own name (`vin`, as `informex-bot
        check` reports it), a date's boxes as `first_registration.Dag`."""
        return {name.removeprefix("inputs."): item for name, item in super().locators().items()}

    def open(self, informex_dossier: str) -> None:
        self._goto(f"dossiers/{informex_dossier}/2e-circuit", "open-2e-circuit")
        self.wait_until_shown()

    def wait_until_shown(self) -> None:
        """Wait for the form after a page load that showed it (its address, the menu's link)."""
        with self.awaiting("the 2e circuit form"):
            self.inputs[ASSIGNMENT_NUMBER].wait_for()
        self._loaded_by_get = True

    def shows_stored(self, informex_dossier: str) -> bool:
        """Whether the form on screen is this dossier's, as Winformex stored it: loaded by a GET
        (its address, the menu's link, or the redirect after Opslaan) and untouched since.

        Then reading it is as good as opening it again, one page load cheaper. A form typed in
        (even a dry run's), another dossier's, or a save answered without a redirect (that page
        may echo what was sent rather than what was stored) is not.
        """
        path = urlparse(self.page.url).path.rstrip("/")
        if not path.endswith(f"/dossiers/{quote(informex_dossier, safe='')}/2e-circuit"):
            return False
        if not self._loaded_by_get:
            return False
        with self.awaiting("the 2e circuit form"):
            return bool(self.save_button.evaluate(UNTOUCHED))

    def current_assignment_number(self) -> str | None:
        """The opdrachtnummer the form holds now (None when empty)."""
        with self.awaiting("the opdrachtnummer field"):
            value = self.inputs[ASSIGNMENT_NUMBER].input_value().strip()
        return value or None

    def read(self) -> dict[str, Any]:
        """What the form holds, as typed text (dates as `dd/mm/yyyy`, flags as booleans), per
        field in the form's order (for dry runs)."""
        with self.awaiting("the 2e circuit values"):
            return {name: self._read(name) for name in FIELD_NAMES}

    def values(self) -> dict[str, Any]:
        """What the form holds, typed as SecondCircuitData holds it (dates, whole numbers, codes
        normalised as written; empty is None), per field: what verification compares."""
        return {name: FIELDS[name].read_back(text) for name, text in self.read().items()}

    def _read(self, name: str) -> str | bool:
        kind = FIELDS[name].kind
        if kind is Kind.DATE:
            return "/".join(self._boxes(name)[box].input_value().strip() for box in DATE_BOXES)
        if kind is Kind.FLAG:
            return self.inputs[name].is_checked()
        return self.inputs[name].input_value().strip()

    def fill(self, data: SecondCircuitData) -> None:
        """Type the opdrachtnummer and the vehicle data into the form (nothing is saved yet)."""
        for name, value in written(data).items():  # an unknown mileage: only "onbekend" ticked
            self._put(name, value)

    def _put(self, name: str, value: object) -> None:
        kind, label = FIELDS[name].kind, ACTION_LABELS[name]
        if kind is Kind.DATE:
            if isinstance(value, dt.date):
                boxes = self._boxes(name)
                for box, part in zip(DATE_BOXES, date_parts(value), strict=True):
                    self._fill(boxes[box], part, action_name("fill", box))
        elif kind is Kind.FLAG:
            self._check(self.inputs[name], bool(value), action_name("check", label))
        elif kind is Kind.CHOICE:
            if value:
                self._select(self.inputs[name], str(value), action_name("select", label))
        else:
            text = "" if value is None else str(value)
            self._fill(self.inputs[name], text, action_name("fill", label))

    def _boxes(self, name: str) -> dict[str, Locator]:
        return {box: self.inputs[f"{name}.{box}"] for box in DATE_BOXES}

    def save(self) -> None:
        """Press Opslaan; PortalRefusedError carries Winformex's own message if it says no."""
        self._loaded_by_get = False
        answer = self._submit(
            self.save_button,
            "click-opslaan",
            is_write=True,
            matches=_is_form,
            lands_on=self.heading,  # the form again: saved, or refused with a message
            landing=f"the form {self.labels['second_circuit.heading']!r}",
        )
        if self.alert.count():
            message = self._text(self.alert, "Winformex's message")
            raise PortalRefusedError(
                f"Winformex refused the 2e circuit data: {message}", screen=self.screen
            )
        with self.awaiting(f"the confirmation {self.labels['second_circuit.saved']!r}"):
            self.saved.wait_for()
        self._loaded_by_get = answer.status in REDIRECTS


def _is_form(url: str) -> bool:
    return "/2e-circuit" in url
