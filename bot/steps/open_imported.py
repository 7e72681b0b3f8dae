"""Seed step 3: open, in Winformex, the dossier that PlanManager imported."""

from __future__ import annotations

from bot.errors import BusinessError
from bot.steps.context import DossierContext


def open_imported_dossier(ctx: DossierContext) -> None:
    """Open the Informex dossier and check it really is this PlanManager dossier's import."""
    if ctx.informex_dossier is None:  # pragma: no cover - inject always sets it
        raise RuntimeError("open_imported before inject")
    ctx.wx_dossier.open(ctx.informex_dossier)
    source = ctx.wx_dossier.imported_from()
    if source != ctx.job.dossier:
        raise BusinessError(
            f"Informex dossier {ctx.informex_dossier} was imported from {source!r}, "
            f"not from {ctx.job.dossier}",
            screen=ctx.wx_dossier.screen,
        )
    ctx.photos_in_informex = ctx.wx_dossier.photo_count()
