"""`informex-bot demo`: the bot's main job, safely, on the built-in mock portal.

Starts the mock portal on a free local port with the default seed, links every seed dossier as
a nightly batch would (2 workers, report.html),
shows the results next to what the seed expects, checks through `/_mock/state` that no dossier was
injected twice, and stops the portal. It never reads portal URLs or credentials from `.env`: a
demo must not reach a real portal.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from bot.batch.command import start_batch
from bot.batch.input_file import BatchInput
from bot.batch.orchestrator import BatchOptions
from bot.console import console, results_table
from bot.logging_setup import configure_logging
from bot.mock_process import DEFAULT_SEED, MockPortalProcess, load_seed
from bot.models import DossierInput
from bot.settings import load_settings


def demo_environment(portal: MockPortalProcess, seed: dict) -> dict[str, str]:
    """BOT_* settings from the environment, portals and demo credentials from the mock."""
    env = {k: v for k, v in os.environ.items() if k.startswith("BOT_")}
    pm_user = seed["users"]["planmanager"][0]
    wx_user = seed["users"]["winformex"][0]
    env.update(
        {
            "PLANMANAGER_URL": portal.planmanager_url,
            "PLANMANAGER_USERNAME": pm_user["username"],
            "PLANMANAGER_PASSWORD": pm_user["password"],
            "WINFORMEX_URL": portal.winformex_url,
            "WINFORMEX_USERNAME": wx_user["username"],
            "WINFORMEX_PASSWORD": wx_user["password"],
        }
    )
    return env


def run_demo(
    *,
    headed: bool = False,
    slowmo: int | None = None,
    out: Path | None = None,
    seed: Path | None = None,
    workers: int = 2,
) -> int:
    """Run the demo; exit code 0 when every dossier ended as the seed expects."""
    seed_path = seed or DEFAULT_SEED
    document = load_seed(seed_path)
    dossiers = document["planmanager"]["dossiers"]
    expected = {d["number"]: d.get("expected_status", "linked") for d in dossiers}
    console.print(f"Starting the mock portal with {len(dossiers)} dossiers from {seed_path} …")
    with MockPortalProcess(seed=seed_path) as portal:
        console.print(f"Mock portal: {portal.url}/ (PlanManager and Winformex)")
        settings = load_settings(demo_environment(portal, document)).with_command_line(
            headed=headed, slowmo=slowmo, out=out
        )
        configure_logging(level=settings.log_level, secrets=settings.secrets)
        jobs = [DossierInput(dossier=number, line=i + 1) for i, number in enumerate(expected)]
        batch = BatchInput(jobs=jobs, rejected=[], digest=f"demo-{time.time_ns()}", source="demo")
        outcome = start_batch(
            settings,
            input_path=None,
            discover=False,
            resume=None,
            options=BatchOptions(workers=workers),
            batch=batch,
        )
        state = portal.state()
    console.print(results_table(outcome.results, expected))
    twice = [d["number"] for d in state["planmanager"]["dossiers"] if d["injections"] > 1]
    unexpected = [r.dossier for r in outcome.results if r.status.value != expected[r.dossier]]
    console.print(f"Report:      {outcome.run_dir / 'report.html'}")
    console.print(f"Results:     {outcome.run_dir / 'results.json'}")
    console.print(f"Screenshots: {outcome.run_dir}/<dossier>/NNN-step-action.png")
    console.print(f"Log:         {outcome.run_dir / 'bot.log.jsonl'}")
    console.print(
        "Injected more than once: " + (", ".join(twice) if twice else "none (as it must be)")
    )
    if unexpected:
        console.print(f"[red]Not as the seed expects: {', '.join(unexpected)}[/]")
    return 0 if not unexpected and not twice else 1
