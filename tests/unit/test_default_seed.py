"""The default seed (fixtures/portal_seed.json) keeps the promises docs/seed-format.md makes.

The demo compares each dossier's result with its `expected_status`, so the seed must really
hold what it says: every `linked` dossier finds exactly one assignment (by VIN, then plate, then
claim number, as the bot searches), every `business_error` dossier is broken for the reason its
note gives, numbers are unique and every photo exists. Stdlib only: this reads the JSON as the
portal would, without importing the bot or the portal.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
SEED_PATH = ROOT / "fixtures" / "portal_seed.json"
PHOTOS = ROOT / "fixtures" / "photos"
TODAY = dt.date(2026, 11, 28)

ENGINE_TYPES = {"diesel", "benzine", "hybride", "elektrisch", "LPG", "CNG"}
INSURERS = {
    "AG Insurance",
    "AXA Belgium",
    "Baloise",
    "Ethias",
    "KBC Verzekeringen",
    "Belfius Verzekeringen",
    "P&V",
    "Allianz Benelux",
    "Generali",
    "DVV",
    "Vivium",
    "Corona Direct",
}
# World manufacturer identifiers used in the seed and the makes they belong to.
WMI = {
    "WVW": {"Volkswagen"},
    "WVG": {"Volkswagen"},
    "WAU": {"Audi"},
    "WBA": {"BMW"},
    "WDD": {"Mercedes-Benz"},
    "W1K": {"Mercedes-Benz"},
    "VF1": {"Renault"},
    "VF3": {"Peugeot"},
    "VR3": {"Peugeot"},
    "VF7": {"Citroën"},
    "UU1": {"Dacia"},
    "TMB": {"Škoda"},
    "YV1": {"Volvo"},
    "ZFA": {"Fiat"},
    "U5Y": {"Kia"},
    "TMA": {"Hyundai"},
    "SB1": {"Toyota"},
    "SJN": {"Nissan"},
    "LRW": {"Tesla"},
    "WF0": {"Ford"},
    "VSS": {"Seat"},
}
REQUIRED_FOR_INJECTION = ("plate", "vin", "make", "model", "first_registration")

VIN = re.compile(r"^[A-HJ-NPR-Z0-9]{17}$")
NEW_PLATE = re.compile(r"^[1-2][A-NP-Z]{3}[0-9]{3}$")  # 1-ABC-234, without O
OLD_PLATE = re.compile(r"^[A-NP-Z]{3}[0-9]{3}$")  # ABC-123 (1973-2008)
PLATE_SHAPE = re.compile(r"^(?:[1-2]-[A-Z]{3}-[0-9]{3}|[1-2][A-Z]{3}[0-9]{3}|[A-Z]{3}-?[0-9]{3})$")
PHONE = re.compile(r"^0\d{1,3}/\d{2,3}(?:\.\d{2}){2}$")
PM_NUMBER = re.compile(r"^PM-2026-\d{4}$")
IX_NUMBER = re.compile(r"^IX-\d{4}-\d{6}$")
WX_NUMBER = re.compile(r"^WX-\d{4}-\d{6}$")


def load() -> dict[str, Any]:
    return json.loads(SEED_PATH.read_text(encoding="utf-8"))


SEED = load()
DOSSIERS: list[dict[str, Any]] = SEED["planmanager"]["dossiers"]
ASSIGNMENTS: list[dict[str, Any]] = SEED["winformex"]["assignments"]
WX_DOSSIERS: list[dict[str, Any]] = SEED["winformex"].get("dossiers", [])


def norm(raw: str | None) -> str:
    """Plates, VINs and claim numbers compared as the bot does: no separators, upper case."""
    return re.sub(r"[\s.\-]", "", raw or "").upper()


def expected(dossier: dict[str, Any]) -> str:
    return dossier.get("expected_status", "linked")


def iso(raw: str) -> dt.date:
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw), raw
    return dt.date.fromisoformat(raw)


def links() -> dict[str, str]:
    """Opdrachtnummer → Informex dossier whose 2e circuit holds it."""
    return {
        wx["second_circuit"]["assignment_number"]: wx["number"]
        for wx in WX_DOSSIERS
        if (wx.get("second_circuit") or {}).get("assignment_number")
    }


def candidates(dossier: dict[str, Any]) -> tuple[str, list[dict[str, Any]]]:
    """The first criterion (VIN, plate, claim number) that finds any assignment, and what it finds.

    As the bot: an assignment linked to another Informex dossier is out, and below the VIN level
    an assignment carrying another VIN is another car.
    """
    vehicle = dossier["vehicle"]
    linked = links()
    own = dossier.get("informex_dossier")
    available = [a for a in ASSIGNMENTS if linked.get(a["number"]) in (None, own)]
    vin = norm(vehicle.get("vin"))
    levels = (
        ("vin", vin, lambda a: norm(a["vin"])),
        ("plate", norm(vehicle.get("plate")), lambda a: norm(a["plate"])),
        ("claim", norm(dossier.get("claim_number")), lambda a: norm(a["claim_number"])),
    )
    for name, wanted, key in levels:
        if not wanted:
            continue
        found = [
            a
            for a in available
            if key(a) == wanted
            and (name == "vin" or not (norm(a["vin"]) and vin and norm(a["vin"]) != vin))
        ]
        if found:
            return name, found
    return "none", []


def wx_of(dossier: dict[str, Any]) -> dict[str, Any]:
    found = [wx for wx in WX_DOSSIERS if wx["number"] == dossier["informex_dossier"]]
    assert len(found) == 1, (
        f"{dossier['number']}: no winformex dossier {dossier['informex_dossier']}"
    )
    return found[0]


def broken_because(dossier: dict[str, Any]) -> str | None:
    """Why the bot must stop on this dossier, or None when it can be linked."""
    vehicle = dossier["vehicle"]
    if dossier.get("informex_dossier") is None:
        if not vehicle.get("vin"):
            return "missing_vin"
        if not vehicle.get("first_registration"):
            return "missing_first_registration"
    _, found = candidates(dossier)
    if not found:
        return "not_found"
    if len(found) > 1:
        return "ambiguous"
    if not VIN.match(norm(vehicle.get("vin"))):
        return "invalid_vin"
    if dossier.get("informex_dossier"):
        held = (wx_of(dossier).get("second_circuit") or {}).get("assignment_number")
        if held and held != found[0]["number"]:
            return "conflict"
    return None


def test_demo_users_are_the_documented_ones() -> None:
    users = SEED["users"]
    assert [(u["username"], u["password"]) for u in users["planmanager"]] == [
        ("werkplaats", "demo-planmanager")
    ]
    assert [(u["username"], u["password"]) for u in users["winformex"]] == [
        ("hersteller", "demo-winformex")
    ]


def test_numbers_are_unique_and_well_formed() -> None:
    for numbers, pattern in (
        ([d["number"] for d in DOSSIERS], PM_NUMBER),
        ([a["number"] for a in ASSIGNMENTS], IX_NUMBER),
        ([w["number"] for w in WX_DOSSIERS], WX_NUMBER),
    ):
        assert len(numbers) == len(set(numbers)), numbers
        assert all(pattern.match(n) for n in numbers), numbers


def test_enough_dossiers_of_each_kind() -> None:
    counts: dict[str, int] = {}
    for dossier in DOSSIERS:
        counts[expected(dossier)] = counts.get(expected(dossier), 0) + 1
        assert dossier.get("note"), f"{dossier['number']} says nothing about why it is here"
    assert counts["linked"] >= 22
    assert counts["already_linked"] >= 1
    assert counts["business_error"] >= 6
    assert set(counts) == {"linked", "already_linked", "business_error"}


def test_every_photo_is_a_small_real_jpeg() -> None:
    for dossier in DOSSIERS:
        assert 1 <= len(dossier["photos"]) <= 4, dossier["number"]
        for name in dossier["photos"]:
            path = PHOTOS / name
            assert path.is_file(), f"{dossier['number']}: {name} missing"
    for path in PHOTOS.glob("*.jpg"):
        data = path.read_bytes()
        assert data[:3] == b"\xff\xd8\xff" and data[-2:] == b"\xff\xd9", path.name
        assert len(data) < 60_000, path.name


def test_vins_are_valid_and_belong_to_the_make() -> None:
    for dossier in DOSSIERS:
        vehicle = dossier["vehicle"]
        vin = vehicle.get("vin")
        if vin is None or broken_because(dossier) == "invalid_vin":
            continue
        assert VIN.match(vin), f"{dossier['number']}: {vin}"
        assert vehicle["make"] in WMI[vin[:3]], (
            f"{dossier['number']}: {vin} is no {vehicle['make']}"
        )
    for assignment in ASSIGNMENTS:
        if assignment["vin"] is not None:
            assert VIN.match(assignment["vin"]), assignment["number"]
            assert assignment["vin"][:3] in WMI, assignment["number"]


def test_plates_look_belgian() -> None:
    for plate in [d["vehicle"]["plate"] for d in DOSSIERS] + [a["plate"] for a in ASSIGNMENTS]:
        if plate is None:
            continue
        assert PLATE_SHAPE.match(plate), plate
        assert NEW_PLATE.match(norm(plate)) or OLD_PLATE.match(norm(plate)), plate


def test_vehicles_and_claims_are_plausible() -> None:
    for dossier in DOSSIERS:
        number, vehicle = dossier["number"], dossier["vehicle"]
        assert dossier["insurer"] in INSURERS, number
        assert PHONE.match(dossier["customer"]["phone"]), number
        assert vehicle["engine_type"] in ENGINE_TYPES, number
        if vehicle["engine_type"] == "elektrisch":
            assert vehicle["displacement_cc"] == 0 and vehicle["co2"] == 0, number
        else:
            assert 600 <= vehicle["displacement_cc"] <= 3000, number
            assert 20 <= vehicle["co2"] <= 250, number
        assert 30 <= vehicle["power_kw"] <= 300, number
        km = vehicle["mileage_km"]
        assert km is None or (isinstance(km, int) and not isinstance(km, bool) and km > 0), number
        if vehicle["first_registration"] is not None:
            assert dt.date(2008, 1, 1) <= iso(vehicle["first_registration"]) <= TODAY, number
        damage = iso(dossier["damage_date"])
        assert dt.date(2026, 11, 1) <= damage <= TODAY, number
        for flag in ("previous_damage", "burglary"):
            assert isinstance(dossier[flag], bool), number
    assert 1 <= sum(d["vehicle"]["mileage_km"] is None for d in DOSSIERS) <= 3


def test_assignment_dates_are_past_and_iso() -> None:
    for assignment in ASSIGNMENTS:
        assert assignment["insurer"] in INSURERS, assignment["number"]
        assert dt.date(2026, 11, 1) <= iso(assignment["date"]) <= TODAY, assignment["number"]


@pytest.mark.parametrize(
    "dossier",
    [d for d in DOSSIERS if expected(d) in ("linked", "already_linked")],
    ids=lambda d: d["number"],
)
def test_each_linkable_dossier_finds_exactly_its_own_assignment(dossier: dict[str, Any]) -> None:
    vehicle = dossier["vehicle"]
    assert all(vehicle.get(k) for k in REQUIRED_FOR_INJECTION), dossier["number"]
    assert VIN.match(vehicle["vin"]), dossier["number"]
    _, found = candidates(dossier)
    assert len(found) == 1, (dossier["number"], [a["number"] for a in found])
    mine = found[0]
    assert (mine["insurer"], mine["claim_number"]) == (dossier["insurer"], dossier["claim_number"])
    delay = (iso(mine["date"]) - iso(dossier["damage_date"])).days
    assert 0 <= delay <= 2, dossier["number"]
    assert broken_because(dossier) is None
    if dossier["informex_dossier"]:
        held = (wx_of(dossier).get("second_circuit") or {}).get("assignment_number")
        assert held == (mine["number"] if expected(dossier) == "already_linked" else None)
    else:
        assert expected(dossier) == "linked"


def test_the_bot_has_all_three_ways_to_match() -> None:
    levels = [candidates(d)[0] for d in DOSSIERS if expected(d) == "linked"]
    assert levels.count("plate") >= 2
    assert levels.count("claim") >= 1
    assert levels.count("vin") >= 15


def test_each_broken_dossier_is_broken_for_a_reason_and_all_reasons_occur() -> None:
    reasons = {}
    for dossier in DOSSIERS:
        reason = broken_because(dossier)
        if expected(dossier) == "business_error":
            assert reason is not None, f"{dossier['number']} would link, yet expects an error"
            reasons[dossier["number"]] = reason
        else:
            assert reason is None, (dossier["number"], reason)
    assert set(reasons.values()) == {
        "missing_vin",
        "missing_first_registration",
        "ambiguous",
        "not_found",
        "conflict",
        "invalid_vin",
    }


def test_ambiguous_dossier_has_a_vin_and_two_plate_only_assignments() -> None:
    for dossier in DOSSIERS:
        if broken_because(dossier) == "ambiguous":
            assert VIN.match(dossier["vehicle"]["vin"])
            level, found = candidates(dossier)
            assert level == "plate" and all(a["vin"] is None for a in found)
            assert len({a["claim_number"] for a in found}) == len(found)


def test_conflict_points_at_an_existing_other_assignment() -> None:
    numbers = {a["number"] for a in ASSIGNMENTS}
    for dossier in DOSSIERS:
        if broken_because(dossier) == "conflict":
            held = wx_of(dossier)["second_circuit"]["assignment_number"]
            assert held in numbers
            assert candidates(dossier)[1][0]["number"] != held


def test_injected_dossiers_agree_with_winformex() -> None:
    by_pm = {wx["planmanager_dossier"]: wx for wx in WX_DOSSIERS}
    assert len(by_pm) == len(WX_DOSSIERS)
    for dossier in DOSSIERS:
        informex = dossier["informex_dossier"]
        if informex is None:
            assert dossier["injections"] == 0, dossier["number"]
            assert dossier["number"] not in by_pm
            continue
        assert dossier["injections"] == 1, dossier["number"]
        wx = by_pm[dossier["number"]]
        assert wx["number"] == informex
        assert 1 <= wx["photos"] <= len(dossier["photos"])
        circuit = wx.get("second_circuit") or {}
        if circuit.get("vin"):
            assert circuit["vin"] == dossier["vehicle"]["vin"]
        if circuit.get("first_registration"):
            assert iso(circuit["first_registration"]) <= TODAY
