"""Popups the portals throw over a page (news, cookie consent), closed whenever they appear.

Playwright's locator handlers run before any action when the popup is visible, so page objects
stay free of "is there a popup?" checks and a popup can appear at any moment without breaking
a step.
"""

from __future__ import annotations

from playwright.sync_api import Locator, Page

# (dialog name, button that closes it), in the portals' Dutch.
POPUPS: tuple[tuple[str, str], ...] = (
    ("Nieuws", "Sluiten"),
    ("Cookies", "Alles accepteren"),
)


def install_popup_handlers(page: Page) -> None:
    """Close the portals' popups automatically on this page."""
    for dialog_name, button_name in POPUPS:
        dialog = page.get_by_role("dialog", name=dialog_name)

        def close(popup: Locator, button: str = button_name) -> None:
            popup.get_by_role("button", name=button).click()

        page.add_locator_handler(dialog, close)
