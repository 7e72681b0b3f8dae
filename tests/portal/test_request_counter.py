"""`/_mock/requests`: the page loads and POSTs the portal saw, per path, since the last reset."""

from __future__ import annotations

import json
import urllib.request
from typing import Any

from playwright.sync_api import Page, expect

from mock_portal.process import MockPortalProcess
from tests import seeds
from tests.portal.helpers import Client

DOCUMENT = {"Sec-Fetch-Dest": "document"}


def request_counts(portal: MockPortalProcess, method: str = "GET") -> Any:
    """`/_mock/requests` of a running portal (DELETE clears it)."""
    request = urllib.request.Request(f"{portal.url}/_mock/requests", method=method)
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.loads(answer.read())


def test_counts_start_at_zero_and_leave_out_the_control_api(client: Client) -> None:
    client.get("/_mock/state")
    counts = client.get("/_mock/requests").json()
    assert (counts["page_load"], counts["post"], counts["other"]) == (0, 0, 0)
    assert counts["by_path"] == {}


def test_a_navigation_is_a_page_load_and_a_fetch_is_not(pm: Client) -> None:
    client_counts = pm.get("/_mock/requests").json()  # the login: a page load and a post
    assert client_counts["post"] == 1
    pm.http.delete("/_mock/requests")
    pm.get("/planmanager/dossiers/PM-2026-0101", headers=DOCUMENT)
    pm.get("/planmanager/dossiers/PM-2026-0101", headers={"Accept": "text/html"})
    pm.get(
        "/planmanager/dossiers/PM-2026-0101/informex-status", headers={"Sec-Fetch-Dest": "empty"}
    )
    pm.get("/static/portal.css")
    counts = pm.get("/_mock/requests").json()
    assert (counts["page_load"], counts["post"], counts["other"]) == (2, 0, 2)
    assert counts["by_path"] == {
        "page_load GET /planmanager/dossiers/{id}": 2,
        "other GET /planmanager/dossiers/{id}/informex-status": 1,
        "other GET /static/portal.css": 1,
    }


def test_a_search_shows_as_its_query_keys(pm: Client) -> None:
    pm.http.delete("/_mock/requests")
    pm.get("/planmanager/dossiers?q=1-ABC-234", headers=DOCUMENT)
    pm.get("/planmanager/dossiers", headers=DOCUMENT)
    assert pm.get("/_mock/requests").json()["by_path"] == {
        "page_load GET /planmanager/dossiers": 1,
        "page_load GET /planmanager/dossiers?q": 1,
    }


def test_every_post_counts_even_when_refused(pm: Client) -> None:
    pm.http.delete("/_mock/requests")
    pm.http.post("/planmanager/dossiers/PM-2026-0101/inject", data={"csrf_token": "wrong"})
    counts = pm.get("/_mock/requests").json()
    assert counts["post"] == 1
    assert counts["by_path"] == {"post POST /planmanager/dossiers/{id}/inject": 1}


def test_reset_and_delete_start_counting_again(pm: Client) -> None:
    pm.get("/planmanager/dossiers", headers=DOCUMENT)
    assert pm.http.delete("/_mock/requests").json() == {"ok": True}
    assert pm.get("/_mock/requests").json()["page_load"] == 0
    pm.get("/planmanager/dossiers", headers=DOCUMENT)
    assert pm.get("/_mock/requests").json()["page_load"] == 1
    assert pm.http.post("/_mock/reset").status_code == 200
    assert pm.get("/_mock/requests").json()["page_load"] == 0


def test_chromium_loading_a_dossier_counts_one_page_load(
    page: Page, portal: MockPortalProcess
) -> None:
    page.goto(portal.planmanager_url + "login")
    page.get_by_label("Gebruikersnaam").fill(seeds.PM_USER["username"])
    page.get_by_label("Wachtwoord").fill(seeds.PM_USER["password"])
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_url(lambda url: "/login" not in url)
    request_counts(portal, "DELETE")
    page.goto(portal.planmanager_url + "dossiers/PM-2026-0101")
    expect(page.get_by_role("heading", name="Dossier PM-2026-0101")).to_be_visible()
    page.wait_for_load_state("load")  # its script, style and photos are in
    counts = request_counts(portal)
    assert counts["page_load"] == 1
    assert counts["post"] == 0
    assert counts["by_path"]["page_load GET /planmanager/dossiers/{id}"] == 1
    assert counts["other"] >= 2  # portal.css, portal.js (and the photos)
