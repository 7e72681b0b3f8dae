"""Sessions, logins, cookies and CSRF of both portals (docs/mock-portal.md: Sessions and forms)."""

from __future__ import annotations

import pytest
from starlette.applications import Starlette

from mock_portal.security import verify_password
from tests.portal.conftest import AppFactory
from tests.portal.helpers import Client, FakeClock, Html, ctx_of


@pytest.mark.parametrize(
    "path",
    [
        "/planmanager/dossiers",
        "/planmanager/dossiers/PM-2026-0101",
        "/planmanager/dossiers/nieuw",
        "/planmanager/dossiers/PM-2026-0101/informex-status",
        "/planmanager/photos/golf-voorzijde.jpg",
        "/winformex/",
        "/winformex/opdrachten/IX-2026-004711",
        "/winformex/dossiers/WX-2026-000017",
        "/winformex/dossiers/WX-2026-000017/2e-circuit",
    ],
)
def test_pages_without_session_redirect_to_login_with_next(client: Client, path: str) -> None:
    response = client.get(path)
    portal = path.split("/")[1]
    assert response.status_code == 303
    assert response.headers["location"] == f"/{portal}/login?next={path}"


def test_redirect_keeps_the_query_string_in_next(client: Client) -> None:
    response = client.get("/planmanager/dossiers?q=1ABC")
    assert (
        response.headers["location"] == "/planmanager/login?next=/planmanager/dossiers%3Fq%3D1ABC"
    )


@pytest.mark.parametrize("portal", ["planmanager", "winformex"])
def test_login_screen_has_the_contract_labels(client: Client, portal: str) -> None:
    page = client.page(f"/{portal}/login")
    assert page.headings(1) == ["Aanmelden"]
    assert page.field("Gebruikersnaam")["name"] == "username"
    assert page.field("Wachtwoord")["type"] == "password"
    assert "Aanmelden" in page.buttons()


@pytest.mark.smoke
def test_right_password_logs_in_and_goes_to_next(client: Client) -> None:
    response = client.login("planmanager", next_path="/planmanager/dossiers/PM-2026-0102")
    assert response.status_code == 303
    assert response.headers["location"] == "/planmanager/dossiers/PM-2026-0102"
    assert client.get("/planmanager/dossiers/PM-2026-0102").status_code == 200


def test_login_without_next_goes_to_the_portal_home(client: Client) -> None:
    response = client.login("winformex")
    assert response.headers["location"] == "/winformex/"


@pytest.mark.parametrize(
    ("username", "password"),
    [("werkplaats", "fout"), ("niemand", "pm-geheim-1"), ("hersteller", "wx-geheim-1")],
)
def test_wrong_credentials_are_refused_with_an_alert(
    client: Client, username: str, password: str
) -> None:
    response = client.login("planmanager", username, password)
    assert response.status_code == 200
    assert Html(response.text).alert() == "Ongeldige gebruikersnaam of wachtwoord."
    assert "pm_session" not in response.headers.get("set-cookie", "")
    assert client.get("/planmanager/dossiers").status_code == 303


def test_passwords_are_stored_hashed_with_a_salt(app: Starlette) -> None:
    db = ctx_of(app).db
    stored = db.password_hash("planmanager", "werkplaats")
    assert stored is not None
    assert stored.startswith("pbkdf2_sha256$")
    assert "pm-geheim-1" not in stored
    assert verify_password("pm-geheim-1", stored)
    assert not verify_password("pm-geheim-2", stored)
    other = db.password_hash("winformex", "hersteller")
    assert other is not None
    assert other.split("$")[2] != stored.split("$")[2], "each password has its own salt"


