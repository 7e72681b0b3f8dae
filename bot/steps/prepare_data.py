"""Build and validate everything the 2e circuit form will receive, before any write."""

from __future__ import annotations

from collections.abc import Mapping

from bot.domain.models import PlanManagerDossier, SecondCircuitData
from bot.domain.validation import ValidationRules


def prepare_second_circuit_data(
    dossier: PlanManagerDossier,
    assignment_number: str,
    overrides: Mapping[str, str],
    rules: ValidationRules,
) -> SecondCircuitData:
    """PlanManager's data plus the caller's overrides, validated field by field.

    `assignment_number` is the caller's (validated already) or the inbox's (judged here).
    A bad value raises ValidationError naming the field and the value; nothing has been
    written to a portal at this point.
    """
    return SecondCircuitData.build(dossier, assignment_number, overrides, rules)
