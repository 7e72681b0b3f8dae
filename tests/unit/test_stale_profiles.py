"""A batch killed with SIGKILL cannot remove its Chromium profile; the next batch does."""

from __future__ import annotations

import os
from pathlib import Path

from bot.browser.launch import (
    OWNER_FILE,
    PROFILE_PREFIX,
    STALE_PROFILE_AGE_S,
    remove_stale_profiles,
)


def profile(tmp_path: Path, name: str, lock_pid: int | None = None) -> Path:
    folder = tmp_path / f"{PROFILE_PREFIX}{name}"
    (folder / "Default").mkdir(parents=True)
    if lock_pid is not None:
        (folder / "SingletonLock").symlink_to(f"werkplaats-pc-{lock_pid}")
    return folder


def dead_pid() -> int:
    """A pid no process has: one above the kernel's maximum."""
    return int(Path("/proc/sys/kernel/pid_max").read_text()) + 1


def test_profile_of_a_dead_chromium_is_removed_and_a_running_ones_kept(tmp_path: Path) -> None:
    dead = profile(tmp_path, "dead", lock_pid=dead_pid())
    running = profile(tmp_path, "running", lock_pid=os.getpid())
    other = tmp_path / "someone-elses-profile"
    other.mkdir()

    removed = remove_stale_profiles(tmp_path)

    assert removed == [dead]
    assert not dead.exists()
    assert running.is_dir()
    assert other.is_dir()


def test_profile_without_a_lock_is_removed_only_when_old(tmp_path: Path) -> None:
    young = profile(tmp_path, "young")
    now = young.stat().st_mtime

    assert remove_stale_profiles(tmp_path, now=now + 60) == []
    assert remove_stale_profiles(tmp_path, now=now + STALE_PROFILE_AGE_S + 1) == [young]


def test_headless_shell_profiles_are_judged_by_the_pid_the_batch_wrote(tmp_path: Path) -> None:
    """The headless shell takes no SingletonLock: an old profile of a running batch is kept."""
    dead = profile(tmp_path, "dead-shell")
    (dead / OWNER_FILE).write_text(f"{dead_pid()}\n")
    running = profile(tmp_path, "running-shell")
    (running / OWNER_FILE).write_text(f"{os.getpid()}\n")
    much_later = running.stat().st_mtime + 10 * STALE_PROFILE_AGE_S

    assert remove_stale_profiles(tmp_path, now=much_later) == [dead]
    assert running.is_dir()
