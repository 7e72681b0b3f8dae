"""Secrets stay secret: no password, session cookie or CSRF token in any file of a run or member
of its traces, sessions that die with the run, a driver and browser that never see the passwords,
masked screenshots and private files."""

from __future__ import annotations

import base64
import os
import re
import signal
import stat
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote_plus

import httpx
import psutil
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Request, expect

import bot.engine.runner
from bot.browser.sessions import PortalSessions, write_private_json
from bot.domain.models import DossierStatus
from bot.evidence.recorder import Recorder, redact_trace
from bot.settings import Settings, load_settings
from mock_portal.process import MockPortalProcess
from tests import seeds
from tests.e2e.helpers import cli_environment, run_bot
from tests.reliability.helpers import (
    Child,
    dossier_numbers,
    record_figures,
    run_batch,
    run_dirs,
    write_csv,
)

PASSWORDS = (seeds.PM_USER["password"], seeds.WX_USER["password"])
SESSION_COOKIES = ("pm_session", "wx_session")
MASK = (255, 0, 255)  # Playwright's default mask colour, #FF00FF


def secret_forms(password: str) -> list[bytes]:
    """The password as a file might hold it: plain, form-encoded, UTF-16, base64 at any offset."""
    raw = password.encode()
    forms = [raw, quote_plus(password).encode(), password.encode("utf-16-le")]
    for offset, start in ((0, 0), (1, 2), (2, 3)):  # skip what the bytes before it influence
        forms.append(base64.b64encode(b"\0" * offset + raw)[start:-4])
    return forms


def blobs(path: Path) -> Iterator[tuple[str, bytes]]:
    """Every file under `path`, and every member of every zip (a trace) among them."""
    for file in sorted(p for p in path.rglob("*") if p.is_file()):
        data = file.read_bytes()
        yield str(file), data
        if zipfile.is_zipfile(file):
            with zipfile.ZipFile(file) as archive:
                for name in archive.namelist():
                    yield f"{file}!{name}", archive.read(name)


def hits(
    path: Path, extra: dict[str, bytes] | None = None, secrets: tuple[str, ...] = PASSWORDS
) -> list[str]:
    """Where under `path` (every file, every trace member) or in `extra` a secret shows."""
    needles = [form for secret in secrets for form in secret_forms(secret)]
    found = [name for name, data in blobs(path) if any(n in data for n in needles)]
    return found + [name for name, data in (extra or {}).items() if any(n in data for n in needles)]


