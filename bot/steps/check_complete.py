"""Seed step 1b: the dossier must be complete before it may be sent to Informex."""

from __future__ import annotations

from bot.domain.models import PlanManagerDossier
from bot.errors import IncompleteDossierError


def check_dossier_complete(dossier: PlanManagerDossier) -> None:
    """Refuse (business error, nothing written) when PlanManager lacks data Informex needs."""
    if dossier.informex_dossier:
        return  # already in Informex: completeness for injection no longer matters
    missing = dossier.missing_for_injection()
    if missing:
        raise IncompleteDossierError(
            f"dossier is incomplete, missing: {', '.join(missing)}; complete it in PlanManager",
            screen="PlanManager dossier",
        )
