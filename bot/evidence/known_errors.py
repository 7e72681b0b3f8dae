"""The messages a person must act on, recognised in the English the bot raised them in.

The bot raises its errors in English (bot/steps, bot/domain, bot/errors.py and the engine's
reasons for stopping a run); logs and results.json keep that text, for engineers and for tools.
When the report or the notification shows one to an office, `explain` matches it against the
patterns below and writes the catalogue's entry (`error.*`, `reason.*`, `run_error.*`) in the
office's language, filled with what the pattern captured: numbers, quoted values, portal text
as it is. The catalogue's English entry *is* the raised text with those pieces put back, which
tests hold for every pattern.

What the pieces are follows from their group names:

- `inner`: a whole message again (a run stopped because of a login refused...);
- `field`: a field (`vin`, `vehicle.vin`), named as the catalogue names it when it knows it;
- `reason`: why a value was refused, one of `REASONS`;
- `criterion`: VIN, plate or claim number; `searched`, `linked_list`, `differences`: lists of
  those pieces; `candidates`: the lines under a no-match or an ambiguity, one per candidate seen
  (`- IX-… (insurer): same VIN; other claim number …`);
- `count`, `km`: numbers, written the language's way (`count` also picks `.one`/`.other`);
- anything else: shown as it was.

A message no pattern knows (a system error's technical detail, a message changed at its raise
site) is shown as it is, in English, never half translated; `Explained.known` says which it was.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from bot.evidence.texts import Texts


@dataclass(frozen=True)
class Known:
    """One recognised message: its catalogue key and the pattern of its English text."""

    key: str
    pattern: re.Pattern[str]
    plural: bool = False  # the catalogue has `key.one` and `key.other`, chosen by `count`


def _known(key: str, pattern: str, *, plural: bool = False) -> Known:
    return Known(key, re.compile(pattern, re.DOTALL), plural)


_Q = r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\""  # a value as Python's repr() quotes it
_CRITERION = r"VIN|plate|claim number"
_CANDIDATES = r"(?P<candidates>(?:\n- [^\n]*)*)"  # a line per candidate seen (bot/domain)

ERRORS: tuple[Known, ...] = (
    # reasons a run stopped short (bot/engine)
    _known("run_error.no_dossier_started", r"no dossier was started: (?P<inner>.+)"),
    _known("run_error.worker_crashed", r"a worker stopped on an unexpected error: (?P<detail>.+)"),
    _known(
        "run_error.in_a_row",
        r"(?P<count>\d+) dossiers in a row ended system_error: a portal looks down "
        r"\(or refuses us\); the last error: (?P<inner>.+)",
    ),
    _known(
        "run_error.relogin_refused", r"a portal refused a new login during the run: (?P<inner>.+)"
    ),
    _known(
        "run_error.no_room",
        r"only (?P<free>\d+) MB free in (?P<folder>.+), (?P<need>\d+) MB needed before a write "
        r"to a portal \(BOT_MIN_FREE_MB\)",
    ),
    _known(
        "run_error.login_throttled",
        rf"(?P<portal>\w+) is throttling logins of (?P<user>{_Q}) \((?P<portal_text>.+)\); the "
        r"bot stopped trying so as not to lock the account: wait until the portal allows "
        r"logins again, check the credentials, then run again",
    ),
    _known(
        "run_error.login_refused",
        rf"(?P<portal>\w+) refused the login of (?P<user>{_Q}): (?P<portal_text>.+)",
    ),
    # business errors of one dossier (bot/steps, bot/domain, bot/pages, the ledger)
    _known("error.line", r"line (?P<line>\d+): (?P<inner>.+)"),
    _known(
        "error.incomplete",
        r"dossier is incomplete, missing: (?P<missing>.+); complete it in PlanManager",
    ),
    _known(
        "error.assignment_not_in_inbox",
        rf"opdrachtnummer (?P<number>{_Q}) \(given for this dossier\) is not in the Winformex "
        r"inbox",
    ),
    _known(
        "error.assignment_linked_elsewhere",
        rf"opdrachtnummer (?P<number>{_Q}) is already linked to Informex dossier (?P<linked>.+); "
        r"use --force only if that link is wrong",
    ),
    _known(
        "error.not_as_written",
        r"2e circuit of (?P<informex>\S+) does not hold what was written "
        r"\((?P<differences>.+)\); not reported linked",
    ),
    _known(
        "error.shows_other_assignment",
        rf"2e circuit shows opdrachtnummer (?P<shown>{_Q}|None), expected (?P<expected>.+)",
    ),
    _known(
        "error.shows_other_vin",
        rf"2e circuit shows VIN (?P<shown>{_Q}|None), expected (?P<expected>.+)",
    ),
    _known(
        "error.photos_missing",
        r"only (?P<photos>\d+) of (?P<expected>\d+) photos arrived in Informex",
    ),
    _known(
        "error.link_conflict",
        r"2e circuit of (?P<informex>\S+) already holds opdrachtnummer (?P<current>\S+), not "
        r"(?P<target>\S+); not overwritten \(rerun with --force to replace it\)",
    ),
    _known(
        "error.duplicate",
        r"duplicate Informex dossiers (?P<numbers>.+) for (?P<dossier>.+): remove one in "
        r"Winformex \(the 2e circuit was filled on (?P<informex>.+), the one PlanManager shows\)",
    ),
    _known(
        "error.imported_from_other",
        rf"Informex dossier (?P<informex>\S+) was imported from (?P<source>{_Q}), "
        r"not from (?P<number>.+)",
    ),
    _known(
        "error.ambiguous",
        rf"(?P<count>\d+) insurance assignments match (?P<criterion>{_CRITERION}) "
        r"(?P<wanted>[^\n]+?): (?P<numbers>[^\n]+); give the right opdrachtnummer explicitly"
        + _CANDIDATES,
    ),
    _known(
        "error.nothing_to_search",
        r"No insurance assignment can be searched: the dossier has no VIN, plate or claim number",
    ),
    _known(
        "error.no_match_linked",
        r"No insurance assignment matches (?P<searched>[^\n]+) \(searched (?P<count>\d+) "
        rf"assignments?\); matching by (?P<criterion>{_CRITERION}) but already linked to "
        r"another dossier: (?P<linked_list>[^\n]+)" + _CANDIDATES,
        plural=True,
    ),
    _known(
        "error.no_match",
        r"No insurance assignment matches (?P<searched>[^\n]+) \(searched (?P<count>\d+) "
        r"assignments?\)" + _CANDIDATES,
        plural=True,
    ),
    _known("error.wx_no_dossier", rf"Winformex has no dossier (?P<number>{_Q})"),
    _known("error.pm_no_dossier", rf"PlanManager has no dossier (?P<number>{_Q})"),
    _known("error.wx_refused", r"Winformex refused the 2e circuit data: (?P<portal_text>.+)"),
    _known("error.pm_refused_injection", r"PlanManager refused the injection: (?P<portal_text>.+)"),
    _known("error.pm_no_number", r"PlanManager shows no Informex dossier number after injection"),
    _known("error.pm_refused_new", r"PlanManager refused the new dossier: (?P<portal_text>.+)"),
    _known("error.busy", r"busy: another process is working on it \((?P<who>.+)\)"),
    # a refused value: `field: reason (value 'x')`, last, as the most general
    _known("error.validation", r"(?P<field>[^:\n]+?): (?P<reason>.+) \(value (?P<value>.*)\)"),
)
"""Whole messages, most specific first (the first pattern that matches all of it wins)."""

REASONS: tuple[Known, ...] = (
    _known("reason.missing_mileage", r"is missing \(give the mileage or mark it unknown\)"),
    _known("reason.missing", r"is missing"),
    _known("reason.letters_digits", r"may only contain letters A–Z and digits"),
    _known("reason.length", r"must be (?P<expected>\d+) characters long, not (?P<length>\d+)"),
    _known(
        "reason.length_between",
        r"must be (?P<low>\d+) to (?P<high>\d+) characters long, not (?P<length>\d+)",
    ),
    _known("reason.vin_ioq", r"contains I, O or Q, which a VIN never uses"),
    _known("reason.fake_chassis", r"is an obviously fake chassis number"),
    _known("reason.not_calendar_date", r"is not a real calendar date"),
    _known("reason.not_date", r"is not a date \(expected dd/mm/yyyy\)"),
    _known("reason.future", r"is in the future"),
    _known("reason.before_1900", r"is before 1900"),
    _known("reason.not_whole_km", r"is not a whole number of kilometres"),
    _known("reason.not_whole", r"is not a whole number"),
    _known("reason.negative", r"must not be negative"),
    _known("reason.too_many_km", r"is more than (?P<km>[\d,]+) km"),
    _known("reason.km_and_unknown", r"is given but the mileage is also marked unknown"),
    _known("reason.outside", r"is outside (?P<low>-?\d+)\.\.(?P<high>-?\d+)"),
    _known("reason.engine_type", r"is not an engine type \((?P<types>.+)\)"),
    _known("reason.yes_no", r"is not a yes/no value \(ja/nee, yes/no, true/false, 1/0, x\)"),
    _known("reason.pattern", r"does not match the opdrachtnummer pattern (?P<pattern>.+)"),
    _known("reason.control", r"contains control characters"),
    _known(
        "reason.longer_than_length", r"is longer than (?P<max>\d+) characters \((?P<length>\d+)\)"
    ),
    _known("reason.longer_than", r"is longer than (?P<max>\d+) characters"),
    _known("reason.dossier_chars", r"may only contain letters, digits and - _ \. /"),
    _known("reason.path_segments", r"must not contain empty, '\.' or '\.\.' path segments"),
    _known(
        "reason.portal_max",
        r"is (?P<length>\d+) characters long; the portal's field takes at most (?P<max>\d+)",
    ),
    _known(
        "reason.planmanager_max",
        r"is (?P<length>\d+) characters long; PlanManager's field takes at most (?P<max>\d+)",
    ),
    _known("reason.not_a_field", r"is not a 2e circuit field \(known: (?P<known>.+)\)"),
    _known("reason.duplicate_line", r"is a duplicate of line (?P<first>\d+), which runs"),
    _known("reason.single_value", r"must be a single value"),
    _known("reason.no_column_name", r"holds a value but has no column name"),
    _known("reason.formula", r"starts like a spreadsheet formula \(= \+ - @\); refused"),
    _known("reason.twice", r"is given twice in this row"),
    _known("reason.required_create", r"is required to create the dossier"),
    _known("reason.not_json", r"cannot be read as JSON: (?P<detail>.+)"),
    _known("reason.one_object", r"must hold one JSON object"),
    _known("reason.objects", r"vehicle and customer must be objects"),
    _known("reason.not_json_object", r"is not a JSON object but (?P<kind>\w+)"),
)
"""Why a value was refused, as `{field}: {reason} (value …)` says it."""

_WHERE = re.compile(r"(?P<core>.+) \[(?P<where>(?:dossier|step|screen) [^\[\]]*)\]", re.DOTALL)
_WHERE_PART = re.compile(r"(?P<name>dossier|step|screen) (?P<value>.*)", re.DOTALL)
_DIFFERENCE = re.compile(r"(?P<field>[^:;]+): wrote (?P<wrote>.*?), read (?P<read>.*)", re.DOTALL)
_LINKED_TO = re.compile(r"(?P<number>\S+) \(linked to (?P<dossier>[^()]+)\)")
_SEARCHED = re.compile(rf"(?P<criterion>{_CRITERION}) (?P<value>.+)", re.DOTALL)
_CANDIDATE = re.compile(r"- (?P<number>\S+)(?: \((?P<insurer>[^()]*)\))?: (?P<why>.+)")
_MORE_CANDIDATES = re.compile(r"- and (?P<count>\d+) more")
_CANDIDATE_ITEMS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("error.candidate.same", re.compile(rf"same (?P<criterion>{_CRITERION})")),
    ("error.candidate.differs", re.compile(rf"other (?P<criterion>{_CRITERION}) (?P<value>.+)")),
    ("error.candidate.none", re.compile(rf"no (?P<criterion>{_CRITERION})")),
    ("error.candidate.other_insurer", re.compile(r"other insurer (?P<insurer>.+)")),
    (
        "error.candidate.linked_elsewhere",
        re.compile(r"linked to another Informex dossier (?P<dossier>.+)"),
    ),
)
_CRITERIA = {
    "VIN": "criterion.vin",
    "plate": "criterion.plate",
    "claim number": "criterion.claim_number",
}


@dataclass(frozen=True)
class Explained:
    """A message as a person reads it: in their language when known, and as it was raised."""

    text: str
    original: str
    known: bool  # every part was recognised (else: `text` is, or holds, English)
    brief: str = ""  # `text` without its `[dossier …, step …, screen …]`, for lists

    @property
    def translated(self) -> bool:
        return self.text != self.original


def explain(message: object, texts: Texts) -> Explained | None:
    """The message in `texts`' language (English: as raised), or None for no message."""
    if message is None or message == "":
        return None
    original = str(message)
    where = _WHERE.fullmatch(original)
    core = where["core"] if where else original
    if texts.language == "en":
        return Explained(original, original, True, core)
    brief, known = _core(core, texts)
    if where is None:
        return Explained(brief, original, known, brief)
    if brief == core:  # not recognised: the whole message stays as raised
        return Explained(original, original, False, core)
    return Explained(f"{brief} {_where(where['where'], texts)}", original, known, brief)


