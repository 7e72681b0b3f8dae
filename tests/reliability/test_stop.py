"""SIGTERM (systemd stopping the nightly service): stop soon, lose nothing, say it is not done.

A dossier waiting out its retry backoff is not retried after the stop: it stays unfinished in
the ledger (a final `system_error` would never be redone by `--resume`), the run's results.json
has no `finished_at`, the exit code is 1, and `--resume` then links every dossier exactly once.
"""

from __future__ import annotations

import signal
from pathlib import Path

from mock_portal.process import MockPortalProcess
from tests import seeds
from tests.e2e.helpers import only_run_dir
from tests.reliability.helpers import (
    Child,
    PortalCheck,
    dossier_numbers,
    read_json,
    record_figures,
    run_batch,
    write_csv,
)

CHILD_TIMEOUT_S = 300
LONG_BACKOFF_S = "300"  # the retry would wait at least 30 s: the stop must not wait it out


def test_sigterm_during_a_retry_backoff_stops_and_resume_finishes_once(
    portal: MockPortalProcess, bot_env: dict[str, str], tmp_path: Path
) -> None:
    numbers = dossier_numbers(3)
    portal.reset(seeds.many(3))
    portal.set_faults(fail_next=[{"method": "POST", "path_contains": "/inject", "mode": "error"}])
    csv = write_csv(tmp_path / "nacht.csv", [f"{n};" for n in numbers])
    env = {**bot_env, "BOT_SCREENSHOTS": "off", "BOT_RETRY_BACKOFF_S": LONG_BACKOFF_S}

    child = Child([str(csv), "--workers", "1"], env, tmp_path)
    waiting = "retrying in"
    assert child.wait_for(lambda c: any(waiting in line for line in c.lines), CHILD_TIMEOUT_S)
    child.process.send_signal(signal.SIGTERM)
    code = child.finish(CHILD_TIMEOUT_S)

    run_dir = only_run_dir(tmp_path / "runs")
    stopped = read_json(run_dir / "results.json")
    output = "".join(child.lines)
    assert code == 1, output
    assert stopped["finished_at"] is None
    assert stopped["dossiers"] == [], "the dossier in its backoff is not final, nor are the rest"
    assert f"--resume {run_dir.name}" in output
    assert (run_dir / "report.html").is_file()

    resumed = run_batch(["--resume", run_dir.name], {**bot_env, "BOT_SCREENSHOTS": "off"}, tmp_path)
    results = {r["dossier"]: r for r in read_json(run_dir / "results.json")["dossiers"]}
    check = PortalCheck.of(portal.state())
    record_figures(
        "sigterm_in_backoff",
        exit_code_stopped=code,
        final_when_stopped=len(stopped["dossiers"]),
        attempts_first_dossier=results[numbers[0]]["attempts"] if numbers[0] in results else None,
        duplicates=len(check.duplicates()),
    )
    assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    assert {n: r["status"] for n, r in results.items()} == dict.fromkeys(numbers, "linked")
    assert results[numbers[0]]["attempts"] == 2  # the failed one before the stop, then one
    assert check.duplicates() == {}
    assert all(check.injections[n] == 1 for n in numbers)
