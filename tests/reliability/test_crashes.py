"""The batch killed with SIGKILL at random moments, then resumed: nothing lost, nothing twice.

A seeded `random.Random` picks each kill: after some lines of output, once the ledger shows some
dossiers final, right after an injection was confirmed (the dossier is pending in PlanManager),
or right after a 2e circuit was saved (not yet verified nor final). After every kill the ledger
must still be a sound SQLite database and results.json (when there is one) valid JSON; the
resumed run must finish every dossier without a second injection or a second save.
"""

from __future__ import annotations

import json
import random
import signal
import sqlite3
import time
from collections import Counter
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

import psutil
import pytest

from bot.browser.launch import remove_stale_profiles
from mock_portal.process import MockPortalProcess
from tests import seeds
from tests.conftest import bot_environment
from tests.reliability.helpers import (
    FORMS,
    Child,
    Form,
    PortalCheck,
    dossier_numbers,
    end_processes,
    profiles_of,
    read_json,
    record_figures,
    run_batch,
    run_dirs,
    statuses,
    survivors,
    write_csv,
)

KILL_SEED = 20261128
CHILD_TIMEOUT_S = 900
INJECTING = "waiting for Informex to create the dossier"
SAVED = "2e circuit linked to"


@dataclass
class Moment:
    """When to kill: after `count` output lines, final dossiers, injections or saves."""

    kind: str
    count: int

    def reached(self, child: Child, ledger: Path) -> bool:
        if not ledger.is_file():  # before the ledger exists there is nothing to resume
            return False
        if self.kind == "lines":
            return len(child.lines) >= self.count
        if self.kind == "final":
            return final_count(ledger) >= self.count
        marker = INJECTING if self.kind == "injecting" else SAVED
        return sum(marker in line for line in child.lines) >= self.count

    def __str__(self) -> str:
        return f"{self.kind}>={self.count}"


def pick_moment(rng: random.Random, dossiers: int, *, first_run: bool) -> Moment:
    kinds = ["lines", "injecting", "saved"] + (["final"] if first_run else [])
    kind = rng.choice(kinds)
    if kind == "lines":
        return Moment(kind, rng.randint(4, 20))
    if kind == "final":
        return Moment(kind, rng.randint(1, dossiers - 1))
    return Moment(kind, rng.randint(1, dossiers))


def final_count(ledger: Path) -> int:
    """Final dossiers in the ledger; 0 while the batch has created the file but not its tables."""
    with closing(sqlite3.connect(f"file:{ledger}?mode=ro", uri=True, timeout=30)) as db:
        try:
            return db.execute("SELECT count(*) FROM dossiers WHERE state = 'final'").fetchone()[0]
        except sqlite3.OperationalError:  # "no such table": the batch is still creating it
            return 0


def orphan_name(process: psutil.Process) -> str:
    try:
        command = process.cmdline()
    except psutil.Error:
        return "?"
    kind = next((a.split("=", 1)[1] for a in command if a.startswith("--type=")), "main")
    return f"{Path(command[0]).name if command else '?'}:{kind}"


def check_after_kill(run_dir: Path) -> tuple[dict[str, str], int]:
    """The run folder as a kill left it must be sound.

    Returns the final dossiers' statuses and how many dossiers were in the middle of something.
    """
    with closing(sqlite3.connect(run_dir / "ledger.sqlite", timeout=30)) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        rows = db.execute("SELECT dossier, state, result_json FROM dossiers").fetchall()
    if (run_dir / "results.json").exists():
        json.loads((run_dir / "results.json").read_text(encoding="utf-8"))
    finals = {d: json.loads(result)["status"] for d, state, result in rows if state == "final"}
    return finals, sum(state == "in_progress" for _, state, _ in rows)


@dataclass
class Trial:
    kills: list[str] = field(default_factory=list)
    orphans: list[str] = field(default_factory=list)
    finals_seen: dict[str, str] = field(default_factory=dict)
    in_progress_at_kills: int = 0
    lost: int = 0


