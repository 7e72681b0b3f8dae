"""Evidence a person reads after a run: screenshots per action, trace, results and log."""

from __future__ import annotations

import hashlib
import json
import re
import struct
import zipfile
from pathlib import Path

from bot.domain.models import DossierStatus
from bot.settings import Settings, load_settings
from mock_portal.process import MockPortalProcess
from tests import seeds
from tests.e2e.helpers import read_results, run_bot, wx_dossiers_of

SHOT = re.compile(r"^PM-2026-0101/(\d{3})-([a-z0-9-]+)\.jpg$")


def jpeg_size(path: Path) -> tuple[int, int]:
    """(width, height) from the JPEG's start-of-frame marker."""
    data = path.read_bytes()
    assert data[:2] == b"\xff\xd8", f"{path} is not a JPEG"
    at = 2
    while at < len(data):
        marker, length = data[at + 1], struct.unpack(">H", data[at + 2 : at + 4])[0]
        if 0xC0 <= marker <= 0xC3:
            height, width = struct.unpack(">HH", data[at + 5 : at + 9])
            return width, height
        at += 2 + length
    raise AssertionError(f"{path} has no frame header")


def test_every_action_leaves_a_numbered_screenshot_in_order(
    portal: MockPortalProcess, settings: Settings
):
    result, outcome = run_bot(settings)
    assert result.status is DossierStatus.LINKED, result.error

    names = result.screenshots
    numbers = [int(SHOT.match(n).group(1)) for n in names]
    assert numbers == list(range(1, len(names) + 1))
    actions = [SHOT.match(n).group(2) for n in names]
    expected_in_order = [
        "open-dossier-open-dossier",
        "find-assignment-zoek-opdracht",
        "inject-click-i-injecteer",
        "inject-click-bevestigen",
        "inject-informex-nummer",
        "link-click-gegevens-2e-circuit",
        "link-fill-opdrachtnummer",
        "link-fill-chassis-vin",
        "link-click-opslaan",
    ]
    positions = [actions.index(a) for a in expected_in_order]
    assert positions == sorted(positions)
    for name in names:
        assert (outcome.run_dir / name).is_file()


def test_screenshots_are_viewport_images_of_different_screens(
    portal: MockPortalProcess, settings: Settings
):
    result, outcome = run_bot(settings)
    files = {SHOT.match(n).group(2): outcome.run_dir / n for n in result.screenshots}

    before_inject = files["inject-click-i-injecteer"]
    after_save = files["link-click-opslaan"]
    assert jpeg_size(before_inject) == (1280, 860)
    assert jpeg_size(after_save) == (1280, 860)
    digests = {hashlib.sha256(p.read_bytes()).hexdigest() for p in (before_inject, after_save)}
    assert len(digests) == 2
    assert after_save.stat().st_size > 10_000  # a rendered page, not a blank image


def test_results_json_has_the_documented_fields(portal: MockPortalProcess, settings: Settings):
    result, outcome = run_bot(settings)
    document = read_results(outcome.run_dir)

    [entry] = document["dossiers"]
    assert list(entry)[:9] == [
        "dossier",
        "assignment",
        "status",
        "informex_dossier",
        "attempts",
        "duration_s",
        "error",
        "screenshots",
        "trace",
    ]
    assert entry["status"] == "linked"
    assert entry["assignment"] == "IX-2026-004711"
    assert entry["informex_dossier"] == result.informex_dossier
    assert document["summary"]["linked"] == 1


def test_log_lines_carry_dossier_and_step(portal: MockPortalProcess, settings: Settings):
    _, outcome = run_bot(settings)
    lines = [
        json.loads(line) for line in (outcome.run_dir / "bot.log.jsonl").read_text().splitlines()
    ]
    steps = {line["record"]["extra"].get("step") for line in lines}
    assert {"open_dossier", "inject", "link", "verify"} <= steps
    assert any(line["record"]["extra"].get("dossier") == "PM-2026-0101" for line in lines)


def test_passwords_appear_in_no_evidence(
    portal: MockPortalProcess, bot_env: dict[str, str], tmp_path: Path
):
    portal.set_faults(
        fail_next=[{"method": "POST", "path_contains": "/2e-circuit", "mode": "expire_session"}]
    )
    settings = load_settings({**bot_env, "BOT_TRACE": "on"})
    _, outcome = run_bot(settings)

    secrets = [seeds.PM_USER["password"].encode(), seeds.WX_USER["password"].encode()]
    checked = 0
    for path in outcome.run_dir.rglob("*"):
        if path.is_file():
            blobs = [path.read_bytes()]
            if path.suffix == ".zip":
                with zipfile.ZipFile(path) as archive:
                    blobs += [archive.read(name) for name in archive.namelist()]
            for blob in blobs:
                assert not any(secret in blob for secret in secrets), path
            checked += 1
    assert checked > 10


def test_trace_is_kept_on_failure_and_dropped_on_success(
    portal: MockPortalProcess, settings: Settings
):
    ok, _ = run_bot(settings)
    portal.reset(seeds.world(dossiers=[seeds.dossier(vehicle={"vin": None})]))
    failed, outcome = run_bot(settings)

    assert ok.trace is None
    assert failed.trace == "PM-2026-0101/trace.zip"
    events = trace_events(outcome.run_dir / failed.trace)
    assert "before" in events  # every action, with its network and console around it
    assert "frame-snapshot" not in events  # a first attempt records no DOM snapshots


def test_a_retry_traces_dom_snapshots_and_its_trace_is_kept_when_it_fails_too(
    portal: MockPortalProcess, bot_env: dict[str, str]
):
    settings = load_settings({**bot_env, "BOT_RETRIES": "1", "BOT_RETRY_BACKOFF_S": "0"})
    lost = {"method": "POST", "path_contains": "/inject", "mode": "error"}
    portal.set_faults(fail_next=[lost, lost])  # both attempts: a 500, nothing injected

    failed, outcome = run_bot(settings)

    assert failed.status is DossierStatus.SYSTEM_ERROR and failed.attempts == 2
    events = trace_events(outcome.run_dir / failed.trace)
    assert {"before", "frame-snapshot"} <= events.keys()
    assert wx_dossiers_of(portal) == []  # nothing was injected


def trace_events(path: Path) -> dict[str, int]:
    """How many events of each type the trace's `.trace` members hold."""
    counts: dict[str, int] = {}
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.endswith(".trace"):
                for line in archive.read(name).decode().splitlines():
                    kind = json.loads(line).get("type", "")
                    counts[kind] = counts.get(kind, 0) + 1
    return counts


def test_screenshots_only_on_failure_when_asked(portal: MockPortalProcess, bot_env: dict[str, str]):
    settings = load_settings({**bot_env, "BOT_SCREENSHOTS": "failures"})
    ok, _ = run_bot(settings)
    portal.reset(seeds.world(dossiers=[seeds.dossier(vehicle={"vin": None})]))
    failed, outcome = run_bot(settings)

    assert ok.status is DossierStatus.LINKED and ok.screenshots == []
    assert failed.screenshots
    assert all((outcome.run_dir / name).is_file() for name in failed.screenshots)
