"""The `/_mock/` test-control API: health, reset, state (its exact shape), faults, switching off."""

from __future__ import annotations

from typing import Any

from tests.portal.conftest import AppFactory
from tests.portal.helpers import Client

PM_KEYS = {
    "number",
    "plate",
    "vin",
    "customer",
    "make",
    "model",
    "informex_dossier",
    "injections",
    "photos",
    "status",
    "injection_pending",
}
ASSIGNMENT_KEYS = {"number", "insurer", "claim_number", "plate", "vin", "date", "linked_dossier"}
WX_KEYS = {"number", "planmanager_dossier", "photos", "created_at", "second_circuit"}
CIRCUIT_KEYS = {
    "assignment_number",
    "vin",
    "first_registration",
    "previous_damage",
    "burglary",
    "mileage_km",
    "mileage_unknown",
    "power_kw",
    "displacement_cc",
    "co2",
    "engine_type",
    "particle_filter",
    "saves",
}


def test_health(client: Client) -> None:
    assert client.get("/_mock/health").json() == {"ok": True}


def test_state_has_exactly_the_documented_shape(client: Client) -> None:
    state = client.get("/_mock/state").json()
    assert set(state) == {"planmanager", "winformex"}
    assert set(state["planmanager"]) == {"dossiers"}
    assert set(state["winformex"]) == {"assignments", "dossiers"}
    for dossier in state["planmanager"]["dossiers"]:
        assert set(dossier) == PM_KEYS
    for assignment in state["winformex"]["assignments"]:
        assert set(assignment) == ASSIGNMENT_KEYS
    for dossier in state["winformex"]["dossiers"]:
        assert set(dossier) == WX_KEYS
        assert set(dossier["second_circuit"]) == CIRCUIT_KEYS


def test_state_reflects_the_seed(client: Client) -> None:
    state = client.get("/_mock/state").json()
    assert state["planmanager"]["dossiers"][2] == {
        "number": "PM-2026-0103",
        "plate": "1-XYZ-789",
        "vin": "VF1RFB00X56789012",
        "customer": "Mehmet Çelik",
        "make": "Renault",
        "model": "Mégane",
        "informex_dossier": "WX-2026-000017",
        "injections": 1,
        "photos": 1,
        "status": "nieuw",
        "injection_pending": False,
    }
    assert state["winformex"]["assignments"][2] == {
        "number": "IX-2026-004799",
        "insurer": "Baloise",
        "claim_number": "BAL-2026-5512",
        "plate": "1XYZ789",
        "vin": "VF1RFB00X56789012",
        "date": "2026-11-03",
        "linked_dossier": "WX-2026-000017",
    }
    assert state["winformex"]["dossiers"] == [
        {
            "number": "WX-2026-000017",
            "planmanager_dossier": "PM-2026-0103",
            "photos": 1,
            "created_at": "2026-11-04T09:12:00",
            "second_circuit": {
                "assignment_number": "IX-2026-004799",
                "vin": "VF1RFB00X56789012",
                "first_registration": "2018-05-02",
                "previous_damage": False,
                "burglary": False,
                "mileage_km": None,
                "mileage_unknown": False,
                "power_kw": None,
                "displacement_cc": None,
                "co2": None,
                "engine_type": None,
                "particle_filter": False,
                "saves": 1,
            },
        }
    ]


def test_reset_without_body_restores_the_seed_and_logs_everyone_out(pm: Client) -> None:
    seeded = pm.get("/_mock/state").json()
    pm.post_form("/planmanager/dossiers/PM-2026-0101/inject")
    assert pm.get("/_mock/state").json() != seeded
    assert pm.http.post("/_mock/reset").json() == {"ok": True}
    assert pm.get("/_mock/state").json() == seeded
    assert pm.get("/planmanager/dossiers").status_code == 303


def test_reset_with_a_seed_document_loads_it(client: Client, seed_doc: dict[str, Any]) -> None:
    seed_doc["planmanager"]["dossiers"] = seed_doc["planmanager"]["dossiers"][:1]
    seed_doc["winformex"] = {"assignments": [], "dossiers": []}
    seed_doc["users"]["planmanager"][0]["password"] = "nieuw-wachtwoord"
    assert client.http.post("/_mock/reset", json=seed_doc).json() == {"ok": True}
    state = client.get("/_mock/state").json()
    assert [d["number"] for d in state["planmanager"]["dossiers"]] == ["PM-2026-0101"]
    assert state["winformex"] == {"assignments": [], "dossiers": []}
    assert client.login("planmanager", password="nieuw-wachtwoord").status_code == 303


def test_reset_with_a_bad_seed_names_the_entry_and_changes_nothing(
    client: Client, seed_doc: dict[str, Any]
) -> None:
    before = client.get("/_mock/state").json()
    seed_doc["planmanager"]["dossiers"][1]["vehicle"]["first_registration"] = "14/03/2019"
    response = client.http.post("/_mock/reset", json=seed_doc)
    assert response.status_code == 400
    assert response.json() == {
        "ok": False,
        "error": "planmanager.dossiers[1] (PM-2026-0102).vehicle.first_registration: "
        "expected an ISO date YYYY-MM-DD, got '14/03/2019'",
    }
    assert client.get("/_mock/state").json() == before


def test_reset_with_broken_json_is_refused(client: Client) -> None:
    response = client.http.post(
        "/_mock/reset", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    assert "not valid JSON" in response.json()["error"]


def test_faults_get_and_put(client: Client) -> None:
    assert client.get("/_mock/faults").json()["profile"] == "none"
    body = client.http.put("/_mock/faults", json={"profile": "hostile", "seed": 7}).json()
    assert (body["profile"], body["seed"]) == ("hostile", 7)
    assert client.get("/_mock/faults").json() == body


def test_the_control_api_needs_no_login(client: Client) -> None:
    for path in ("/_mock/health", "/_mock/state", "/_mock/faults"):
        assert client.get(path).status_code == 200


def test_no_control_api_means_404(make_app: AppFactory) -> None:
    client = Client(make_app(control_api=False))
    for path in ("/_mock/health", "/_mock/state", "/_mock/faults"):
        assert client.get(path).status_code == 404
    assert client.http.post("/_mock/reset").status_code == 404
    assert client.http.put("/_mock/faults", json={"profile": "none"}).status_code == 404
    assert client.login("planmanager").status_code == 303, "the portals still work"
