"""The `informex-bot` command line: thin commands that build settings, call one function, exit.

Exit codes (scripts and monitoring rely on them): 0 every dossier linked or already linked,
1 any dossier not, 2 bad usage or configuration (a message, no browser started).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from loguru import logger

from bot.errors import (
    BrowserNotFoundError,
    ConfigError,
    LoginRefusedError,
    NobodyLoggedInError,
    ValidationError,
)
from bot.evidence.logging_setup import configure_logging
from bot.settings import Settings, load_settings

if TYPE_CHECKING:
    from bot.engine.orchestrator import RunOutcome

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Links PlanManager dossiers to their Informex insurance assignments (2e circuit).",
)

# -- options shared by several commands (defined once) ------------------------------------
HeadedOption = Annotated[bool, typer.Option("--headed", help="Show the browser window.")]
SlowmoOption = Annotated[
    int | None, typer.Option("--slowmo", metavar="MS", help="Slow every action down (ms).")
]
OutOption = Annotated[
    Path | None,
    typer.Option("--out", metavar="DIR", help="Folder for run folders (default BOT_RUNS_DIR)."),
]
ForceOption = Annotated[
    bool,
    typer.Option("--force", help="Replace a different opdrachtnummer already in the 2e circuit."),
]
DryRunOption = Annotated[
    bool,
    typer.Option("--dry-run", help="Read, validate and fill, but write nothing to a portal."),
]
SetOption = Annotated[
    list[str] | None,
    typer.Option(
        "--set",
        metavar="FIELD=VALUE",
        help="Override a 2e circuit field, e.g. --set mileage_km=onbekend (repeatable).",
    ),
]


ProfileOption = Annotated[
    str | None,
    typer.Option(
        "--profile",
        metavar="NAME",
        help="The shop the dossiers belong to: BOT_PROFILES_DIR/NAME.env (its portals and "
        "credentials); a `profile` column says it per row.",
    ),
]


def fail(message: str, code: int = EXIT_USAGE) -> typer.Exit:
    typer.secho(message, err=True, fg=typer.colors.RED)
    return typer.Exit(code)


def build_settings(
    *,
    headed: bool = False,
    slowmo: int | None = None,
    out: Path | None = None,
    env: dict[str, str] | None = None,
) -> Settings:
    """Settings from the environment and .env, with the command line's overrides on top."""
    try:
        settings = load_settings(env)
    except ConfigError as exc:
        raise fail(str(exc)) from None
    settings = settings.with_command_line(headed=headed, slowmo=slowmo, out=out)
    configure_logging(level=settings.log_level, secrets=settings.secrets)
    return settings


def parse_overrides(pairs: list[str] | None) -> dict[str, str]:
    overrides: dict[str, str] = {}
    for pair in pairs or []:
        field, sep, value = pair.partition("=")
        if not sep or not field.strip():
            raise fail(f"--set {pair!r}: expected FIELD=VALUE")
        overrides[field.strip()] = value.strip()
    return overrides


@app.command()
def run(
    dossier: Annotated[str, typer.Argument(help="PlanManager dossier number, e.g. PM-2026-0101.")],
    assignment: Annotated[
        str | None,
        typer.Option("--assignment", metavar="OPDRACHTNUMMER", help="Skip the inbox search."),
    ] = None,
    headed: HeadedOption = False,
    slowmo: SlowmoOption = None,
    out: OutOption = None,
    force: ForceOption = False,
    dry_run: DryRunOption = False,
    set_: SetOption = None,
    create_from: Annotated[
        Path | None,
        typer.Option(
            "--create-from",
            metavar="FILE.json",
            help="Create the PlanManager dossier from this data if it does not exist yet.",
        ),
    ] = None,
) -> None:
    """Link one PlanManager dossier to its insurance assignment."""
    from bot.commands.run import run_one
    from bot.domain.models import DossierInput
    from bot.domain.new_dossier import read_new_dossier
    from bot.domain.validation import ValidationRules
    from bot.engine.runner import RunOptions

    settings = build_settings(headed=headed, slowmo=slowmo, out=out)
    rules = ValidationRules.from_settings(settings)
    try:
        new_dossier = read_new_dossier(create_from) if create_from else None
        job = DossierInput.create(
            dossier, assignment, parse_overrides(set_), rules=rules, new_dossier=new_dossier
        )
    except ValidationError as exc:
        raise fail(f"bad input: {exc}") from None
    options = RunOptions(force=force, dry_run=dry_run)
    outcome = _guarded(lambda: run_one(settings, job, options))
    _print_outcome(outcome)
    raise typer.Exit(outcome.exit_code)


