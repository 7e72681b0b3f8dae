"""Seed step 5: read the portals back: what was saved is what was written, the photos arrived."""

from __future__ import annotations

import datetime as dt

from loguru import logger

from bot.domain.fields import ASSIGNMENT_NUMBER, written
from bot.domain.models import PlanManagerDossier, SecondCircuitData
from bot.domain.validation import format_date
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
    """Read the 2e circuit form as stored and compare it with what the bot wrote; check photos.

    Every field the bot wrote (`fields.written`: all but an unknown mileage's box and an empty
    date or choice) is read back, typed and normalised as it was written, and compared; any
    difference is a VerificationError naming each field with the value written and the value
    read, so a portal that saved something else is never reported linked.

    A link made before this run (`linked_before`: the form already held this opdrachtnummer and
    the bot wrote nothing) is not the bot's writing: only the opdrachtnummer, which the bot is
    responsible for, is compared then (the other values may be older, e.g. an older VIN).

    The form is read where it stands when it is a fresh read of the stored record (the page
    Winformex redirects to after Opslaan, or the form just opened and left untouched:
    `shows_stored`), and opened again otherwise: one page load less per dossier, nothing less
    checked.

    The photos came with the injection and were counted when the imported dossier was opened
    (`photos_seen`); the dossier is only reopened when that count was short (one page load less
    per dossier).
    """
    form = screens.wx_second_circuit
    if not form.shows_stored(informex_dossier):
        form.open(informex_dossier)
    saved = form.values()
    meant = written(data)
    if linked_before:
        meant = {ASSIGNMENT_NUMBER: meant[ASSIGNMENT_NUMBER]}
    differences = [
        f"{name}: wrote {_shown(value)}, read {_shown(saved.get(name))}"
        for name, value in meant.items()
        if saved.get(name) != value
    ]
    if differences:
        raise VerificationError(
            f"2e circuit of {informex_dossier} does not hold what was written "
            f"({'; '.join(differences)}); not reported linked",
            screen=form.screen,
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
        "verified: {} field(s) as written, linked to {}, {} photo(s) in Informex",
        len(meant),
        saved[ASSIGNMENT_NUMBER],
        photos,
    )


def _shown(value: object) -> str:
    """A value as a person reads it in the error: `51290`, `14/03/2019`, `yes`, `nothing`."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.date):
        return format_date(value)
    return str(value)
