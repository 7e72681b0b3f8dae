"""Which insurance assignment belongs to a PlanManager dossier, decided without a browser.

Shops search the Winformex inbox by plate; the bot matches on the VIN first because a plate
belongs to the holder, not the car (a car can change plates), then on the plate, then on the
claim number. VINs, plates and claim numbers are compared as people write them: without dots,
slashes, dashes, spaces or underscores, and whatever their case (`31.447.902` is `31447902`).

One car may have several unlinked assignments (two claims, or an insurer's assignment sent
twice): the one whose claim number (and insurer, when both sides name one) is the dossier's is
taken. Linking the wrong assignment sends the estimate to the wrong insurer file, so beyond that
the bot never guesses: several candidates, or none, is a business error whose message names
every candidate seen, one line each, with why it was not taken (another VIN, linked to another
Informex dossier, another claim number…), so a person need not search the inbox again.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from bot.domain.models import Assignment, PlanManagerDossier
from bot.domain.validation import normalize_plate, normalize_vin
from bot.errors import AmbiguousAssignmentError, AssignmentNotFoundError

_CLAIM_SEPARATORS = re.compile(r"[\s./\-_]+")
_WORDS = re.compile(r"[^\W_]+")
CANDIDATE_LINES_MAX = 12
"""Most candidates a message gives a line of its own (the rest are counted)."""


def normalize_claim(raw: str | None) -> str:
    """A claim number without dots, slashes, dashes, spaces or underscores, upper case:
    `31.447.902` → `31447902`, `ETH/2026/55817` and `eth-2026-55817` → `ETH202655817`."""
    return _CLAIM_SEPARATORS.sub("", raw or "").upper()


def _insurer_words(raw: str | None) -> tuple[str, ...]:
    return tuple(_WORDS.findall((raw or "").casefold()))


def same_insurer(one: str | None, other: str | None) -> bool | None:
    """None when either is unknown; else whether they name the same insurer, the shorter name
    being the start of the longer (`AXA` and `AXA Belgium`, `P&V` and `P&V Verzekeringen`)."""
    first, second = _insurer_words(one), _insurer_words(other)
    if not first or not second:
        return None
    shorter, longer = sorted((first, second), key=len)
    return longer[: len(shorter)] == shorter


def _one_line(raw: str | None) -> str:
    """A value as a message quotes it: stripped, any run of white space (a line break in a
    portal's cell) one space, so each candidate keeps to its one line."""
    return " ".join((raw or "").split())


def _normalize_number(raw: str | None) -> str:
    return (raw or "").strip().upper()


@dataclass(frozen=True)
class _Criterion:
    """One level of the search: its name in messages, the dossier's key, a candidate's key, and
    the dossier's value as a message shows it (the key itself, but a claim number as written)."""

    name: str
    wanted: str
    key: Callable[[Assignment], str]
    by_vin: bool = False
    shown: str = ""

    @property
    def searched(self) -> str:
        return f"{self.name} {self.shown or self.wanted}"


def _criteria(dossier: PlanManagerDossier) -> list[_Criterion]:
    return [
        _Criterion("VIN", normalize_vin(dossier.vin), lambda a: normalize_vin(a.vin), by_vin=True),
        _Criterion("plate", normalize_plate(dossier.plate), lambda a: normalize_plate(a.plate)),
        _Criterion(
            "claim number",
            normalize_claim(dossier.claim_number),
            lambda a: normalize_claim(a.claim_number),
            shown=_one_line(dossier.claim_number),
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


def _linked_here(candidate: Assignment, dossier: PlanManagerDossier) -> bool:
    linked = _normalize_number(candidate.linked_dossier)
    return bool(linked) and linked == _normalize_number(dossier.informex_dossier)


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


def same_claim(candidate: Assignment, dossier: PlanManagerDossier) -> bool:
    """True when the assignment carries the dossier's own claim number (this damage's file)."""
    wanted = normalize_claim(dossier.claim_number)
    return bool(wanted) and normalize_claim(candidate.claim_number) == wanted


def _for_this_car(dossier: PlanManagerDossier, candidates: list[Assignment]) -> list[Assignment]:
    """Every candidate any criterion finds for the dossier's car (none with another VIN)."""
    dossier_vin = normalize_vin(dossier.vin)
    return [
        c
        for c in candidates
        if any(
            criterion.wanted
            and criterion.key(c) == criterion.wanted
            and (criterion.by_vin or not _other_car(c, dossier_vin))
            for criterion in _criteria(dossier)
        )
    ]


def _narrowed(
    dossier: PlanManagerDossier,
    criterion: _Criterion,
    found: list[Assignment],
    for_car: list[Assignment],
) -> tuple[_Criterion, list[Assignment]]:
    """What decides, and the assignments it leaves: one is the match, several an ambiguity.

    A car may have several assignments (another claim, an assignment sent twice). The one
    already linked to this dossier's Informex dossier is it (a rerun). Else the dossier's claim
    number names the damage: the one assignment of the car with that claim number and no other
    insurer is it, whatever level found it; of several such, the one that names the dossier's
    insurer too; else those several are the ambiguity. Without any, the deciding criterion's
    own finding stands (VIN, else plate, else claim number).
    """
    here = [c for c in for_car if _linked_here(c, dossier)]
    if len(here) == 1:
        return criterion, here
    with_claim = [
        c
        for c in for_car
        if same_claim(c, dossier) and same_insurer(c.insurer, dossier.insurer) is not False
    ]
    if with_claim:
        named = [c for c in with_claim if same_insurer(c.insurer, dossier.insurer)]
        claim = next(c for c in _criteria(dossier) if c.name == "claim number")
        return claim, named if len(named) == 1 else with_claim
    return criterion, found


def match_assignment(dossier: PlanManagerDossier, candidates: Iterable[Assignment]) -> Assignment:
    """The one assignment that belongs to `dossier`, by VIN, else plate, else claim number.

    An assignment linked to an Informex dossier other than `dossier.informex_dossier` is out.
    Of several assignments for the car, the dossier's claim number (and insurer) decides
    (`_narrowed`). Raises AmbiguousAssignmentError when that does not decide, and
    AssignmentNotFoundError when none is left; both messages give each candidate seen a line
    saying why it was not taken.
    """
    unique = _dedupe(candidates)
    available = [c for c in unique if not _linked_elsewhere(c, dossier)]
    match = _first_level(dossier, available)
    if match is None:
        raise AssignmentNotFoundError(_not_found_message(dossier, unique))
    criterion, found = _narrowed(dossier, *match, _for_this_car(dossier, available))
    if len(found) == 1:
        return found[0]
    numbers = [c.number for c in found]
    head = (
        f"{len(found)} insurance assignments match {criterion.searched}: "
        f"{', '.join(numbers)}; give the right opdrachtnummer explicitly"
    )
    others = [c for c in unique if c not in found]
    lines = [_line(c, _why_tied(c, dossier)) for c in found]
    lines += [_line(c, _why_set_aside(c, dossier)) for c in others]
    raise AmbiguousAssignmentError(head + _listed(lines), candidates=numbers)


def _not_found_message(dossier: PlanManagerDossier, unique: list[Assignment]) -> str:
    searched = [c.searched for c in _criteria(dossier) if c.wanted]
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
    return message + _listed([_line(c, _why_set_aside(c, dossier)) for c in unique])


# --- why each candidate was not taken: one line each -----------------------------------------
#
# A line is `- IX-… (insurer): item; item…`, each item one of a few fixed phrases (`same VIN`,
# `other claim number …`, `no plate`, `linked to another Informex dossier …`), so a line reads
# on its own and the report can put each phrase in the office's language.


@dataclass(frozen=True)
class _Comparison:
    """A candidate held against the dossier, key by key (only keys both sides know compare)."""

    same: list[str]  # `same VIN`, `same plate`, `same claim number`
    other: list[str]  # `other VIN X`, `other plate Y`, `other claim number Z` (as it writes them)
    lacks: list[str]  # `no VIN`…: keys the dossier has and the candidate does not
    other_insurer: str | None  # `other insurer X`, when both sides name one and they differ


def _compare(candidate: Assignment, dossier: PlanManagerDossier) -> _Comparison:
    same: list[str] = []
    other: list[str] = []
    lacks: list[str] = []
    written = {
        "VIN": candidate.vin,
        "plate": candidate.plate,
        "claim number": candidate.claim_number,
    }
    for criterion in _criteria(dossier):
        if not criterion.wanted:
            continue
        theirs = criterion.key(candidate)
        if not theirs:
            lacks.append(f"no {criterion.name}")
        elif theirs == criterion.wanted:
            same.append(f"same {criterion.name}")
        else:
            other.append(f"other {criterion.name} {_one_line(written[criterion.name])}")
    other_insurer = None
    if same_insurer(candidate.insurer, dossier.insurer) is False:
        other_insurer = f"other insurer {_one_line(candidate.insurer)}"
    return _Comparison(same, other, lacks, other_insurer)


def _why_set_aside(candidate: Assignment, dossier: PlanManagerDossier) -> str:
    """Why it is out (`linked to another Informex dossier …`, `other VIN …`, else what it
    lacks), then what it shares with the dossier."""
    seen = _compare(candidate, dossier)
    reasons: list[str] = []
    if _linked_elsewhere(candidate, dossier):
        reasons.append(f"linked to another Informex dossier {_one_line(candidate.linked_dossier)}")
    reasons += seen.other
    return "; ".join((reasons or seen.lacks) + seen.same)


def _why_tied(candidate: Assignment, dossier: PlanManagerDossier) -> str:
    """What it shares with the dossier, then what kept it from being the one (another claim
    number or insurer, no claim number)."""
    seen = _compare(candidate, dossier)
    items = seen.same + seen.other + [item for item in seen.lacks if item == "no claim number"]
    return "; ".join(items + ([seen.other_insurer] if seen.other_insurer else []))


def _line(candidate: Assignment, why: str) -> str:
    insurer = _one_line(candidate.insurer)
    return f"- {_one_line(candidate.number)}{f' ({insurer})' if insurer else ''}: {why}"


def _listed(lines: list[str]) -> str:
    """The candidates' lines under the message, the first `CANDIDATE_LINES_MAX` of them."""
    if not lines:
        return ""
    kept = lines[:CANDIDATE_LINES_MAX]
    if len(lines) > len(kept):
        kept.append(f"- and {len(lines) - len(kept)} more")
    return "\n" + "\n".join(kept)
