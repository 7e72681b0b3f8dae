"""Helpers for end-to-end tests: run the bot for real and read the mock portal's state."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from bot.commands.run import run_one
from bot.domain.models import DossierInput, DossierResult
from bot.engine.orchestrator import RunOutcome
from bot.engine.runner import RunOptions
from bot.settings import Settings
from mock_portal.process import MockPortalProcess

T = TypeVar("T")


def in_own_thread(function: Callable[[], T]) -> T:
    """Call `function` in a new thread and return what it returns (or raise what it raises).

    The bot's sync Playwright cannot start in a thread where another one runs (pytest-playwright's
    session-wide one, once any earlier test used `page`); a batch runs its workers in threads for
    the same reason.
    """
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="bot") as pool:
        return pool.submit(function).result()


def run_bot(
    settings: Settings,
    dossier: str = "PM-2026-0101",
    *,
    assignment: str | None = None,
    overrides: dict[str, str] | None = None,
    force: bool = False,
    dry_run: bool = False,
) -> tuple[DossierResult, RunOutcome]:
    """Run the bot for one dossier exactly as `informex-bot run` does (minus argument parsing).

    It runs in a thread of its own, so the result does not depend on whether an earlier test of
    the session started pytest-playwright's browser in this one.
    """
    job = DossierInput.create(dossier, assignment, overrides)
    options = RunOptions(force=force, dry_run=dry_run)
    outcome = in_own_thread(lambda: run_one(settings, job, options))
    return outcome.results[0], outcome


def pm_dossier(portal: MockPortalProcess, number: str = "PM-2026-0101") -> dict[str, Any]:
    return next(d for d in portal.state()["planmanager"]["dossiers"] if d["number"] == number)


def wx_dossiers_of(portal: MockPortalProcess, number: str = "PM-2026-0101") -> list[dict[str, Any]]:
    dossiers = portal.state()["winformex"]["dossiers"]
    return [d for d in dossiers if d["planmanager_dossier"] == number]


def cli_environment(env: dict[str, str], cwd: Path) -> dict[str, str]:
    """This process's environment without bot settings, plus `env` (and no stray .env)."""
    prefixes = ("BOT_", "PLANMANAGER_", "WINFORMEX_")
    full_env = {k: v for k, v in os.environ.items() if not k.startswith(prefixes)}
    full_env.update(env)
    full_env["BOT_ENV_FILE"] = str(cwd / "no.env")
    return full_env


def run_cli(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """`informex-bot ARGS` as a real subprocess, with only the given settings."""
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        env=cli_environment(env, cwd),
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=240,
    )


def read_results(run_dir: Path) -> dict[str, Any]:
    return json.loads((run_dir / "results.json").read_text(encoding="utf-8"))


def only_run_dir(runs: Path) -> Path:
    """The one run folder under `runs` (fails if there are several)."""
    [run_dir] = [p for p in runs.iterdir() if p.is_dir() and p.name[0].isdigit()]
    return run_dir