def run_and_maybe_kill(
    args: list[str], env: dict[str, str], cwd: Path, moment: Moment, trial: Trial
) -> bool:
    """Run a batch; SIGKILL it at `moment` (True), or let it finish if it never comes (False)."""
    runs = Path(env["BOT_RUNS_DIR"])

    def ledger() -> Path:
        found = next(run_dirs(runs), None)
        return found / "ledger.sqlite" if found else runs / "none"

    child = Child(args, env, cwd)
    try:
        reached = child.wait_for(lambda c: moment.reached(c, ledger()), timeout_s=CHILD_TIMEOUT_S)
    except BaseException:
        child.kill()  # a failing test must not leave a batch running into the next test
        raise
    if not reached:
        assert child.finish(CHILD_TIMEOUT_S) == 0, "".join(child.lines)
        return False
    started_by_it = child.kill()
    assert child.process.returncode == -signal.SIGKILL
    left = survivors(started_by_it)  # none since Chromium gets a parent-death signal
    trial.orphans += [orphan_name(p) for p in left]
    end_processes(left)
    trial.kills.append(str(moment))
    seen, in_progress = check_after_kill(ledger().parent)
    lost = {d: s for d, s in trial.finals_seen.items() if seen.get(d) != s}
    trial.lost += len(lost)
    assert lost == {}, "a final result was lost or changed by a kill"
    trial.finals_seen = seen
    trial.in_progress_at_kills += in_progress
    return True


@pytest.mark.parametrize("form", FORMS)
def test_killed_batches_resume_without_losing_or_duplicating(
    form: Form, portal: MockPortalProcess, tmp_path: Path
) -> None:
    rng = random.Random(KILL_SEED)
    numbers = dossier_numbers(form.crash_dossiers)
    expected = {
        d["number"]: a["number"] for d, a in map(seeds.numbered, range(1, len(numbers) + 1))
    }
    totals: Counter[str] = Counter()
    moments: list[list[str]] = []
    orphans: Counter[str] = Counter()
    started = time.monotonic()
    for index in range(form.crash_trials):
        portal.reset(seeds.many(form.crash_dossiers))
        home = tmp_path / f"trial-{index}"
        env = {**bot_environment(portal, home / "runs"), "BOT_SCREENSHOTS": "off"}
        csv = write_csv(home / "nacht.csv", [f"{n};" for n in numbers])
        trial = Trial()

        first = pick_moment(rng, len(numbers), first_run=True)
        run_and_maybe_kill([str(csv), "--workers", "2"], env, home, first, trial)
        [run_dir] = run_dirs(home / "runs")
        resume = ["--resume", run_dir.name, "--workers", "2"]
        if rng.random() < 0.5:  # kill the resumed run too, now and then
            again = pick_moment(rng, len(numbers), first_run=False)
            run_and_maybe_kill(resume, env, home, again, trial)
        done = run_batch(resume, env, home, timeout_s=CHILD_TIMEOUT_S)

        assert done.returncode == 0, done.stdout + done.stderr
        results = {r["dossier"]: r for r in read_json(run_dir / "results.json")["dossiers"]}
        check = PortalCheck.of(portal.state())
        with closing(sqlite3.connect(run_dir / "ledger.sqlite")) as db:
            interrupted = db.execute(
                "SELECT count(*) FROM attempts WHERE status = 'interrupted'"
            ).fetchone()[0]
        totals.update(
            kills=len(trial.kills),
            dossiers=len(numbers),
            attempts=sum(r["attempts"] for r in results.values()),
            interrupted_attempts=interrupted,
            in_progress_at_kills=trial.in_progress_at_kills,
            already_linked=statuses(list(results.values()))["already_linked"],
            duplicates=len(check.duplicates()),
            overwritten=len(check.wrong_links(expected)),
            lost=trial.lost + len(set(numbers) - set(results)),
        )
        moments.append(trial.kills)
        orphans.update(trial.orphans)

        assert trial.kills, "the kill moment never came: the trial proved nothing"
        assert sorted(results) == numbers
        # all fresh: a link found on resume is this batch's own (the ledger noted the save)
        assert set(statuses(list(results.values()))) == {"linked"}
        assert {d: results[d]["status"] for d in trial.finals_seen} == trial.finals_seen
        assert check.duplicates() == {}
        assert set(check.injections.values()) == {1}
        assert check.wrong_links(expected) == {}
        assert set(check.saves.values()) == {1}
    record_figures(
        f"crashes[{form.name}]",
        kill_seed=KILL_SEED,
        trials=form.crash_trials,
        wall_s=round(time.monotonic() - started, 1),
        moments=moments,
        orphans_after_kill=dict(orphans),
        **totals,
    )
    assert orphans == {}, "a killed batch left processes running"


