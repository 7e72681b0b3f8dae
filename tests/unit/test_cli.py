"""The command line through typer's runner: usage errors exit 2 before any browser starts."""

from __future__ import annotations

import stat
from pathlib import Path

from typer.testing import CliRunner

from bot.cli import app

runner = CliRunner()
NO_SETTINGS = {
    "PLANMANAGER_USERNAME": "",
    "PLANMANAGER_PASSWORD": "",
    "WINFORMEX_USERNAME": "",
    "WINFORMEX_PASSWORD": "",
    "BOT_ENV_FILE": "/nonexistent/.env",
}
SETTINGS = {
    "PLANMANAGER_USERNAME": "u",
    "PLANMANAGER_PASSWORD": "pm-cli-test-secret",
    "WINFORMEX_USERNAME": "u",
    "WINFORMEX_PASSWORD": "wx-cli-test-secret",
    "BOT_ENV_FILE": "/nonexistent/.env",
}


def test_help_lists_every_command():
    result = runner.invoke(app, ["--help"])

    assert result.exit_code == 0
    for command in ("run", "batch", "report", "check", "demo", "portal", "login", "init"):
        assert command in result.output


def test_run_without_credentials_exits_2_naming_them():
    result = runner.invoke(app, ["run", "PM-2026-0101"], env=NO_SETTINGS)

    assert result.exit_code == 2
    assert "PLANMANAGER_PASSWORD" in result.output


def test_run_with_a_bad_dossier_number_exits_2_naming_it(tmp_path: Path):
    result = runner.invoke(app, ["run", "<script>", "--out", str(tmp_path)], env=SETTINGS)

    assert result.exit_code == 2
    assert "dossier" in result.output and "<script>" in result.output
    assert list(tmp_path.iterdir()) == []


def test_run_with_an_unknown_override_exits_2(tmp_path: Path):
    result = runner.invoke(
        app, ["run", "PM-2026-0101", "--set", "kleur=rood", "--out", str(tmp_path)], env=SETTINGS
    )

    assert result.exit_code == 2
    assert "kleur" in result.output


def test_batch_needs_exactly_one_source():
    result = runner.invoke(app, ["batch"], env=SETTINGS)

    assert result.exit_code == 2
    assert "--discover" in result.output


def test_batch_with_a_missing_file_exits_2(tmp_path: Path):
    result = runner.invoke(app, ["batch", str(tmp_path / "geen.csv")], env=SETTINGS)

    assert result.exit_code == 2
    assert "geen.csv" in result.output


def test_init_creates_a_private_env_file_and_never_overwrites(tmp_path: Path):
    target = tmp_path / ".env"

    first = runner.invoke(app, ["init", "--path", str(target)])
    second = runner.invoke(app, ["init", "--path", str(target)])

    assert first.exit_code == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert "PLANMANAGER_URL" in target.read_text()
    assert second.exit_code == 2


def test_login_refuses_an_unknown_portal():
    result = runner.invoke(app, ["login", "informex"], env=SETTINGS)

    assert result.exit_code == 2
    assert "informex" in result.output