def is_known(message: str) -> bool:
    """True when a pattern recognises the whole message (for tests and for the catalogue)."""
    explained = explain(message, Texts("nl"))
    return bool(explained and explained.known)


def _message(text: str, texts: Texts) -> tuple[str, bool]:
    """A message nested in another (`no dossier was started: …`), in the language."""
    explained = explain(text, texts)
    return (explained.text, explained.known) if explained else (text, True)


def _where(where: str, texts: Texts) -> str:
    pieces = re.split(r", (?=(?:step|screen) )", where)
    return texts("error.where", where=", ".join(_where_part(piece, texts) for piece in pieces))


def _where_part(part: str, texts: Texts) -> str:
    match = _WHERE_PART.fullmatch(part)
    if match is None:
        return part
    name, value = match["name"], match["value"]
    return texts(f"error.where.{name}", value=texts.step(value) if name == "step" else value)


def _core(text: str, texts: Texts) -> tuple[str, bool]:
    return _first(ERRORS, text, texts)


def _first(patterns: tuple[Known, ...], text: str, texts: Texts) -> tuple[str, bool]:
    for known in patterns:
        match = known.pattern.fullmatch(text)
        if match is None:
            continue
        values: dict[str, str] = {}
        complete = True
        for name, piece in match.groupdict().items():
            values[name], ok = _piece(name, piece or "", texts)
            complete = complete and ok
        key = known.key
        if known.plural:
            key = texts.plural_key(key, int(match["count"]))
        return texts(key, **values), complete
    return text, False


