"""Find the insurer's assignment in Winformex: by VIN first, then plate, then claim number.

Read-only, and done before the injection, so a dossier that cannot be linked never costs a fee.
"""

from __future__ import annotations

from bot.errors import AssignmentNotFoundError
from bot.matching import match_assignment
from bot.models import Assignment
from bot.steps.context import DossierContext
from bot.validation import normalize_plate, normalize_vin, validate_assignment_number


def find_insurance_assignment(ctx: DossierContext) -> None:
    """Use the given opdrachtnummer, or search the inbox for the one assignment that matches."""
    dossier = ctx.dossier
    if dossier is None:  # pragma: no cover - the open step always runs first
        raise RuntimeError("find_assignment before open_dossier")
    if ctx.job.assignment:
        number = validate_assignment_number(ctx.job.assignment, ctx.rules)
        ctx.assignment = Assignment(
            number=number,
            insurer=None,
            claim_number=None,
            plate=None,
            vin=None,
            date=None,
            linked_dossier=None,
        )
        ctx.log.info("assignment {} given by the caller", number)
        return
    ctx.assignment = None
    candidates: dict[str, Assignment] = {}
    ctx.wx_inbox.open()
    for term in _search_terms(dossier.vin, dossier.plate, dossier.claim_number):
        ctx.wx_inbox.search(term)
        for assignment in ctx.wx_inbox.assignments():
            candidates.setdefault(assignment.number, assignment)
        try:  # stop searching as soon as the most specific criterion decides
            ctx.assignment = match_assignment(dossier, list(candidates.values()))
            break
        except AssignmentNotFoundError:
            continue
    if ctx.assignment is None:
        ctx.assignment = match_assignment(dossier, list(candidates.values()))  # names the search
    ctx.log.info("assignment {} matches the dossier", ctx.assignment.number)


def _search_terms(vin: str | None, plate: str | None, claim: str | None) -> list[str]:
    """What a person would type into the inbox search, most specific first."""
    terms = [
        normalize_vin(vin) if vin else "",
        normalize_plate(plate) if plate else "",
        claim or "",
    ]
    return [t.strip() for t in terms if t and t.strip()]
