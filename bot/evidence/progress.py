"""Batch progress for whoever watches: a live bar on a terminal, plain log lines under cron.

On a terminal, rich shows counts per status and what each worker is doing. Without one (cron,
systemd, CI) a line is logged after every dossier and at most every 30 s, so a log file tells how
far a run got without screen-control characters in it.
"""

from __future__ import annotations

import threading
import time
from collections import Counter

from loguru import logger
from rich.console import Console
from rich.live import Live
from rich.table import Table

from bot.domain.models import DossierStatus

PLAIN_EVERY_S = 30.0


class BatchProgress:
    """Thread-safe progress of one batch (workers report, this shows)."""

    def __init__(self, total: int, *, interactive: bool) -> None:
        self.total = total
        self.counts: Counter[str] = Counter()
        self.current: dict[str, str] = {}
        self._lock = threading.Lock()
        self._last_plain = 0.0
        self._started = time.monotonic()
        self._live: Live | None = None
        if interactive and total:
            self._live = Live(self._render(), console=Console(stderr=True), refresh_per_second=4)
            self._live.start()

    @property
    def done(self) -> int:
        return sum(self.counts.values())

    def started(self, worker: str, dossier: str) -> None:
        with self._lock:
            self.current[worker] = f"{dossier}: start"
        self._refresh()

    def step(self, worker: str, dossier: str, step: str) -> None:
        with self._lock:
            self.current[worker] = f"{dossier}: {step}"
        self._refresh()

    def finished(self, worker: str, status: DossierStatus) -> None:
        with self._lock:
            self.counts[status.value] += 1
            self.current[worker] = "idle"
        self._refresh(force_plain=True)

    def close(self) -> None:
        if self._live is not None:
            self._live.update(self._render())
            self._live.stop()
            self._live = None

    def summary(self) -> str:
        parts = [f"{status.value} {self.counts[status.value]}" for status in DossierStatus]
        elapsed = time.monotonic() - self._started
        return f"{self.done}/{self.total} done in {elapsed:.0f} s: " + ", ".join(parts)

    def _refresh(self, force_plain: bool = False) -> None:
        if self._live is not None:
            self._live.update(self._render())
            return
        now = time.monotonic()
        if force_plain or now - self._last_plain >= PLAIN_EVERY_S:
            self._last_plain = now
            logger.info("progress: {}", self.summary())

    def _render(self) -> Table:
        table = Table(title=f"informex-bot batch — {self.done}/{self.total}", expand=False)
        table.add_column("Status")
        table.add_column("Count", justify="right")
        for status in DossierStatus:
            table.add_row(status.value, str(self.counts[status.value]))
        for worker, doing in sorted(self.current.items()):
            table.add_row(f"[dim]{worker}[/]", f"[dim]{doing}[/]")
        return table