def _print_outcome(outcome: RunOutcome) -> None:
    from bot.evidence.console import console, results_table

    console.print(results_table(outcome.results))
    if outcome.error:
        typer.secho(outcome.error, err=True, fg=typer.colors.RED)
    run_dir = outcome.run_dir
    console.print(f"results: {run_dir / 'results.json'}")
    console.print(f"screenshots: {run_dir}/<dossier>/NNN-step-action.jpg (or .png)")
    console.print(f"report: {run_dir / 'report.html'}")


@app.command()
def batch(
    input_file: Annotated[
        Path | None,
        typer.Argument(
            metavar="[INPUT]",
            help="CSV (; or ,), .xlsx or .jsonl: dossier, optional assignment, optional overrides.",
        ),
    ] = None,
    discover: Annotated[
        bool, typer.Option("--discover", help="Take every complete, not yet linked dossier.")
    ] = False,
    workers: Annotated[
        int, typer.Option("--workers", min=1, max=8, help="Dossiers at once (1-8).")
    ] = 1,
    resume: Annotated[
        str | None, typer.Option("--resume", metavar="RUN_ID", help="Continue that run.")
    ] = None,
    retries: Annotated[
        int | None,
        typer.Option("--retries", min=0, max=10, help="Retries after a system error (default 2)."),
    ] = None,
    out: OutOption = None,
    keep_runs: Annotated[
        int | None,
        typer.Option(
            "--keep-runs",
            min=1,
            metavar="N",
            help="Delete all but the newest N runs (a run whose failures no newer run took up "
            "is kept; BOT_RUNS_MAX_GB caps their size).",
        ),
    ] = None,
    headed: HeadedOption = False,
    slowmo: SlowmoOption = None,
    force: ForceOption = False,
    dry_run: DryRunOption = False,
    engine: Annotated[
        str,
        typer.Option(
            "--engine",
            metavar="local|celery",
            help="local: this process's workers (default); celery: enqueue for `informex-bot "
            "worker`s (BOT_BROKER_URL) and follow the run.",
        ),
    ] = "local",
    profile: ProfileOption = None,
) -> None:
    """Link many dossiers (nightly): resumable, parallel, with report.html and junit.xml."""
    from bot.commands.batch import start_batch, start_celery_batch
    from bot.domain.models import validate_profile_name
    from bot.engine.runner import RunOptions

    settings = build_settings(headed=headed, slowmo=slowmo, out=out)
    if input_file is not None and not input_file.is_file():
        raise fail(f"INPUT {input_file}: no such file")
    if sum(bool(x) for x in (input_file, discover, resume)) != 1:
        raise fail("give exactly one of: an INPUT file, --discover, --resume RUN_ID")
    if engine not in ("local", "celery"):
        raise fail(f"--engine {engine!r}: use local or celery")
    try:
        shop = validate_profile_name(profile) if profile else ""
    except ValidationError as exc:
        raise fail(f"--profile: {exc}") from None
    options = RunOptions(workers=workers, retries=retries, force=force, dry_run=dry_run)
    start = start_celery_batch if engine == "celery" else start_batch
    outcome = _guarded(
        lambda: start(
            settings,
            input_path=input_file,
            discover=discover,
            resume=resume,
            options=options,
            keep_runs=keep_runs,
            profile=shop,
        )
    )
    _print_outcome(outcome)
    raise typer.Exit(outcome.exit_code)


