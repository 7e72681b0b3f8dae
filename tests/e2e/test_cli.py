"""`informex-bot` as a person runs it: a real subprocess, exit codes, messages, results."""

from __future__ import annotations

from pathlib import Path

import pytest

from mock_portal.process import MockPortalProcess
from tests.e2e.helpers import pm_dossier, read_results, run_cli


@pytest.mark.smoke
def test_run_links_one_dossier_and_exits_0(
    portal: MockPortalProcess, bot_env: dict[str, str], tmp_path: Path
):
    done = run_cli(["run", "PM-2026-0101", "--assignment", "IX-2026-004711"], bot_env, tmp_path)

    assert done.returncode == 0, done.stdout + done.stderr
    [run_dir] = (tmp_path / "runs").glob("2*")
    assert read_results(run_dir)["dossiers"][0]["status"] == "linked"
    assert pm_dossier(portal)["injections"] == 1
    assert "results.json" in done.stdout


def test_run_exits_1_when_the_dossier_is_not_linked(
    portal: MockPortalProcess, bot_env: dict[str, str], tmp_path: Path
):
    done = run_cli(["run", "PM-2026-0101", "--set", "co2=5000"], bot_env, tmp_path)

    assert done.returncode == 1, done.stdout + done.stderr
    assert pm_dossier(portal)["injections"] == 0


def test_malformed_assignment_is_bad_usage_without_a_browser(
    bot_env: dict[str, str], tmp_path: Path
):
    done = run_cli(["run", "PM-2026-0101", "--assignment", "12345"], bot_env, tmp_path)

    assert done.returncode == 2
    assert "assignment" in done.stderr and "12345" in done.stderr
    assert not (tmp_path / "runs").exists()


def test_missing_credentials_are_named_all_at_once(tmp_path: Path):
    done = run_cli(["run", "PM-2026-0101"], {"BOT_RUNS_DIR": str(tmp_path / "runs")}, tmp_path)

    assert done.returncode == 2
    for name in ("PLANMANAGER_USERNAME", "PLANMANAGER_PASSWORD", "WINFORMEX_PASSWORD"):
        assert name in done.stderr
    assert not (tmp_path / "runs").exists()


def test_wrong_password_is_a_configuration_error(
    portal: MockPortalProcess, bot_env: dict[str, str], tmp_path: Path
):
    env = {**bot_env, "WINFORMEX_PASSWORD": "not-the-password"}

    done = run_cli(["run", "PM-2026-0101"], env, tmp_path)

    assert done.returncode == 2
    assert "winformex" in done.stderr
    assert "not-the-password" not in done.stdout + done.stderr
    assert pm_dossier(portal)["injections"] == 0