def test_the_grep_finds_a_password_hidden_in_a_trace(tmp_path: Path) -> None:
    with zipfile.ZipFile(tmp_path / "trace.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("resources/post-data", f"password={quote_plus(PASSWORDS[1])}")

    assert hits(tmp_path) == [f"{tmp_path / 'trace.zip'}!resources/post-data"]


def test_no_password_in_any_file_of_a_run_with_relogins_and_traces(
    portal: MockPortalProcess, bot_env: dict[str, str], tmp_path: Path
) -> None:
    portal.reset(seeds.many(2))
    portal.set_faults(
        fail_next=[
            {"method": "POST", "path_contains": "/2e-circuit", "mode": "expire_session"},
            {"method": "POST", "path_contains": "/inject", "mode": "expire_session"},
        ]
    )
    csv_file = write_csv(tmp_path / "nacht.csv", [f"{n};" for n in dossier_numbers(2)])
    env = {**bot_env, "BOT_TRACE": "on", "BOT_SCREENSHOTS": "all"}

    done = run_batch([str(csv_file), "--workers", "2"], env, tmp_path, timeout_s=600)

    assert done.returncode == 0, done.stdout + done.stderr
    [run_dir] = run_dirs(tmp_path / "runs")
    log = (run_dir / "bot.log.jsonl").read_text(encoding="utf-8").splitlines()
    relogins = sum("session expired; logging in again" in line for line in log)
    logins = sum(" - logged in to " in line for line in log)
    assert relogins >= 2 and logins >= 4  # the passwords were typed again, mid-dossier
    files = [name for name, _ in blobs(tmp_path / "runs")]
    kinds = {"bot.log.jsonl", "results.json", "junit.xml", "report.html", "ledger.sqlite"}
    assert kinds <= {Path(name).name for name in files}
    assert sum(name.endswith("trace.zip") for name in files) == 2
    assert sum(name.endswith(".jpg") for name in files) > 20
    output = {"stdout": done.stdout.encode(), "stderr": done.stderr.encode()}
    assert hits(tmp_path / "runs", output) == []
    record_figures(
        "secrets_grep", logins=logins, files_and_trace_members=len(files), password_hits=0
    )


class SessionsSeen:
    """What the bot held during a run, captured through its own objects: every cookie it gave
    a dossier context (its storage state, after logins and re-logins) and every CSRF token it
    posted. These are the run's credentials the evidence must not hold."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.cookies: dict[str, set[str]] = {}
        self.csrf_tokens: set[str] = set()
        start, refresh = PortalSessions.start, PortalSessions.refresh_into
        new_context = bot.engine.runner.new_context

        def seen_start(sessions: PortalSessions, *args: Any, **kwargs: Any) -> None:
            start(sessions, *args, **kwargs)
            self._keep(sessions.storage_state)

        def seen_refresh(sessions: PortalSessions, *args: Any, **kwargs: Any) -> None:
            refresh(sessions, *args, **kwargs)
            self._keep(sessions.storage_state)

        def seen_context(*args: Any, **kwargs: Any) -> BrowserContext:
            context = new_context(*args, **kwargs)
            context.on("request", self._posted)
            return context

        monkeypatch.setattr(PortalSessions, "start", seen_start)
        monkeypatch.setattr(PortalSessions, "refresh_into", seen_refresh)
        monkeypatch.setattr(bot.engine.runner, "new_context", seen_context)

    def _keep(self, state: dict[str, Any]) -> None:
        for cookie in state["cookies"]:
            self.cookies.setdefault(cookie["name"], set()).add(cookie["value"])

    def _posted(self, request: Request) -> None:
        if request.method == "POST" and request.post_data:
            form = parse_qsl(request.post_data)
            self.csrf_tokens.update(value for name, value in form if name == "csrf_token")

    @property
    def secrets(self) -> tuple[str, ...]:
        return (*{v for values in self.cookies.values() for v in values}, *self.csrf_tokens)


def opens(portal: MockPortalProcess, name: str, value: str) -> bool:
    """Does a request carrying this session cookie (copied by someone) get a portal page?"""
    url = portal.planmanager_url + "dossiers" if name == "pm_session" else portal.winformex_url
    answer = httpx.get(url, cookies={name: value}, follow_redirects=False, timeout=30)
    if answer.is_redirect:
        assert "/login" in answer.headers["location"]
        return False
    assert answer.status_code == 200, answer.status_code
    return True


def test_a_failed_traced_run_leaves_no_session_cookie_or_csrf_token_and_no_live_session(
    portal: MockPortalProcess,
    bot_env: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    portal.set_faults(
        fail_next=[
            {"method": "POST", "path_contains": "/inject", "mode": "expire_session"},
            {"method": "POST", "path_contains": "/2e-circuit", "mode": "error"},
        ]
    )
    settings = load_settings({**bot_env, "BOT_TRACE": "on", "BOT_RETRIES": "0"})
    seen = SessionsSeen(monkeypatch)

    result, outcome = run_bot(settings)

    assert result.status is DossierStatus.SYSTEM_ERROR, result.error  # the forced failure
    assert result.trace is not None
    assert len(seen.cookies.get("pm_session", ())) == 2  # a re-login: two PlanManager sessions
    assert seen.cookies.get("wx_session") and seen.csrf_tokens
    traces = sorted(outcome.run_dir.rglob("trace.zip"))
    assert traces
    assert hits(outcome.run_dir.parent, {"log": caplog.text.encode()}, seen.secrets) == []
    copied = [(name, value) for name in SESSION_COOKIES for value in seen.cookies[name]]
    assert [pair for pair in copied if opens(portal, *pair)] == []
    members = sum(len(zipfile.ZipFile(t).namelist()) for t in traces)
    record_figures(
        "session_secrets_grep",
        cookie_values=sum(len(v) for v in seen.cookies.values()),
        csrf_tokens=len(seen.csrf_tokens),
        files=sum(1 for p in outcome.run_dir.parent.rglob("*") if p.is_file()),
        trace_members=members,
        hits=0,
        sessions_alive_after_the_run=0,
    )


def test_a_session_kept_by_informex_bot_login_outlives_the_run_and_the_runs_own_does_not(
    portal: MockPortalProcess,
    settings: Settings,
    page: Page,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    page.goto(f"{portal.planmanager_url}login")
    page.get_by_label("Gebruikersnaam", exact=True).fill(seeds.PM_USER["username"])
    page.get_by_label("Wachtwoord", exact=True).fill(seeds.PM_USER["password"])
    page.get_by_role("button", name="Aanmelden", exact=True).click()
    expect(page.get_by_role("button", name="Afmelden")).to_be_visible()
    PortalSessions(settings, settings.runs_dir).save("planmanager", page.context.storage_state())
    [kept] = [c["value"] for c in page.context.cookies() if c["name"] == "pm_session"]
    seen = SessionsSeen(monkeypatch)

    result, _ = run_bot(settings)

    assert result.status is DossierStatus.LINKED, result.error
    assert seen.cookies["pm_session"] == {kept}  # the run used the kept session
    assert opens(portal, "pm_session", kept)  # and left it for the next nights
    [own] = seen.cookies["wx_session"]
    assert not opens(portal, "wx_session", own)


def test_a_redacted_trace_opens_in_the_trace_viewer_with_its_actions_and_network(
    portal: MockPortalProcess, browser: Browser, page: Page, tmp_path: Path
) -> None:
    context = browser.new_context()
    context.tracing.start(screenshots=False, snapshots=True)
    traced = context.new_page()
    traced.goto(f"{portal.planmanager_url}login")
    traced.get_by_label("Gebruikersnaam", exact=True).fill(seeds.PM_USER["username"])
    traced.get_by_label("Wachtwoord", exact=True).fill(seeds.PM_USER["password"])
    traced.get_by_role("button", name="Aanmelden", exact=True).click()
    traced.get_by_role("link", name="PM-2026-0101").click()
    expect(traced.get_by_role("heading", name="Dossier PM-2026-0101")).to_be_visible()
    [session] = [c["value"] for c in context.cookies() if c["name"] == "pm_session"]
    (tmp_path / "raw").mkdir()
    (tmp_path / "kept").mkdir()
    context.tracing.stop(path=tmp_path / "raw" / "trace.zip")
    context.close()

    redact_trace(tmp_path / "raw" / "trace.zip", tmp_path / "kept" / "trace.zip")

    assert hits(tmp_path / "raw", secrets=(session,))  # Playwright wrote the cookie down
    assert hits(tmp_path / "kept", secrets=(session,)) == []
    show_trace = [sys.executable, "-m", "playwright", "show-trace", "--host", "127.0.0.1"]
    viewer = subprocess.Popen(
        [*show_trace, "--port", "0", str(tmp_path / "kept" / "trace.zip")],
        env={**os.environ, "PWTEST_UNDER_TEST": "1"},  # serve only: open no browser window
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own group: the Node.js server it starts ends with it
    )
    try:
        listening = (re.search(r"Listening on (\S+)", line) for line in viewer.stdout or ())
        url = next(found.group(1) for found in listening if found)
        page.goto(url)
        expect(page.get_by_text("PM-2026-0101").first).to_be_visible()
        expect(page.get_by_text("Click", exact=True).first).to_be_visible()
        expect(page.get_by_text(re.compile(r"^Network\s*\d+$"))).to_be_visible()
    finally:
        os.killpg(viewer.pid, signal.SIGTERM)
        viewer.wait(timeout=30)


SECRET_SETTINGS = {"BOT_SMTP_PASSWORD": "smtp-geheim-4711"}


@pytest.mark.parametrize(
    "args",
    [pytest.param(["run", "PM-2026-0101"], id="run"), pytest.param(["batch"], id="batch-2")],
)
def test_the_driver_and_chromium_never_see_the_passwords_in_their_environment(
    portal: MockPortalProcess, bot_env: dict[str, str], tmp_path: Path, args: list[str]
) -> None:
    env = {**bot_env, **SECRET_SETTINGS}
    if args == ["batch"]:
        portal.reset(seeds.many(2))
        csv_file = write_csv(tmp_path / "nacht.csv", [f"{n};" for n in dossier_numbers(2)])
        args = ["batch", str(csv_file), "--workers", "2"]
    secrets = (*PASSWORDS, *SECRET_SETTINGS.values())
    names = ("PLANMANAGER_PASSWORD", "WINFORMEX_PASSWORD", *SECRET_SETTINGS)
    child = Child(args[1:], env, tmp_path, command=args[0])
    environments: dict[int, tuple[str, dict[str, str]]] = {}
    while child.process.poll() is None:  # every process the bot starts, while it lives
        for process in child.started():
            try:
                command = process.cmdline()
                forking = command[1:3] == ["-m", "bot"]  # the bot's copy, not yet exec'd
                if process.pid not in environments and not forking:
                    environments[process.pid] = (" ".join(command), process.environ())
            except psutil.Error:  # ended meanwhile
                continue
        time.sleep(0.1)
    child.finish(timeout_s=60)

    assert child.process.returncode == 0, "".join(child.lines)
    commands = [command for command, _ in environments.values()]
    assert any("run-driver" in c for c in commands), commands  # a Playwright driver was seen
    assert any("--type=renderer" in c for c in commands), commands  # and Chromium's processes
    leaks = [
        command[:80]
        for command, environ in environments.values()
        if set(names) & set(environ) or any(s in v for s in secrets for v in environ.values())
    ]
    assert leaks == []
    record_figures("browser_environment", processes_read=len(environments), leaks=0)


@pytest.mark.parametrize("image_format", ["jpeg", "png"])
def test_password_field_is_masked_in_the_recorders_screenshot(
    portal: MockPortalProcess, page: Page, tmp_path: Path, image_format: str
) -> None:
    page.goto(f"{portal.planmanager_url}login")
    page.get_by_label("Gebruikersnaam").fill(seeds.PM_USER["username"])
    password = page.get_by_label("Wachtwoord")
    password.fill(seeds.PM_USER["password"])
    recorder = Recorder(
        tmp_path / "shots",
        tmp_path,
        screenshots="all",
        trace="off",
        image_format=image_format,  # type: ignore[arg-type]
    )

    shot = recorder.after(page, "wachtwoord-ingevuld")
    recorder.finish(failed=False)

    assert shot is not None and shot.is_file()
    assert shot.suffix == {"jpeg": ".jpg", "png": ".png"}[image_format]
    masked = pixels_in(page, shot, password.bounding_box())
    shown = pixels_in(page, shot, page.get_by_label("Gebruikersnaam").bounding_box())
    assert all(near_mask(c) for c in masked), masked  # JPEG shifts a flat colour a little
    assert not any(near_mask(c) for c in shown)  # the username box is not painted over


def near_mask(colour: tuple[int, ...], tolerance: int = 24) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(colour, MASK, strict=True))


def pixels_in(page: Page, png: Path, box: dict[str, float] | None) -> list[tuple[int, ...]]:
    """The colours of a grid of points inside `box` (CSS pixels) of the screenshot `png`."""
    assert box is not None
    data = base64.b64encode(png.read_bytes()).decode()
    points = [
        (round(box["x"] + box["width"] * fx), round(box["y"] + box["height"] * fy))
        for fx in (0.1, 0.3, 0.5, 0.7, 0.9)
        for fy in (0.2, 0.5, 0.8)
    ]
    colours = page.evaluate(
        """async ([data, points]) => {
            const image = new Image();
            image.src = "data:image/*;base64," + data;
            await image.decode();
            const canvas = document.createElement("canvas");
            canvas.width = image.width;
            canvas.height = image.height;
            const context = canvas.getContext("2d");
            context.drawImage(image, 0, 0);
            return points.map(([x, y]) => Array.from(context.getImageData(x, y, 1, 1).data));
        }""",
        [data, points],
    )
    return [tuple(c[:3]) for c in colours]


@contextmanager
def umask(mask: int) -> Iterator[None]:
    previous = os.umask(mask)
    try:
        yield
    finally:
        os.umask(previous)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_session_state_is_written_readable_by_the_owner_only(
    settings: Settings, tmp_path: Path
) -> None:
    loose = tmp_path / "loose.json"
    loose.write_text("{}")
    loose.chmod(0o644)
    cookie = {"name": "pm_session", "value": "abc", "domain": "127.0.0.1", "path": "/planmanager"}

    with umask(0):  # the most careless umask an operator could have
        write_private_json(tmp_path / "fresh.json", {"cookies": []})
        write_private_json(loose, {"cookies": []})
        saved = PortalSessions(settings, tmp_path).save("planmanager", {"cookies": [cookie]})

    assert mode(tmp_path / "fresh.json") == 0o600
    assert mode(loose) == 0o600  # an existing file is replaced, not kept with its old mode
    assert mode(saved) == 0o600
    assert saved.parent == settings.state_dir
    assert not list(tmp_path.glob(".*.tmp"))


def test_init_writes_a_dot_env_readable_by_the_owner_only(tmp_path: Path) -> None:
    target = tmp_path / ".env"
    command = [sys.executable, "-m", "bot", "init", "--path", str(target)]
    env = cli_environment({}, tmp_path)

    with umask(0o022):
        first = subprocess.run(command, env=env, cwd=tmp_path, capture_output=True, text=True)
        again = subprocess.run(command, env=env, cwd=tmp_path, capture_output=True, text=True)

    assert first.returncode == 0, first.stderr
    assert mode(target) == 0o600
    assert "PLANMANAGER_PASSWORD" in target.read_text(encoding="utf-8")
    assert again.returncode == 2  # never overwrites a filled-in .env
    assert mode(target) == 0o600
