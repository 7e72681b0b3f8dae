"""Load and validate a seed document (docs/seed-format.md) into typed records.

A seed is written by hand, so every problem is reported as a SeedError naming the entry and the
field (`planmanager.dossiers[3] (PM-2026-0104).vehicle.first_registration: …`) instead of a
KeyError deep in the database code. Keys the portal does not use (`expected_status`, `note`,
`title` of the bot's own bookkeeping…) are ignored, as the format promises.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from mock_portal.i18n import DEFAULT_LANGUAGE, LANGUAGES
from mock_portal.models import (
    ENGINE_TYPES,
    Assignment,
    PmDossier,
    SecondCircuit,
    Seed,
    User,
    WxDossier,
)

# Numbers end up in URLs (/planmanager/dossiers/{nr}); keep them to URL-safe characters.
_SAFE_NUMBER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SAFE_FILE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


class SeedError(ValueError):
    """The seed document is malformed; the message names the bad entry and field."""


def load_seed_file(path: Path, photos_dir: Path | None = None) -> Seed:
    """Read a seed JSON file and validate it (photo files are checked in `photos_dir`)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise SeedError(f"cannot read seed file {path}: {exc.strerror or exc}") from exc
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SeedError(f"{path}: not valid JSON: {exc}") from exc
    return parse_seed(document, photos_dir)


def parse_seed(document: Any, photos_dir: Path | None = None) -> Seed:
    """Validate a seed document (already parsed JSON) and return its typed records."""
    root = _Obj(document, "seed")
    users = _parse_users(root.obj("users"))
    planmanager = root.obj("planmanager")
    pm_dossiers = [
        _parse_pm_dossier(entry, f"planmanager.dossiers[{i}]", photos_dir)
        for i, entry in enumerate(planmanager.list("dossiers"))
    ]
    _unique([d.number for d in pm_dossiers], "planmanager.dossiers")
    winformex = root.obj("winformex")
    assignments = [
        _parse_assignment(entry, f"winformex.assignments[{i}]")
        for i, entry in enumerate(winformex.list("assignments"))
    ]
    _unique([a.number for a in assignments], "winformex.assignments")
    by_pm = {d.number: d for d in pm_dossiers}
    known_assignments = {a.number for a in assignments}
    wx_dossiers = [
        _parse_wx_dossier(entry, f"winformex.dossiers[{i}]", by_pm, known_assignments)
        for i, entry in enumerate(winformex.list("dossiers", required=False))
    ]
    _unique([d.number for d in wx_dossiers], "winformex.dossiers")
    wx_dossiers += _implied_wx_dossiers(pm_dossiers, {d.number for d in wx_dossiers})
    return Seed(users, pm_dossiers, assignments, wx_dossiers)


def _implied_wx_dossiers(pm_dossiers: list[PmDossier], listed: set[str]) -> list[WxDossier]:
    """A PlanManager dossier already sent to Informex whose Informex dossier the seed omits.

    The format says a matching `winformex.dossiers` entry *should* exist; when it does not, the
    portal creates the one the injection would have made, so the two portals agree.
    """
    return [
        WxDossier(
            number=d.informex_dossier,
            planmanager_dossier=d.number,
            plate=d.plate,
            vin=d.vin,
            created_at="",
            photos=list(d.photos),
        )
        for d in pm_dossiers
        if d.informex_dossier and d.informex_dossier not in listed
    ]


def _unique(numbers: list[str], where: str) -> None:
    seen: set[str] = set()
    for number in numbers:
        if number in seen:
            raise SeedError(f"{where}: number {number!r} appears twice")
        seen.add(number)