@app.command()
def report(
    run: Annotated[
        str,
        typer.Argument(metavar="RUN", help="A run id (a folder in BOT_RUNS_DIR) or a run folder."),
    ],
    language: Annotated[
        str | None,
        typer.Option(
            "--language", metavar="nl|fr|en", help="The report's language (BOT_REPORT_LANGUAGE)."
        ),
    ] = None,
    out: OutOption = None,
) -> None:
    """Rebuild a run's results.json (from its ledger), report.html, its pages and junit.xml
    (also while the run is still going: the report then says it is in progress)."""
    from bot.commands.report import rebuild_results
    from bot.engine.orchestrator import run_holder
    from bot.evidence.html_report import build_report
    from bot.evidence.junit import write_junit
    from bot.evidence.texts import run_language
    from bot.settings import REPORT_LANGUAGES, load_report_settings

    try:
        runs_dir, settings = load_report_settings()
    except ConfigError as exc:
        raise fail(str(exc)) from None
    if language is not None and language.lower() not in REPORT_LANGUAGES:
        raise fail(f"--language {language!r}: use one of {', '.join(REPORT_LANGUAGES)}")
    folder = _existing_folder(run, out or runs_dir)
    if folder is not None:
        try:
            rebuild_results(folder)
        except Exception as exc:  # an unreadable ledger or database, a read-only folder:
            typer.secho(f"results.json not rebuilt: {exc}", err=True, fg=typer.colors.YELLOW)
    run_dir = _run_folder(run, out or runs_dir)
    holder = run_holder(run_dir)
    write_junit(run_dir)
    path = build_report(
        run_dir,
        language=run_language((language or "").lower() or settings.language, run_dir),
        running=(holder.pid, holder.host) if holder else None,
    )
    if holder:
        typer.echo(f"run {run_dir.name} is in progress ({holder}): reported as it stands")
    typer.echo(f"report: {path}")


def _existing_folder(run: str, runs_dir: Path) -> Path | None:
    """The folder RUN names (a path, or a run id under the runs folder), if there is one."""
    for candidate in (Path(run), runs_dir / run):
        if candidate.is_dir():
            return candidate
    return None


def _run_folder(run: str, runs_dir: Path) -> Path:
    """The folder of RUN: a folder holding results.json, or a run id under the runs folder."""
    for candidate in (Path(run), runs_dir / run):
        if (candidate / "results.json").is_file():
            return candidate
    if (runs_dir / run).is_dir() or Path(run).is_dir():
        raise fail(f"RUN {run}: no results.json yet (a run writes it after its first dossier)")
    raise fail(f"RUN {run}: neither a run folder nor a run id in {runs_dir}")


@app.command()
def worker(
    concurrency: Annotated[
        int,
        typer.Option("--concurrency", min=1, max=32, help="Dossiers at once (worker processes)."),
    ] = 1,
    recycle_after: Annotated[
        int,
        typer.Option(
            "--recycle-after",
            min=1,
            metavar="N",
            help="Start a process's Chromium afresh after N dossiers (its logins stay).",
        ),
    ] = 50,
    headed: HeadedOption = False,
) -> None:
    """Link the dossiers that `batch --engine celery` enqueues (Celery on BOT_BROKER_URL)."""
    from bot.commands.worker import start_worker

    settings = build_settings(headed=headed)
    _guarded(lambda: start_worker(settings, concurrency=concurrency, recycle_after=recycle_after))


@app.command()
def check(
    dossier: Annotated[
        str | None,
        typer.Argument(help="A dossier to look at (default: one already sent to Informex)."),
    ] = None,
    headed: HeadedOption = False,
    out: OutOption = None,
) -> None:
    """Check, read-only, that every screen and label the bot relies on is still there."""
    from bot.commands.check import run_check

    settings = build_settings(headed=headed, out=out)
    raise typer.Exit(_guarded(lambda: run_check(settings, dossier)))


