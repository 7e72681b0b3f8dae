"""Secrets stay secret: no password in any file of a run, masked screenshots, private files,
and spreadsheet cells that cannot turn into formulas."""

from __future__ import annotations

import base64
import csv
import io
import os
import stat
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote_plus

import pytest
from playwright.sync_api import Page

from bot.browser.sessions import PortalSessions, write_private_json
from bot.domain.batch_input import csv_safe, looks_like_formula
from bot.evidence.recorder import Recorder
from bot.settings import Settings
from mock_portal.process import MockPortalProcess
from tests import seeds
from tests.e2e.helpers import cli_environment
from tests.reliability.helpers import (
    dossier_numbers,
    record_figures,
    run_batch,
    run_dirs,
    write_csv,
)

PASSWORDS = (seeds.PM_USER["password"], seeds.WX_USER["password"])
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


def hits(path: Path, extra: dict[str, bytes] | None = None) -> list[str]:
    needles = [form for password in PASSWORDS for form in secret_forms(password)]
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
    assert sum(name.endswith(".png") for name in files) > 20
    output = {"stdout": done.stdout.encode(), "stderr": done.stderr.encode()}
    assert hits(tmp_path / "runs", output) == []
    record_figures(
        "secrets_grep", logins=logins, files_and_trace_members=len(files), password_hits=0
    )


def test_password_field_is_masked_in_the_recorders_screenshot(
    portal: MockPortalProcess, page: Page, tmp_path: Path
) -> None:
    page.goto(f"{portal.planmanager_url}login")
    page.get_by_label("Gebruikersnaam").fill(seeds.PM_USER["username"])
    password = page.get_by_label("Wachtwoord")
    password.fill(seeds.PM_USER["password"])
    recorder = Recorder(tmp_path / "shots", tmp_path, screenshots="all", trace="off")

    shot = recorder.after(page, "wachtwoord-ingevuld")
    recorder.finish(failed=False)

    assert shot is not None and shot.is_file()
    masked = pixels_in(page, shot, password.bounding_box())
    shown = pixels_in(page, shot, page.get_by_label("Gebruikersnaam").bounding_box())
    assert set(masked) == {MASK}
    assert MASK not in shown  # the username box is not painted over: the mask is the field's


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
            image.src = "data:image/png;base64," + data;
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


FORMULAS = [
    "=cmd|' /C calc'!A0",
    "+1+1",
    "@SUM(1)",
    "-2+3",
    '=HYPERLINK("http://evil.example/x")',
    "\t=1+1",
    "\r=1+1",
    "=1+1",
]


def test_cells_exported_with_csv_safe_are_never_taken_for_formulas() -> None:
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows([[csv_safe(v), "PM-2026-0101"] for v in FORMULAS])

    cells = [row[0] for row in csv.reader(io.StringIO(out.getvalue(), newline=""), delimiter=";")]

    assert cells == [f"'{v}" for v in FORMULAS]
    assert not any(looks_like_formula(cell) for cell in cells)
    assert csv_safe("PM-2026-0101") == "PM-2026-0101"


@pytest.mark.parametrize("value", [" =1+1", "\u00a0=1+1", "\n@SUM(1)"])
def test_csv_safe_agrees_with_the_input_check_on_padded_formulas(value: str) -> None:
    assert looks_like_formula(value)

    assert not looks_like_formula(csv_safe(value))
