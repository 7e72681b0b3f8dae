"""An Informex dossier in Winformex: the how-to's left navigation and the way to the 2e circuit.

Winformex installations differ in how the 2e circuit form is reached: the FAQ's button
"Gegevens 2e circuit" at the bottom left of the dossier, or the menu path
Bewerken → 2e circuit → expertise. The page object takes whichever the screen offers (`layout`),
without a setting, and `informex-bot check` reports which one it found.
"""

from __future__ import annotations

import re
from typing import Literal
from urllib.parse import quote, urlparse

from playwright.sync_api import Locator, Page

from bot.errors import DossierNotFoundError
from bot.evidence.recorder import Recorder
from bot.pages.base import BasePage
from bot.pages.formats import parse_screen_int, shows_nothing
from bot.pages.labels import Labels

Layout = Literal["button", "menu"]
BUTTON: Layout = "button"
MENU: Layout = "menu"
MENU_PARTS = ("menu_edit", "menu_second_circuit", "menu_expertise")
"""The menu path to the 2e circuit form, as catalogue keys under `wx_dossier.`."""


class InformexDossierPage(BasePage):
    """The dossier PlanManager imported into Winformex."""

    screen = "Winformex dossier"

    def __init__(
        self, page: Page, recorder: Recorder, portal_url: str, labels: Labels | None = None
    ) -> None:
        super().__init__(page, recorder, portal_url, "winformex", labels)
        t = self.labels
        self.heading = page.get_by_role(
            "heading", name=re.compile("^" + re.escape(t["wx_dossier.heading"]) + " "), level=1
        )
        self.navigation = page.get_by_role("navigation", name=t["wx_dossier.navigation"])
        self.planmanager_dossier = page.get_by_label(
            t["wx_dossier.planmanager_dossier"], exact=True
        )
        self.photo_count_value = page.get_by_label(t["wx_dossier.photo_count"], exact=True)
        # The two ways to the 2e circuit form; a screen offers one of them.
        self.second_circuit_button = page.get_by_role(
            "button", name=t["wx_dossier.second_circuit_button"], exact=True
        )
        self.menu_edit = page.get_by_role("menuitem", name=t["wx_dossier.menu_edit"], exact=True)
        self.menu_second_circuit = page.get_by_role(
            "menuitem", name=t["wx_dossier.menu_second_circuit"], exact=True
        )
        self.menu_expertise = page.get_by_role(
            "menuitem", name=t["wx_dossier.menu_expertise"], exact=True
        )
        # Not clicked by the bot: `informex-bot check` resolves them to confirm the screen is the
        # how-to's (a navigation that changed is the first sign of a new Winformex version).
        self.navigation_items = {
            section: self.navigation.get_by_role("link", name=label, exact=True)
            for section, label in t.group("wx_dossier.nav").items()
        }

    def optional(self) -> dict[str, str]:
        """The way to the 2e circuit this screen does not offer may rightly be absent; the
        menu's inner items show only once the menu is open (check never opens it)."""
        closed = "shown only once the menu Bewerken is open (check never opens it)"
        found = self.layout()
        if found == BUTTON:
            other = "this Winformex opens the 2e circuit with the button, not the menu"
            return {"menu_edit": other, "menu_second_circuit": other, "menu_expertise": other}
        if found == MENU:
            other = "this Winformex opens the 2e circuit through the menu, not the button"
            return {
                "second_circuit_button": other,
                "menu_second_circuit": closed,
                "menu_expertise": closed,
            }
        return {"menu_second_circuit": closed, "menu_expertise": closed}

    def open(self, number: str) -> None:
        if self._goto(f"dossiers/{quote(number, safe='')}", "open-informex-dossier") == 404:
            raise DossierNotFoundError(f"Winformex has no dossier {number!r}", screen=self.screen)

    def is_showing(self, number: str) -> bool:
        """True when the browser shows this dossier's main screen (not a form, not a login)."""
        return (
            urlparse(self.page.url).path.rstrip("/").endswith(f"/dossiers/{quote(number, safe='')}")
        )

    def layout(self) -> Layout | None:
        """How this screen reaches the 2e circuit form now: `button`, `menu`, or None when it
        shows neither (it looks, it does not wait)."""
        with self.awaiting("the way to the 2e circuit form"):
            if self.second_circuit_button.count():
                return BUTTON
            if self.menu_edit.count():
                return MENU
        return None

    def wait_for_layout(self) -> Layout:
        """Wait until the screen shows the button or the menu; which one it is."""
        with self.awaiting(
            f"the button {self.labels['wx_dossier.second_circuit_button']!r} "
            f"or the menu {self.menu_path()!r}"
        ):
            self.second_circuit_button.or_(self.menu_edit).first.wait_for()
        return self.layout() or BUTTON

    def menu_path(self) -> str:
        """`Bewerken → 2e circuit → expertise`, in the screen's language."""
        return " → ".join(self.labels[f"wx_dossier.{part}"] for part in MENU_PARTS)

    def open_second_circuit(self) -> Layout:
        """Open the 2e circuit form the way the screen offers: the button at the bottom left, or
        the menu Bewerken → 2e circuit → expertise. Returns the way it took."""
        if self.wait_for_layout() == BUTTON:
            self._click_and_load(self.second_circuit_button, "click-gegevens-2e-circuit")
            return BUTTON
        self._open_menu_item(self.menu_edit, self.menu_second_circuit, "click-menu-bewerken")
        self._open_menu_item(self.menu_second_circuit, self.menu_expertise, "click-menu-2e-circuit")
        self._click_and_load(self.menu_expertise, "click-menu-expertise")
        return MENU

    def _open_menu_item(self, item: Locator, shows: Locator, action: str) -> None:
        """Open a menu entry (click it) and wait until the entry it holds is shown."""
        self._click(item, action)
        with self.awaiting(f"the menu after {action}"):
            shows.wait_for()

    def imported_from(self) -> str | None:
        text = self._text(self.planmanager_dossier, "the PlanManager dossier number")
        return None if shows_nothing(text) else text

    def photo_count(self) -> int:
        text = self._text(self.photo_count_value, "the photo count")
        return parse_screen_int(text) or 0
