"""A failed dossier in plain words: what happened and what a person does now.

The bot's messages are precise but technical (and English); office staff need one sentence on
what went wrong and one on what to do, in their language. The step where the dossier stopped and
a few fixed phrases of the bot's own messages (bot/steps, bot/engine) decide which; the bot's
message is always shown below it, unchanged, for whoever looks further.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.domain.models import SEED_STEPS, DossierResult, DossierStatus
from bot.errors import DUPLICATE_PREFIX


@dataclass(frozen=True)
class Explanation:
    """Catalogue keys of what went wrong and what to do, with the values they quote."""

    why: str  # catalogue key
    todo: str  # catalogue key
    values: dict[str, object]


_WHERE = re.compile(r"\[(?:[^\]]*?, )?step (?P<step>[a-z_]+)")

# (step, phrase in the bot's message, why, todo); the first that fits wins. A rule without a step
# fits any failure; one with a step fits a business error stopped in that step.
RULES: tuple[tuple[str | None, str, str, str], ...] = (
    (None, "busy:", "why_busy", "todo_busy"),
    (None, DUPLICATE_PREFIX, "why_duplicate", "todo_duplicate"),
    (None, "refused the login", "why_login", "todo_login"),
    (None, "is throttling logins", "why_login", "todo_login"),
    ("open_dossier", "has no dossier", "why_not_found", "todo_not_found"),
    ("check_complete", "", "why_incomplete", "todo_incomplete"),
    ("find_assignment", "not in the Winformex inbox", "why_given_unknown", "todo_given_unknown"),
    ("find_assignment", "already linked to Informex", "why_linked_elsewhere", "todo_conflict"),
    ("find_assignment", "insurance assignments match", "why_ambiguous", "todo_ambiguous"),
    ("find_assignment", "", "why_no_assignment", "todo_no_assignment"),
    ("prepare_data", "", "why_invalid", "todo_invalid"),
    ("inject", "onvolledig", "why_incomplete", "todo_incomplete"),
    ("inject", "refused", "why_refused", "todo_refused"),
    ("link", "not overwritten", "why_conflict", "todo_conflict"),
    ("link", "refused", "why_refused", "todo_refused"),
    ("verify", "", "why_verify", "todo_verify"),
)


def failed_step(result: DossierResult) -> str | None:
    """The step the dossier stopped in: named by its error, else the one after the last done."""
    match = _WHERE.search(result.error or "")
    if match and match["step"] in SEED_STEPS:
        return match["step"]
    if result.step in SEED_STEPS:
        index = SEED_STEPS.index(result.step) + 1
        return SEED_STEPS[index] if index < len(SEED_STEPS) else result.step
    return SEED_STEPS[0] if result.status is DossierStatus.BUSINESS_ERROR else None


def explain(result: DossierResult) -> Explanation | None:
    """Why the dossier was not linked and what to do (None for a dossier that succeeded)."""
    if result.status.succeeded:
        return None
    error = result.error or ""
    step = failed_step(result)
    business = result.status is DossierStatus.BUSINESS_ERROR
    for rule_step, phrase, why, todo in RULES:
        fits_step = rule_step is None or (business and rule_step == step)
        if fits_step and phrase in error:
            return Explanation(why, todo, {"attempts": result.attempts})
    if result.status is DossierStatus.BUSINESS_ERROR:
        return Explanation("why_business", "todo_business", {})
    return Explanation("why_system", "todo_system", {"attempts": result.attempts})
