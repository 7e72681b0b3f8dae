"""Never twice, whatever runs at once: real bot processes racing for the same dossiers.

Each test starts real `python -m bot run …` / `batch …` processes at the same moment (all
started before any is waited on) against the running mock portal, and counts injections and
2e circuit saves in `/_mock/state`: however the processes interleave, each dossier is injected
once and saved once, one process reports `linked` and the other `already_linked`. Every page
answers a little later than usual and the first process to press "i" gets its answer late
(a `hang` on that POST), so the window between reading PlanManager and pressing "i" is wide.
A process that holds a dossier's lease and is killed frees it at once; one that does not let go
makes the other end `system_error` "busy", naming it. A run has one owner. A second Informex
dossier made by a person's "i" is reported as a duplicate, first in the report. The last test
pins down, in-process, an interleaving the processes rarely hit: an earlier identical run that
ends between a new run's look at it and its attempt to take it over.
"""

from __future__ import annotations

import re
import signal
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bot.engine import orchestrator
from bot.engine.leases import dossier_key
from bot.settings import load_settings
from mock_portal.process import MockPortalProcess
from tests import seeds
from tests.conftest import bot_environment
from tests.e2e.helpers import run_bot
from tests.reliability.helpers import (
    LEASE_TAKEN,
    LEASE_WAITING,
    LONG_TIMEOUT_S,
    Child,
    HttpPerson,
    LeaseHolder,
    PortalCheck,
    dossier_numbers,
    dossier_state,
    end_processes,
    read_json,
    record_figures,
    run_batch,
    run_dir_of,
    run_dirs,
    survivors,
    write_csv,
)

CHILD_TIMEOUT_S = 600
RACE_LATENCY_MS = [20, 150]  # every page a little slower: reading and clicking further apart
FIRST_INJECT_HANG_S = 1.5  # the first "i" of a race answers late, while the other process runs
SHARED_PER_PAIR = 5  # dossiers two racing batches share (the long form runs several pairs)
BATCH_HOLD_S = 12.0  # how long a batch's "i" is held so that a run started then finds it busy
TAKEOVER_BOUND_S = 5.0  # docs/reliability.md: a killed holder's lease is taken within this
HOLD_TIMEOUT_S = "60"  # the action timeout of a process whose "i" is held until it is killed


@dataclass(frozen=True)
class Races:
    """How many races one form of a test runs."""

    form: str
    count: int


def race_counts(short: int, long: int) -> list[Any]:
    """The short form (default suite) and the long form (`-m long`) of a race count."""
    return [
        pytest.param(Races("short", short), id="short"),
        pytest.param(
            Races("long", long),
            id="long",
            marks=[pytest.mark.long, pytest.mark.timeout(LONG_TIMEOUT_S)],
        ),
    ]


def race_env(portal: MockPortalProcess, home: Path, **extra: str) -> dict[str, str]:
    """Settings every process of one race shares: the same runs folder and lease store."""
    home.mkdir(parents=True, exist_ok=True)
    return {**bot_environment(portal, home / "runs"), "BOT_SCREENSHOTS": "off", **extra}


def hang(dossier: str, what: str = "inject", seconds: float = FIRST_INJECT_HANG_S) -> dict:
    """A `fail_next` entry: the first POST of `what` on `dossier` is done, its answer held."""
    return {
        "method": "POST",
        "path_contains": f"/dossiers/{dossier}/{what}",
        "mode": "hang",
        "hang_s": seconds,
    }


@dataclass
class Ended:
    """A finished bot process: its exit code, its output and the results of its own run."""

    pid: int
    code: int
    output: str
    run_dir: Path
    results: dict[str, dict[str, Any]]

    def status(self, dossier: str) -> str:
        return self.results[dossier]["status"]

    def waited_for(self) -> list[str]:
        """The dossiers this process found leased by another and waited for."""
        return re.findall(r"#(\S+) " + LEASE_WAITING, self.output)

    def waits_s(self) -> list[float]:
        return [float(m["waited"]) for m in LEASE_TAKEN.finditer(self.output)]


