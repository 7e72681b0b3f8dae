"""Build and validate everything the 2e circuit form will receive, before any write."""

from __future__ import annotations

from bot.domain.models import SecondCircuitData
from bot.steps.context import DossierContext


def prepare_second_circuit_data(ctx: DossierContext) -> None:
    """PlanManager's data plus the caller's overrides, validated field by field.

    A bad value raises ValidationError naming the field and the value; nothing has been
    written to a portal at this point.
    """
    if ctx.dossier is None or ctx.assignment is None:  # pragma: no cover - order of steps
        raise RuntimeError("prepare_data before open_dossier/find_assignment")
    ctx.data = SecondCircuitData.build(
        ctx.dossier, ctx.assignment.number, ctx.job.overrides, ctx.rules
    )
