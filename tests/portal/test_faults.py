"""Fault injection: every knob, the one-shot `fail_next` modes, profiles, seeded reproducibility."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from mock_portal import faults as faults_module
from mock_portal.config import PortalConfig
from mock_portal.faults import PROFILES
from mock_portal.server import run_in_thread
from tests.portal.conftest import PHOTOS, SMALL_SEED, AppFactory
from tests.portal.helpers import Client, FakeClock, Html

INJECT = "/planmanager/dossiers/PM-2026-0101/inject"
PAGE = "/planmanager/dossiers/PM-2026-0101"


def put_faults(client: Client, body: dict[str, Any]) -> httpx.Response:
    response = client.http.put("/_mock/faults", json=body)
    assert response.status_code == 200, response.text
    return response


class PortalSleeps:
    """Stands in for `asyncio` in mock_portal.faults: notes every delay the fault middleware
    sleeps, and holds each sleep until `release` is set (set from the start unless told)."""

    def __init__(self, *, held: bool = False) -> None:
        self.delays: list[float] = []
        self.sleeping = threading.Event()
        self.release = threading.Event()
        if not held:
            self.release.set()

    async def sleep(self, delay: float) -> None:
        self.delays.append(delay)
        self.sleeping.set()
        while not self.release.is_set():
            await asyncio.sleep(0.01)


def injections(client: Client) -> int:
    dossiers = client.get("/_mock/state").json()["planmanager"]["dossiers"]
    return next(d["injections"] for d in dossiers if d["number"] == "PM-2026-0101")


# -- random knobs at rate 1 (certain) ----------------------------------------------------------
def test_error_rate_save_answers_500_and_writes_nothing(pm: Client) -> None:
    put_faults(pm, {"error_rate_save": 1.0})
    response = pm.post_form(INJECT)
    assert response.status_code == 500
    page = Html(response.text)
    assert page.headings(1) == ["Er is een fout opgetreden (500)"]
    assert "(500)" in page.title
    assert injections(pm) == 0


def test_error_rate_save_leaves_pages_and_logins_alone(app: Starlette) -> None:
    client = Client(app)
    put_faults(client, {"error_rate_save": 1.0})
    assert client.login("planmanager").status_code == 303
    assert client.get("/planmanager/dossiers").status_code == 200


def test_error_rate_get_answers_503_on_pages_only(pm: Client) -> None:
    put_faults(pm, {"error_rate_get": 1.0})
    response = pm.get("/planmanager/dossiers")
    assert response.status_code == 503
    assert Html(response.text).title == "503 Service Temporarily Unavailable"
    assert pm.get("/planmanager/photos/golf-voorzijde.jpg").status_code == 200
    assert pm.get(f"{PAGE}/informex-status").status_code == 200
    assert pm.get("/static/portal.css").status_code == 200
    assert pm.get("/_mock/state").status_code == 200
    assert pm.post_form(INJECT).status_code == 303, "a save is not a page GET"


def test_lost_answer_writes_but_answers_502(pm: Client) -> None:
    put_faults(pm, {"lost_answer_rate": 1.0})
    response = pm.post_form(INJECT)
    assert response.status_code == 502
    assert Html(response.text).title == "502 Bad Gateway"
    assert injections(pm) == 1


def test_a_retry_after_a_lost_answer_makes_a_duplicate(pm: Client, clock: FakeClock) -> None:
    put_faults(pm, {"lost_answer_rate": 1.0})
    pm.post_form(INJECT)
    put_faults(pm, {"lost_answer_rate": 0.0})
    pm.post_form(INJECT)
    clock.advance(60)
    state = pm.get("/_mock/state").json()
    made = [d for d in state["winformex"]["dossiers"] if d["planmanager_dossier"] == "PM-2026-0101"]
    assert len(made) == 2


def test_session_expiry_rate_sends_to_login_and_ends_the_session(pm: Client) -> None:
    put_faults(pm, {"session_expiry_rate": 1.0})
    response = pm.get("/planmanager/dossiers")
    assert response.status_code == 303
    assert response.headers["location"] == "/planmanager/login?next=/planmanager/dossiers"
    put_faults(pm, {"session_expiry_rate": 0.0})
    assert pm.get("/planmanager/dossiers").status_code == 303, "the session is really gone"


def test_session_expiry_before_a_save_writes_nothing(pm: Client) -> None:
    put_faults(pm, {"session_expiry_rate": 1.0})
    response = pm.post_form(INJECT)
    assert response.status_code == 303
    assert "/planmanager/login" in response.headers["location"]
    assert injections(pm) == 0


def test_latency_delays_pages(pm: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    sleeps = PortalSleeps()
    monkeypatch.setattr(faults_module, "asyncio", sleeps)
    put_faults(pm, {"latency_ms": [150, 150]})
    assert pm.get("/planmanager/dossiers").status_code == 200
    assert sleeps.delays == [0.15], "the page waited its latency before it was answered"
    assert pm.get("/_mock/health").status_code == 200
    assert sleeps.delays == [0.15], "the control API is never slowed down"


def test_latency_spikes_add_their_length(pm: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    sleeps = PortalSleeps()
    monkeypatch.setattr(faults_module, "asyncio", sleeps)
    put_faults(pm, {"latency_spike_rate": 1.0, "latency_spike_ms": 200})
    assert pm.get("/planmanager/dossiers").status_code == 200
    assert sleeps.delays == [0.2]


def test_injection_delay_is_drawn_from_its_range(pm: Client, clock: FakeClock) -> None:
    put_faults(pm, {"injection_delay_s": [5, 5]})
    pm.post_form(INJECT)
    clock.advance(4.9)
    assert pm.get(f"{PAGE}/informex-status").json()["state"] == "pending"
    clock.advance(0.2)
    assert pm.get(f"{PAGE}/informex-status").json()["state"] == "done"


# -- popups ------------------------------------------------------------------------------------
def popup_of(page: Html) -> Any:
    dialogs = [d for d in page.role("dialog") if d.attrs.get("aria-modal") == "true"]
    return dialogs[0] if dialogs else None


def test_popups_cover_the_page_until_closed_for_the_session(wx: Client) -> None:
    put_faults(wx, {"popup_rate": 1.0, "seed": 3})
    seen: list[str] = []
    for _ in range(4):
        popup = popup_of(wx.page("/winformex/"))
        if popup is None:
            break
        kind = popup.attrs["aria-label"]
        assert kind in ("Nieuws", "Cookies")
        assert "popup-overlay" in popup.attrs["class"]
        button = {"Nieuws": "Sluiten", "Cookies": "Alles accepteren"}[kind]
        assert [b.text() for b in popup.find_all("button")] == [button]
        closed = wx.post_form(popup.attrs["data-popup-url"], {"kind": kind})
        assert closed.status_code == 204
        seen.append(kind)
    assert sorted(seen) == ["Cookies", "Nieuws"], "each kind appears until it is closed, then never"
    assert popup_of(wx.page("/winformex/")) is None


def test_a_new_session_sees_popups_again(app: Starlette) -> None:
    first = Client(app)
    first.login("planmanager")
    put_faults(first, {"popup_rate": 1.0})
    for kind in ("Nieuws", "Cookies"):
        first.post_form("/planmanager/popup", {"kind": kind})
    assert popup_of(first.page("/planmanager/dossiers")) is None
    second = Client(app)
    second.login("planmanager")
    assert popup_of(second.page("/planmanager/dossiers")) is not None


def test_no_popups_without_the_knob(pm: Client) -> None:
    assert popup_of(pm.page("/planmanager/dossiers")) is None


# -- fail_next ---------------------------------------------------------------------------------
def test_fail_next_error_fires_once_and_writes_nothing(pm: Client) -> None:
    put_faults(pm, {"fail_next": [{"method": "POST", "path_contains": "/inject", "mode": "error"}]})
    first = pm.post_form(INJECT)
    assert first.status_code == 500
    assert "Er is een fout opgetreden (500)" in first.text
    assert injections(pm) == 0
    assert pm.post_form(INJECT).status_code == 303
    assert injections(pm) == 1
    assert pm.get("/_mock/faults").json()["fail_next"] == []


def test_fail_next_lost_answer_writes_and_answers_502(pm: Client) -> None:
    put_faults(
        pm, {"fail_next": [{"method": "POST", "path_contains": "/inject", "mode": "lost_answer"}]}
    )
    assert pm.post_form(INJECT).status_code == 502
    assert injections(pm) == 1


def test_fail_next_expire_session_logs_out_before_the_write(pm: Client) -> None:
    put_faults(
        pm,
        {"fail_next": [{"method": "POST", "path_contains": "/inject", "mode": "expire_session"}]},
    )
    response = pm.post_form(INJECT, headers={"referer": f"http://testserver{PAGE}"})
    assert response.status_code == 303
    assert response.headers["location"] == f"/planmanager/login?next={PAGE}"
    assert injections(pm) == 0
    assert pm.get(PAGE).status_code == 303


def test_fail_next_matches_method_and_path(pm: Client) -> None:
    put_faults(
        pm, {"fail_next": [{"method": "POST", "path_contains": "/2e-circuit", "mode": "error"}]}
    )
    assert pm.get(PAGE).status_code == 200
    assert pm.post_form(INJECT).status_code == 303
    assert len(pm.get("/_mock/faults").json()["fail_next"]) == 1, "not consumed by other requests"


def test_fail_next_entries_fire_in_order(pm: Client) -> None:
    put_faults(
        pm,
        {
            "fail_next": [
                {"path_contains": "/inject", "mode": "error"},
                {"path_contains": "/inject", "mode": "lost_answer"},
            ]
        },
    )
    assert [pm.post_form(INJECT).status_code for _ in range(3)] == [500, 502, 303]
    assert injections(pm) == 2


def test_fail_next_skip_lets_that_many_matching_requests_through_first(pm: Client) -> None:
    put_faults(
        pm,
        {
            "fail_next": [
                {"method": "GET", "path_contains": "/dossiers", "mode": "error", "skip": 2}
            ]
        },
    )
    assert pm.get("/_mock/faults").json()["fail_next"][0]["skip"] == 2
    assert pm.get("/planmanager/login").status_code == 200, "not a match: not counted"
    assert [pm.get("/planmanager/dossiers").status_code for _ in range(4)] == [200, 200, 500, 200]


def test_fail_next_works_on_pages_too(pm: Client) -> None:
    put_faults(
        pm, {"fail_next": [{"method": "GET", "path_contains": "/dossiers", "mode": "error"}]}
    )
    assert pm.get("/planmanager/dossiers").status_code == 500
    assert pm.get("/planmanager/dossiers").status_code == 200


def test_fail_next_maintenance_answers_200_with_a_notice_and_writes_nothing(pm: Client) -> None:
    put_faults(
        pm, {"fail_next": [{"method": "POST", "path_contains": "/inject", "mode": "maintenance"}]}
    )
    response = pm.post_form(INJECT)
    assert response.status_code == 200
    page = Html(response.text)
    assert page.title == "Onderhoud"
    assert page.headings(1) == ["Onderhoud"]
    assert "PlanManager is tijdelijk niet beschikbaar" in page.root.text()
    assert injections(pm) == 0
    assert pm.post_form(INJECT).status_code == 303, "it fires once"
    assert injections(pm) == 1


# -- corrupt_saves -----------------------------------------------------------------------------
CIRCUIT_FORM = "/winformex/dossiers/WX-2026-000017/2e-circuit"
GOOD_CIRCUIT = {
    "assignment_number": "IX-2026-004711",
    "vin": "WVWZZZ1KZ8W123456",
    "first_registration_day": "14",
    "first_registration_month": "03",
    "first_registration_year": "2019",
    "mileage_km": "51290",
    "power_kw": "85",
    "displacement_cc": "1498",
    "co2": "118",
    "engine_type": "benzine",
    "burglary": "1",
}


def saved_circuit(client: Client) -> dict[str, Any]:
    dossiers = client.get("/_mock/state").json()["winformex"]["dossiers"]
    return next(d for d in dossiers if d["number"] == "WX-2026-000017")["second_circuit"]


def test_corrupt_saves_store_cut_and_dropped_values_and_answer_as_if_all_went_well(
    wx: Client,
) -> None:
    corrupt = [
        {"field": "mileage_km", "mode": "truncate", "keep": 3},
        {"field": "power_kw", "mode": "drop"},
        {"field": "burglary", "mode": "drop"},
        {"field": "vin", "mode": "truncate", "keep": 5},
    ]
    assert put_faults(wx, {"corrupt_saves": corrupt}).json()["corrupt_saves"] == [
        {"field": "mileage_km", "mode": "truncate", "keep": 3},
        {"field": "power_kw", "mode": "drop"},
        {"field": "burglary", "mode": "drop"},
        {"field": "vin", "mode": "truncate", "keep": 5},
    ]

    response = wx.post_form(CIRCUIT_FORM, GOOD_CIRCUIT)

    assert response.status_code == 303
    assert wx.follow(response).status() == "Gegevens 2e circuit opgeslagen."
    circuit = saved_circuit(wx)
    assert (circuit["mileage_km"], circuit["power_kw"]) == (512, None)
    assert (circuit["burglary"], circuit["vin"]) == (False, "WVWZZ")
    assert (circuit["co2"], circuit["assignment_number"]) == (118, "IX-2026-004711")
    form = wx.page(CIRCUIT_FORM)
    assert form.field("Kilometerstand")["value"] == "512", "the form shows what was stored"
    assert wx.get("/_mock/faults").json()["corrupt_saves"] == [], "used up by one save"
    assert wx.post_form(CIRCUIT_FORM, GOOD_CIRCUIT).status_code == 303
    assert saved_circuit(wx)["mileage_km"] == 51290, "the next save is stored as sent"


def test_a_profile_clears_pending_corrupt_saves(client: Client) -> None:
    put_faults(client, {"corrupt_saves": [{"field": "co2", "mode": "drop"}]})
    assert put_faults(client, {"latency_ms": [0, 0]}).json()["corrupt_saves"] != []
    assert put_faults(client, {"profile": "none"}).json()["corrupt_saves"] == []


def test_fail_next_hang_holds_the_answer_while_others_are_served(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A hung request does not block the server: other requests are answered meanwhile.

    The hang's sleep is held until the test releases it, so "meanwhile" is a state (the hung
    request is asleep in the portal, its answer not sent) rather than a race against a clock.
    """
    sleeps = PortalSleeps(held=True)
    monkeypatch.setattr(faults_module, "asyncio", sleeps)
    config = PortalConfig(seed_path=SMALL_SEED, photos_dir=PHOTOS)
    with run_in_thread(config=config) as url:
        httpx.put(
            f"{url}/_mock/faults",
            json={
                "fail_next": [
                    {"path_contains": "/planmanager/login", "mode": "hang", "hang_s": 1.0}
                ]
            },
        ).raise_for_status()
        result: dict[str, Any] = {}

        def hung_request() -> None:
            result["status"] = httpx.get(f"{url}/planmanager/login", timeout=10).status_code

        thread = threading.Thread(target=hung_request)
        thread.start()
        try:
            assert sleeps.sleeping.wait(10), "the request never reached the portal"
            assert httpx.get(f"{url}/_mock/faults").json()["fail_next"] == [], "entry taken"
            assert sleeps.delays == [1.0], "the answer is held for the entry's hang_s"
            assert httpx.get(f"{url}/_mock/health").json() == {"ok": True}
            assert httpx.get(f"{url}/planmanager/login").status_code == 200, "a portal page too"
            assert "status" not in result, "the hung answer is still held"
            assert thread.is_alive()
        finally:
            sleeps.release.set()
            thread.join(10)
        assert result["status"] == 200, "the held answer is sent once the hang ends"


