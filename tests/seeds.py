"""Small, exact seeds for tests: one dossier and its assignment per scenario.

The default seed (fixtures/portal_seed.json) is for the demo; tests that assert on counts or
messages build their own world here, so a change to the demo data cannot break them by accident.
"""

from __future__ import annotations

import copy
from typing import Any

PM_USER = {"username": "werkplaats", "password": "pm-test-Geheim-7391", "name": "Werkplaats"}
WX_USER = {"username": "hersteller", "password": "wx-test-Geheim-5512", "name": "Carrosserie"}
# French-speaking users of the same portals: every screen they see after login is in French
# (the login page too with ?lang=fr or a French Accept-Language); world() holds both languages.
PM_USER_FR = {
    "username": "atelier",
    "password": "pm-test-Secret-8264",
    "name": "Atelier",
    "language": "fr",
}
WX_USER_FR = {
    "username": "reparateur",
    "password": "wx-test-Secret-4417",
    "name": "Carrosserie Lejeune",
    "language": "fr",
}

VEHICLE: dict[str, Any] = {
    "plate": "1-ABC-234",
    "vin": "WVWZZZ1KZ8W123456",
    "make": "Volkswagen",
    "model": "Golf",
    "first_registration": "2019-03-14",
    "mileage_km": 84512,
    "power_kw": 85,
    "displacement_cc": 1498,
    "co2": 118,
    "engine_type": "benzine",
    "particle_filter": False,
}


def dossier(number: str = "PM-2026-0101", **changes: Any) -> dict[str, Any]:
    """A complete PlanManager dossier; `vehicle={...}` merges into the vehicle."""
    vehicle = copy.deepcopy(VEHICLE)
    vehicle.update(changes.pop("vehicle", {}))
    data: dict[str, Any] = {
        "number": number,
        "title": "Aanrijding achterzijde",
        "status": "nieuw",
        "customer": {"name": "Françoise Dubois-D'Hondt", "phone": "04/247.66.50"},
        "vehicle": vehicle,
        "insurer": "AG Insurance",
        "claim_number": "AG-26-113456",
        "damage_date": "2026-11-20",
        "previous_damage": False,
        "burglary": False,
        "photos": ["golf-voorzijde.jpg", "golf-achterzijde.jpg"],
        "informex_dossier": None,
        "injections": 0,
    }
    data.update(changes)
    return data


def assignment(number: str = "IX-2026-004711", **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "number": number,
        "insurer": "AG Insurance",
        "claim_number": "AG-26-113456",
        "plate": "1ABC234",
        "vin": VEHICLE["vin"],
        "date": "2026-11-21",
    }
    data.update(changes)
    return data


def world(
    dossiers: list[dict[str, Any]] | None = None,
    assignments: list[dict[str, Any]] | None = None,
    winformex_dossiers: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """A whole seed document; defaults to one dossier with its one matching assignment."""
    return {
        "users": {
            "planmanager": [dict(PM_USER), dict(PM_USER_FR)],
            "winformex": [dict(WX_USER), dict(WX_USER_FR)],
        },
        "planmanager": {"dossiers": dossiers if dossiers is not None else [dossier()]},
        "winformex": {
            "assignments": assignments if assignments is not None else [assignment()],
            "dossiers": winformex_dossiers or [],
        },
    }


def numbered(i: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """The i-th dossier of a larger world and its one matching assignment (unique VIN, plate)."""
    number = f"PM-2026-{1000 + i:04d}"
    vin = f"WVWZZZ1KZ8W{500000 + i:06d}"
    plate = f"2-BKT-{i % 1000:03d}"
    claim = f"AG-26-{700000 + i}"
    return (
        dossier(number, vehicle={"vin": vin, "plate": plate}, claim_number=claim),
        assignment(
            f"IX-2026-{800000 + i:06d}", vin=vin, plate=plate.replace("-", ""), claim_number=claim
        ),
    )


def many(count: int) -> dict[str, Any]:
    """A world of `count` complete dossiers, each with exactly one matching assignment."""
    pairs = [numbered(i) for i in range(1, count + 1)]
    return world([d for d, _ in pairs], [a for _, a in pairs])


def already_injected(linked_to: str | None = None) -> dict[str, Any]:
    """PM-2026-0101 already sent to Informex as WX-2026-000017, its 2e circuit linked or empty.

    With `linked_to`, that opdrachtnummer is in the 2e circuit and exists as an assignment too.
    """
    informex: dict[str, Any] = {
        "number": "WX-2026-000017",
        "planmanager_dossier": "PM-2026-0101",
        "photos": 2,
    }
    assignments = [assignment()]
    if linked_to is not None:
        informex["second_circuit"] = {"assignment_number": linked_to}
        if linked_to != assignment()["number"]:
            assignments.append(assignment(linked_to, vin=None))
    return world(
        dossiers=[dossier(informex_dossier="WX-2026-000017", injections=1)],
        assignments=assignments,
        winformex_dossiers=[informex],
    )