def _piece(name: str, piece: str, texts: Texts) -> tuple[str, bool]:
    """One captured piece in the language, and whether it was recognised."""
    if name == "inner":
        return _message(piece, texts)
    if name == "reason":
        return _first(REASONS, piece, texts)
    if name == "field":
        return _field(piece, texts), True
    if name == "criterion":
        return texts(_CRITERIA[piece]), True
    if name in ("count", "km"):
        return texts.number(int(piece.replace(",", ""))), True
    if name == "searched":
        return _list(piece, ", ", _SEARCHED, lambda m: _searched(m, texts))
    if name == "linked_list":
        return _list(piece, ", ", _LINKED_TO, lambda m: texts("error.linked_to", **m.groupdict()))
    if name == "differences":
        return _list(piece, "; ", _DIFFERENCE, lambda m: _difference(m, texts))
    if name == "candidates":
        return _candidates(piece, texts)
    return piece, True


def _list(
    piece: str, separator: str, pattern: re.Pattern[str], render: Callable[[re.Match[str]], str]
) -> tuple[str, bool]:
    """A list of items, each recognised one rendered; the others stay as they were."""
    items = []
    complete = True
    for item in piece.split(separator):
        match = pattern.fullmatch(item)
        complete = complete and match is not None
        items.append(item if match is None else render(match))
    return separator.join(items), complete


