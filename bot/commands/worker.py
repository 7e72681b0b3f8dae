"""`informex-bot worker`: a Celery worker that links the dossiers runs enqueue (docs/scale-out.md).

A prefork pool of N processes (`--concurrency`), each with its own Chromium and its own logins
(one per shop), on the broker BOT_BROKER_URL. Every worker of an installation shares the ledger
and leases (BOT_DATABASE_URL) and the run folders (BOT_RUNS_DIR, a shared folder when the workers
sit on several machines). SIGTERM (systemd's stop) is Celery's warm shutdown: the dossiers in hand
are finished, nothing new is taken, every process logs out of the portals it logged in to.
"""

from __future__ import annotations

import os

from bot.engine.celery_app import QUEUE, configure
from bot.engine.tasks import set_worker_settings
from bot.errors import ConfigError
from bot.settings import Settings


def start_worker(
    settings: Settings, *, concurrency: int = 1, recycle_after: int = 50, name: str | None = None
) -> None:
    """Run a Celery worker in this process until it is stopped (raises ConfigError first when
    BOT_BROKER_URL is not set)."""
    if not settings.broker_url:
        raise ConfigError("BOT_BROKER_URL is not set (redis://HOST:6379/0): the worker's broker")
    app = configure(settings)
    set_worker_settings(settings, recycle_after=recycle_after)
    app.worker_main(
        [
            "worker",
            "--pool=prefork",
            f"--concurrency={concurrency}",
            f"--queues={QUEUE}",
            f"--hostname={name or f'informex-bot-{os.getpid()}'}@%h",
            f"--loglevel={settings.log_level}",
            "--without-gossip",
            "--without-mingle",
        ]
    )
