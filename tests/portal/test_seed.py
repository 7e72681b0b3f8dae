"""Seed loading: the documented format is accepted, and every mistake names its entry."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from mock_portal.app import create_app
from mock_portal.config import DEFAULT_PHOTOS, DEFAULT_SEED, PortalConfig
from mock_portal.seed import SeedError, load_seed_file, parse_seed
from tests.portal.conftest import PHOTOS, SMALL_SEED
from tests.portal.helpers import Client


def test_the_small_seed_loads_into_typed_records() -> None:
    seed = load_seed_file(SMALL_SEED, PHOTOS)
    assert [(u.username, u.language) for u in seed.users] == [
        ("werkplaats", "nl"),
        ("atelier", "fr"),
        ("hersteller", "nl"),
        ("reparateur", "fr"),
    ]
    first = seed.pm_dossiers[0]
    assert first.customer_name == "Françoise Dubois"
    assert first.first_registration == dt.date(2019, 3, 14)
    assert first.mileage_km == 84512
    assert first.particle_filter is False
    assert first.photos == ["golf-voorzijde.jpg", "golf-achterzijde.jpg"]
    second = seed.pm_dossiers[1]
    assert (second.vin, second.first_registration, second.power_kw) == (None, None, None)
    assert seed.assignments[1].vin is None
    circuit = seed.wx_dossiers[0].second_circuit
    assert circuit.assignment_number == "IX-2026-004799"
    assert circuit.mileage_km is None
    assert circuit.saves == 1


def test_keys_the_portal_does_not_use_are_ignored(seed_doc: dict[str, Any]) -> None:
    seed_doc["planmanager"]["dossiers"][0]["expected_status"] = "ambiguous"
    seed_doc["planmanager"]["dossiers"][0]["note"] = "why it is here"
    seed_doc["something_else"] = {"x": 1}
    assert parse_seed(seed_doc, PHOTOS).pm_dossiers[0].number == "PM-2026-0101"


def test_an_injected_dossier_without_its_winformex_entry_gets_one(seed_doc: dict[str, Any]) -> None:
    seed_doc["winformex"]["dossiers"] = []
    seed = parse_seed(seed_doc, PHOTOS)
    assert [(d.number, d.planmanager_dossier, d.photos) for d in seed.wx_dossiers] == [
        ("WX-2026-000017", "PM-2026-0103", ["clio-zijkant.jpg"])
    ]


def test_winformex_dossiers_are_optional(seed_doc: dict[str, Any]) -> None:
    del seed_doc["winformex"]["dossiers"]
    seed_doc["planmanager"]["dossiers"][2]["informex_dossier"] = None
    assert parse_seed(seed_doc, PHOTOS).wx_dossiers == []


PM0 = "planmanager.dossiers[0] (PM-2026-0101)."
WX0 = "winformex.dossiers[0] (WX-2026-000017)."


def set_path(doc: dict[str, Any], path: str, value: Any) -> None:
    keys: list[Any] = [int(k) if k.isdigit() else k for k in path.split(".")]
    target: Any = doc
    for key in keys[:-1]:
        target = target[key]
    if value is KeyError:
        del target[keys[-1]]
    else:
        target[keys[-1]] = value


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        ("users", KeyError, "seed.users: missing"),
        ("users.planmanager.0.password", "", "users.planmanager[0].password: missing"),
        ("users.winformex.0.username", None, "users.winformex[0].username: missing"),
        ("planmanager.dossiers", {"a": 1}, "planmanager.dossiers: expected a list, got dict"),
        (
            "planmanager.dossiers.1.number",
            "PM 2026/0102",
            "planmanager.dossiers[1].number: 'PM 2026/0102' may hold only",
        ),
        (
            "planmanager.dossiers.1.number",
            "PM-2026-0101",
            "planmanager.dossiers: number 'PM-2026-0101' appears twice",
        ),
        (
            "planmanager.dossiers.0.vehicle.mileage_km",
            "84.512",
            PM0 + "vehicle.mileage_km: expected a whole number of 0 or more, got '84.512'",
        ),
        (
            "planmanager.dossiers.0.vehicle.power_kw",
            True,
            PM0 + "vehicle.power_kw: expected a whole number",
        ),
        (
            "planmanager.dossiers.0.vehicle.engine_type",
            "stoom",
            PM0
            + "vehicle.engine_type: 'stoom' is not one of diesel, benzine, hybride, elektrisch, "
            "LPG, CNG",
        ),
        (
            "planmanager.dossiers.0.vehicle.particle_filter",
            "nee",
            PM0 + "vehicle.particle_filter: expected true, false or null",
        ),
        (
            "planmanager.dossiers.0.damage_date",
            "2026-02-30",
            PM0 + "damage_date: expected an ISO date YYYY-MM-DD, got '2026-02-30'",
        ),
        (
            "planmanager.dossiers.0.customer",
            "Françoise",
            PM0 + "customer: expected an object, got str",
        ),
        (
            "planmanager.dossiers.0.photos",
            ["ontbreekt.jpg"],
            PM0 + "photos[0]: photo 'ontbreekt.jpg' not found",
        ),
        (
            "planmanager.dossiers.0.photos",
            ["../geheim.jpg"],
            PM0 + "photos[0]: expected a file name",
        ),
        (
            "winformex.assignments.0.date",
            20261121,
            "winformex.assignments[0] (IX-2026-004711).date: expected text, got 20261121",
        ),
        (
            "winformex.assignments.1.number",
            "IX-2026-004711",
            "winformex.assignments: number 'IX-2026-004711' appears twice",
        ),
        (
            "winformex.dossiers.0.planmanager_dossier",
            "PM-2026-0999",
            WX0 + "planmanager_dossier: no PlanManager dossier 'PM-2026-0999' in the seed",
        ),
        (
            "winformex.dossiers.0.photos",
            3,
            WX0 + "photos: 3 photos, but PM-2026-0103 has only 1",
        ),
        (
            "winformex.dossiers.0.second_circuit.assignment_number",
            "IX-2026-000000",
            WX0 + "second_circuit.assignment_number: no insurance assignment 'IX-2026-000000' "
            "in the seed",
        ),
        (
            "winformex.dossiers.0.second_circuit.first_registration",
            "02/05/2018",
            WX0 + "second_circuit.first_registration: expected an ISO date",
        ),
    ],
)
def test_a_bad_seed_names_the_entry_and_field(
    seed_doc: dict[str, Any], path: str, value: Any, message: str
) -> None:
    set_path(seed_doc, path, value)
    with pytest.raises(SeedError) as error:
        parse_seed(seed_doc, PHOTOS)
    assert str(error.value).startswith(message), str(error.value)


def test_a_seed_that_is_not_an_object_is_refused() -> None:
    with pytest.raises(SeedError, match="seed: expected an object, got list"):
        parse_seed([], PHOTOS)


def test_unreadable_or_broken_files_are_reported(tmp_path: Path) -> None:
    with pytest.raises(SeedError, match="cannot read seed file"):
        load_seed_file(tmp_path / "bestaat-niet.json", PHOTOS)
    broken = tmp_path / "kapot.json"
    broken.write_text("{", encoding="utf-8")
    with pytest.raises(SeedError, match=r"kapot\.json: not valid JSON"):
        load_seed_file(broken, PHOTOS)


def test_the_default_seed_loads_and_serves() -> None:
    seed = load_seed_file(DEFAULT_SEED, DEFAULT_PHOTOS)
    assert len(seed.pm_dossiers) >= 20
    assert seed.assignments
    client = Client(create_app(PortalConfig()))
    state = client.get("/_mock/state").json()
    assert len(state["planmanager"]["dossiers"]) == len(seed.pm_dossiers)
