"""The web page's rules, in-process (Starlette's TestClient, no browser, no portal).

What a request may do and say: every POST carries the session's CSRF token, a page without a
password answers loopback Host names only, a password puts everything behind a throttled login,
the Link form refuses what `informex-bot run` refuses (in its words), a second click joins the
run going, and every word exists in Dutch and French.
"""

from __future__ import annotations

import json
import re
import socket
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest
from markupsafe import escape
from typer.testing import CliRunner

from bot.cli import app as cli
from bot.domain.models import SEED_STEPS, DossierInput, DossierStatus
from bot.domain.validation import ValidationRules
from bot.engine.ledger import Ledger
from bot.errors import ConfigError, ValidationError
from bot.settings import Settings, load_settings
from bot.web.app import create_app
from bot.web.explain import RULES
from bot.web.i18n import CATALOGUE, Translator, missing_translations, pick_language
from bot.web.security import LoginThrottle
from bot.web.server import check_exposure

with warnings.catch_warnings():
    # Starlette 1.x suggests httpx2 for its TestClient; httpx is what the project installs.
    warnings.filterwarnings("ignore", message=r".*httpx2.*")
    from starlette.testclient import TestClient

TEMPLATES = Path(__file__).resolve().parents[2] / "bot" / "web" / "templates"
PASSWORD = "kantoor-Geheim-2026"
LOCAL = "http://127.0.0.1:8780"
SLEEPER = [sys.executable, "-c", "import time; time.sleep(60)"]


def settings_for(tmp_path: Path, **extra: str) -> Settings:
    return load_settings(
        {
            "PLANMANAGER_USERNAME": "werkplaats",
            "PLANMANAGER_PASSWORD": "pm-web-test-secret",
            "WINFORMEX_USERNAME": "hersteller",
            "WINFORMEX_PASSWORD": "wx-web-test-secret",
            "BOT_RUNS_DIR": str(tmp_path / "runs"),
            "BOT_STATE_DIR": str(tmp_path / "state"),
            **extra,
        }
    )


def client_for(settings: Settings, *, command: list[str] | None = None) -> TestClient:
    app = create_app(
        settings, loopback_only=not settings.ui_password, job_command=command or SLEEPER
    )
    return TestClient(app, base_url=LOCAL, follow_redirects=False)