@pytest.mark.parametrize(
    ("portal", "cookie"), [("planmanager", "pm_session"), ("winformex", "wx_session")]
)
def test_session_cookie_is_httponly_lax_and_scoped_to_its_portal(
    client: Client, portal: str, cookie: str
) -> None:
    header = client.login(portal).headers["set-cookie"]
    assert header.startswith(f"{cookie}=")
    parts = [p.strip().lower() for p in header.split(";")]
    assert "httponly" in parts
    assert "samesite=lax" in parts
    assert f"path=/{portal}" in parts


def test_login_form_uses_a_double_submit_csrf_cookie(client: Client) -> None:
    response = client.get("/planmanager/login")
    header = response.headers["set-cookie"].lower()
    assert header.startswith("pm_login_csrf=")
    assert "httponly" in header
    token = Html(response.text).csrf()
    assert client.http.cookies.get("pm_login_csrf") == token


def test_login_post_without_the_csrf_cookie_is_forbidden(app: Starlette) -> None:
    stranger = Client(app)
    response = stranger.http.post(
        "/planmanager/login",
        data={"username": "werkplaats", "password": "pm-geheim-1", "csrf_token": "x" * 43},
    )
    assert response.status_code == 403
    assert "pm_session" not in response.headers.get("set-cookie", "")


def test_login_post_with_a_token_not_matching_the_cookie_is_forbidden(client: Client) -> None:
    client.get("/planmanager/login")
    response = client.http.post(
        "/planmanager/login",
        data={"username": "werkplaats", "password": "pm-geheim-1", "csrf_token": "wrong"},
    )
    assert response.status_code == 403


def test_post_without_csrf_token_is_forbidden_and_writes_nothing(pm: Client) -> None:
    response = pm.http.post("/planmanager/dossiers/PM-2026-0101/inject", data={})
    assert response.status_code == 403
    assert Html(response.text).alert().startswith("De beveiligingscode van het formulier")
    state = pm.get("/_mock/state").json()
    assert state["planmanager"]["dossiers"][0]["injections"] == 0


def test_post_with_another_sessions_token_is_forbidden(app: Starlette, pm: Client) -> None:
    other = Client(app)
    other.login("planmanager")
    response = pm.http.post(
        "/planmanager/dossiers/PM-2026-0101/inject",
        data={"csrf_token": other.tokens["planmanager"]},
    )
    assert response.status_code == 403


def test_winformex_save_without_the_right_token_is_forbidden(wx: Client) -> None:
    response = wx.http.post(
        "/winformex/dossiers/WX-2026-000017/2e-circuit",
        data={"assignment_number": "IX-2026-004711", "csrf_token": "nope"},
    )
    assert response.status_code == 403
    state = wx.get("/_mock/state").json()
    assert (
        state["winformex"]["dossiers"][0]["second_circuit"]["assignment_number"] == "IX-2026-004799"
    )


def test_every_post_form_carries_a_csrf_token(pm: Client, wx: Client) -> None:
    pages = [
        pm.get("/planmanager/dossiers/PM-2026-0101").text,
        pm.get("/planmanager/dossiers/nieuw").text,
        pm.get("/planmanager/dossiers/PM-2026-0101/bewerken").text,
        wx.get("/winformex/dossiers/WX-2026-000017/2e-circuit").text,
    ]
    for text in pages:
        page = Html(text)
        for form in page.root.find_all("form"):
            if form.attrs.get("method") == "post":
                tokens = form.find_all("input", name="csrf_token")
                assert len(tokens) == 1 and tokens[0].attrs["value"], form.attrs


def test_a_planmanager_session_does_not_open_winformex(pm: Client) -> None:
    assert pm.get("/winformex/").status_code == 303
    # Not even when the cookie is presented under the other portal's name and path.
    token = pm.http.cookies.get("pm_session")
    response = pm.http.get("/winformex/", headers={"cookie": f"wx_session={token}"})
    assert response.status_code == 303
    assert response.headers["location"].startswith("/winformex/login")