def test_a_batch_killed_between_its_save_and_the_result_reports_linked_after_resume(
    portal: MockPortalProcess, bot_env: dict[str, str], tmp_path: Path
) -> None:
    """The save went through, its answer never came back, the process died: on resume the
    2e circuit already holds the opdrachtnummer. The ledger noted the save before Opslaan was
    pressed, so the morning report says `linked` (this batch did it), not `already_linked`."""
    portal.reset(seeds.many(1))
    [number] = dossier_numbers(1)
    portal.set_faults(
        fail_next=[
            {"method": "POST", "path_contains": "/2e-circuit", "mode": "hang", "hang_s": 120}
        ]
    )
    env = {**bot_env, "BOT_SCREENSHOTS": "off"}
    csv = write_csv(tmp_path / "nacht.csv", [f"{number};"])

    def saved_in_portal(_: Child) -> bool:
        return list(PortalCheck.of(portal.state()).saves.values()) == [1]

    child = Child([str(csv)], env, tmp_path)
    try:
        assert child.wait_for(saved_in_portal, timeout_s=CHILD_TIMEOUT_S)
    finally:
        end_processes(child.kill())
    [run_dir] = run_dirs(tmp_path / "runs")
    finals, in_progress = check_after_kill(run_dir)
    assert (finals, in_progress) == ({}, 1)

    done = run_batch(["--resume", run_dir.name], env, tmp_path, timeout_s=CHILD_TIMEOUT_S)

    assert done.returncode == 0, done.stdout + done.stderr
    [result] = read_json(run_dir / "results.json")["dossiers"]
    assert (result["status"], result["attempts"]) == ("linked", 2), result["error"]
    check = PortalCheck.of(portal.state())
    assert list(check.saves.values()) == [1]
    assert check.injections == {number: 1}


def test_a_single_run_killed_after_its_save_and_rerun_reports_linked(
    portal: MockPortalProcess, bot_env: dict[str, str], tmp_path: Path
) -> None:
    """`informex-bot run` is a run of one through the same engine as a batch: its ledger noted
    the save before Opslaan, so rerunning the same command resumes that run and reports
    `linked`, with one injection and one save in the portal."""
    portal.reset(seeds.many(1))
    [number] = dossier_numbers(1)
    portal.set_faults(
        fail_next=[
            {"method": "POST", "path_contains": "/2e-circuit", "mode": "hang", "hang_s": 120}
        ]
    )
    env = {**bot_env, "BOT_SCREENSHOTS": "off"}

    def saved_in_portal(_: Child) -> bool:
        return list(PortalCheck.of(portal.state()).saves.values()) == [1]

    child = Child([number], env, tmp_path, command="run")
    try:
        assert child.wait_for(saved_in_portal, timeout_s=CHILD_TIMEOUT_S)
    finally:
        end_processes(child.kill())
    [run_dir] = run_dirs(tmp_path / "runs")
    assert check_after_kill(run_dir) == ({}, 1)

    done = run_batch([number], env, tmp_path, timeout_s=CHILD_TIMEOUT_S, command="run")

    assert done.returncode == 0, done.stdout + done.stderr
    assert list(run_dirs(tmp_path / "runs")) == [run_dir]  # the rerun resumed the killed run
    [result] = read_json(run_dir / "results.json")["dossiers"]
    assert (result["status"], result["attempts"]) == ("linked", 2), result["error"]
    assert (run_dir / "report.html").is_file()
    check = PortalCheck.of(portal.state())
    assert list(check.saves.values()) == [1]
    assert check.injections == {number: 1}


class LeftBehind(AssertionError):
    """Processes a killed batch had started are still running."""


def test_a_killed_batch_leaves_no_browser_behind(
    portal: MockPortalProcess, bot_env: dict[str, str], tmp_path: Path
) -> None:
    portal.reset(seeds.many(2))
    csv = write_csv(tmp_path / "nacht.csv", [f"{n};" for n in dossier_numbers(2)])
    child = Child([str(csv), "--workers", "2"], {**bot_env, "BOT_SCREENSHOTS": "off"}, tmp_path)
    logged_in = "logged in to winformex"  # the shared Chromium runs from the start
    assert child.wait_for(lambda c: any(logged_in in line for line in c.lines), CHILD_TIMEOUT_S)

    started_by_it = child.started()
    started_names = [orphan_name(p) for p in started_by_it]  # named while they still run
    profiles = profiles_of(started_by_it)
    child.kill()
    left = survivors(started_by_it)
    left_names = sorted(orphan_name(p) for p in left)
    end_processes(left)

    print(f"\nstarted by the batch: {started_names}\nleft running: {left_names}")
    # the batch had its shared browser running (chromium, or its headless shell)
    assert any(n.startswith("chrom") and n.endswith(":main") for n in started_names)
    if left:
        raise LeftBehind(f"still running after the batch was killed: {left_names}")
    (profile,) = profiles
    assert profile in remove_stale_profiles(profile.parent)  # what the next batch does first
    assert not profile.exists()
