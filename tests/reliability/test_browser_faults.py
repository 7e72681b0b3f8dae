"""The browser dies or a page hangs in the middle of a dossier: retried afresh, never redone twice.

Chromium is killed for real (SIGKILL of its processes, found with psutil among this test's own
descendants), and the mock portal holds answers back for longer than the bot's timeouts. The
dossier must be retried in a fresh context (and, after a crash, a fresh browser), end linked with
one injection and one save, and the next dossier must still run.
"""

from __future__ import annotations

from pathlib import Path

import psutil

from bot.domain.batch_input import BatchInput
from bot.domain.models import DossierInput, DossierResult, DossierStatus
from bot.engine.ledger import Ledger
from bot.engine.orchestrator import start_run
from bot.engine.runner import BotRun, RunOptions
from bot.settings import Settings, load_settings
from mock_portal.process import MockPortalProcess
from tests import seeds
from tests.reliability.helpers import (
    Child,
    PortalCheck,
    dossier_numbers,
    end_processes,
    in_own_thread,
    read_json,
    record_figures,
    run_dirs,
    write_csv,
)

SHORT_TIMEOUTS = {"BOT_ACTION_TIMEOUT_S": "3", "BOT_NAVIGATION_TIMEOUT_S": "3"}
HANG_S = 10  # well past the timeouts above


def chromium_processes(root: psutil.Process) -> list[psutil.Process]:
    found = []
    for process in root.children(recursive=True):
        try:
            if "chrom" in process.name().lower():
                found.append(process)
        except psutil.NoSuchProcess:
            continue
    return found


def jobs(count: int) -> list[DossierInput]:
    return [DossierInput.create(number) for number in dossier_numbers(count)]


def assert_linked_once(portal: MockPortalProcess, results: list[DossierResult]) -> PortalCheck:
    assert [r.status for r in results] == [DossierStatus.LINKED] * len(results), [
        r.error for r in results
    ]
    check = PortalCheck.of(portal.state())
    assert check.duplicates() == {}
    assert set(check.injections.values()) == {1}
    assert set(check.saves.values()) == {1}
    return check


def test_dossier_is_retried_in_a_new_browser_after_chromium_dies_mid_dossier(
    portal: MockPortalProcess, bot_env: dict[str, str], tmp_path: Path
) -> None:
    portal.reset(seeds.many(2))
    settings = load_settings({**bot_env, "BOT_SCREENSHOTS": "off"})
    this = psutil.Process()
    before = {p.pid for p in chromium_processes(this)}  # e.g. pytest-playwright's own browser
    killed: list[str] = []

    def kill_chromium_after_inject(job: DossierInput, step: str) -> None:
        if step == "inject" and not killed:
            victims = [p for p in chromium_processes(this) if p.pid not in before]
            killed.extend(p.name() for p in victims)
            end_processes(victims)

    def run() -> list[DossierResult]:
        with Ledger(tmp_path / "run" / "ledger.sqlite") as ledger:
            ledger.add_jobs(jobs(2))
            with BotRun(
                settings, tmp_path / "run", ledger, on_step=kill_chromium_after_inject
            ) as bot:
                return [bot.run(job) for job in jobs(2)]

    results = in_own_thread(run)

    assert killed, "no Chromium of the bot was found to kill"
    assert_linked_once(portal, results)
    assert results[0].attempts >= 2
    record_figures(
        "browser_killed_mid_dossier",
        chromium_processes_killed=len(killed),
        attempts=[r.attempts for r in results],
        injections=1,
        saves=1,
    )


def test_batch_restarts_its_shared_chromium_when_it_is_killed(
    portal: MockPortalProcess, bot_env: dict[str, str], tmp_path: Path
) -> None:
    count = 3  # two in flight when the browser dies, one still to start
    portal.reset(seeds.many(count))
    csv = write_csv(tmp_path / "nacht.csv", [f"{n};" for n in dossier_numbers(count)])
    child = Child([str(csv), "--workers", "2"], {**bot_env, "BOT_SCREENSHOTS": "off"}, tmp_path)
    assert child.wait_for(lambda c: any("waiting for Informex" in line for line in c.lines), 600)

    shared = [
        p
        for p in chromium_processes(psutil.Process(child.process.pid))
        if any(a.startswith("--remote-debugging-port") for a in p.cmdline())
    ]
    end_processes(shared)
    status = child.finish(900)

    assert shared, "the batch's shared Chromium was not found"
    assert status == 0, "".join(child.lines)
    [run_dir] = run_dirs(tmp_path / "runs")
    results = read_json(run_dir / "results.json")["dossiers"]
    assert {r["status"] for r in results} == {"linked"}
    check = PortalCheck.of(portal.state())
    assert check.duplicates() == {}
    assert set(check.injections.values()) == {1}
    assert set(check.saves.values()) == {1}
    record_figures(
        "batch_shared_chromium_killed",
        dossiers=count,
        attempts=sum(r["attempts"] for r in results),
        restarts_logged=sum("starting a new one" in line for line in child.lines),
    )


def hurried(bot_env: dict[str, str]) -> Settings:
    """Settings that give up on a page after 3 s."""
    return load_settings({**bot_env, **SHORT_TIMEOUTS, "BOT_SCREENSHOTS": "off"})


def test_hanging_page_and_save_are_retried_without_saving_twice(
    portal: MockPortalProcess, bot_env: dict[str, str]
) -> None:
    portal.reset(seeds.many(2))
    hang = {"path_contains": "/2e-circuit", "mode": "hang", "hang_s": HANG_S}
    portal.set_faults(fail_next=[{"method": "GET", **hang}, {"method": "POST", **hang}])

    work = BatchInput(jobs=jobs(2), rejected=[], digest="hang", source="test")
    outcome = in_own_thread(lambda: start_run(hurried(bot_env), RunOptions(), work=work))

    assert_linked_once(portal, outcome.results)  # the held save went through once: not redone
    first, second = outcome.results
    assert first.attempts == 2  # the form that never came: a fresh context, a second attempt
    assert second.attempts == 1
    assert portal.set_faults()["fail_next"] == []  # both hangs did happen
    record_figures(
        "page_and_save_hang", hang_s=HANG_S, attempts=[first.attempts, second.attempts], saves=1
    )
