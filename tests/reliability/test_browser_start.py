"""A Chromium that dies while starting: started again, or the run says why; never silent.

On a loaded machine Chromium's headless shell now and then dies with SIGSEGV before its first
page (seen in CI). The browser here is a real Chromium behind a wrapper (BOT_BROWSER_EXECUTABLE)
that kills itself with SIGSEGV on its first N starts, then runs the real one.
"""

from __future__ import annotations

from pathlib import Path

from bot.browser.finder import system_chromium
from bot.browser.launch import LAUNCH_TRIES
from mock_portal.process import MockPortalProcess
from tests.conftest import bot_environment
from tests.e2e.helpers import only_run_dir, pm_dossier, read_results, run_cli


def crashing_chromium(folder: Path, crashes: int) -> tuple[Path, Path]:
    """A wrapper that dies with SIGSEGV on its first `crashes` starts; and its start counter."""
    real = system_chromium(headless=True)
    assert real is not None, "these tests need a system Chromium (scripts/setup installs one)"
    counter = folder / "starts"
    wrapper = folder / "chromium-that-crashes"
    wrapper.write_text(
        "#!/bin/sh\n"
        f'n=$(cat "{counter}" 2>/dev/null || echo 0)\n'
        f'echo $((n + 1)) > "{counter}"\n'
        f'if [ "$n" -lt {crashes} ]; then kill -SEGV $$; fi\n'
        f'exec "{real}" "$@"\n',
        encoding="utf-8",
    )
    wrapper.chmod(0o755)
    return wrapper, counter


def test_a_chromium_that_dies_while_starting_is_started_again_and_the_dossier_linked(
    portal: MockPortalProcess, tmp_path: Path
) -> None:
    wrapper, counter = crashing_chromium(tmp_path, crashes=1)
    env = {**bot_environment(portal, tmp_path / "runs"), "BOT_BROWSER_EXECUTABLE": str(wrapper)}

    done = run_cli(["run", "PM-2026-0101"], env, tmp_path)

    assert done.returncode == 0, done.stdout + done.stderr
    [result] = read_results(only_run_dir(tmp_path / "runs"))["dossiers"]
    assert result["status"] == "linked", result["error"]
    assert result["attempts"] == 1  # the start was retried, not the dossier
    assert int(counter.read_text()) >= 2
    assert "Chromium died while starting (try 1)" in done.stderr
    assert pm_dossier(portal)["injections"] == 1


def test_a_chromium_that_never_starts_ends_the_run_saying_why_with_nothing_written(
    portal: MockPortalProcess, tmp_path: Path
) -> None:
    wrapper, counter = crashing_chromium(tmp_path, crashes=1000)
    env = {**bot_environment(portal, tmp_path / "runs"), "BOT_BROWSER_EXECUTABLE": str(wrapper)}

    done = run_cli(["run", "PM-2026-0101"], env, tmp_path)

    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    assert "Traceback" not in output
    results = read_results(only_run_dir(tmp_path / "runs"))
    assert f"Chromium did not start ({wrapper}) in {LAUNCH_TRIES} tries" in results["error"]
    assert results["unfinished"] == 1
    assert int(counter.read_text()) == LAUNCH_TRIES
    assert pm_dossier(portal)["injections"] == 0