@app.command()
def init(
    path: Annotated[Path, typer.Option("--path", help="Where to write it.")] = Path(".env"),
) -> None:
    """Create a .env from .env.example, readable by you only (0600), to fill in."""
    from bot.evidence.files import write_text_atomic
    from bot.settings import ENV_EXAMPLE

    if path.exists():
        raise fail(f"{path} exists already; edit it instead")
    template = ENV_EXAMPLE
    write_text_atomic(path, template.read_text(encoding="utf-8"), private=True)
    typer.echo(f"{path} created (mode 0600): fill in the portals' URLs and credentials")


@app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def demo(ctx: typer.Context) -> None:
    """Start the built-in mock portal, link the seed's dossiers, show the results, stop.

    Options: --headed, --slowmo MS, --out DIR, --seed FILE, --workers N (default 2),
    --language nl|fr (log in as users who see the portals in French; default nl). The demo
    ships with the mock portal (`python -m mock_portal.demo`); the bot itself never imports it.
    """
    args = [sys.executable, "-m", "mock_portal.demo", *ctx.args]
    os.execv(sys.executable, args)


@app.command(
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
)
def portal(
    ctx: typer.Context,
    host: Annotated[str, typer.Option("--host")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port")] = 8765,
    seed: Annotated[Path | None, typer.Option("--seed", metavar="FILE")] = None,
    faults: Annotated[str, typer.Option("--faults", metavar="PROFILE")] = "none",
    no_control_api: Annotated[
        bool,
        typer.Option(
            "--no-control-api",
            help="Switch off the /_mock/ test-control API (for a portal people click in).",
        ),
    ] = False,
) -> None:
    """Serve the mock PlanManager and Winformex (for trying the bot and for tests).

    Other options of python -m mock_portal (--session-ttl, --login-lockout...) are passed on.
    """
    args = [sys.executable, "-m", "mock_portal", "--host", host, "--port", str(port)]
    args += ["--faults", faults]
    if seed is not None:
        args += ["--seed", str(seed)]
    if no_control_api:
        args.append("--no-control-api")
    os.execv(sys.executable, args + list(ctx.args))


@app.command()
def serve(
    host: Annotated[
        str,
        typer.Option("--host", help="Address to listen on (beyond 127.0.0.1: BOT_UI_PASSWORD)."),
    ] = "127.0.0.1",
    port: Annotated[
        int, typer.Option("--port", min=0, max=65535, help="Port (0: a free one, printed).")
    ] = 8780,
) -> None:
    """The office's web page: link a dossier now, watch it happen, read last night, health."""
    from bot.web.server import serve as serve_page

    settings = build_settings()
    _guarded(lambda: serve_page(settings, host, port))


@app.command()
def login(
    portal_name: Annotated[str, typer.Argument(metavar="PORTAL", help="planmanager or winformex")],
) -> None:
    """Log in by hand in a browser window (e.g. two-factor login) and keep the session (0600)."""
    from bot.commands.login import manual_login

    if portal_name not in ("planmanager", "winformex"):
        raise fail(f"PORTAL must be planmanager or winformex, not {portal_name!r}")
    settings = build_settings(headed=True)
    path = _guarded(lambda: manual_login(settings, portal_name))
    typer.echo(f"session stored in {path} (mode 0600)")


def _guarded(action):  # type: ignore[no-untyped-def]
    """Map configuration problems found while starting to exit code 2."""
    try:
        return action()
    except (BrowserNotFoundError, LoginRefusedError, NobodyLoggedInError) as exc:
        raise fail(str(exc)) from None
    except ConfigError as exc:
        raise fail(str(exc)) from None


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except KeyboardInterrupt:
        logger.warning("interrupted")
        sys.exit(130)
