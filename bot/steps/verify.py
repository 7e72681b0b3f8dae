"""Seed step 5: read the portals back: the link holds and the photos arrived."""

from __future__ import annotations

from loguru import logger

from bot.domain.models import PlanManagerDossier, SecondCircuitData
from bot.domain.validation import normalize_vin
from bot.errors import VerificationError
from bot.steps.screens import Screens


def verify_link(
    screens: Screens,
    informex_dossier: str,
    data: SecondCircuitData,
    dossier: PlanManagerDossier,
    photos_seen: int,
    *,
    linked_before: bool,
) -> None:
    """Reopen the form and compare it with what was meant to be there; check the photos arrived.

    The photos came with the injection and were counted when the imported dossier was opened
    (`photos_seen`); the dossier is only reopened when that count was short (one page load less
    per dossier). A link made before this run (`linked_before`) may carry an older VIN.
    """
    form = screens.wx_second_circuit
    form.open(informex_dossier)
    saved = form.read()
    if saved["assignment_number"] != data.assignment_number:
        raise VerificationError(
            f"2e circuit shows opdrachtnummer {saved['assignment_number']!r}, "
            f"expected {data.assignment_number}",
            screen=form.screen,
        )
    if normalize_vin(saved["vin"]) != data.vin and not linked_before:
        raise VerificationError(
            f"2e circuit shows VIN {saved['vin']!r}, expected {data.vin}", screen=form.screen
        )
    photos = photos_seen
    if photos < dossier.photos:  # counted short before the link: look again, they may be late
        screens.wx_dossier.open(informex_dossier)
        photos = screens.wx_dossier.photo_count()
    if photos < dossier.photos:
        raise VerificationError(
            f"only {photos} of {dossier.photos} photos arrived in Informex",
            screen=screens.wx_dossier.screen,
        )
    logger.info(
        "verified: linked to {}, {} photo(s) in Informex", saved["assignment_number"], photos
    )