def token(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, html[:500]
    return found.group(1)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return settings_for(tmp_path)


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with client_for(settings) as test_client:
        yield test_client
    end_started_jobs(settings)


def end_started_jobs(settings: Settings) -> None:
    """Kill, by pid, the stand-in runs a test started (they sleep; they never touch a portal)."""
    for record in (settings.state_dir / "web" / "jobs").glob("*.json"):
        pid = json.loads(record.read_text(encoding="utf-8")).get("pid")
        try:
            process = psutil.Process(pid)
            if SLEEPER[-1] in " ".join(process.cmdline()):
                process.kill()
        except (psutil.NoSuchProcess, TypeError):
            continue


# -- CSRF and hosts ----------------------------------------------------------------------------
POSTS = ["/link", "/waiting/refresh", "/health/check", "/language", "/logout", "/login"]


def test_every_post_route_is_listed_here(settings: Settings) -> None:
    app = create_app(settings)
    posts = sorted(
        route.path for route in app.routes if "POST" in (getattr(route, "methods", None) or ())
    )
    assert posts == sorted(POSTS)


@pytest.mark.parametrize("path", POSTS)
def test_a_post_without_the_session_s_form_token_is_refused(
    client: TestClient, settings: Settings, path: str
) -> None:
    own = token(client.get("/").text)
    with client_for(settings) as other:
        foreign = token(other.get("/").text)

    assert client.post(path, data={"dossier": "PM-2026-0101"}).status_code == 403
    assert client.post(path, data={"csrf": foreign, "dossier": "PM-2026-0101"}).status_code == 403
    cross_site = client.post(path, data={"csrf": own}, headers={"origin": "http://evil.example"})
    assert cross_site.status_code == 403
    assert not (settings.state_dir / "web" / "jobs").exists(), "nothing may have started"


def test_without_a_password_the_page_answers_loopback_host_names_only(client: TestClient) -> None:
    assert client.get("/", headers={"host": "127.0.0.1:8780"}).status_code == 200
    assert client.get("/", headers={"host": "localhost:8780"}).status_code == 200
    rebound = client.get("/", headers={"host": "evil.example:8780"})  # DNS rebinding
    assert rebound.status_code == 403


def test_every_answer_forbids_framing_sniffing_and_foreign_scripts(client: TestClient) -> None:
    answer = client.get("/")
    policy = answer.headers["content-security-policy"]

    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["x-frame-options"] == "DENY"
    cookie = answer.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_serving_beyond_the_machine_needs_a_password(tmp_path: Path) -> None:
    everywhere = "0.0.0.0"  # noqa: S104 - what the test is about
    with pytest.raises(ConfigError, match="BOT_UI_PASSWORD"):
        check_exposure(settings_for(tmp_path), everywhere)
    with pytest.raises(ConfigError, match="BOT_UI_PASSWORD"):
        check_exposure(settings_for(tmp_path), "192.168.1.20")
    check_exposure(settings_for(tmp_path), "127.0.0.1")
    check_exposure(settings_for(tmp_path), "::1")
    check_exposure(settings_for(tmp_path, BOT_UI_PASSWORD=PASSWORD), everywhere)


def test_a_short_password_is_a_configuration_problem_and_the_password_a_secret(
    tmp_path: Path,
) -> None:
    with pytest.raises(ConfigError, match="BOT_UI_PASSWORD is shorter than 12"):
        settings_for(tmp_path, BOT_UI_PASSWORD="kort")
    assert PASSWORD in settings_for(tmp_path, BOT_UI_PASSWORD=PASSWORD).secrets
    assert PASSWORD not in repr(settings_for(tmp_path, BOT_UI_PASSWORD=PASSWORD))


def test_serve_with_a_bad_password_setting_exits_2_before_listening(tmp_path: Path) -> None:
    env = {
        "PLANMANAGER_USERNAME": "u",
        "PLANMANAGER_PASSWORD": "pm-cli-test-secret",
        "WINFORMEX_USERNAME": "u",
        "WINFORMEX_PASSWORD": "wx-cli-test-secret",
        "BOT_UI_PASSWORD": "kort",
        "BOT_ENV_FILE": str(tmp_path / "no.env"),
    }
    result = CliRunner().invoke(cli, ["serve", "--port", "0"], env=env)

    assert result.exit_code == 2
    assert "BOT_UI_PASSWORD" in result.output


# -- the login wall ----------------------------------------------------------------------------
def test_with_a_password_every_page_waits_behind_the_login(tmp_path: Path) -> None:
    settings = settings_for(tmp_path, BOT_UI_PASSWORD=PASSWORD)
    with client_for(settings) as client:
        assert client.get("/", headers={"accept": "text/html"}).headers["location"] == "/login"
        assert client.get("/runs/x/report.html").status_code == 401
        assert client.get("/static/web.css").status_code == 200  # the login page's looks
        form = client.get("/login").text
        assert "PlanManager" in form and 'type="password"' in form
        french = client.post("/language", data={"csrf": token(form), "lang": "fr", "back": "/"})
        assert french.headers["location"] == "/"
        form = client.get("/login").text
        assert "Mot de passe" in form
        before = client.cookies.get("informex_bot_session")

        logged_in = client.post("/login", data={"csrf": token(form), "password": PASSWORD})

        assert logged_in.status_code == 303
        assert client.cookies.get("informex_bot_session") != before  # a new id at login
        assert client.get("/runs").status_code == 200


def test_failed_logins_lock_the_address_out_for_a_while_without_extending_it() -> None:
    now = [1000.0]
    throttle = LoginThrottle(max_failures=3, window_s=60, lockout_s=30, clock=lambda: now[0])
    for _ in range(3):
        assert throttle.locked_for("10.0.0.5") == 0
        throttle.failed("10.0.0.5")
    assert throttle.locked_for("10.0.0.5") == pytest.approx(30)
    assert throttle.locked_for("10.0.0.6") == 0  # another office PC
    now[0] += 20
    throttle.failed("10.0.0.5")  # refused during the lockout: not counted, not extending it
    assert throttle.locked_for("10.0.0.5") == pytest.approx(10)
    now[0] += 11
    assert throttle.locked_for("10.0.0.5") == 0
    throttle.failed("10.0.0.5")
    assert throttle.locked_for("10.0.0.5") == 0  # a fresh count after the lockout


# -- the Link form -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("dossier", "assignment"),
    [("PM 2026/../x", ""), ("", ""), ("PM-2026-0101", "12345"), ("PM-2026-0101", "IX-26")],
)
def test_the_link_form_refuses_what_the_cli_refuses_in_the_cli_s_words(
    client: TestClient, settings: Settings, dossier: str, assignment: str
) -> None:
    rules = ValidationRules.from_settings(settings)
    with pytest.raises(ValidationError) as refused:
        DossierInput.create(dossier, assignment or None, rules=rules)
    cli_words = f"bad input: {refused.value}"

    answer = client.post(
        "/link",
        data={"csrf": token(client.get("/").text), "dossier": dossier, "assignment": assignment},
    )

    assert answer.status_code == 400
    assert str(escape(cli_words)) in answer.text
    assert not (settings.state_dir / "web" / "jobs").exists()


