"""`informex-bot report RUN`: a run's report rebuilt by its id or its folder, also mid-run.

It needs no portal credentials (a person may rebuild a report on any machine holding the run
folder), speaks BOT_REPORT_LANGUAGE or --language, and says when the run is still going.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app
from bot.engine.leases import FileLeaseStore, Holder
from bot.engine.orchestrator import RUN_LEASE
from tests.unit.test_report import make_run

runner = CliRunner()
RUN_ID = "20261128-023000-3fa1"


@pytest.fixture
def runs(tmp_path: Path) -> Path:
    make_run(tmp_path / "runs" / RUN_ID)
    return tmp_path / "runs"


def invoke(args: list[str], runs: Path, **env: str):  # type: ignore[no-untyped-def]
    environment = {
        "BOT_RUNS_DIR": str(runs),
        "BOT_ENV_FILE": "/nonexistent/.env",
        "PLANMANAGER_USERNAME": "",
        "PLANMANAGER_PASSWORD": "",
        "BOT_REPORT_LANGUAGE": "",
        **env,
    }
    return runner.invoke(app, ["report", *args], env=environment)


def test_a_run_id_is_found_in_the_runs_folder_without_credentials(runs: Path) -> None:
    result = invoke([RUN_ID], runs)

    assert result.exit_code == 0, result.output
    assert f"report: {runs / RUN_ID / 'report.html'}" in result.output
    assert '<html lang="nl">' in (runs / RUN_ID / "report.html").read_text(encoding="utf-8")
    assert (runs / RUN_ID / "junit.xml").is_file()
    assert (runs / RUN_ID / "PM-2026-0101" / "index.html").is_file()


def test_a_run_folder_is_taken_as_it_is_given(runs: Path, tmp_path: Path) -> None:
    result = invoke([str(runs / RUN_ID)], tmp_path / "elsewhere")

    assert result.exit_code == 0, result.output
    assert (runs / RUN_ID / "report.html").is_file()


def test_the_language_comes_from_the_setting_or_the_option(runs: Path) -> None:
    assert invoke([RUN_ID], runs, BOT_REPORT_LANGUAGE="fr").exit_code == 0
    assert '<html lang="fr">' in (runs / RUN_ID / "report.html").read_text(encoding="utf-8")
    assert invoke([RUN_ID, "--language", "en"], runs, BOT_REPORT_LANGUAGE="fr").exit_code == 0
    assert '<html lang="en">' in (runs / RUN_ID / "report.html").read_text(encoding="utf-8")


def test_a_run_in_progress_is_reported_as_it_stands(runs: Path) -> None:
    owner = FileLeaseStore(runs / RUN_ID).try_acquire(RUN_LEASE, Holder.me(f"run {RUN_ID}"))
    assert owner is not None
    try:
        result = invoke([RUN_ID, "--language", "en"], runs)
    finally:
        owner.release()

    assert result.exit_code == 0, result.output
    assert f"run {RUN_ID} is in progress (pid " in result.output
    report = (runs / RUN_ID / "report.html").read_text(encoding="utf-8")
    assert "This run is still in progress (pid " in report
    assert f"<code>informex-bot report {RUN_ID}</code>" in report


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["20991231-000000-none"], "neither a run folder nor a run id"),
        ([RUN_ID, "--language", "de"], "--language 'de': use one of nl, fr, en"),
    ],
)
def test_a_run_that_is_not_there_or_a_bad_language_exits_2(
    runs: Path, args: list[str], message: str
) -> None:
    result = invoke(args, runs)

    assert result.exit_code == 2
    assert message in result.output


def test_a_run_before_its_first_dossier_has_no_report_yet(runs: Path) -> None:
    (runs / "20261129-023000-0000").mkdir()

    result = invoke(["20261129-023000-0000"], runs)

    assert result.exit_code == 2
    assert "no results.json yet" in result.output
