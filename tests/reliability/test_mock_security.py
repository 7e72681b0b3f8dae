"""The live mock portal, over real HTTP, guards itself as a real portal must.

Every route the app has is tried without a session (so a route added later is covered too);
every form post is tried without its CSRF token; one portal's session cookie is offered to the
other. tests/portal checks the same rules in-process; this is the server the bot really meets.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest
from starlette.routing import Route

from mock_portal.app import create_app
from mock_portal.config import PortalConfig
from mock_portal.process import MockPortalProcess
from tests import seeds

PUBLIC = re.compile(r"^/(?:|portalen|static.*|_mock/.*|(?:planmanager|winformex)/login|winformex)$")
"""What anyone may open: the landing page, static files, login pages, the control API, and
`/winformex`, which only redirects to `/winformex/`."""
PARAMS = {"nr": "PM-2026-0101", "file": "golf-voorzijde.jpg", "index:int": "1"}
USERS = {"planmanager": seeds.PM_USER, "winformex": seeds.WX_USER}
SESSION_COOKIE = {"planmanager": "pm_session", "winformex": "wx_session"}


def routes() -> Iterator[tuple[str, str]]:
    """(method, path) of every route of the portal app, path parameters filled in."""
    for route in create_app(PortalConfig()).routes:
        if not isinstance(route, Route):
            continue  # the static files mount
        path = re.sub(r"\{([^}]+)\}", lambda m: PARAMS[m.group(1)], route.path)
        if "/winformex/opdrachten/" in path:
            path = path.replace("PM-2026-0101", "IX-2026-004711")
        elif "/winformex/" in path:
            path = path.replace("PM-2026-0101", "WX-2026-000001")
        for method in sorted((route.methods or set()) - {"HEAD"}):
            yield method, path


def portal_of(path: str) -> str:
    return "winformex" if path.startswith("/winformex") else "planmanager"


def log_in(client: httpx.Client, portal: str) -> str:
    """Log in as a person does (the login form's double-submit token); returns a page's token."""
    form = client.get(f"/{portal}/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
    assert token is not None
    user = USERS[portal]
    answer = client.post(
        f"/{portal}/login",
        data={
            "csrf_token": token.group(1),
            "username": user["username"],
            "password": user["password"],
        },
    )
    assert answer.status_code == 303 and "/login" not in answer.headers["location"]
    page = client.get(
        f"/{portal}/dossiers/PM-2026-0101" if portal == "planmanager" else "/winformex/"
    )
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found is not None
    return found.group(1)


@pytest.fixture
def client(portal: MockPortalProcess) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=portal.url, follow_redirects=False, timeout=30) as http:
        yield http


def test_no_page_and_no_action_without_a_session(
    portal: MockPortalProcess, client: httpx.Client
) -> None:
    before = portal.state()
    checked, let_through = 0, []
    for method, path in routes():
        if PUBLIC.match(path):
            continue
        answer = client.request(method, path, data={} if method == "POST" else None)
        checked += 1
        to_login = answer.headers.get("location", "").startswith(f"/{portal_of(path)}/login")
        if not (answer.status_code == 303 and to_login):
            let_through.append(f"{method} {path} -> {answer.status_code}")

    assert let_through == []
    assert checked >= 18  # every guarded route was tried
    assert client.get("/winformex").headers["location"] == "/winformex/"  # public: a redirect
    assert portal.state() == before


def test_every_form_post_needs_the_sessions_csrf_token(
    portal: MockPortalProcess, client: httpx.Client
) -> None:
    tokens = {name: log_in(client, name) for name in USERS}
    before = portal.state()
    posts = [path for method, path in routes() if method == "POST" and not PUBLIC.match(path)]
    accepted = []
    for path in posts:
        for data in ({}, {"csrf_token": "forged"}, {"csrf_token": tokens[other(portal_of(path))]}):
            answer = client.post(path, data=data)
            if answer.status_code != 403:
                accepted.append(f"POST {path} {data} -> {answer.status_code}")

    assert accepted == []
    assert len(posts) >= 8
    assert portal.state() == before
    done = client.post(
        "/planmanager/dossiers/PM-2026-0101/inject", data={"csrf_token": tokens["planmanager"]}
    )
    assert done.status_code == 303  # with its token the same post goes through: the check is real
    assert portal.state()["planmanager"]["dossiers"][0]["injections"] == 1


def test_login_post_without_the_double_submit_token_is_forbidden(client: httpx.Client) -> None:
    user = USERS["planmanager"]
    client.get("/planmanager/login")  # sets the login token cookie
    forged = client.post(
        "/planmanager/login",
        data={"csrf_token": "forged", "username": user["username"], "password": user["password"]},
    )

    assert forged.status_code == 403
    assert "pm_session" not in client.cookies


def other(portal: str) -> str:
    return "winformex" if portal == "planmanager" else "planmanager"


@pytest.mark.parametrize("portal_name", sorted(USERS))
def test_one_portals_session_does_not_open_the_other(
    portal_name: str, portal: MockPortalProcess
) -> None:
    with httpx.Client(base_url=portal.url, follow_redirects=False, timeout=30) as own:
        log_in(own, portal_name)
        session = own.cookies[SESSION_COOKIE[portal_name]]
    target = other(portal_name)
    home = "/planmanager/dossiers" if target == "planmanager" else "/winformex/"
    cookies = {SESSION_COOKIE[target]: session, SESSION_COOKIE[portal_name]: session}

    with httpx.Client(base_url=portal.url, follow_redirects=False, cookies=cookies) as stranger:
        answer = stranger.get(home)

    assert answer.status_code == 303
    assert answer.headers["location"].startswith(f"/{target}/login")


def test_the_control_api_can_be_switched_off() -> None:
    with MockPortalProcess(extra_args=["--no-control-api"]) as locked:
        answers = {
            path: httpx.request(method, f"{locked.url}{path}", json={}).status_code
            for method, path in [
                ("GET", "/_mock/health"),
                ("GET", "/_mock/state"),
                ("POST", "/_mock/reset"),
                ("PUT", "/_mock/faults"),
            ]
        }
        login_page = httpx.get(f"{locked.url}/planmanager/login").status_code

    assert answers == dict.fromkeys(answers, 404)
    assert login_page == 200  # the portal itself still serves


# -- the control API answers this machine only, in JSON ---------------------------------------
def test_a_rebound_host_name_cannot_reach_the_control_api(
    portal: MockPortalProcess, client: httpx.Client
) -> None:
    """DNS rebinding: a page of evil.example, its name now resolving to 127.0.0.1, calls the
    portal; the browser sends `Host: evil.example:PORT`, which the control API refuses."""
    port = portal.url.rsplit(":", 1)[1]
    before = portal.state()
    answers = [
        client.request(method, path, json={"profile": "hostile"}, headers={"host": host})
        for host in (f"evil.example:{port}", f"127.0.0.1.nip.io:{port}")
        for method, path in (("GET", "/_mock/state"), ("POST", "/_mock/reset"))
    ]

    assert [a.status_code for a in answers] == [403] * len(answers)
    assert portal.state() == before
    assert client.get("/_mock/state", headers={"host": f"localhost:{port}"}).status_code == 200


def test_a_web_page_cannot_drive_the_control_api(
    portal: MockPortalProcess, client: httpx.Client
) -> None:
    """What a page elsewhere can send: a cross-origin fetch (Origin) or a plain form (no JSON)."""
    before = portal.fault_settings()
    from_page = client.put(
        "/_mock/faults",
        json={"profile": "hostile"},
        headers={"origin": "http://evil.example", "sec-fetch-site": "cross-site"},
    )
    form_post = client.post("/_mock/reset", data={"profile": "hostile"})
    text_put = client.put(
        "/_mock/faults", content=b'{"profile": "hostile"}', headers={"content-type": "text/plain"}
    )

    assert (from_page.status_code, form_post.status_code, text_put.status_code) == (403, 415, 415)
    assert portal.fault_settings() == before
    assert portal.set_faults(profile="none")["profile"] == "none", "the test client still works"


def test_the_live_portal_throttles_failed_logins_until_reset(
    portal: MockPortalProcess, client: httpx.Client
) -> None:
    user = USERS["planmanager"]

    def log_in_with(password: str) -> httpx.Response:
        form = client.get("/planmanager/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
        assert token is not None
        return client.post(
            "/planmanager/login",
            data={"csrf_token": token[1], "username": user["username"], "password": password},
        )

    answers = [log_in_with("fout").status_code for _ in range(5)]
    locked = log_in_with(user["password"])

    assert answers == [200, 200, 200, 200, 429]
    assert locked.status_code == 429 and "Te veel mislukte pogingen" in locked.text
    portal.reset(seeds.world())
    assert log_in_with(user["password"]).status_code == 303
