"""Which insurance assignment belongs to a PlanManager dossier, decided without a browser.

Shops search the Winformex inbox by plate; the bot matches on the VIN first because a plate
belongs to the holder, not the car (a car can change plates), then on the plate, then on the
claim number. Linking the wrong assignment sends the estimate to the wrong insurer file, so the
bot never guesses: several candidates, or none, is a business error that names what it saw.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from bot.domain.models import Assignment, PlanManagerDossier
from bot.domain.validation import normalize_plate, normalize_vin
from bot.errors import AmbiguousAssignmentError, AssignmentNotFoundError


def normalize_claim(raw: str | None) -> str:
    """Claim numbers compared stripped, upper case, without spaces."""
    return "".join((raw or "").split()).upper()


def _normalize_number(raw: str | None) -> str:
    return (raw or "").strip().upper()


@dataclass(frozen=True)
class _Criterion:
    """One level of the search: its name in messages, the dossier's key, a candidate's key."""

    name: str
    wanted: str
    key: Callable[[Assignment], str]
    by_vin: bool = False


def _criteria(dossier: PlanManagerDossier) -> list[_Criterion]:
    return [
        _Criterion("VIN", normalize_vin(dossier.vin), lambda a: normalize_vin(a.vin), by_vin=True),
        _Criterion("plate", normalize_plate(dossier.plate), lambda a: normalize_plate(a.plate)),
        _Criterion(
            "claim number",
            normalize_claim(dossier.claim_number),
            lambda a: normalize_claim(a.claim_number),
        ),
    ]


def _dedupe(candidates: Iterable[Assignment]) -> list[Assignment]:
    """The first of each opdrachtnummer: the inbox and a search may list one assignment twice."""
    seen: set[str] = set()
    unique: list[Assignment] = []
    for candidate in candidates:
        number = _normalize_number(candidate.number)
        if number not in seen:
            seen.add(number)
            unique.append(candidate)
    return unique


def _linked_elsewhere(candidate: Assignment, dossier: PlanManagerDossier) -> bool:
    linked = _normalize_number(candidate.linked_dossier)
    return bool(linked) and linked != _normalize_number(dossier.informex_dossier)


def _other_car(candidate: Assignment, dossier_vin: str) -> bool:
    """A candidate with a VIN that is not the dossier's is another car, whatever its plate."""
    candidate_vin = normalize_vin(candidate.vin)
    return bool(candidate_vin and dossier_vin and candidate_vin != dossier_vin)


def _first_level(
    dossier: PlanManagerDossier, candidates: list[Assignment]
) -> tuple[_Criterion, list[Assignment]] | None:
    """The first criterion that finds any candidate, with the candidates it finds."""
    dossier_vin = normalize_vin(dossier.vin)
    for criterion in _criteria(dossier):
        if not criterion.wanted:
            continue
        found = [
            c
            for c in candidates
            if criterion.key(c) == criterion.wanted
            and (criterion.by_vin or not _other_car(c, dossier_vin))
        ]
        if found:
            return criterion, found
    return None


def match_assignment(dossier: PlanManagerDossier, candidates: Iterable[Assignment]) -> Assignment:
    """The one assignment that belongs to `dossier`, by VIN, else plate, else claim number.

    An assignment linked to an Informex dossier other than `dossier.informex_dossier` is out.
    Raises AmbiguousAssignmentError when the deciding criterion finds several, and
    AssignmentNotFoundError when none is left (naming those excluded as linked elsewhere).
    """
    unique = _dedupe(candidates)
    available = [c for c in unique if not _linked_elsewhere(c, dossier)]
    match = _first_level(dossier, available)
    if match is None:
        raise AssignmentNotFoundError(_not_found_message(dossier, unique))
    criterion, found = match
    if len(found) > 1:
        numbers = [c.number for c in found]
        raise AmbiguousAssignmentError(
            f"{len(found)} insurance assignments match {criterion.name} {criterion.wanted}: "
            f"{', '.join(numbers)}; give the right opdrachtnummer explicitly",
            candidates=numbers,
        )
    return found[0]


def _not_found_message(dossier: PlanManagerDossier, unique: list[Assignment]) -> str:
    searched = [f"{c.name} {c.wanted}" for c in _criteria(dossier) if c.wanted]
    if not searched:
        return (
            "No insurance assignment can be searched: the dossier has no VIN, plate or claim number"
        )
    message = (
        f"No insurance assignment matches {', '.join(searched)} "
        f"(searched {len(unique)} assignment{'s' if len(unique) != 1 else ''})"
    )
    excluded = [c for c in unique if _linked_elsewhere(c, dossier)]
    hit = _first_level(dossier, excluded)
    if hit is not None:
        criterion, found = hit
        linked = ", ".join(f"{c.number} (linked to {c.linked_dossier})" for c in found)
        message += f"; matching by {criterion.name} but already linked to another dossier: {linked}"
    return message
