"""PlanManager's dossier page: read the dossier, and the small "i" button that injects it.

The "i" button is the expensive one: every confirmed click creates a new Informex dossier and
costs the shop a fee. This page object only clicks it when asked; deciding whether to ask (never
twice) is the inject step's job.
"""

from __future__ import annotations

import re
from typing import ClassVar
from urllib.parse import quote

from playwright.sync_api import Page

from bot.domain.fields import PLANMANAGER_FIELDS, UNKNOWN_FLAGS
from bot.domain.models import PlanManagerDossier
from bot.errors import DossierNotFoundError, IncompleteDossierError, PortalRefusedError
from bot.evidence.recorder import Recorder
from bot.pages.base import BasePage
from bot.pages.formats import is_unknown_mileage, parse_screen_date, parse_shown, shows_nothing
from bot.pages.labels import DUTCH, Labels

INFORMEX_NUMBER = re.compile(r"\S+-\d+")

LABELS = DUTCH.group("pm_dossier.value")
"""Attribute of PlanManagerDossier -> the label PlanManager shows next to its value, in the page's
order (Dutch; every language's are in bot.pages.labels). The 2e circuit fields are read by their
declared kind; `mileage_km` shows `onbekend` for an unknown mileage (so `mileage_unknown` has no
label of its own here)."""


class DossierPage(BasePage):
    """One repair dossier in PlanManager."""

    screen = "PlanManager dossier"
    OPTIONAL: ClassVar[dict[str, str]] = {
        "photos": "a dossier may have no photos",
        "inject_dialog": "opens only after clicking i (check never clicks it)",
        "confirm": "opens only after clicking i (check never clicks it)",
        "pending": "shown only while an injection runs",
        "alert": "shown only after a refusal",
    }

    def __init__(
        self, page: Page, recorder: Recorder, portal_url: str, labels: Labels | None = None
    ) -> None:
        super().__init__(page, recorder, portal_url, "planmanager", labels)
        t = self.labels
        self.value_labels = t.group("pm_dossier.value")
        self.heading_prefix = t["pm_dossier.heading"] + " "
        self.heading = page.get_by_role(
            "heading", name=re.compile("^" + re.escape(self.heading_prefix)), level=1
        )
        self.values = {
            name: page.get_by_label(label, exact=True) for name, label in self.value_labels.items()
        }
        self.photos = page.get_by_role(
            "img", name=re.compile("^" + re.escape(t["pm_dossier.photo"]) + r" \d+")
        )
        self.inject_button = page.get_by_role("button", name=t["pm_dossier.inject"], exact=True)
        self.inject_dialog = page.get_by_role("dialog", name=t["pm_dossier.inject_dialog"])
        self.confirm = self.inject_dialog.get_by_role(
            "button", name=t["pm_dossier.confirm"], exact=True
        )
        self.pending = page.get_by_role("status").filter(has_text=t["pm_dossier.pending"])
        self.alert = page.get_by_role("alert")

    def open(self, number: str) -> None:
        """Open the dossier directly by its number."""
        if self._goto(f"dossiers/{quote(number, safe='')}", "open-dossier") == 404:
            raise DossierNotFoundError(f"PlanManager has no dossier {number!r}", screen=self.screen)

    def number(self) -> str:
        return (
            self._text(self.heading, "the dossier heading")
            .removeprefix(self.heading_prefix)
            .strip()
        )

    def _value(self, name: str, shown: dict[str, str] | None = None) -> str | None:
        """The value next to the field's label: from `shown` (the screen read at once) when it
        holds that label, else through the field's own locator (which waits, and names the
        label when it is not there)."""
        label = self.value_labels[name]
        text = (shown or {}).get(label)
        if text is None:
            text = self._text(self.values[name], f"the value of {label}")
        return None if shows_nothing(text) else text

    def read(self) -> PlanManagerDossier:
        """Everything the bot needs from the dossier, as shown on screen (read in one call)."""
        with self.awaiting("the dossier data"):
            self.heading.wait_for()
        shown = self._labelled_values("the dossier data")
        vehicle: dict[str, object] = {}
        for spec in PLANMANAGER_FIELDS:
            if spec.name in UNKNOWN_FLAGS:
                continue  # shown as `onbekend` in the value of the field it marks unknown
            text = self._value(spec.name, shown)
            vehicle[spec.name] = parse_shown(spec.kind, text)
            if spec.unknown_flag:
                vehicle[spec.unknown_flag] = is_unknown_mileage(text)
        return PlanManagerDossier(
            number=self.number(),
            customer=self._value("customer", shown),
            plate=self._value("plate", shown),
            make=self._value("make", shown),
            model=self._value("model", shown),
            insurer=self._value("insurer", shown),
            claim_number=self._value("claim_number", shown),
            damage_date=parse_screen_date(self._value("damage_date", shown)),
            photos=self.photos.count(),
            informex_dossier=self._informex_number(shown),
            injection_pending=self.injection_pending(),
            labels=self.value_labels,
            **vehicle,
        )

    def informex_number(self) -> str | None:
        """The Informex dossier number PlanManager shows, once the injection is done."""
        return self._informex_number()

    def _informex_number(self, shown: dict[str, str] | None = None) -> str | None:
        value = self._value("informex_dossier", shown)
        return value if value and INFORMEX_NUMBER.fullmatch(value) else None

    def injection_pending(self) -> bool:
        return self.pending.count() > 0

    def inject(self) -> None:
        """Click "i" and confirm: PlanManager sends the dossier to Informex (a billable write)."""
        self._click(self.inject_button, "click-i-injecteer")
        with self.awaiting("the confirmation dialog"):
            self.inject_dialog.wait_for()
        self._submit(
            self.confirm,
            "click-bevestigen",
            is_write=True,
            matches=_is_inject,
            lands_on=self.heading,  # the dossier again: injecting, or refused with a message
            landing="the dossier page",
        )
        if self.alert.count():
            message = self._text(self.alert, "the portal's message")
            if self.labels["pm_dossier.incomplete"].lower() in message.lower():
                raise IncompleteDossierError(
                    f"PlanManager refused the injection: {message}", screen=self.screen
                )
            raise PortalRefusedError(
                f"PlanManager refused the injection: {message}", screen=self.screen
            )

    def wait_for_informex_number(self, timeout_s: float) -> str:
        """Wait until the background injection shows its Informex number (the page refreshes)."""
        with self.awaiting(f"the Informex dossier number (up to {timeout_s:g} s)"):
            self.values["informex_dossier"].filter(has_text=INFORMEX_NUMBER).wait_for(
                timeout=timeout_s * 1000
            )
        self.recorder.after(self.page, "informex-nummer")
        number = self.informex_number()
        if number is None:  # the element showed but not a number: treat as not yet done
            raise IncompleteDossierError(
                "PlanManager shows no Informex dossier number after injection", screen=self.screen
            )
        return number


def _is_inject(url: str) -> bool:
    return url.rstrip("/").endswith("/inject")
