"""A dossier the shop has not made yet: the bot creates it in PlanManager, once, then links it."""

from __future__ import annotations

import json
from pathlib import Path

from bot.commands.run import run_one
from bot.domain.models import DossierInput, DossierResult, DossierStatus
from bot.engine.runner import RunOptions
from bot.settings import Settings
from mock_portal.process import MockPortalProcess
from tests import seeds
from tests.e2e.helpers import in_own_thread, pm_dossier, run_cli, wx_dossiers_of

NEW = seeds.dossier("PM-2026-0777", photos=[])


def create_and_link(settings: Settings) -> DossierResult:
    job = DossierInput.create("PM-2026-0777", new_dossier=NEW)
    return in_own_thread(lambda: run_one(settings, job, RunOptions())).results[0]


def test_missing_dossier_is_created_from_data_and_linked(
    portal: MockPortalProcess, settings: Settings
):
    portal.reset(seeds.world(dossiers=[]))

    first = create_and_link(settings)
    second = create_and_link(settings)

    assert first.status is DossierStatus.LINKED, first.error
    assert second.status is DossierStatus.ALREADY_LINKED, second.error
    [created] = portal.state()["planmanager"]["dossiers"]
    assert created["number"] == "PM-2026-0777"
    assert created["vin"] == seeds.VEHICLE["vin"]
    assert created["injections"] == 1
    [wx] = wx_dossiers_of(portal, "PM-2026-0777")
    assert wx["second_circuit"]["assignment_number"] == "IX-2026-004711"


def test_bad_creation_data_is_refused_before_any_browser(
    portal: MockPortalProcess, bot_env: dict[str, str], tmp_path: Path
):
    portal.reset(seeds.world(dossiers=[]))
    bad = seeds.dossier("PM-2026-0777", vehicle={"vin": "WVWZZZ1KZ8WQ23456"})
    data = tmp_path / "dossier.json"
    data.write_text(json.dumps(bad), encoding="utf-8")

    done = run_cli(["run", "PM-2026-0777", "--create-from", str(data)], bot_env, tmp_path)

    assert done.returncode == 2
    assert "vehicle.vin" in done.stderr and "WVWZZZ1KZ8WQ23456" in done.stderr
    assert portal.state()["planmanager"]["dossiers"] == []
    assert not (tmp_path / "runs").exists()


def test_existing_dossier_is_never_created_again(portal: MockPortalProcess, settings: Settings):
    job = DossierInput.create("PM-2026-0101", new_dossier=seeds.dossier("PM-2026-0101"))

    result = in_own_thread(lambda: run_one(settings, job, RunOptions())).results[0]

    assert result.status is DossierStatus.LINKED, result.error
    assert len(portal.state()["planmanager"]["dossiers"]) == 1
    assert pm_dossier(portal)["injections"] == 1