def _parse_users(users: _Obj) -> list[User]:
    result: list[User] = []
    for portal in ("planmanager", "winformex"):
        names: set[str] = set()
        for i, entry in enumerate(users.list(portal)):
            obj = _Obj(entry, f"users.{portal}[{i}]")
            username = obj.required_text("username")
            password = obj.data.get("password")
            if not isinstance(password, str) or not password:
                raise SeedError(f"{obj.where}.password: missing")
            if username in names:
                raise SeedError(f"{obj.where}: username {username!r} appears twice")
            names.add(username)
            language = obj.text("language") or DEFAULT_LANGUAGE
            if language not in LANGUAGES:
                raise SeedError(f"{obj.where}.language: {language!r} is not one of nl, fr")
            name = obj.text("name") or username
            result.append(User(portal, username, name, password, language=language))
    return result


def _parse_pm_dossier(entry: Any, where: str, photos_dir: Path | None) -> PmDossier:
    obj = _Obj(entry, where)
    number = obj.number("number")
    obj.where = f"{where} ({number})"
    customer = obj.obj("customer", required=False)
    vehicle = obj.obj("vehicle", required=False)
    photos = [
        _photo(p, f"{obj.where}.photos[{i}]", photos_dir)
        for i, p in enumerate(obj.list("photos", required=False))
    ]
    informex = obj.text("informex_dossier")
    injections = obj.integer("injections")
    return PmDossier(
        number=number,
        title=obj.text("title") or "",
        status=obj.text("status") or "nieuw",
        customer_name=customer.text("name"),
        customer_phone=customer.text("phone"),
        plate=vehicle.text("plate"),
        vin=vehicle.text("vin"),
        make=vehicle.text("make"),
        model=vehicle.text("model"),
        first_registration=vehicle.date("first_registration"),
        mileage_km=vehicle.integer("mileage_km"),
        power_kw=vehicle.integer("power_kw"),
        displacement_cc=vehicle.integer("displacement_cc"),
        co2=vehicle.integer("co2"),
        engine_type=vehicle.engine_type("engine_type"),
        particle_filter=vehicle.boolean("particle_filter"),
        insurer=obj.text("insurer"),
        claim_number=obj.text("claim_number"),
        damage_date=obj.date("damage_date"),
        previous_damage=obj.boolean("previous_damage"),
        burglary=obj.boolean("burglary"),
        photos=photos,
        informex_dossier=informex,
        injections=injections if injections is not None else (1 if informex else 0),
    )


def _photo(value: Any, where: str, photos_dir: Path | None) -> str:
    if not isinstance(value, str) or not _SAFE_FILE.match(value):
        raise SeedError(f"{where}: expected a file name in fixtures/photos, got {value!r}")
    if photos_dir is not None and not (photos_dir / value).is_file():
        raise SeedError(f"{where}: photo {value!r} not found in {photos_dir}")
    return value


def _parse_assignment(entry: Any, where: str) -> Assignment:
    obj = _Obj(entry, where)
    number = obj.number("number")
    obj.where = f"{where} ({number})"
    return Assignment(
        number=number,
        insurer=obj.text("insurer"),
        claim_number=obj.text("claim_number"),
        plate=obj.text("plate"),
        vin=obj.text("vin"),
        date=obj.date("date"),
    )


def _parse_wx_dossier(
    entry: Any, where: str, pm_dossiers: Mapping[str, PmDossier], assignments: set[str]
) -> WxDossier:
    obj = _Obj(entry, where)
    number = obj.number("number")
    obj.where = f"{where} ({number})"
    pm_number = obj.text("planmanager_dossier")
    pm = pm_dossiers.get(pm_number) if pm_number else None
    if pm_number and pm is None:
        raise SeedError(
            f"{obj.where}.planmanager_dossier: no PlanManager dossier {pm_number!r} in the seed"
        )
    photo_files = list(pm.photos) if pm else []
    count = obj.integer("photos")
    if count is not None:
        if count > len(photo_files):
            raise SeedError(
                f"{obj.where}.photos: {count} photos, but {pm_number or 'no PlanManager dossier'}"
                f" has only {len(photo_files)}"
            )
        photo_files = photo_files[:count]
    circuit = _parse_second_circuit(obj.obj("second_circuit", required=False), assignments)
    return WxDossier(
        number=number,
        planmanager_dossier=pm_number,
        plate=obj.text("plate") or (pm.plate if pm else None),
        vin=obj.text("vin") or (pm.vin if pm else None),
        created_at=obj.text("created_at") or "",
        photos=photo_files,
        second_circuit=circuit,
    )