# -- profiles and settings ---------------------------------------------------------------------
@pytest.mark.parametrize("profile", ["none", "realistic", "hostile"])
def test_profiles_set_every_knob_as_documented(client: Client, profile: str) -> None:
    body = put_faults(client, {"profile": profile}).json()
    assert body == {"profile": profile, **PROFILES[profile], "fail_next": [], "corrupt_saves": []}


def test_the_profile_table_matches_the_contract() -> None:
    assert PROFILES["realistic"]["latency_ms"] == [100, 400]
    assert PROFILES["hostile"]["error_rate_save"] == 0.2
    assert PROFILES["hostile"]["lost_answer_rate"] == 0.15
    assert PROFILES["hostile"]["session_expiry_rate"] == 0.03
    assert PROFILES["hostile"]["injection_delay_s"] == [3, 8]
    assert PROFILES["none"]["injection_delay_s"] == [0.3, 0.8]
    assert PROFILES["realistic"]["popup_rate"] == 0.05


def test_a_profile_resets_every_knob_then_single_knobs_apply(client: Client) -> None:
    put_faults(
        client, {"error_rate_get": 0.5, "fail_next": [{"mode": "error", "path_contains": "/x"}]}
    )
    body = put_faults(client, {"profile": "realistic", "popup_rate": 0.5}).json()
    assert body["error_rate_get"] == 0.01
    assert body["popup_rate"] == 0.5
    assert body["fail_next"] == []


