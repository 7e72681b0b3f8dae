"""Seed step 1b: the dossier must be complete before it may be sent to Informex."""

from __future__ import annotations

from bot.errors import IncompleteDossierError
from bot.steps.context import DossierContext


def check_dossier_complete(ctx: DossierContext) -> None:
    """Refuse (business error, nothing written) when PlanManager lacks data Informex needs."""
    dossier = ctx.dossier
    if dossier is None:  # pragma: no cover - the open step always runs first
        raise RuntimeError("check_complete before open_dossier")
    if dossier.informex_dossier:
        return  # already in Informex: completeness for injection no longer matters
    missing = dossier.missing_for_injection()
    if missing:
        raise IncompleteDossierError(
            f"dossier is incomplete, missing: {', '.join(missing)}; complete it in PlanManager",
            screen="PlanManager dossier",
        )