def ended(child: Child, runs: Path) -> Ended:
    """Wait for `child` to end and read what its own run folder says."""
    code = child.finish(CHILD_TIMEOUT_S)
    output = "".join(child.lines)
    run_dir = run_dir_of(runs, child.process.pid)
    results = {r["dossier"]: r for r in read_json(run_dir / "results.json")["dossiers"]}
    return Ended(child.process.pid, code, output, run_dir, results)


@contextmanager
def cleanup(children: list[Child]) -> Iterator[list[Child]]:
    """Kill any child still running when the block ends (a failed test must not leave one)."""
    try:
        yield children
    finally:
        for child in children:
            if child.process.poll() is None:
                end_processes(child.kill())


def no_traceback(*processes: Ended) -> None:
    for process in processes:
        assert "Traceback" not in process.output, process.output
        assert process.code != 2, process.output  # 2 is bad usage: never for a busy dossier


def once_each(check: PortalCheck, numbers: list[str]) -> None:
    """Each dossier injected once, one Informex dossier each, its 2e circuit saved once."""
    for number in numbers:
        assert check.injections[number] == 1, number
        [informex] = check.informex_of[number]
        assert check.saves[informex] == 1, number


def totals(check: PortalCheck, numbers: list[str]) -> dict[str, int]:
    """The counts docs/reliability.md quotes, over the dossiers a test raced for."""
    informex = [wx for n in numbers for wx in check.informex_of.get(n, [])]
    return {
        "injections": sum(check.injections[n] for n in numbers),
        "saves": sum(check.saves[wx] for wx in informex),
        "duplicates": sum(1 for n in numbers if n in check.duplicates()),
        "double_saves": sum(1 for wx in informex if check.saves[wx] > 1),
    }


def batch_is_on(runs: Path, dossier: str) -> Callable[[Child], bool]:
    """A `Child.wait_for` condition: the batch's ledger shows `dossier` in progress (or done)."""

    def on_it(_: Child) -> bool:
        run_dir = next(run_dirs(runs), None)
        state = dossier_state(run_dir / "ledger.sqlite", dossier) if run_dir else None
        return state in ("in_progress", "final")

    return on_it


# -- 1. two runs of one dossier ----------------------------------------------------------------
@pytest.mark.parametrize("races", race_counts(short=3, long=50))
def test_two_runs_of_one_dossier_at_the_same_moment_inject_and_save_it_once(
    races: Races, portal: MockPortalProcess, tmp_path: Path
) -> None:
    numbers = dossier_numbers(races.count)
    portal.reset(seeds.many(races.count))
    portal.set_faults(latency_ms=RACE_LATENCY_MS)
    contended: list[str] = []
    waits: list[float] = []
    started = time.monotonic()
    for index, number in enumerate(numbers):
        home = tmp_path / f"race-{index}"
        env = race_env(portal, home)
        portal.set_faults(fail_next=[hang(number)])
        with cleanup([Child([number], env, home, command="run") for _ in range(2)]) as pair:
            first, second = (ended(child, home / "runs") for child in pair)

        no_traceback(first, second)
        assert (first.code, second.code) == (0, 0), first.output + second.output
        assert first.run_dir != second.run_dir  # a run in hand is not taken over
        assert sorted([first.status(number), second.status(number)]) == [
            "already_linked",
            "linked",
        ]
        once_each(PortalCheck.of(portal.state()), [number])
        contended += first.waited_for() + second.waited_for()
        waits += first.waits_s() + second.waits_s()
    check = PortalCheck.of(portal.state())
    record_figures(
        f"concurrency-runs[{races.form}]",
        races=races.count,
        contended=len(contended),
        longest_lease_wait_s=max(waits, default=0.0),
        wall_s=round(time.monotonic() - started, 1),
        **totals(check, numbers),
    )
    assert check.duplicates() == {}