def test_a_winformex_session_does_not_open_planmanager(wx: Client) -> None:
    token = wx.http.cookies.get("wx_session")
    response = wx.http.get("/planmanager/dossiers", headers={"cookie": f"pm_session={token}"})
    assert response.status_code == 303


def test_session_expires_after_the_idle_ttl(make_app: AppFactory, clock: FakeClock) -> None:
    c = Client(make_app(session_ttl_s=60))
    c.login("planmanager")
    clock.advance(59)
    assert c.get("/planmanager/dossiers").status_code == 200
    clock.advance(61)
    response = c.get("/planmanager/dossiers")
    assert response.status_code == 303
    assert response.headers["location"] == "/planmanager/login?next=/planmanager/dossiers"


def test_activity_keeps_a_session_alive(make_app: AppFactory, clock: FakeClock) -> None:
    c = Client(make_app(session_ttl_s=60))
    c.login("winformex")
    for _ in range(5):
        clock.advance(50)
        assert c.get("/winformex/").status_code == 200


def test_an_expired_session_never_half_writes(make_app: AppFactory, clock: FakeClock) -> None:
    c = Client(make_app(session_ttl_s=60))
    c.login("planmanager")
    clock.advance(120)
    response = c.post_form(
        "/planmanager/dossiers/PM-2026-0101/inject",
        headers={"referer": "http://testserver/planmanager/dossiers/PM-2026-0101"},
    )
    assert response.status_code == 303
    assert (
        response.headers["location"] == "/planmanager/login?next=/planmanager/dossiers/PM-2026-0101"
    )
    dossier = c.get("/_mock/state").json()["planmanager"]["dossiers"][0]
    assert dossier["injections"] == 0
    assert not dossier["injection_pending"]


def test_logout_ends_the_session(pm: Client) -> None:
    token = pm.http.cookies.get("pm_session")
    response = pm.post_form("/planmanager/logout")
    assert response.status_code == 303
    assert response.headers["location"] == "/planmanager/login"
    assert (
        pm.http.get("/planmanager/dossiers", headers={"cookie": f"pm_session={token}"}).status_code
        == 303
    )


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/", "/winformex/", "/planmanager/login", ""],
)
def test_next_never_leaves_the_portal(client: Client, target: str) -> None:
    response = client.login("planmanager", next_path=target)
    assert response.headers["location"] == "/planmanager/"


@pytest.mark.parametrize(
    ("path", "user"),
    [("/planmanager/dossiers", "Werkplaats Carrosserie"), ("/winformex/", "Carrosserie De Smet")],
)
def test_logged_in_pages_show_the_user_and_afmelden(
    pm: Client, wx: Client, path: str, user: str
) -> None:
    client = pm if path.startswith("/planmanager") else wx
    page = client.page(path)
    assert user in page.root.find_all("header")[0].text()
    assert "Afmelden" in page.buttons()


def test_static_files_and_the_landing_page_need_no_session(client: Client) -> None:
    assert client.get("/static/portal.css").status_code == 200
    assert client.get("/static/portal.js").status_code == 200
    root = client.get("/")
    assert root.status_code == 303
    landing = client.page(root.headers["location"])
    assert {"PlanManager", "Winformex"} <= set(landing.links())
    assert landing.links()["PlanManager"] == "/planmanager/"
    assert landing.links()["Winformex"] == "/winformex/"


def test_portal_roots_lead_to_their_home_screens(pm: Client, wx: Client) -> None:
    assert pm.get("/planmanager/").headers["location"] == "/planmanager/dossiers"
    assert pm.get("/planmanager").headers["location"] == "/planmanager/dossiers"
    assert wx.get("/winformex").headers["location"] == "/winformex/"
    assert wx.page("/winformex/").headings(1) == ["Postvak"]


def test_unknown_pages_answer_404_in_dutch(pm: Client) -> None:
    response = pm.get("/planmanager/bestaat-niet")
    assert response.status_code == 404
    assert "Niet gevonden (404)" in Html(response.text).title
