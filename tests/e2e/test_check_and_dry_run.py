"""Ready for the real portals: a read-only `check` and `--dry-run`, proven on the mock."""

from __future__ import annotations

import json
from pathlib import Path

from bot.domain.models import DossierStatus
from bot.settings import Settings
from mock_portal.process import MockPortalProcess
from tests import seeds
from tests.e2e.helpers import only_run_dir, run_bot, run_cli

INJECTED = seeds.already_injected()


def test_check_finds_every_locator_and_writes_nothing(
    portal: MockPortalProcess, bot_env: dict[str, str], tmp_path: Path
):
    portal.reset(INJECTED)
    before = portal.state()

    done = run_cli(["check"], bot_env, tmp_path)

    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads((only_run_dir(tmp_path / "runs") / "check.json").read_text())
    checked = {(c["page_object"], c["locator"]) for c in report["checks"] if c["result"] == "ok"}
    assert ("SecondCircuitPage", "assignment_number") in checked
    assert ("DossierPage", "inject_button") in checked
    assert ("InformexDossierPage", "second_circuit_button") in checked
    assert len(report["screenshots"]) >= 5
    assert portal.state() == before


def test_check_names_exactly_the_renamed_label(
    portal: MockPortalProcess, bot_env: dict[str, str], tmp_path: Path
):
    portal.reset(INJECTED)
    portal.set_faults(rename_labels={"Chassis (VIN)": "Chassisnummer"})

    done = run_cli(["check"], bot_env, tmp_path)

    assert done.returncode == 1
    report = json.loads((only_run_dir(tmp_path / "runs") / "check.json").read_text())
    failed = [
        (c["page_object"], c["locator"]) for c in report["checks"] if c["result"] == "missing"
    ]
    assert failed == [("SecondCircuitPage", "vin")]
    assert "SecondCircuitPage" in done.stdout and "Chassis (VIN)" in done.stdout


def test_dry_run_of_a_new_dossier_changes_nothing(portal: MockPortalProcess, settings: Settings):
    before = portal.state()

    result, _ = run_bot(settings, dry_run=True)

    assert result.status is DossierStatus.DRY_RUN, result.error
    assert result.values["assignment_number"] == "IX-2026-004711"
    assert result.values["vin"] == seeds.VEHICLE["vin"]
    assert portal.state() == before


def test_dry_run_fills_the_form_of_an_injected_dossier_without_saving(
    portal: MockPortalProcess, settings: Settings
):
    portal.reset(INJECTED)
    before = portal.state()

    result, _ = run_bot(settings, dry_run=True)

    assert result.status is DossierStatus.DRY_RUN, result.error
    assert result.values["assignment_number"] == "IX-2026-004711"
    assert result.values["mileage_km"] == "84512"
    assert any("link-fill-opdrachtnummer" in name for name in result.screenshots)
    assert portal.state() == before
