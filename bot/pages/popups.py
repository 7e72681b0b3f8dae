"""Popups the portals throw over a page (news, cookie consent), closed whenever they appear.

Playwright's locator handlers run before any action when the popup is visible, so page objects
stay free of "is there a popup?" checks and a popup can appear at any moment without breaking
a step. A page may show either language (the login page is the browser's language, the rest the
user's), so each popup is watched for in every language of the catalogue at once.
"""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page

from bot.pages.labels import LANGUAGES, Labels

POPUPS: tuple[tuple[str, str], ...] = (
    ("popup.news", "popup.news_close"),
    ("popup.cookies", "popup.cookies_accept"),
)
"""(catalogue key of the dialog's name, of the button that closes it)."""


def _any_of(key: str) -> re.Pattern[str]:
    """The catalogue's texts of `key` in every language, as one pattern (matching, like a plain
    name, anywhere in the name and whatever the case)."""
    texts = sorted({Labels(language)[key] for language in LANGUAGES})
    return re.compile("|".join(re.escape(text) for text in texts), re.IGNORECASE)


def install_popup_handlers(page: Page) -> None:
    """Close the portals' popups automatically on this page."""
    for dialog_key, button_key in POPUPS:
        dialog = page.get_by_role("dialog", name=_any_of(dialog_key))
        closer = _any_of(button_key)

        def close(popup: Locator, button: re.Pattern[str] = closer) -> None:
            popup.get_by_role("button", name=button).click()

        page.add_locator_handler(dialog, close)
