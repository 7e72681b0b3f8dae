"""Proof that holds: `linked` only when the portal holds what the bot wrote, a write answered by
the wrong screen fails at once, and a value the portal's field cannot take is refused before
anything is written."""

from __future__ import annotations

import json
from pathlib import Path

from bot.domain.models import DossierStatus
from bot.engine.ledger import Ledger
from bot.settings import Settings
from mock_portal.process import MockPortalProcess
from tests import seeds
from tests.e2e.helpers import (
    only_run_dir,
    pm_dossier,
    read_results,
    run_bot,
    run_cli,
    wx_dossiers_of,
)

SPOILT_SAVE = [
    {"field": "mileage_km", "mode": "truncate", "keep": 3},
    {"field": "power_kw", "mode": "drop"},
    {"field": "co2", "mode": "drop"},
]


def test_a_save_that_stored_other_values_is_a_business_error_naming_them(
    portal: MockPortalProcess, bot_env: dict[str, str], tmp_path: Path
):
    portal.set_faults(corrupt_saves=SPOILT_SAVE)

    done = run_cli(["run", "PM-2026-0101"], bot_env, tmp_path)

    assert done.returncode == 1, done.stderr
    [result] = read_results(only_run_dir(tmp_path / "runs"))["dossiers"]
    assert result["status"] == "business_error"
    error = result["error"]
    assert "step verify" in error
    assert "mileage_km: wrote 84512, read 845" in error
    assert "power_kw: wrote 85, read nothing" in error
    assert "co2: wrote 118, read nothing" in error
    assert "vin:" not in error, "only the fields that differ are named"
    [wx] = wx_dossiers_of(portal)
    circuit = wx["second_circuit"]
    assert (circuit["mileage_km"], circuit["power_kw"], circuit["co2"]) == (845, None, None)
    assert circuit["saves"] == 1, "a business error: not saved again"


def test_a_link_made_before_the_run_is_judged_on_its_opdrachtnummer_only(
    portal: MockPortalProcess, settings: Settings
):
    """The 2e circuit holds the opdrachtnummer and nothing else: the bot wrote none of it."""
    portal.reset(seeds.already_injected(linked_to="IX-2026-004711"))

    result, _ = run_bot(settings)

    assert result.status is DossierStatus.ALREADY_LINKED, result.error
    [wx] = wx_dossiers_of(portal)
    assert wx["second_circuit"]["vin"] is None, "nothing was written"


def test_a_maintenance_page_answering_the_injection_fails_the_attempt_at_once(
    portal: MockPortalProcess, settings: Settings
):
    portal.set_faults(
        fail_next=[{"method": "POST", "path_contains": "/inject", "mode": "maintenance"}]
    )

    result, outcome = run_bot(settings)

    assert result.status is DossierStatus.LINKED, result.error
    assert result.attempts == 2
    assert pm_dossier(portal)["injections"] == 1
    assert len(wx_dossiers_of(portal)) == 1
    with Ledger.open(outcome.run_dir / "ledger.sqlite") as ledger:
        first, second = ledger.attempts("PM-2026-0101")
    assert first["status"] == "system_error"
    assert "Onderhoud" in first["error"] and "not the dossier page" in first["error"]
    assert "step inject" in first["error"]
    assert "timed out" not in first["error"], "failed on the screen, not after a wait"
    assert second["status"] == "linked"
    assert any(
        s.endswith("inject-click-bevestigen-unexpected-screen.jpg") for s in result.screenshots
    )


def test_a_maintenance_page_answering_the_save_is_read_back_and_saved_once(
    portal: MockPortalProcess, settings: Settings
):
    portal.set_faults(
        fail_next=[{"method": "POST", "path_contains": "/2e-circuit", "mode": "maintenance"}]
    )

    result, _ = run_bot(settings)

    assert result.status is DossierStatus.LINKED, result.error
    assert result.attempts == 2
    assert pm_dossier(portal)["injections"] == 1
    [wx] = wx_dossiers_of(portal)
    assert wx["second_circuit"]["saves"] == 1
    assert any(s.endswith("link-click-opslaan-unexpected-screen.jpg") for s in result.screenshots)


def test_a_claim_number_longer_than_planmanagers_field_is_bad_input_and_nothing_is_written(
    portal: MockPortalProcess, bot_env: dict[str, str], tmp_path: Path
):
    portal.reset(seeds.world(dossiers=[]))
    claim = "AG-26-" + "1" * 54  # 60 characters; Schadenummer takes 30
    data = tmp_path / "dossier.json"
    data.write_text(json.dumps(seeds.dossier("PM-2026-0777", claim_number=claim)), "utf-8")
    before = portal.state()

    done = run_cli(["run", "PM-2026-0777", "--create-from", str(data)], bot_env, tmp_path)

    assert done.returncode == 2, done.stderr
    assert "bad input:" in done.stderr
    assert "claim_number" in done.stderr and claim in done.stderr
    assert "at most 30" in done.stderr
    assert portal.state() == before
    assert not (tmp_path / "runs").exists(), "no run started"
