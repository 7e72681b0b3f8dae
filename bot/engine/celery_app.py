"""The Celery application: dossiers as tasks on a Redis broker, for many workers on many machines.

One task links one dossier of a run (`bot.engine.tasks.link_dossier`). The broker only carries
work: a task message holds the run id, the dossier's input as plain JSON, the shop's profile name
and the run's options, never a credential (a worker reads those from its own environment and
profile files). Progress and results are in the run's ledger, so there is no result backend.

Why each setting (measured for issue 17, docs/scale-out.md):

- `task_acks_late` + `task_reject_on_worker_lost`: a task is acknowledged when it ends, and one
  whose worker process died (SIGKILL, OOM) is handed back to the queue at once. With Celery's
  defaults such a task is marked failed and never runs again: a lost dossier.
- `worker_prefetch_multiplier=1`: a worker process reserves one dossier at a time, so a slow
  dossier never holds others back while other workers idle.
- `task_time_limit` (`TASK_TIME_LIMIT_S`, with a soft limit a minute earlier): a dossier that
  hangs beyond every timeout of the bot is stopped and its worker process replaced.
- `visibility_timeout` (`VISIBILITY_TIMEOUT_S`, three times the time limit): when a whole worker
  machine vanishes, nobody rejects its tasks; Redis hands them out again once they have been
  unacknowledged this long. It must stay well above the longest dossier, or a dossier still being
  worked on would be given to a second worker (the lease would make it wait, but it would run
  again and again).
- `unacked_restore_interval` (`RESTORE_INTERVAL_S`) with `unacked_restore_throttle=1`: how often
  a worker looks for such tasks. Kombu's default looks every 10 s but scans only every 10th time
  (about 100 s); here every look scans. So a lost machine's dossiers come back after at most
  `VISIBILITY_TIMEOUT_S + RESTORE_INTERVAL_S`.

No engine delivers exactly once: a task can run twice at the same moment (a redelivery beside a
worker that was only slow). The per-dossier lease and the portal reads before every write stay
the guard against a second injection, exactly as for two local runs.
"""

from __future__ import annotations

from celery import Celery

from bot.settings import Settings

APP_NAME = "informex-bot"
QUEUE = "informex-bot"
TASK_NAME = "informex_bot.link_dossier"
TASK_TIME_LIMIT_S = 1800
"""A dossier's hard limit: far above what the bot's own timeouts allow (3 attempts of at most a
few minutes each, plus BOT_LEASE_WAIT_S for a dossier another process holds)."""
TASK_SOFT_TIME_LIMIT_S = TASK_TIME_LIMIT_S - 60
VISIBILITY_TIMEOUT_S = 3 * TASK_TIME_LIMIT_S
RESTORE_INTERVAL_S = 10

app = Celery(APP_NAME, include=["bot.engine.tasks"])
"""The one app; `configure(settings)` points it at BOT_BROKER_URL before it is used."""


def configure(settings: Settings) -> Celery:
    """Point the app at BOT_BROKER_URL with the settings above; returns it."""
    app.conf.update(
        broker_url=settings.broker_url,
        broker_connection_retry_on_startup=True,
        broker_transport_options={
            "visibility_timeout": VISIBILITY_TIMEOUT_S,
            "unacked_restore_interval": RESTORE_INTERVAL_S,
            "unacked_restore_throttle": 1,
        },
        result_backend=None,
        task_ignore_result=True,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        task_acks_on_failure_or_timeout=True,
        worker_prefetch_multiplier=1,
        # a new worker process starts Playwright and Chromium before it says it is up
        worker_proc_alive_timeout=120,
        task_time_limit=TASK_TIME_LIMIT_S,
        task_soft_time_limit=TASK_SOFT_TIME_LIMIT_S,
        task_default_queue=QUEUE,
        task_serializer="json",
        accept_content=["json"],
        worker_hijack_root_logger=False,
        worker_redirect_stdouts=False,
        broker_connection_max_retries=None,
        timezone="UTC",
    )
    return app