def test_single_knobs_keep_the_others(client: Client) -> None:
    put_faults(client, {"profile": "hostile"})
    body = put_faults(client, {"latency_ms": [0, 0]}).json()
    assert body["profile"] == "hostile"
    assert body["latency_ms"] == [0, 0]
    assert body["error_rate_save"] == 0.2


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ({"profile": "chaos"}, "unknown fault profile"),
        ({"error_rate": 0.5}, "unknown fault setting(s): error_rate"),
        ({"error_rate_get": 1.5}, "error_rate_get"),
        ({"latency_ms": [500, 100]}, "latency_ms"),
        ({"latency_ms": 100}, "latency_ms"),
        ({"seed": "zeven"}, "seed"),
        ({"rename_labels": ["Dag"]}, "rename_labels"),
        ({"fail_next": [{"mode": "explode"}]}, "fail_next[0].mode"),
        ({"fail_next": [{"mode": "error", "when": "now"}]}, "fail_next[0]: unknown key(s): when"),
        ({"fail_next": {"mode": "error"}}, "fail_next"),
        ({"fail_next": [{"mode": "error", "skip": -1}]}, "fail_next[0].skip"),
        ({"fail_next": [{"mode": "error", "skip": True}]}, "fail_next[0].skip"),
        ({"corrupt_saves": [{"field": "colour", "mode": "drop"}]}, "corrupt_saves[0].field"),
        ({"corrupt_saves": [{"field": "co2", "mode": "swap"}]}, "corrupt_saves[0].mode"),
        (
            {"corrupt_saves": [{"field": "burglary", "mode": "truncate"}]},
            "burglary cannot be truncated",
        ),
        ({"corrupt_saves": [{"field": "co2", "mode": "truncate", "keep": -1}]}, "keep"),
        ({"corrupt_saves": [{"field": "co2", "mode": "drop", "x": 1}]}, "unknown key(s): x"),
        ({"corrupt_saves": {"field": "co2"}}, "corrupt_saves: expected a list"),
    ],
)
def test_bad_fault_settings_are_refused_and_change_nothing(
    client: Client, body: dict[str, Any], problem: str
) -> None:
    before = client.get("/_mock/faults").json()
    response = client.http.put("/_mock/faults", json=body)
    assert response.status_code == 400
    assert problem in response.json()["error"]
    assert client.get("/_mock/faults").json() == before


