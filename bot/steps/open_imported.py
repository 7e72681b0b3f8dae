"""Seed step 3: open, in Winformex, the dossier that PlanManager imported."""

from __future__ import annotations

from bot.errors import BusinessError
from bot.steps.screens import Screens


def open_imported_dossier(screens: Screens, informex_dossier: str, number: str) -> int:
    """Open the Informex dossier, check it is this PlanManager dossier's import; count photos."""
    page = screens.wx_dossier
    page.open(informex_dossier)
    source = page.imported_from()
    if source != number:
        raise BusinessError(
            f"Informex dossier {informex_dossier} was imported from {source!r}, not from {number}",
            screen=page.screen,
        )
    return page.photo_count()
