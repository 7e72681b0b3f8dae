"""Which Chromium the bot picks on a machine without Playwright's download."""

from __future__ import annotations

import os
import stat
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from bot.browser import finder as browser_finder
from bot.browser.finder import find_chromium, system_chromium, unwrapped
from bot.errors import BrowserNotFoundError


def executable(path: Path, text: str = "\x7fELF binary") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


@pytest.fixture
def machine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty PATH and no bundled browser: only what a test puts in `bin/` exists."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    monkeypatch.setenv("PATH", str(bin_dir))
    monkeypatch.setattr(browser_finder, "bundled_chromium", lambda playwright=None: None)
    monkeypatch.setattr(browser_finder, "HEADLESS_SHELL_CANDIDATES", ("chromium-headless-shell",))
    return bin_dir


def test_headless_runs_prefer_the_headless_shell_and_headed_runs_the_full_browser(
    machine: Path,
) -> None:
    full = executable(machine / "chromium")
    shell = executable(machine / "chromium-headless-shell")

    assert system_chromium(headless=True) == shell
    assert system_chromium(headless=False) == full
    assert find_chromium(headless=False) == full


def test_without_a_headless_shell_headless_runs_use_the_full_browser(machine: Path) -> None:
    full = executable(machine / "chromium")

    assert find_chromium(headless=True) == full


def test_an_explicit_setting_wins_and_a_wrong_one_names_the_setting(
    machine: Path, tmp_path: Path
) -> None:
    executable(machine / "chromium-headless-shell")
    mine = executable(tmp_path / "my-chrome")

    assert find_chromium(str(mine)) == mine
    with pytest.raises(BrowserNotFoundError, match="BOT_BROWSER_EXECUTABLE='/nowhere/chrome'"):
        find_chromium("/nowhere/chrome")


def test_no_browser_at_all_says_what_to_do(machine: Path) -> None:
    with pytest.raises(BrowserNotFoundError, match="BOT_BROWSER_EXECUTABLE"):
        find_chromium()


def test_a_wrapper_that_does_not_exec_is_looked_through_to_its_binary(tmp_path: Path) -> None:
    """Debian's wrapper runs the shell as a child: signals to the wrapper miss the browser."""
    real = executable(tmp_path / "lib" / "chromium-headless-shell")
    script = f'#!/bin/sh -e\n{real} "$@"\n'
    wrapper = executable(tmp_path / "bin" / "chromium-headless-shell", script)

    assert unwrapped(wrapper) == real


def test_a_wrapper_that_execs_is_kept_with_its_flags(tmp_path: Path) -> None:
    real = executable(tmp_path / "lib" / "chromium")
    wrapper = executable(
        tmp_path / "bin" / "chromium", f'#!/bin/sh\nFLAGS="--x"\nexec {real} $FLAGS "$@"\n'
    )

    assert unwrapped(wrapper) == wrapper


def test_a_binary_and_an_unreadable_path_are_kept(tmp_path: Path) -> None:
    binary = executable(tmp_path / "chromium")

    assert unwrapped(binary) == binary
    assert unwrapped(tmp_path / "missing") == tmp_path / "missing"


@pytest.mark.skipif(not Path("/usr/bin/chromium-headless-shell").exists(), reason="Debian only")
def test_debians_headless_shell_resolves_to_the_real_binary() -> None:
    found = system_chromium(headless=True)

    assert found is not None
    assert found.name == "chromium-headless-shell"
    assert found.read_bytes()[:4] == b"\x7fELF"
    assert os.access(found, os.X_OK)


def test_flags_keep_chromium_off_the_network_and_headless_runs_lighter() -> None:
    headless, headed = browser_finder.launch_args(True), browser_finder.launch_args(False)

    for flags in (headless, headed):
        assert "--disable-background-networking" in flags
        assert "--disable-component-update" in flags
    assert "--in-process-gpu" in headless
    assert "--in-process-gpu" not in headed


def test_an_explicit_wrapper_is_looked_through_too(machine: Path, tmp_path: Path) -> None:
    real = executable(tmp_path / "lib" / "chromium-headless-shell")
    wrapper = executable(tmp_path / "mine" / "shell", f'#!/bin/sh -e\n{real} "$@"\n')

    assert find_chromium(str(wrapper)) == real


def test_a_bundled_browser_is_found_from_inside_a_running_playwright(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """launch_browser runs inside a Playwright: asking a second one there always failed, so a
    machine with only Playwright's download was told it had no browser at all."""
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("PLAYWRIGHT_BROWSERS_PATH", str(tmp_path / "ms-playwright"))
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))  # no system Chromium either
    monkeypatch.setattr(browser_finder, "HEADLESS_SHELL_CANDIDATES", ())

    def inside_a_playwright() -> Path | None:
        with sync_playwright() as pw:
            executable(Path(pw.chromium.executable_path))  # as `playwright install` would
            return find_chromium(headless=True, playwright=pw)

    # its own thread: pytest-playwright may run a Playwright in this one already
    with ThreadPoolExecutor(max_workers=1) as thread:
        assert thread.submit(inside_a_playwright).result() is None  # None: use the bundled one