def test_the_cli_profile_is_the_starting_point(make_app: AppFactory) -> None:
    client = Client(make_app(faults="realistic"))
    assert client.get("/_mock/faults").json()["profile"] == "realistic"
    assert client.get("/_mock/faults").json()["latency_ms"] == [100, 400]


def record_run(client: Client, seed: int) -> list[tuple[int, bool]]:
    """A fixed sequence of pages and saves under hostile faults (without the waiting)."""
    assert client.http.post("/_mock/reset").json() == {"ok": True}
    put_faults(
        client, {"profile": "hostile", "seed": seed, "latency_ms": [0, 0], "latency_spike_ms": 0}
    )
    outcomes: list[tuple[int, bool]] = []
    for i in range(40):
        if "planmanager" not in client.tokens or i % 10 == 0:
            client.login("planmanager")
        response = client.post_form(INJECT) if i % 2 else client.get("/planmanager/dossiers")
        if response.status_code == 303 and "/login" in response.headers["location"]:
            client.tokens.clear()
        outcomes.append((response.status_code, popup_of(Html(response.text)) is not None))
    return outcomes


def test_a_seeded_profile_is_reproducible(client: Client) -> None:
    first = record_run(client, seed=7)
    second = record_run(client, seed=7)
    assert first == second
    statuses = {status for status, _ in first}
    assert {200, 303} <= statuses
    assert statuses & {500, 502, 503}, "hostile faults did happen in this run"
    assert record_run(client, seed=8) != first, "another seed, another run"


