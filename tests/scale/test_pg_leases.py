"""Leases in PostgreSQL: one holder at a time across processes, freed when the holder dies.

The same small contract as the lock files (`LeaseStore`) first, run against both stores; then
what matters between machines, with real processes: two racing for one key (one wins), a holder
SIGKILLed (the lease is free again within a second, measured), and `holder()` naming the holder.
"""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.engine.leases import (
    FileLeaseStore,
    Holder,
    LeaseBusy,
    LeaseStore,
    PgLeaseStore,
    acquire,
)

ROOT = Path(__file__).resolve().parents[2]
FREED_WITHIN_S = 1.0
CHILD_TIMEOUT_S = 60

HOLD = """
import sys
from bot.engine.leases import Holder, PgLeaseStore
store = PgLeaseStore(sys.argv[1])
store.holder("warm up")  # connected once, table in place: the race is about the lock alone
print("ready", flush=True)
sys.stdin.readline()
lease = store.try_acquire(sys.argv[2], Holder.me("test holder"))
print("held" if lease is not None else "busy", flush=True)
sys.stdin.read()  # holds the lease until the test kills it or closes its stdin
"""


class Child:
    """A process holding (or trying for) one key in PostgreSQL's lease store."""

    def __init__(self, url: str, key: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", HOLD, url, key],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def line(self) -> str:
        assert self.process.stdout is not None
        return self.process.stdout.readline().strip()

    def go(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write("go\n")
        self.process.stdin.flush()

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=CHILD_TIMEOUT_S)


@pytest.fixture
def children() -> Iterator[list[Child]]:
    started: list[Child] = []
    yield started
    for child in started:
        child.kill()


def hold(url: str, key: str, children: list[Child]) -> Child:
    child = Child(url, key)
    children.append(child)
    assert child.line() == "ready"
    child.go()
    assert child.line() == "held"
    return child


# -- the contract, both stores ------------------------------------------------------------------
@pytest.fixture(params=["file", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> LeaseStore:
    if request.param == "file":
        return FileLeaseStore(tmp_path / "leases")
    return PgLeaseStore(request.getfixturevalue("pg_database"))


def test_a_held_key_is_refused_to_another_holder_until_released(store: LeaseStore) -> None:
    lease = store.try_acquire("https://pm/#PM-1", Holder.me("first"))
    assert lease is not None
    assert store.try_acquire("https://pm/#PM-1", Holder.me("second")) is None
    assert store.try_acquire("https://pm/#PM-2", Holder.me("other dossier")) is not None

    lease.release()
    lease.release()  # idempotent
    again = store.try_acquire("https://pm/#PM-1", Holder.me("second"))
    assert again is not None
    again.release()


def test_two_threads_of_one_process_exclude_each_other(store: LeaseStore) -> None:
    barrier = threading.Barrier(8)
    won: list[Any] = []

    def take(n: int) -> None:
        barrier.wait()
        lease = store.try_acquire("K", Holder.me(f"thread {n}"))
        if lease is not None:
            won.append(lease)

    threads = [threading.Thread(target=take, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=CHILD_TIMEOUT_S)
    assert len(won) == 1
    won[0].release()


def test_holder_names_who_holds_and_nobody_once_released(store: LeaseStore) -> None:
    me = Holder.me("run 20260301-020000-abcd")
    lease = store.try_acquire("K", me)
    assert lease is not None
    assert store.holder("K") == me
    lease.release()
    assert store.holder("K") is None


def test_a_waiter_gives_up_naming_the_holder(store: LeaseStore) -> None:
    lease = store.try_acquire("K", Holder.me("the batch"))
    assert lease is not None
    try:
        with pytest.raises(LeaseBusy, match=r"busy: .*the batch") as caught:
            acquire(store, "K", wait_s=0.5)
        assert caught.value.holder is not None and caught.value.holder.pid > 0
    finally:
        lease.release()


# -- processes and machines ---------------------------------------------------------------------
def test_two_processes_racing_for_one_key_one_wins(pg_database: str, children: list[Child]) -> None:
    for round_ in range(3):
        key = f"https://pm/#PM-RACE-{round_}"
        racers = [Child(pg_database, key), Child(pg_database, key)]
        children.extend(racers)
        assert [r.line() for r in racers] == ["ready", "ready"]
        for racer in racers:
            racer.go()
        assert sorted(r.line() for r in racers) == ["busy", "held"]


def test_a_sigkilled_holder_frees_the_lease_within_a_second(
    pg_database: str, children: list[Child]
) -> None:
    store = PgLeaseStore(pg_database)
    holder = hold(pg_database, "K", children)
    assert store.try_acquire("K", Holder.me("waiter")) is None

    holder.process.send_signal(signal.SIGKILL)
    killed = time.monotonic()
    lease = acquire(store, "K", wait_s=10, what="waiter")  # polls every 0.25 s
    freed_after = time.monotonic() - killed
    lease.release()
    print(f"lease free {freed_after:.3f} s after the SIGKILL")
    assert freed_after < FREED_WITHIN_S, f"took {freed_after:.2f} s"


def test_holder_names_the_holding_process_and_forgets_it_when_killed(
    pg_database: str, children: list[Child]
) -> None:
    store = PgLeaseStore(pg_database)
    child = hold(pg_database, "K", children)

    holder = store.holder("K")
    assert holder is not None
    assert (holder.pid, holder.host, holder.what) == (
        child.process.pid,
        socket.gethostname(),
        "test holder",
    )
    assert str(child.process.pid) in str(LeaseBusy("K", holder))

    child.kill()
    lease = acquire(store, "K", wait_s=10)
    lease.release()
    assert store.holder("K") is None  # the dead holder's row names nobody
