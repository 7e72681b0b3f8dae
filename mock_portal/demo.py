"""`informex-bot demo` (`python -m mock_portal.demo`): the bot's main job, safely, on the mock.

Starts the mock portal on a free local port with the default seed, links every seed dossier as
a nightly batch would (2 workers, report.html),
shows the results next to what the seed expects, checks through `/_mock/state` that no dossier was
injected twice, and stops the portal. It never reads portal URLs or credentials from `.env`: a
demo must not reach a real portal.

It lives beside the mock portal, not in `bot/`: the bot never imports the mock; the CLI's `demo`
command starts this module as its own process, as it would any other program.

`--language fr` runs the same demo as French-speaking users (every screen in French): the seed's
users of that language, or else `FRENCH_DEMO_USERS` added to the seed for the run. The results
must be the same as in Dutch.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from bot.domain.batch_input import BatchInput
from bot.domain.models import DossierInput
from bot.engine.orchestrator import start_run
from bot.engine.runner import RunOptions
from bot.errors import BrowserNotFoundError, ConfigError
from bot.evidence.console import console, results_table
from bot.evidence.logging_setup import configure_logging
from bot.settings import load_settings
from mock_portal.process import DEFAULT_SEED, MockPortalProcess, load_seed

LANGUAGES = ("nl", "fr")
FRENCH_DEMO_USERS: dict[str, dict[str, str]] = {
    "planmanager": {
        "username": "atelier",
        "password": "demo-planmanager-fr",
        "name": "Atelier Carrosserie",
        "language": "fr",
    },
    "winformex": {
        "username": "reparateur",
        "password": "demo-winformex-fr",
        "name": "Carrosserie Lejeune",
        "language": "fr",
    },
}
"""The demo's French-speaking users, added to a seed that has none (the default seed's users are
Dutch)."""


def demo_user(seed: dict, portal: str, language: str) -> dict:
    """The seed's first user of this portal who speaks `language` (no `language`: Dutch)."""
    for user in seed["users"][portal]:
        if user.get("language", "nl") == language:
            return user
    raise ConfigError(f"the seed has no {portal} user with language {language!r}")


def with_language_users(seed: dict, language: str) -> dict:
    """The seed, with the French demo users added to each portal that has no French user."""
    if language != "fr":
        return seed
    users = {portal: list(entries) for portal, entries in seed["users"].items()}
    for portal, user in FRENCH_DEMO_USERS.items():
        if not any(u.get("language") == "fr" for u in users.get(portal, [])):
            users.setdefault(portal, []).append(dict(user))
    return {**seed, "users": users}


def demo_environment(portal: MockPortalProcess, seed: dict, language: str = "nl") -> dict[str, str]:
    """BOT_* settings from the environment, portals and demo credentials (of the users who
    speak `language`) from the mock."""
    env = {k: v for k, v in os.environ.items() if k.startswith("BOT_")}
    pm_user = demo_user(seed, "planmanager", language)
    wx_user = demo_user(seed, "winformex", language)
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
    language: str = "nl",
) -> int:
    """Run the demo as users who speak `language`; exit code 0 when every dossier ended as the
    seed expects."""
    seed_path = seed or DEFAULT_SEED
    original = load_seed(seed_path)
    document = with_language_users(original, language)
    dossiers = document["planmanager"]["dossiers"]
    expected = {d["number"]: d.get("expected_status", "linked") for d in dossiers}
    console.print(f"Starting the mock portal with {len(dossiers)} dossiers from {seed_path} …")
    with MockPortalProcess(seed=seed_path) as portal:
        if document is not original:
            portal.reset(document)  # the same data, with the users who speak `language`
        console.print(
            f"Mock portal: {portal.url}/ (PlanManager and Winformex, screens in {language})"
        )
        env = demo_environment(portal, document, language)
        settings = load_settings(env).with_command_line(headed=headed, slowmo=slowmo, out=out)
        configure_logging(level=settings.log_level, secrets=settings.secrets)
        jobs = [DossierInput(dossier=number, line=i + 1) for i, number in enumerate(expected)]
        batch = BatchInput(jobs=jobs, rejected=[], digest=f"demo-{time.time_ns()}", source="demo")
        outcome = start_run(settings, RunOptions(workers=workers), work=batch)
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


def main(argv: Sequence[str] | None = None) -> int:
    """Command line of the demo (the options of `informex-bot demo`)."""
    p = argparse.ArgumentParser(prog="informex-bot demo", description=__doc__.splitlines()[0])
    p.add_argument("--headed", action="store_true", help="Show the browser window.")
    p.add_argument("--slowmo", type=int, metavar="MS", help="Slow every action down (ms).")
    p.add_argument("--out", type=Path, metavar="DIR", help="Folder for run folders.")
    p.add_argument("--seed", type=Path, help="Seed file (default: the built-in one).")
    p.add_argument("--workers", type=int, default=2, choices=range(1, 9), metavar="1-8")
    p.add_argument(
        "--language",
        choices=LANGUAGES,
        default="nl",
        help="Log in as users who see the portals in this language (default nl).",
    )
    args = p.parse_args(argv)
    try:
        return run_demo(
            headed=args.headed,
            slowmo=args.slowmo,
            out=args.out,
            seed=args.seed,
            workers=args.workers,
            language=args.language,
        )
    except (ConfigError, BrowserNotFoundError) as exc:
        print(exc, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
