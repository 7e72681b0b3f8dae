"""The `/_mock/` test-control API: health, reset, state (its exact shape), faults, switching off."""

from __future__ import annotations

from typing import Any

import pytest

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
    assert set(state) == {"planmanager", "winformex", "winformex_layout"}
    assert state["winformex_layout"] == "button"
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


# -- only this machine, only JSON: no web page can drive or read the control API ---------------
CONTROL_CALLS = [
    ("GET", "/_mock/health"),
    ("GET", "/_mock/state"),
    ("GET", "/_mock/logins"),
    ("GET", "/_mock/faults"),
    ("POST", "/_mock/reset"),
    ("PUT", "/_mock/faults"),
]


def call(client: Client, method: str, path: str, **kwargs: Any) -> Any:
    """A control API call; POST and PUT carry a JSON body unless told otherwise."""
    if method in ("POST", "PUT") and "content" not in kwargs and "data" not in kwargs:
        kwargs["json"] = {} if method == "PUT" else None
    return client.http.request(method, path, **kwargs)


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/x-www-form-urlencoded", b"profile=hostile"),
        ("multipart/form-data; boundary=x", b"--x--"),
        ("text/plain", b'{"profile": "hostile"}'),
        (None, b'{"profile": "hostile"}'),
    ],
)
def test_a_body_that_is_not_json_is_refused_with_415(
    client: Client, content_type: str | None, body: bytes
) -> None:
    before = (client.get("/_mock/state").json(), client.get("/_mock/faults").json())
    headers = {"content-type": content_type} if content_type else {}
    for method, path in (("PUT", "/_mock/faults"), ("POST", "/_mock/reset")):
        answer = client.http.request(method, path, content=body, headers=headers)
        assert answer.status_code == 415, (method, path, answer.text)
        assert answer.json()["ok"] is False
        assert "application/json" in answer.json()["error"]
    assert (client.get("/_mock/state").json(), client.get("/_mock/faults").json()) == before


def test_a_json_body_with_a_charset_is_taken(client: Client) -> None:
    answer = client.http.put(
        "/_mock/faults",
        content=b'{"profile": "realistic"}',
        headers={"content-type": "application/json; charset=utf-8"},
    )
    assert answer.status_code == 200
    assert answer.json()["profile"] == "realistic"


@pytest.mark.parametrize(("method", "path"), CONTROL_CALLS)
@pytest.mark.parametrize(
    "origin", ["http://evil.example", "null", "http://127.0.0.1:8080", "https://127.0.0.1"]
)
def test_a_foreign_origin_is_refused_with_403(
    client: Client, method: str, path: str, origin: str
) -> None:
    before = (client.get("/_mock/state").json(), client.get("/_mock/faults").json())
    answer = call(client, method, path, headers={"origin": origin})
    assert answer.status_code == 403, answer.text
    assert "Origin" in answer.json()["error"]
    assert (client.get("/_mock/state").json(), client.get("/_mock/faults").json()) == before


@pytest.mark.parametrize(("method", "path"), CONTROL_CALLS)
def test_the_portals_own_origin_is_let_through(client: Client, method: str, path: str) -> None:
    assert call(client, method, path, headers={"origin": "http://127.0.0.1"}).status_code == 200


@pytest.mark.parametrize(("method", "path"), CONTROL_CALLS)
@pytest.mark.parametrize(
    "host",
    [
        "evil.example",  # DNS rebinding: the attacker's name now points at 127.0.0.1
        "evil.example:80",
        "127.0.0.1.nip.io",
        "127.0.0.1:8080",  # a loopback name, but another port than the server's
        "localhost:81",
        "[::1]:8080",
        "::1",  # IPv6 without brackets is no valid Host
        "",
    ],
)
def test_a_host_that_is_not_this_machine_is_refused_with_403(
    client: Client, method: str, path: str, host: str
) -> None:
    before = (client.get("/_mock/state").json(), client.get("/_mock/faults").json())
    answer = call(client, method, path, headers={"host": host})
    assert answer.status_code == 403, answer.text
    assert "Host" in answer.json()["error"]
    assert (client.get("/_mock/state").json(), client.get("/_mock/faults").json()) == before


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.1:80", "localhost", "LOCALHOST", "[::1]"])
def test_loopback_names_with_the_servers_port_are_let_through(client: Client, host: str) -> None:
    assert client.http.get("/_mock/state", headers={"host": host}).status_code == 200


@pytest.mark.parametrize("site", ["cross-site", "same-site"])
def test_a_browsers_cross_site_request_is_refused(client: Client, site: str) -> None:
    assert client.http.get("/_mock/state", headers={"sec-fetch-site": site}).status_code == 403
    assert client.http.get("/_mock/state", headers={"sec-fetch-site": "none"}).status_code == 200


def test_the_portal_pages_do_not_check_the_host_like_the_control_api(client: Client) -> None:
    """Only the login-less control API is bound to this machine; the portals serve any name."""
    assert (
        client.http.get("/planmanager/login", headers={"host": "portal.example"}).status_code == 200
    )
