"""The small "i": its confirm dialog, refusing incomplete dossiers, the job, duplicates."""

from __future__ import annotations

import datetime as dt

import pytest
from starlette.applications import Starlette

from tests.portal.conftest import AppFactory
from tests.portal.helpers import Client, FakeClock, Html, ctx_of, good_form

INJECT = "/planmanager/dossiers/PM-2026-0101/inject"
PAGE = "/planmanager/dossiers/PM-2026-0101"


def pm_state(client: Client, number: str = "PM-2026-0101") -> dict:
    dossiers = client.get("/_mock/state").json()["planmanager"]["dossiers"]
    return next(d for d in dossiers if d["number"] == number)


def wx_numbers(client: Client) -> list[str]:
    return [d["number"] for d in client.get("/_mock/state").json()["winformex"]["dossiers"]]


@pytest.fixture
def no_delay(app: Starlette) -> None:
    ctx_of(app).faults.configure({"injection_delay_s": [0, 0]})


def test_the_i_button_and_its_confirm_dialog(pm: Client) -> None:
    page = pm.page(PAGE)
    button = page.the("Injecteer in Informex")
    assert button.tag == "button"
    assert button.text() == "i"
    assert button.attrs["title"] == "Injecteer in Informex"
    dialog = page.root.find_all("dialog")[0]
    assert page.by_id[dialog.attrs["aria-labelledby"]].text() == "Injecteren in Informex"
    assert "Wilt u dit dossier naar Informex sturen?" in dialog.text()
    names = [b.text() for b in dialog.find_all("button")]
    assert names == ["Bevestigen", "Annuleren"]
    form = dialog.find_all("form")[0]
    assert (form.attrs["method"], form.attrs["action"]) == ("post", INJECT)


def test_an_incomplete_dossier_is_refused_and_nothing_is_created(pm: Client) -> None:
    before = wx_numbers(pm)
    response = pm.post_form("/planmanager/dossiers/PM-2026-0102/inject")
    assert response.status_code == 200
    page = Html(response.text)
    assert page.alert() == "Dossier onvolledig: ontbrekende gegevens: VIN, Eerste inschrijving"
    assert page.headings(1) == ["Dossier PM-2026-0102"]
    state = pm_state(pm, "PM-2026-0102")
    assert (state["injections"], state["injection_pending"], state["informex_dossier"]) == (
        0,
        False,
        None,
    )
    assert wx_numbers(pm) == before


def test_every_missing_required_field_is_named(make_app: AppFactory, seed_doc: dict) -> None:
    dossier = seed_doc["planmanager"]["dossiers"][0]
    dossier["customer"] = None
    dossier["vehicle"] = {}
    dossier["insurer"] = dossier["claim_number"] = dossier["damage_date"] = None
    c = Client(make_app(seed=seed_doc))
    c.login("planmanager")
    page = Html(c.post_form(INJECT).text)
    assert page.alert() == (
        "Dossier onvolledig: ontbrekende gegevens: Klant, Nummerplaat, VIN, Merk, Model, "
        "Eerste inschrijving, Verzekeraar, Schadenummer, Schadedatum"
    )


@pytest.mark.smoke
def test_a_confirmed_injection_is_pending_then_done(
    pm: Client, clock: FakeClock, app: Starlette
) -> None:
    ctx_of(app).faults.configure({"injection_delay_s": [2, 2]})
    response = pm.post_form(INJECT)
    assert response.status_code == 303
    assert response.headers["location"] == PAGE

    page = pm.follow(response)
    busy = [n for n in page.role("status") if "Bezig met injecteren" in n.text()]
    assert [n.text() for n in busy] == ["Bezig met injecteren in Informex…"]
    assert busy[0].attrs["data-poll-url"] == f"{PAGE}/informex-status"
    assert page.value("Informex dossier") == "—"
    assert pm.get(f"{PAGE}/informex-status").json() == {
        "state": "pending",
        "informex_dossier": None,
    }
    state = pm_state(pm)
    assert (state["injections"], state["injection_pending"]) == (1, True)

    clock.advance(1.9)
    assert pm.get(f"{PAGE}/informex-status").json()["state"] == "pending"
    clock.advance(0.2)
    assert pm.get(f"{PAGE}/informex-status").json() == {
        "state": "done",
        "informex_dossier": "WX-2026-000018",
    }
    page = pm.page(PAGE)
    assert page.value("Informex dossier") == "WX-2026-000018"
    assert "Bezig met injecteren" not in page.status()
    state = pm_state(pm)
    assert (state["injections"], state["injection_pending"], state["informex_dossier"]) == (
        1,
        False,
        "WX-2026-000018",
    )


def test_the_state_api_finishes_due_jobs_too(pm: Client, clock: FakeClock) -> None:
    pm.post_form(INJECT)
    clock.advance(10)
    assert pm_state(pm)["informex_dossier"] == "WX-2026-000018"