# -- 2. two batches over overlapping inputs ----------------------------------------------------
@pytest.mark.parametrize("races", race_counts(short=2, long=50))
def test_two_batches_over_overlapping_inputs_inject_and_save_every_dossier_once(
    races: Races, portal: MockPortalProcess, tmp_path: Path
) -> None:
    shared_count = min(races.count, SHARED_PER_PAIR)
    pairs = -(-races.count // shared_count)
    per_pair = shared_count + 2  # the shared ones, then one of each batch's own
    numbers = dossier_numbers(pairs * per_pair)
    portal.reset(seeds.many(len(numbers)))
    portal.set_faults(latency_ms=RACE_LATENCY_MS)
    contended: set[str] = set()
    waits: list[float] = []
    shared_all: list[str] = []
    started = time.monotonic()
    for index in range(pairs):
        *shared, own_a, own_b = numbers[index * per_pair : (index + 1) * per_pair]
        shared_all += shared
        home = tmp_path / f"pair-{index}"
        env = race_env(portal, home)
        file_a = write_csv(home / "a.csv", [f"{n};" for n in [*shared, own_a]])
        file_b = write_csv(home / "b.csv", [f"{n};" for n in [*shared, own_b]])
        workers_a, workers_b = ("2", "1") if index % 2 == 0 else ("1", "2")
        portal.set_faults(fail_next=[hang(shared[0])])
        batches = [
            Child([str(file_a), "--workers", workers_a], env, home),
            Child([str(file_b), "--workers", workers_b], env, home),
        ]
        with cleanup(batches):
            a, b = (ended(child, home / "runs") for child in batches)

        no_traceback(a, b)
        assert (a.code, b.code) == (0, 0), a.output + b.output
        assert a.run_dir != b.run_dir
        assert sorted(a.results) == sorted([*shared, own_a])
        assert sorted(b.results) == sorted([*shared, own_b])
        for number in shared:
            assert sorted([a.status(number), b.status(number)]) == [
                "already_linked",
                "linked",
            ], number
        assert (a.status(own_a), b.status(own_b)) == ("linked", "linked")
        once_each(PortalCheck.of(portal.state()), [*shared, own_a, own_b])
        contended.update(a.waited_for() + b.waited_for())
        waits += a.waits_s() + b.waits_s()
    check = PortalCheck.of(portal.state())
    record_figures(
        f"concurrency-batches[{races.form}]",
        races=len(shared_all),
        batch_pairs=pairs,
        dossiers=len(numbers),
        contended=len(contended & set(shared_all)),
        longest_lease_wait_s=max(waits, default=0.0),
        wall_s=round(time.monotonic() - started, 1),
        **totals(check, numbers),
    )
    assert check.duplicates() == {}


# -- 3. a run while a batch is on the dossier --------------------------------------------------
@pytest.mark.parametrize("races", race_counts(short=1, long=50))
def test_a_run_started_while_a_batch_works_on_its_dossier_reports_already_linked(
    races: Races, portal: MockPortalProcess, tmp_path: Path
) -> None:
    """The run starts once the batch's ledger shows the dossier in progress; the batch's "i"
    answers only after BATCH_HOLD_S, so the run reaches the lease while the batch holds it."""
    numbers = dossier_numbers(races.count)
    portal.reset(seeds.many(races.count))
    portal.set_faults(latency_ms=RACE_LATENCY_MS)
    contended: list[str] = []
    waits: list[float] = []
    started = time.monotonic()
    for index, number in enumerate(numbers):
        home = tmp_path / f"race-{index}"
        runs = home / "runs"
        env = race_env(portal, home, BOT_ACTION_TIMEOUT_S="30")
        portal.set_faults(fail_next=[hang(number, seconds=BATCH_HOLD_S)])
        csv = write_csv(home / "nacht.csv", [f"{number};"])
        children = [Child([str(csv)], env, home)]
        with cleanup(children):
            assert children[0].wait_for(batch_is_on(runs, number), CHILD_TIMEOUT_S), children[
                0
            ].lines
            children.append(Child([number], env, home, command="run"))
            batch, single = (ended(child, runs) for child in children)

        no_traceback(batch, single)
        assert (batch.code, single.code) == (0, 0), batch.output + single.output
        assert batch.status(number) == "linked", batch.results
        assert single.status(number) == "already_linked", single.results
        once_each(PortalCheck.of(portal.state()), [number])
        contended += single.waited_for()
        waits += single.waits_s()
    check = PortalCheck.of(portal.state())
    record_figures(
        f"concurrency-run-during-batch[{races.form}]",
        races=races.count,
        contended=len(contended),
        longest_lease_wait_s=max(waits, default=0.0),
        wall_s=round(time.monotonic() - started, 1),
        **totals(check, numbers),
    )
    assert check.duplicates() == {}
    assert len(contended) == races.count  # every run did find the batch on the dossier


# -- 4. a holder killed ------------------------------------------------------------------------
@pytest.mark.parametrize("races", race_counts(short=1, long=10))
def test_a_run_takes_the_lease_of_a_killed_holder_at_once_and_links_the_dossier(
    races: Races, portal: MockPortalProcess, tmp_path: Path
) -> None:
    """The holder is a bot run whose "i" answers only after a minute: the dossier is injected
    and the holder in the middle of it when it is SIGKILLed. The waiting run takes the lease
    within the poll interval, finds the injection (does not press "i" again) and links it.

    The delay is measured from the kill to the waiter's "is free now" line (an upper bound:
    it includes reading the waiter's output), never as the wall time of the whole test."""
    numbers = dossier_numbers(races.count)
    portal.reset(seeds.many(races.count))
    takeovers: list[float] = []
    for index, number in enumerate(numbers):
        home = tmp_path / f"kill-{index}"
        env = race_env(portal, home)
        portal.set_faults(fail_next=[hang(number, seconds=float(HOLD_TIMEOUT_S))])
        holding_env = {**env, "BOT_ACTION_TIMEOUT_S": HOLD_TIMEOUT_S}
        children = [Child([number], holding_env, home, command="run")]
        with cleanup(children):
            holder = children[0]
            assert holder.wait_for(
                lambda _, n=number: PortalCheck.of(portal.state()).injections[n] == 1,
                CHILD_TIMEOUT_S,
            ), holder.lines
            waiter = Child([number], env, home, command="run")
            children.append(waiter)
            assert waiter.wait_for(
                lambda c: any(LEASE_WAITING in line for line in c.lines), CHILD_TIMEOUT_S
            ), waiter.lines
            waiting_line = next(line for line in waiter.lines if LEASE_WAITING in line)

            killed_at = time.monotonic()
            started_by_holder = holder.kill()
            assert waiter.wait_for(
                lambda c: any(LEASE_TAKEN.search(line) for line in c.lines), CHILD_TIMEOUT_S
            ), waiter.lines
            takeovers.append(time.monotonic() - killed_at)
            end_processes(survivors(started_by_holder))
            after = ended(waiter, home / "runs")

        assert holder.process.returncode == -signal.SIGKILL
        assert f"pid {holder.process.pid} " in waiting_line  # the waiter named the holder
        no_traceback(after)
        assert after.code == 0, after.output
        assert after.status(number) == "linked", after.results[number]
        once_each(PortalCheck.of(portal.state()), numbers[: index + 1])
    check = PortalCheck.of(portal.state())
    record_figures(
        f"concurrency-killed-holder[{races.form}]",
        kills=races.count,
        holder="bot run, its 'i' held",
        takeover_after_kill_s=[round(t, 2) for t in takeovers],
        bound_s=TAKEOVER_BOUND_S,
        **totals(check, numbers),
    )
    assert max(takeovers) < TAKEOVER_BOUND_S


# -- 5. a holder that does not let go ----------------------------------------------------------
def test_a_run_that_cannot_get_the_lease_in_time_ends_busy_naming_the_holder(
    portal: MockPortalProcess, tmp_path: Path
) -> None:
    portal.reset(seeds.many(1))
    [number] = dossier_numbers(1)
    env = race_env(portal, tmp_path, BOT_LEASE_WAIT_S="1")
    settings = load_settings(env)
    key = dossier_key(settings.planmanager.url, number)

    with LeaseHolder(settings.lease_folder, key, env, tmp_path) as holder:
        done = run_batch([number], env, tmp_path, timeout_s=CHILD_TIMEOUT_S, command="run")
        assert holder.process.poll() is None  # it held the lease all along

    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    assert "Traceback" not in output
    [run_dir] = run_dirs(tmp_path / "runs")
    [result] = read_json(run_dir / "results.json")["dossiers"]
    assert result["status"] == "system_error"
    assert "busy" in result["error"]
    assert f"pid {holder.pid} " in result["error"], result["error"]
    check = PortalCheck.of(portal.state())
    assert check.injections[number] == 0  # it never read, let alone wrote
    record_figures(
        "concurrency-busy",
        lease_wait_s=1,
        exit_code=done.returncode,
        status=result["status"],
        error=result["error"],
    )


# -- 6. a run has one owner --------------------------------------------------------------------
def test_a_batch_run_in_hand_is_not_resumed_by_another_process_until_its_owner_ends(
    portal: MockPortalProcess, tmp_path: Path
) -> None:
    portal.reset(seeds.many(2))
    numbers = dossier_numbers(2)
    runs = tmp_path / "runs"
    env = race_env(portal, tmp_path)
    csv = write_csv(tmp_path / "nacht.csv", [f"{n};" for n in numbers])
    portal.set_faults(fail_next=[hang(numbers[0], seconds=float(HOLD_TIMEOUT_S))])

    owner = Child([str(csv)], {**env, "BOT_ACTION_TIMEOUT_S": HOLD_TIMEOUT_S}, tmp_path)
    with cleanup([owner]):
        assert owner.wait_for(
            lambda _: PortalCheck.of(portal.state()).injections[numbers[0]] == 1,
            CHILD_TIMEOUT_S,
        ), owner.lines
        [run_dir] = run_dirs(runs)
        resumed = run_batch(["--resume", run_dir.name], env, tmp_path, timeout_s=CHILD_TIMEOUT_S)
        rerun = run_batch([str(csv)], env, tmp_path, timeout_s=CHILD_TIMEOUT_S)
        assert owner.process.poll() is None
        end_processes(owner.kill())

    for refused in (resumed, rerun):
        output = refused.stdout + refused.stderr
        assert refused.returncode == 2, output
        assert f"pid {owner.process.pid} " in output, output
        assert "Traceback" not in output
    assert list(run_dirs(runs)) == [run_dir]  # neither started a run of its own

    done = run_batch(["--resume", run_dir.name], env, tmp_path, timeout_s=CHILD_TIMEOUT_S)

    assert done.returncode == 0, done.stdout + done.stderr
    results = {r["dossier"]: r["status"] for r in read_json(run_dir / "results.json")["dossiers"]}
    assert results == dict.fromkeys(numbers, "linked")
    check = PortalCheck.of(portal.state())
    once_each(check, numbers)
    record_figures(
        "concurrency-one-owner",
        resume_while_owned=resumed.returncode,
        rerun_while_owned=rerun.returncode,
        resume_after_owner_killed=done.returncode,
        **totals(check, numbers),
    )


# -- 7. a person's "i" next to the bot's -------------------------------------------------------
def test_a_second_informex_dossier_made_by_hand_is_reported_first_as_a_duplicate(
    portal: MockPortalProcess, tmp_path: Path
) -> None:
    """The bot presses "i" and its answer is held; meanwhile a person presses "i" too. Both
    injections are done before the bot reads PlanManager again, so Winformex lists two Informex
    dossiers from the one PlanManager dossier. In a batch with an ordinary business error
    (an incomplete dossier), the duplicate is first in the report."""
    world = seeds.many(2)
    incomplete = seeds.dossier("PM-2026-1999", vehicle={"vin": None, "plate": "9-ZZZ-999"})
    world["planmanager"]["dossiers"].append(incomplete)
    portal.reset(world)
    good, twice = dossier_numbers(2)
    person = HttpPerson(portal.url)
    person.log_in_to_planmanager()
    portal.set_faults(fail_next=[hang(twice, seconds=4)])
    env = race_env(portal, tmp_path)
    csv = write_csv(tmp_path / "nacht.csv", [f"{n};" for n in (good, incomplete["number"], twice)])

    batch = Child([str(csv)], env, tmp_path)
    with cleanup([batch]):
        assert batch.wait_for(
            lambda _: PortalCheck.of(portal.state()).injections[twice] == 1, CHILD_TIMEOUT_S
        ), batch.lines
        person.press_inject(twice)
        after = ended(batch, tmp_path / "runs")

    no_traceback(after)
    assert after.code == 1, after.output
    state = portal.state()
    check = PortalCheck.of(state)
    shown = next(d for d in state["planmanager"]["dossiers"] if d["number"] == twice)
    both = sorted(check.informex_of[twice])
    assert check.injections[twice] == 2 and len(both) == 2  # the bot's "i" and the person's
    result = after.results[twice]
    assert result["status"] == "business_error"
    assert result["error"].startswith("duplicate Informex dossiers"), result["error"]
    assert all(number in result["error"] for number in both), result["error"]
    assert result["informex_dossier"] == shown["informex_dossier"]
    # the 2e circuit filled on the one PlanManager shows, the other left for a person
    assert {wx: check.saves[wx] for wx in both} == {
        wx: int(wx == shown["informex_dossier"]) for wx in both
    }
    assert after.status(good) == "linked"
    assert after.status(incomplete["number"]) == "business_error"
    report = (after.run_dir / "report.html").read_text(encoding="utf-8")
    listed = sorted(after.results, key=report.index)  # in the order the report first names them
    assert listed[0] == twice, listed
    record_figures(
        "concurrency-duplicate-by-hand",
        informex_dossiers=both,
        saves={wx: check.saves[wx] for wx in both},
        report_order=listed,
    )


# -- 8. an earlier run that ends while a new one looks at it ---------------------------------
def test_a_run_whose_identical_earlier_run_ends_meanwhile_does_the_dossier_itself(
    portal: MockPortalProcess, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`informex-bot run X` finds the identical earlier run still in hand; before it tries to
    take that run over, the earlier run ends. It must then not pass the earlier run's results
    off as its own (nor rewrite that run's results.json): it runs the dossier in a run of its
    own and reports what it found, `already_linked`."""
    portal.reset(seeds.many(1))
    [number] = dossier_numbers(1)
    runs = tmp_path / "runs"
    env = race_env(portal, tmp_path)
    portal.set_faults(fail_next=[hang(number)])
    earlier = Child([number], env, tmp_path, command="run")
    with cleanup([earlier]):
        assert earlier.wait_for(batch_is_on(runs, number), CHILD_TIMEOUT_S), earlier.lines
        [earlier_dir] = run_dirs(runs)
        real_find = orchestrator.find_unfinished_run

        def find_then_lose_the_race(runs_dir: Path, digest: str, **store: Any) -> str | None:
            found = real_find(runs_dir, digest, **store)  # the earlier run, in hand
            assert found == earlier_dir.name
            assert earlier.finish(CHILD_TIMEOUT_S) == 0, earlier.lines  # ... and now it ends
            before.update(read_json(earlier_dir / "results.json"))
            return found

        monkeypatch.setattr(orchestrator, "find_unfinished_run", find_then_lose_the_race)
        before: dict[str, Any] = {}
        settings = load_settings(env)
        result, outcome = run_bot(settings, number)

    assert outcome.run_dir != earlier_dir  # not the earlier run, taken over once it ended
    assert result.status.value == "already_linked"
    assert read_json(earlier_dir / "results.json") == before
