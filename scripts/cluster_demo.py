"""`scripts/cluster-demo`: the Celery engine end to end on this machine, with nothing installed
as a service: a private Redis and PostgreSQL on loopback ports in temporary folders, two mock
portals standing for two body shops (each a profile with its own portals and credentials), two
`informex-bot worker` processes, and one `informex-bot batch --engine celery` per shop over the
seed's dossiers. Prints each shop's results next to what the seed expects and checks, in both
portals, that no dossier was injected twice.

Run through `scripts/cluster-demo` (which runs scripts/setup first and cleans up whatever is left
on exit); this file is not part of the bot (it uses the mock portal and the test servers).
Every process it starts is written to WORK/cleanup, so the wrapper's trap can end it even if this
process is killed.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import subprocess
import sys
import time
from contextlib import ExitStack, suppress
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.domain.models import DossierResult  # noqa: E402
from bot.evidence.console import console, results_table  # noqa: E402
from mock_portal.demo import demo_user  # noqa: E402
from mock_portal.process import DEFAULT_SEED, MockPortalProcess, load_seed  # noqa: E402
from tests.scale.servers import PostgresServer, RedisServer  # noqa: E402

SHOPS = ("shop-a", "shop-b")


class Cleanup:
    """What the wrapper's trap must end if this process cannot: process groups and folders."""

    def __init__(self, work: Path) -> None:
        self.path = work / "cleanup"

    def note(self, kind: str, value: object) -> None:
        with self.path.open("a", encoding="utf-8") as out:
            out.write(f"{kind} {value}\n")


def start(command: list[str], env: dict[str, str], log: Path, cleanup: Cleanup) -> subprocess.Popen:
    out = log.open("wb")
    process = subprocess.Popen(
        command, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
    )
    out.close()
    cleanup.note("pgid", process.pid)
    return process


