"""Find the insurer's assignment in Winformex: by VIN first, then plate, then claim number.

Read-only, and done before the injection, so a dossier that cannot be linked never costs a fee.
"""

from __future__ import annotations

from bot.domain.matching import match_assignment
from bot.domain.models import Assignment
from bot.domain.validation import normalize_plate, normalize_vin, validate_assignment_number
from bot.errors import AssignmentNotFoundError
from bot.steps.context import DossierContext


def find_insurance_assignment(ctx: DossierContext) -> None:
    """Use the given opdrachtnummer, or search the inbox for the one assignment that matches."""
    dossier = ctx.dossier
    if dossier is None:  # pragma: no cover - the open step always runs first
        raise RuntimeError("find_assignment before open_dossier")
    if ctx.job.assignment:
        ctx.assignment = _look_up_given(
            ctx, validate_assignment_number(ctx.job.assignment, ctx.rules)
        )
        ctx.log.info(
            "assignment {} given by the caller and found in Winformex", ctx.assignment.number
        )
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


def _look_up_given(ctx: DossierContext, number: str) -> Assignment:
    """The given opdrachtnummer's assignment, read from the inbox before anything is written.

    A well-formed number that Winformex does not know (a typo, another shop's) would otherwise
    only be refused at the 2e circuit save, after the dossier was injected: a fee for nothing.
    One linked to another Informex dossier is refused too, unless the caller forces it.
    """
    ctx.wx_inbox.open()
    ctx.wx_inbox.search(number)
    wanted = number.casefold()
    found = [a for a in ctx.wx_inbox.assignments() if a.number.strip().casefold() == wanted]
    if not found:
        raise AssignmentNotFoundError(
            f"opdrachtnummer {number!r} (given for this dossier) is not in the Winformex inbox",
            screen=ctx.wx_inbox.screen,
        )
    assignment = found[0]
    own = ctx.dossier.informex_dossier if ctx.dossier else None
    linked = (assignment.linked_dossier or "").strip()
    if linked and linked != (own or "").strip() and not ctx.force:
        raise AssignmentNotFoundError(
            f"opdrachtnummer {number!r} is already linked to Informex dossier {linked}; "
            "use --force only if that link is wrong",
            screen=ctx.wx_inbox.screen,
        )
    return assignment


def _search_terms(vin: str | None, plate: str | None, claim: str | None) -> list[str]:
    """What a person would type into the inbox search, most specific first."""
    terms = [
        normalize_vin(vin) if vin else "",
        normalize_plate(plate) if plate else "",
        claim or "",
    ]
    return [t.strip() for t in terms if t and t.strip()]
