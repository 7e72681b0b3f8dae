"""The nightly batch end to end: input files, workers, discovery, kill and resume, report."""

from __future__ import annotations

import json
import re
import signal
import sqlite3
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from mock_portal.process import MockPortalProcess
from tests import seeds
from tests.e2e.helpers import cli_environment, only_run_dir, read_results, run_cli


def write_csv(path: Path, rows: list[str], header: str = "dossier;opdrachtnummer") -> Path:
    path.write_text("\ufeff" + "\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def injections(portal: MockPortalProcess) -> dict[str, int]:
    return {d["number"]: d["injections"] for d in portal.state()["planmanager"]["dossiers"]}


def test_csv_batch_with_two_workers_links_every_dossier_once(
    portal: MockPortalProcess, bot_env: dict[str, str], tmp_path: Path
):
    portal.reset(seeds.many(6))
    numbers = [f"PM-2026-{1000 + i:04d}" for i in range(1, 7)]
    csv = write_csv(tmp_path / "nacht.csv", [f"{n};" for n in numbers])

    done = run_cli(["batch", str(csv), "--workers", "2"], bot_env, tmp_path)

    assert done.returncode == 0, done.stdout + done.stderr
    run_dir = only_run_dir(tmp_path / "runs")
    statuses = {d["dossier"]: d["status"] for d in read_results(run_dir)["dossiers"]}
    assert statuses == dict.fromkeys(numbers, "linked")
    assert set(injections(portal).values()) == {1}
    suite = ET.parse(run_dir / "junit.xml").getroot()
    assert len(list(suite.iter("testcase"))) == 6
    assert (run_dir / "report.html").is_file()


def test_bad_rows_are_reported_by_line_and_the_rest_still_runs(
    portal: MockPortalProcess, bot_env: dict[str, str], tmp_path: Path
):
    portal.reset(seeds.many(2))
    csv = write_csv(
        tmp_path / "rows.csv",
        [
            "PM-2026-1001;",
            "=cmd|' /C calc'!A0;",
            "PM-2026-1002;12345",
            "PM-2026-1001;",
            "PM-2026-1002;",
        ],
    )

    done = run_cli(["batch", str(csv)], bot_env, tmp_path)

    assert done.returncode == 1
    results = read_results(only_run_dir(tmp_path / "runs"))["dossiers"]
    failed = [r for r in results if r["status"] == "business_error"]
    assert {r["status"] for r in results} == {"linked", "business_error"}
    assert len(failed) == 3
    messages = " ".join(r["error"] for r in failed)
    assert "line 3" in messages and "line 4" in messages and "line 5" in messages
    assert "12345" in messages
    assert injections(portal) == {"PM-2026-1001": 1, "PM-2026-1002": 1}


def test_discover_takes_complete_unlinked_dossiers_only(
    portal: MockPortalProcess, bot_env: dict[str, str], tmp_path: Path
):
    (d1, a1), (d2, a2), (d3, a3) = (seeds.numbered(i) for i in (1, 2, 3))
    d2["vehicle"]["vin"] = None  # incomplete: left for the shop to finish
    d3.update(informex_dossier="WX-2026-000900", injections=1)
    portal.reset(
        seeds.world(
            [d1, d2, d3],
            [a1, a2, a3],
            [
                {
                    "number": "WX-2026-000900",
                    "planmanager_dossier": d3["number"],
                    "photos": 2,
                    "second_circuit": {"assignment_number": a3["number"]},
                }
            ],
        )
    )

    done = run_cli(["batch", "--discover"], bot_env, tmp_path)

    assert done.returncode == 0, done.stdout + done.stderr
    results = read_results(only_run_dir(tmp_path / "runs"))["dossiers"]
    assert [(r["dossier"], r["status"]) for r in results] == [(d1["number"], "linked")]
    assert injections(portal) == {d1["number"]: 1, d2["number"]: 0, d3["number"]: 1}


def test_killed_batch_resumes_without_losing_or_duplicating(
    portal: MockPortalProcess, bot_env: dict[str, str], tmp_path: Path
):
    count = 8
    portal.reset(seeds.many(count))
    numbers = [f"PM-2026-{1000 + i:04d}" for i in range(1, count + 1)]
    csv = write_csv(tmp_path / "nacht.csv", [f"{n};" for n in numbers])
    env = {**bot_env, "BOT_SCREENSHOTS": "off"}
    child = subprocess.Popen(
        [sys.executable, "-m", "bot", "batch", str(csv), "--workers", "2"],
        env=cli_environment(env, tmp_path),
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    for line in child.stdout:  # kill right after the third dossier is reported final
        done = re.search(r"progress: (\d+)/", line)
        if done and int(done.group(1)) >= 3:
            child.send_signal(signal.SIGKILL)
            break
    child.wait(timeout=60)
    assert child.returncode == -signal.SIGKILL
    run_dir = only_run_dir(tmp_path / "runs")
    with sqlite3.connect(run_dir / "ledger.sqlite") as db:  # still a valid database
        finals = db.execute("select count(*) from dossiers where state = 'final'").fetchone()[0]
    assert 3 <= finals < count

    done = run_cli(["batch", "--resume", run_dir.name], env, tmp_path)

    assert done.returncode == 0, done.stdout + done.stderr
    results = read_results(run_dir)["dossiers"]
    assert sorted(r["dossier"] for r in results) == numbers
    assert {r["status"] for r in results} <= {"linked", "already_linked"}
    assert set(injections(portal).values()) == {1}
    json.loads((run_dir / "results.json").read_text())


def test_system_errors_are_retried_until_they_succeed(
    portal: MockPortalProcess, bot_env: dict[str, str], tmp_path: Path
):
    portal.reset(seeds.many(3))
    portal.set_faults(
        profile="realistic",
        seed=7,
        latency_ms=[0, 50],
        injection_delay_s=[0.2, 0.4],
        fail_next=[
            {"method": "POST", "path_contains": "/inject", "mode": "error"},
            {"method": "POST", "path_contains": "/2e-circuit", "mode": "error"},
        ],
    )
    csv = write_csv(tmp_path / "nacht.csv", [f"PM-2026-{1000 + i:04d};" for i in (1, 2, 3)])

    done = run_cli(["batch", str(csv), "--retries", "3"], bot_env, tmp_path)

    assert done.returncode == 0, done.stdout + done.stderr
    results = read_results(only_run_dir(tmp_path / "runs"))["dossiers"]
    assert {r["status"] for r in results} == {"linked"}
    assert sum(r["attempts"] for r in results) >= 5  # two retried dossiers
    assert set(injections(portal).values()) == {1}
