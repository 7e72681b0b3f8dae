"""Ready for the real portals: a read-only `check` and `--dry-run`, proven on the mock."""

from __future__ import annotations

import json
from pathlib import Path

from bot.domain.models import DossierStatus
from bot.settings import Settings
from mock_portal.process import MockPortalProcess
from tests import seeds
from tests.conftest import PortalFactory, bot_environment
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
    assert report["portals"]["planmanager"]["language"] == "nl"
    assert report["portals"]["winformex"] == {
        "portal": "winformex",
        "language": "nl",
        "language_source": "declared by its pages",
        "login_language": "nl",
        "layout": "button",
        "dossier_reached": True,
        "way_to_second_circuit": "Gegevens 2e circuit",
    }
    assert report["missing_labels"] == {}
    assert "winformex: screens in Dutch" in done.stdout
    assert "2e circuit through the button 'Gegevens 2e circuit'" in done.stdout


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
    assert report["missing_labels"] == {
        "nl": [{"page_object": "SecondCircuitPage", "locator": "vin", "label": "Chassis (VIN)"}]
    }
    assert "labels not found in Dutch (nl)" in done.stdout


def test_check_finds_the_menu_layout_and_every_locator_fits(
    portal_factory: PortalFactory, tmp_path: Path
):
    portal = portal_factory(winformex_layout="menu", seed=INJECTED)

    done = run_cli(["check"], bot_environment(portal, tmp_path / "runs"), tmp_path)

    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads((only_run_dir(tmp_path / "runs") / "check.json").read_text())
    assert report["portals"]["winformex"]["layout"] == "menu"
    results = {(c["page_object"], c["locator"]): c["result"] for c in report["checks"]}
    assert results[("InformexDossierPage", "menu_edit")] == "ok"
    assert results[("InformexDossierPage", "second_circuit_button")] == "skipped"
    assert results[("SecondCircuitPage", "assignment_number")] == "ok"
    assert "2e circuit through the menu Bewerken → 2e circuit → expertise" in done.stdout


def french_environment(portal: MockPortalProcess, runs: Path) -> dict[str, str]:
    return bot_environment(portal, runs) | {
        "PLANMANAGER_USERNAME": seeds.PM_USER_FR["username"],
        "PLANMANAGER_PASSWORD": seeds.PM_USER_FR["password"],
        "WINFORMEX_USERNAME": seeds.WX_USER_FR["username"],
        "WINFORMEX_PASSWORD": seeds.WX_USER_FR["password"],
    }


def test_check_reports_french_screens_and_names_a_renamed_french_label(
    portal: MockPortalProcess, tmp_path: Path
):
    portal.reset(INJECTED)
    portal.set_faults(rename_labels={"Châssis (VIN)": "Numéro de châssis"})

    done = run_cli(["check"], french_environment(portal, tmp_path / "runs"), tmp_path)

    assert done.returncode == 1, done.stdout + done.stderr
    report = json.loads((only_run_dir(tmp_path / "runs") / "check.json").read_text())
    for name in ("planmanager", "winformex"):
        assert report["portals"][name]["language"] == "fr"
        assert report["portals"][name]["login_language"] == "nl"
    missing = report["missing_labels"]
    assert list(missing) == ["fr"]
    assert {"page_object": "SecondCircuitPage", "locator": "vin", "label": "Châssis (VIN)"} in (
        missing["fr"]
    )
    assert "winformex: screens in French (fr, declared by its pages)" in done.stdout
    assert "labels not found in French (fr)" in done.stdout


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
