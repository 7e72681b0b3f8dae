"""Find the insurer's assignment in Winformex: by VIN first, then plate, then claim number.

Read-only, and done before the injection, so a dossier that cannot be linked never costs a fee.
"""

from __future__ import annotations

from loguru import logger

from bot.domain.matching import match_assignment, same_claim
from bot.domain.models import Assignment, PlanManagerDossier
from bot.domain.validation import normalize_plate, normalize_vin
from bot.errors import AssignmentNotFoundError
from bot.pages.winformex.inbox import InboxPage
from bot.steps.screens import Screens


def find_insurance_assignment(
    screens: Screens, dossier: PlanManagerDossier, given: str | None, *, force: bool
) -> Assignment:
    """The given opdrachtnummer's assignment, or the one assignment in the inbox that matches.

    `given` was validated with the rest of the caller's input; it is only looked up here.
    """
    inbox = screens.wx_inbox
    if given:
        assignment = _look_up_given(inbox, given, dossier, force=force)
        logger.info("assignment {} given by the caller and found in Winformex", assignment.number)
        return assignment
    candidates: dict[str, Assignment] = {}
    for term in _search_terms(dossier.vin, dossier.plate, dossier.claim_number):
        inbox.search(term)
        for candidate in inbox.assignments():
            candidates.setdefault(candidate.number, candidate)
        try:
            found = match_assignment(dossier, list(candidates.values()))
        except AssignmentNotFoundError:
            continue
        if same_claim(found, dossier):
            break  # the dossier's own claim number decided: no later search can do better
    # Every search done (or the claim number decided): judge all candidates seen together, so
    # this damage's assignment found by plate beats last year's found by VIN.
    assignment = match_assignment(dossier, list(candidates.values()))
    logger.info("assignment {} matches the dossier", assignment.number)
    return assignment


def _look_up_given(
    inbox: InboxPage, number: str, dossier: PlanManagerDossier, *, force: bool
) -> Assignment:
    """The given opdrachtnummer's assignment, read from the inbox before anything is written.

    A well-formed number that Winformex does not know (a typo, another shop's) would otherwise
    only be refused at the 2e circuit save, after the dossier was injected: a fee for nothing.
    One linked to another Informex dossier is refused too, unless the caller forces it.
    """
    inbox.search(number)
    wanted = number.casefold()
    found = [a for a in inbox.assignments() if a.number.strip().casefold() == wanted]
    if not found:
        raise AssignmentNotFoundError(
            f"opdrachtnummer {number!r} (given for this dossier) is not in the Winformex inbox",
            screen=inbox.screen,
        )
    assignment = found[0]
    own = (dossier.informex_dossier or "").strip()
    linked = (assignment.linked_dossier or "").strip()
    if linked and linked != own and not force:
        raise AssignmentNotFoundError(
            f"opdrachtnummer {number!r} is already linked to Informex dossier {linked}; "
            "use --force only if that link is wrong",
            screen=inbox.screen,
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