# -- rename_labels -----------------------------------------------------------------------------
def test_rename_labels_renames_labels_buttons_and_headings(wx: Client) -> None:
    put_faults(
        wx,
        {
            "rename_labels": {
                "Gegevens 2e circuit": "2e circuit: gegevens",
                "Chassis (VIN)": "Chassisnummer",
                "Opslaan": "Bewaren",
            }
        },
    )
    page = wx.page("/winformex/dossiers/WX-2026-000017/2e-circuit")
    assert page.headings(1) == ["2e circuit: gegevens"]
    assert page.field("Chassisnummer")["name"] == "vin"
    assert page.labelled("Chassis (VIN)") == []
    assert "Bewaren" in page.buttons()
    assert "Opslaan" not in page.buttons()
    dossier = wx.page("/winformex/dossiers/WX-2026-000017")
    assert "2e circuit: gegevens" in dossier.buttons()
    assert "Gegevens 2e circuit" not in dossier.source
    inbox = wx.page("/winformex/")
    assert "Chassisnummer" in inbox.table_headers("Verzekeringsopdrachten")


def test_rename_labels_reaches_planmanager_too(pm: Client) -> None:
    put_faults(
        pm, {"rename_labels": {"Injecteer in Informex": "Naar Informex", "Klant": "Eigenaar"}}
    )
    page = pm.page(PAGE)
    assert page.the("Naar Informex").text() == "i"
    assert page.value("Eigenaar") == "Françoise Dubois"
    assert page.labelled("Injecteer in Informex") == []


def test_faults_survive_a_reset(client: Client) -> None:
    put_faults(client, {"error_rate_get": 0.3})
    assert client.http.post("/_mock/reset").json() == {"ok": True}
    assert client.get("/_mock/faults").json()["error_rate_get"] == 0.3


def test_control_paths_are_never_faulted(client: Client) -> None:
    put_faults(client, {"error_rate_get": 1.0, "session_expiry_rate": 1.0, "latency_ms": [0, 0]})
    assert client.get("/_mock/health").status_code == 200
    assert client.get("/portalen").status_code == 200