def _candidates(piece: str, texts: Texts) -> tuple[str, bool]:
    """The lines under a no-match or an ambiguity, each in the language (a line or a phrase not
    recognised stays as it was)."""
    shown = ""
    complete = True
    for line in piece.split("\n")[1:]:  # the piece starts with its first line's newline
        text, known = _candidate(line, texts)
        shown += "\n" + text
        complete = complete and known
    return shown, complete


def _candidate(line: str, texts: Texts) -> tuple[str, bool]:
    """`- IX-… (insurer): same VIN; other claim number …` in the language."""
    if more := _MORE_CANDIDATES.fullmatch(line):
        return texts("error.candidate.more", count=texts.number(int(more["count"]))), True
    match = _CANDIDATE.fullmatch(line)
    if match is None:
        return line, False
    items = []
    complete = True
    for item in match["why"].split("; "):
        text, known = _candidate_item(item, texts)
        items.append(text)
        complete = complete and known
    insurer = f" ({match['insurer']})" if match["insurer"] else ""
    shown = texts("error.candidate", number=match["number"], insurer=insurer, why="; ".join(items))
    return shown, complete


def _candidate_item(item: str, texts: Texts) -> tuple[str, bool]:
    for key, pattern in _CANDIDATE_ITEMS:
        if match := pattern.fullmatch(item):
            values = match.groupdict()
            if "criterion" in values:
                values["criterion"] = texts(_CRITERIA[values["criterion"]])
            return texts(key, **values), True
    return item, False


def _searched(match: re.Match[str], texts: Texts) -> str:
    criterion = texts(_CRITERIA[match["criterion"]])
    return texts("error.searched", criterion=criterion, value=match["value"])


def _difference(match: re.Match[str], texts: Texts) -> str:
    field = _field(match["field"], texts)
    return texts("error.difference", field=field, wrote=match["wrote"], read=match["read"])


def _field(name: str, texts: Texts) -> str:
    """`vin`, `vehicle.vin` or `customer.name` as the catalogue names the field; else as is."""
    plain = name.strip()
    if "." in plain:
        head, _, last = plain.rpartition(".")
        plain = head if last == "name" else last
    return texts.field(plain) or name