def test_a_second_click_on_a_dossier_being_linked_joins_that_run(
    client: TestClient, settings: Settings
) -> None:
    csrf = token(client.get("/").text)
    form = {"csrf": csrf, "dossier": "PM-2026-0101", "force": "on"}

    first = client.post("/link", data=form)
    second = client.post("/link", data=form)

    assert first.headers["location"] == "/dossiers/PM-2026-0101"
    assert second.headers["location"] == "/dossiers/PM-2026-0101?joined=1"
    [record] = (settings.state_dir / "web" / "jobs").glob("*.json")
    job = json.loads(record.read_text(encoding="utf-8"))
    assert job["request"] == {
        "dossier": "PM-2026-0101",
        "assignment": None,
        "force": True,
        "dry_run": False,
    }
    assert " ".join(psutil.Process(job["pid"]).cmdline()).endswith("run PM-2026-0101 --force")
    page = client.get("/dossiers/PM-2026-0101?joined=1").text
    assert "u volgt die koppeling" in page and "vervangen" in page


def test_a_click_beyond_three_running_links_is_asked_to_wait(
    client: TestClient, settings: Settings
) -> None:
    csrf = token(client.get("/").text)
    for number in range(1, 4):
        started = client.post("/link", data={"csrf": csrf, "dossier": f"PM-2026-010{number}"})
        assert started.status_code == 303

    fourth = client.post("/link", data={"csrf": csrf, "dossier": "PM-2026-0104"})

    assert fourth.status_code == 429
    assert "Er lopen al 3 koppelingen" in fourth.text


def test_a_run_that_ends_without_a_result_shows_the_command_s_last_words(
    settings: Settings,
) -> None:
    says = "import sys; print('x' * 10); print('run X is being worked on by pid 7'); sys.exit(2)"
    with client_for(settings, command=[sys.executable, "-c", says]) as client:
        client.post("/link", data={"csrf": token(client.get("/").text), "dossier": "PM-2026-0101"})
        page = wait_until(client, "/dossiers/PM-2026-0101", 'data-final="1"')

    assert "De bot weigerde de opdracht" in page
    assert "run X is being worked on by pid 7" in page


