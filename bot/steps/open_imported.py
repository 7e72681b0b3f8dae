"""Seed step 3: open, in Winformex, the dossier that PlanManager imported.

Before that, it asks Winformex which Informex dossiers came from this PlanManager dossier: the
bot injects at most once, but a person may have pressed "i" too. A second Informex dossier costs
a fee and must be removed by hand, so it is reported, never linked.
"""

from __future__ import annotations

from dataclasses import dataclass

from loguru import logger

from bot.errors import BusinessError
from bot.steps.screens import Screens


@dataclass(frozen=True)
class ImportedDossier:
    """The Informex dossier PlanManager shows, as Winformex has it."""

    photos: int
    duplicates: tuple[str, ...] = ()  # other Informex dossiers imported from the same dossier


def open_imported_dossier(screens: Screens, informex_dossier: str, number: str) -> ImportedDossier:
    """Open the Informex dossier, check it is this PlanManager dossier's import; count photos."""
    imported = screens.wx_inbox.imported_from(number)
    duplicates = tuple(sorted({row.number for row in imported} - {informex_dossier}))
    if duplicates:
        logger.error(
            "Winformex holds {} more Informex dossier(s) from {}: {}",
            len(duplicates),
            number,
            ", ".join(duplicates),
        )
    page = screens.wx_dossier
    page.open(informex_dossier)
    source = page.imported_from()
    if source != number:
        raise BusinessError(
            f"Informex dossier {informex_dossier} was imported from {source!r}, not from {number}",
            screen=page.screen,
        )
    return ImportedDossier(photos=page.photo_count(), duplicates=duplicates)