def stop(process: subprocess.Popen, timeout_s: float = 60) -> None:
    """SIGTERM (a worker's warm shutdown logs out), then SIGKILL to the whole group."""
    with suppress(ProcessLookupError):
        process.terminate()
    with suppress(subprocess.TimeoutExpired):
        process.wait(timeout=timeout_s)
    with suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def main() -> int:
    p = argparse.ArgumentParser(prog="scripts/cluster-demo", description=__doc__.splitlines()[0])
    p.add_argument("--work", type=Path, required=True, help="A temporary folder (the wrapper's).")
    p.add_argument("--seed", type=Path, default=DEFAULT_SEED, help="Seed of both shops' portals.")
    p.add_argument("--workers", type=int, default=2, help="Worker processes (default 2).")
    p.add_argument("--out", type=Path, default=None, help="Run folders (default BOT_RUNS_DIR).")
    args = p.parse_args()
    work: Path = args.work
    cleanup = Cleanup(work)
    seed = load_seed(args.seed)
    expected = {
        d["number"]: d.get("expected_status", "linked") for d in seed["planmanager"]["dossiers"]
    }
    runs_dir = (args.out or Path(os.environ.get("BOT_RUNS_DIR") or ROOT / "runs")).resolve()
    with ExitStack() as stack:
        started = time.monotonic()
        redis = stack.enter_context(RedisServer(folder=work / "redis"))
        cleanup.note("pgid", redis.process.pid if redis.process else "")
        postgres = PostgresServer()
        stack.callback(postgres.remove)
        postgres.start()
        cleanup.note("pgid", postgres.process.pid if postgres.process else "")
        cleanup.note("dir", postgres.folder)
        console.print(f"Redis:       {redis.url}  PostgreSQL: {postgres.url}")
        portals = {}
        for shop in SHOPS:
            portal = stack.enter_context(MockPortalProcess(seed=args.seed))
            if portal.process is not None:
                cleanup.note("pid", portal.process.pid)
            portals[shop] = portal
            console.print(f"Shop {shop}: mock portal {portal.url}/ ({len(expected)} dossiers)")
        profiles = work / "profiles"
        profiles.mkdir()
        pm_user = demo_user(seed, "planmanager", "nl")
        wx_user = demo_user(seed, "winformex", "nl")
        credentials = {
            "PLANMANAGER_USERNAME": pm_user["username"],
            "PLANMANAGER_PASSWORD": pm_user["password"],
            "WINFORMEX_USERNAME": wx_user["username"],
            "WINFORMEX_PASSWORD": wx_user["password"],
        }
        for shop, portal in portals.items():
            lines = {
                "PLANMANAGER_URL": portal.planmanager_url,
                "WINFORMEX_URL": portal.winformex_url,
                **credentials,
            }
            path = profiles / f"{shop}.env"
            path.write_text("".join(f"{k}={v}\n" for k, v in lines.items()), encoding="utf-8")
            path.chmod(0o600)
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("BOT_", "PLANMANAGER_", "WINFORMEX_"))
        }
        env.update(
            {
                # the main environment: the demo's own (no .env: a demo never reaches a real
                # portal); its portals are shop-a's, every dossier names its shop anyway
                "BOT_ENV_FILE": str(work / "no.env"),
                "BOT_BROKER_URL": redis.url,
                "BOT_DATABASE_URL": postgres.url,
                "BOT_PROFILES_DIR": str(profiles),
                "BOT_RUNS_DIR": str(runs_dir),
                "BOT_STATE_DIR": str(work / "state"),
                "PLANMANAGER_URL": portals["shop-a"].planmanager_url,
                "WINFORMEX_URL": portals["shop-a"].winformex_url,
                **credentials,
                **{k: v for k, v in os.environ.items() if k in ("BOT_BROWSER_EXECUTABLE",)},
            }
        )
        bot = [sys.executable, "-m", "bot"]
        workers = [
            start([*bot, "worker", "--concurrency", "1"], env, work / f"worker-{i}.log", cleanup)
            for i in range(1, args.workers + 1)
        ]
        for worker in workers:
            stack.callback(stop, worker)
        console.print(f"Workers:     {args.workers} processes (logs in {work})")
        followers = {}
        for shop in SHOPS:
            batch = work / f"{shop}.csv"
            batch.write_text("dossier\n" + "\n".join(expected) + "\n", encoding="utf-8")
            command = [*bot, "batch", str(batch), "--engine", "celery", "--profile", shop]
            followers[shop] = start(command, env, work / f"{shop}-batch.log", cleanup)
        console.print(
            f"Enqueued:    {len(expected)} dossiers for each of {', '.join(SHOPS)}; following …"
        )
        for follower in followers.values():
            while follower.poll() is None:
                with suppress(subprocess.TimeoutExpired):
                    follower.wait(timeout=1)
                for worker in workers:
                    if worker.poll() is not None:
                        console.print(f"[red]a worker ended ({worker.returncode}); see {work}[/]")
                        return 1
        states = {shop: portal.state() for shop, portal in portals.items()}
        elapsed = time.monotonic() - started
    failed = False
    for shop in SHOPS:
        log = (work / f"{shop}-batch.log").read_text(encoding="utf-8", errors="replace")
        found = re.findall(r"^results: (.+)/results\.json$", log, flags=re.MULTILINE)
        if not found:
            console.print(f"[red]{shop}: the batch wrote no results[/]\n{log[-2000:]}")
            failed = True
            continue
        run_dir = Path(found[-1])
        document = json.loads((run_dir / "results.json").read_text(encoding="utf-8"))
        results = [DossierResult.from_dict(d) for d in document["dossiers"]]
        console.print(f"\nShop {shop} (run {run_dir.name})")
        console.print(results_table(results, expected))
        unexpected = [r.dossier for r in results if r.status.value != expected.get(r.dossier)]
        missing = sorted(set(expected) - {r.dossier for r in results})
        console.print(f"Report:      {run_dir / 'report.html'}")
        if unexpected or missing:
            console.print(f"[red]Not as the seed expects: {', '.join(unexpected + missing)}[/]")
            failed = True
    twice = [
        f"{shop} {d['number']}"
        for shop, state in states.items()
        for d in state["planmanager"]["dossiers"]
        if d["injections"] > 1
    ]
    console.print(
        "\nInjected more than once: " + (", ".join(twice) if twice else "none (as it must be)")
    )
    console.print(f"Done in {elapsed:.0f} s with {args.workers} worker processes")
    return 1 if failed or twice else 0


if __name__ == "__main__":
    sys.exit(main())