def test_every_confirmed_injection_creates_a_new_winformex_dossier(
    pm: Client, clock: FakeClock, no_delay: None
) -> None:
    first = pm.post_form(INJECT)
    second = pm.post_form(INJECT)
    assert first.status_code == second.status_code == 303
    state = pm.get("/_mock/state").json()
    dossier = next(d for d in state["planmanager"]["dossiers"] if d["number"] == "PM-2026-0101")
    assert dossier["injections"] == 2
    made = [d for d in state["winformex"]["dossiers"] if d["planmanager_dossier"] == "PM-2026-0101"]
    assert [d["number"] for d in made] == ["WX-2026-000018", "WX-2026-000019"]
    assert dossier["informex_dossier"] == "WX-2026-000019", "the latest one"


def test_a_double_click_before_the_first_job_ends_still_makes_two(
    pm: Client, clock: FakeClock
) -> None:
    pm.post_form(INJECT)
    pm.post_form(INJECT)
    assert pm_state(pm)["injection_pending"]
    clock.advance(60)
    assert pm_state(pm)["injections"] == 2
    assert wx_numbers(pm).count("WX-2026-000019") == 1


def test_injection_copies_the_photos_and_vehicle_to_winformex(
    app: Starlette, pm: Client, wx: Client, no_delay: None
) -> None:
    pm.post_form(INJECT)
    dossier = next(
        d
        for d in wx.get("/_mock/state").json()["winformex"]["dossiers"]
        if d["number"] == "WX-2026-000018"
    )
    assert dossier["planmanager_dossier"] == "PM-2026-0101"
    assert dossier["photos"] == 2
    assert dossier["created_at"] == "2026-11-29T10:00:00"
    assert dossier["second_circuit"]["saves"] == 0
    page = wx.page("/winformex/dossiers/WX-2026-000018")
    assert page.value("Nummerplaat") == "1-ABC-234"
    assert page.value("Aantal foto's") == "2"
    images = page.root.find_all("img")
    assert [i.attrs["alt"] for i in images] == ["Foto 1", "Foto 2"]
    photo = wx.get(images[0].attrs["src"])
    assert photo.headers["content-type"] == "image/jpeg"
    original = pm.get("/planmanager/photos/golf-voorzijde.jpg")
    assert photo.content == original.content


def test_winformex_numbers_follow_the_current_year(make_app: AppFactory, clock: FakeClock) -> None:
    clock.now = dt.datetime(2027, 1, 2, 9, 0).timestamp()
    app = make_app()
    ctx_of(app).faults.configure({"injection_delay_s": [0, 0]})
    c = Client(app)
    c.login("planmanager")
    c.post_form(INJECT)
    c.post_form("/planmanager/dossiers/PM-2026-0103/inject")
    assert pm_state(c)["informex_dossier"] == "WX-2027-000001"
    assert pm_state(c, "PM-2026-0103")["informex_dossier"] == "WX-2027-000002"
    assert pm_state(c, "PM-2026-0103")["injections"] == 2


def test_informex_status_of_dossiers_never_or_already_injected(pm: Client) -> None:
    assert pm.get(f"{PAGE}/informex-status").json() == {"state": "none", "informex_dossier": None}
    assert pm.get("/planmanager/dossiers/PM-2026-0103/informex-status").json() == {
        "state": "done",
        "informex_dossier": "WX-2026-000017",
    }
    assert pm.get("/planmanager/dossiers/PM-2026-9999/informex-status").status_code == 404


def test_the_job_uses_the_dossier_as_it_is_when_it_runs(pm: Client, clock: FakeClock) -> None:
    pm.post_form(INJECT)
    pm.post_form(f"{PAGE}/bewerken", good_form(number=None, plate="1-GHJ-876"))
    clock.advance(60)
    plates = {
        d["number"]: d["plate"] for d in pm.get("/_mock/state").json()["planmanager"]["dossiers"]
    }
    assert plates["PM-2026-0101"] == "1-GHJ-876"
    wx = Client(pm.app)
    wx.login("winformex")
    assert wx.page("/winformex/dossiers/WX-2026-000018").value("Nummerplaat") == "1-GHJ-876"


def test_injecting_an_unknown_dossier_answers_404(pm: Client) -> None:
    assert pm.post_form("/planmanager/dossiers/PM-2026-9999/inject").status_code == 404


def test_poll_until_done_with_a_bounded_loop(pm: Client, clock: FakeClock, app: Starlette) -> None:
    """What the page's script does: poll informex-status until the job is no longer pending."""
    ctx_of(app).faults.configure({"injection_delay_s": [1, 3]})
    pm.post_form(INJECT)
    for _ in range(40):
        status = pm.get(f"{PAGE}/informex-status").json()
        if status["state"] != "pending":
            break
        clock.advance(0.25)
    else:
        pytest.fail("the injection never finished")
    assert status == {"state": "done", "informex_dossier": "WX-2026-000018"}