def test_a_ledger_database_out_of_reach_leaves_every_page_answering_at_once(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with socket.socket() as probe:  # a port nobody listens on: connections refused at once
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"postgresql://bot:db-web-test-secret@127.0.0.1:{port}/bot"
    settings = settings_for(tmp_path, BOT_DATABASE_URL=url)
    embedded = settings.runs_dir / "20261128-023000-0001"  # the SQLite store is not the one named
    with Ledger(embedded / "ledger.sqlite") as ledger:
        ledger.set_meta(run_id=embedded.name, input_source="--discover")
        ledger.add_jobs([DossierInput(dossier="PM-2026-0101", line=1)])

    with client_for(settings) as client:
        paths = ("/runs", "/dossiers/PM-2026-0101", "/dossiers/PM-2026-0101", "/")
        pages = [client.get(path) for path in paths]

    assert [page.status_code for page in pages] == [200, 200, 200, 200]
    assert embedded.name not in pages[0].text
    assert all("db-web-test-secret" not in page.text for page in pages)
    # asked once each, then left alone for a while: not once per question, holding every request
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert len([w for w in warnings if "cannot connect" in w]) == 1, warnings
    assert len([w for w in warnings if "dossier leases" in w]) == 1, warnings


def wait_until(client: TestClient, path: str, marker: str, timeout_s: float = 30) -> str:
    import time

    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        page = client.get(path).text
        if marker in page:
            return page
        time.sleep(0.1)  # a child process's end has no event to wait on from here
    raise AssertionError(f"{path} never showed {marker!r}")


# -- what the portals say is text ---------------------------------------------------------------
def test_portal_values_on_the_waiting_list_are_escaped(
    client: TestClient, settings: Settings
) -> None:
    evil = "<script>alert('x')</script>"
    survey = {
        "ended_at": "2026-11-28T02:30:00+01:00",
        "error": None,
        "to_link": [
            {"number": "PM-2026-0101", "plate": evil, "customer": '"><img src=x onerror=1>'},
        ],
        "incomplete": [{"number": "PM-2026-0102", "missing": [evil]}],
        "linked": [],
    }
    (settings.state_dir / "web").mkdir(parents=True)
    (settings.state_dir / "web" / "waiting.json").write_text(json.dumps(survey), "utf-8")

    page = client.get("/").text

    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page
    assert "Opgehaald op 28/11/2026" in page


# -- languages ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("chosen", "accept", "language"),
    [
        (None, "fr-BE,fr;q=0.9,nl;q=0.8", "fr"),
        (None, "nl-BE,nl;q=0.9,fr;q=0.8", "nl"),
        (None, "en-US,en;q=0.9,fr;q=0.5", "fr"),
        (None, "de-DE", "nl"),
        (None, "nl;q=0.2,fr;q=0.7", "fr"),
        ("nl", "fr-BE", "nl"),
        ("xx", "fr-BE", "fr"),
        (None, None, "nl"),
    ],
)
def test_the_language_is_the_person_s_choice_else_the_browser_s_else_dutch(
    chosen: str | None, accept: str | None, language: str
) -> None:
    assert pick_language(chosen, accept) == language


def test_choosing_french_is_kept_for_the_next_pages(client: TestClient) -> None:
    csrf = token(client.get("/").text)
    chosen = client.post("/language", data={"csrf": csrf, "lang": "fr", "back": "/runs"})

    assert chosen.headers["location"] == "/runs"
    assert '<html lang="fr">' in client.get("/health").text
    assert "Nuits passées" in client.get("/runs").text
    away = client.post("/language", data={"csrf": csrf, "lang": "nl", "back": "//evil.example"})
    assert away.headers["location"] == "/"


def test_every_text_exists_in_dutch_and_french_and_every_key_used_exists() -> None:
    assert missing_translations() == []
    used = set()
    for template in TEMPLATES.glob("*.html"):
        text = template.read_text("utf-8")
        used |= set(re.findall(r"""\bt\(\s*["']([a-z0-9_]+)["']\s*[,)]""", text))
    for status in DossierStatus:  # keys the templates build: t("result_" ~ status) …
        used.add(f"result_{status.value}")
    used |= {f"kind_{kind}" for kind in ("discover", "file", "single", "page")}
    used |= {f"state_{state}" for state in ("done", "now", "failed", "todo")}
    used |= {key for rule in RULES for key in rule[2:]}
    assert sorted(used - set(CATALOGUE)) == []


def test_steps_fields_statuses_and_the_bot_s_messages_are_named_as_the_report_names_them() -> None:
    dutch, french = Translator("nl"), Translator("fr")
    for step in SEED_STEPS:
        assert dutch.step(step) != step and french.step(step) != step
    assert dutch.step("find_assignment") == "Opdracht zoeken"
    assert french.field("vin") == "Numéro de châssis (VIN)"
    assert dutch.status("business_error") == "Gegevensfout"
    assert dutch.action("click zoeken") == "klik op zoeken"
    raised = "dossier is incomplete, missing: Chassisnummer (VIN); complete it in PlanManager"
    assert dutch.message(raised) != raised  # recognised: in the office's language
    assert dutch.message("something no pattern knows") == "something no pattern knows"
