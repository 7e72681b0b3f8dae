"""Seed step 5: read the portals back: the link holds and the photos arrived."""

from __future__ import annotations

from bot.domain.validation import normalize_vin
from bot.errors import VerificationError
from bot.steps.context import DossierContext


def verify_link(ctx: DossierContext) -> None:
    """Reopen the form and compare it with what was meant to be there; check the photos arrived.

    The photos came with the injection and were counted when the imported dossier was opened;
    the dossier is only reopened when that count was short (one page load less per dossier).
    """
    if ctx.data is None or ctx.informex_dossier is None or ctx.dossier is None:  # pragma: no cover
        raise RuntimeError("verify before link")
    form = ctx.wx_second_circuit
    form.open(ctx.informex_dossier)
    saved = form.read()
    if saved["assignment_number"] != ctx.data.assignment_number:
        raise VerificationError(
            f"2e circuit shows opdrachtnummer {saved['assignment_number']!r}, "
            f"expected {ctx.data.assignment_number}",
            screen=form.screen,
        )
    if normalize_vin(saved["vin"]) != ctx.data.vin and not ctx.already_linked:
        raise VerificationError(
            f"2e circuit shows VIN {saved['vin']!r}, expected {ctx.data.vin}", screen=form.screen
        )
    photos = ctx.photos_in_informex or 0
    if photos < ctx.dossier.photos:  # counted short before the link: look again, they may be late
        ctx.wx_dossier.open(ctx.informex_dossier)
        photos = ctx.wx_dossier.photo_count()
    if photos < ctx.dossier.photos:
        raise VerificationError(
            f"only {photos} of {ctx.dossier.photos} photos arrived in Informex",
            screen=ctx.wx_dossier.screen,
        )
    ctx.log.info(
        "verified: linked to {}, {} photo(s) in Informex", saved["assignment_number"], photos
    )