def _parse_second_circuit(obj: _Obj, assignments: set[str]) -> SecondCircuit:
    assignment = obj.text("assignment_number")
    if assignment and assignment not in assignments:
        raise SeedError(
            f"{obj.where}.assignment_number: no insurance assignment {assignment!r} in the seed"
        )
    mileage = obj.integer("mileage_km")
    filled = any(obj.data.get(key) not in (None, "", False) for key in obj.data if key != "saves")
    saves = obj.integer("saves")
    return SecondCircuit(
        assignment_number=assignment,
        vin=obj.text("vin"),
        first_registration=obj.date("first_registration"),
        previous_damage=bool(obj.boolean("previous_damage")),
        burglary=bool(obj.boolean("burglary")),
        mileage_km=mileage,
        mileage_unknown=bool(obj.boolean("mileage_unknown")),
        power_kw=obj.integer("power_kw"),
        displacement_cc=obj.integer("displacement_cc"),
        co2=obj.integer("co2"),
        engine_type=obj.engine_type("engine_type"),
        particle_filter=bool(obj.boolean("particle_filter")),
        saves=saves if saves is not None else (1 if filled else 0),
    )


class _Obj:
    """One JSON object of the seed, with typed getters that name `where` in their errors."""

    def __init__(self, data: Any, where: str) -> None:
        if data is None:
            data = {}
        if not isinstance(data, dict):
            raise SeedError(f"{where}: expected an object, got {type(data).__name__}")
        self.data: dict[str, Any] = data
        self.where = where

    def _fail(self, key: str, problem: str) -> SeedError:
        return SeedError(f"{self.where}.{key}: {problem}")

    def obj(self, key: str, *, required: bool = True) -> _Obj:
        if key not in self.data and required:
            raise self._fail(key, "missing")
        return _Obj(self.data.get(key), f"{self.where}.{key}" if self.where != "seed" else key)

    def list(self, key: str, *, required: bool = True) -> list[Any]:
        value = self.data.get(key)
        if value is None:
            if required and key not in self.data:
                raise self._fail(key, "missing (expected a list)")
            return []
        if not isinstance(value, list):
            raise self._fail(key, f"expected a list, got {type(value).__name__}")
        return value

    def text(self, key: str) -> str | None:
        value = self.data.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if not isinstance(value, str):
            raise self._fail(key, f"expected text, got {value!r}")
        return value.strip()

    def required_text(self, key: str) -> str:
        value = self.text(key)
        if value is None:
            raise self._fail(key, "missing")
        return value

    def number(self, key: str) -> str:
        value = self.required_text(key)
        if not _SAFE_NUMBER.match(value):
            raise self._fail(key, f"{value!r} may hold only letters, digits, '-', '_' and '.'")
        return value

    def integer(self, key: str) -> int | None:
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise self._fail(key, f"expected a whole number of 0 or more, got {value!r}")
        return value

    def boolean(self, key: str) -> bool | None:
        value = self.data.get(key)
        if value is None or isinstance(value, bool):
            return value
        raise self._fail(key, f"expected true, false or null, got {value!r}")

    def date(self, key: str) -> dt.date | None:
        value = self.text(key)
        if value is None:
            return None
        try:
            if not _ISO_DATE.match(value):
                raise ValueError(value)
            return dt.date.fromisoformat(value)
        except ValueError:
            raise self._fail(key, f"expected an ISO date YYYY-MM-DD, got {value!r}") from None

    def engine_type(self, key: str) -> str | None:
        value = self.text(key)
        if value is not None and value not in ENGINE_TYPES:
            raise self._fail(key, f"{value!r} is not one of {', '.join(ENGINE_TYPES)}")
        return value
