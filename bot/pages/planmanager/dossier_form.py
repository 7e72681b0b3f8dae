"""PlanManager's "Nieuw dossier" form: create the dossier when the shop has none yet.

The form is filled field by field in the form's order, each with the widget its kind calls for:
the 2e circuit fields take their kind from the declaration (`bot.domain.fields`), the dossier's
own fields are text boxes except its damage date.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import ClassVar

from playwright.sync_api import Page

from bot.domain.fields import FIELDS, Kind, fill_order, left_empty
from bot.domain.new_dossier import NewDossierData
from bot.errors import PortalRefusedError
from bot.evidence.recorder import Recorder
from bot.pages.base import BasePage, action_name
from bot.pages.formats import format_screen_date
from bot.pages.labels import DUTCH, Labels, action_labels

LABELS = DUTCH.group("pm_form.input")
"""NewDossierData attribute -> the label of its input, in the form's order (Dutch; every
language's are in bot.pages.labels)."""
ACTION_LABELS = action_labels().group("pm_form.input")
"""What screenshots call each input: its Dutch label, whatever the screen's language."""
_OWN_DATES = frozenset({"damage_date"})
"""The dossier's own fields (not 2e circuit fields) that are dates; the others are text."""


def _kind(name: str) -> Kind:
    if name in FIELDS:
        return FIELDS[name].kind
    return Kind.DATE if name in _OWN_DATES else Kind.TEXT


class DossierFormPage(BasePage):
    """Create a repair dossier in PlanManager."""

    screen = "PlanManager nieuw dossier"
    OPTIONAL: ClassVar[dict[str, str]] = {"alert": "shown only after a refusal"}

    def __init__(
        self, page: Page, recorder: Recorder, portal_url: str, labels: Labels | None = None
    ) -> None:
        super().__init__(page, recorder, portal_url, "planmanager", labels)
        t = self.labels
        self.heading = page.get_by_role("heading", name=t["pm_form.heading"], level=1)
        self.inputs = {
            name: page.get_by_label(label, exact=True)
            for name, label in t.group("pm_form.input").items()
        }
        self.save_button = page.get_by_role("button", name=t["pm_form.save"], exact=True)
        self.alert = page.get_by_role("alert")
        # Where a save leads: the new dossier's page, or this form again with the refusal.
        dossier_heading = re.compile("^" + re.escape(t["pm_dossier.heading"]) + " ")
        self.after_save = self.heading.or_(
            page.get_by_role("heading", name=dossier_heading, level=1)
        )

    def fill(self, data: NewDossierData) -> None:
        """Type the dossier's data into the form (nothing is saved yet)."""
        for name in fill_order(LABELS):
            if not left_empty(name, data):  # an unknown mileage: only "onbekend" is ticked
                self._put(name, getattr(data, name))

    def _put(self, name: str, value: object) -> None:
        locator, label, kind = self.inputs[name], ACTION_LABELS[name], _kind(name)
        if kind is Kind.FLAG:
            self._check(locator, bool(value), action_name("check", label))
        elif kind is Kind.CHOICE:
            if value:
                self._select(locator, str(value), action_name("select", label))
        elif kind is Kind.DATE:
            text = format_screen_date(value) if isinstance(value, dt.date) else ""
            self._fill(locator, text, action_name("fill", label))
        else:
            self._fill(locator, "" if value is None else str(value), action_name("fill", label))

    def save(self) -> None:
        """Press Opslaan; PortalRefusedError carries PlanManager's message if it says no."""
        self._submit(
            self.save_button,
            "click-opslaan",
            is_write=True,
            matches=lambda u: "/dossiers" in u,
            lands_on=self.after_save,
            landing="the new dossier's page or the form 'Nieuw dossier'",
        )
        if self.alert.count():
            message = self._text(self.alert, "PlanManager's message")
            raise PortalRefusedError(
                f"PlanManager refused the new dossier: {message}", screen=self.screen
            )
