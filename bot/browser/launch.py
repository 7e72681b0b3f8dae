"""Launching the browser and making contexts: one browser per run, one context per dossier.

A context per dossier isolates cookies, pages and the trace of one dossier from the next, and is
cheap compared to a browser start; every context gets the run's portal sessions (storage state),
so there is one login per portal per run.
"""

from __future__ import annotations

import ctypes
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from loguru import logger
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Page,
    Playwright,
    PlaywrightContextManager,
)
from playwright.sync_api import Error as PlaywrightError

from bot.browser.finder import find_chromium, launch_args
from bot.errors import BrowserCrashedError, BrowserNotFoundError
from bot.pages.popups import install_popup_handlers
from bot.settings import Settings

VIEWPORT = {"width": 1280, "height": 860}
DEVTOOLS_LINE = re.compile(r"DevTools listening on ws://[^:]+:(\d+)/")
PROFILE_PREFIX = "informex-bot-chromium-"
# Chromium's own lock (SingletonLock) names its PID; the headless shell takes no such lock, so the
# batch writes the PID it started into the profile as well.
OWNER_FILE = "informex-bot.pid"
STALE_PROFILE_AGE_S = 3600  # a profile without Chromium's lock is only removed once this old
_PR_SET_PDEATHSIG = 1
_PRCTL = ctypes.CDLL(None, use_errno=True).prctl if sys.platform == "linux" else None


# A driver only passes messages, yet V8 lets its heap grow far before it collects (each of a
# batch's drivers reached ~120 MiB over 40 dossiers). A 1 MiB young generation and a 128 MiB old
# one (its live heap stays far below) keep each under ~85 MiB at no measurable cost in speed
# (docs/performance.md). A NODE_OPTIONS that sets these sizes itself is left alone.
DRIVER_NODE_OPTIONS = ("--max-semi-space-size=1", "--max-old-space-size=128")
_driver_env_lock = threading.Lock()

SECRET_VARIABLE = re.compile(r"PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|WEBHOOK", re.IGNORECASE)
"""Environment variables the driver and Chromium never see: the portals' and SMTP passwords
(PLANMANAGER_PASSWORD, WINFORMEX_PASSWORD, BOT_SMTP_PASSWORD), a notification webhook's URL
(BOT_NOTIFY_WEBHOOK: its path is its key) and anything else named like a credential."""


def browser_environment(environ: dict[str, str] | None = None) -> dict[str, str]:
    """The environment for the Playwright driver and Chromium: this process's, minus secrets.

    A browser renders portal pages and a driver runs Node.js: neither needs a password, and a
    process's environment is readable by its user (/proc/PID/environ) and lands in crash dumps.
    """
    source = os.environ if environ is None else environ
    return {k: v for k, v in source.items() if not SECRET_VARIABLE.search(k)}


class _DriverWithoutSecrets(PlaywrightContextManager):
    """`sync_playwright()` whose Node.js driver starts without the secrets in its environment.

    Playwright starts its driver with a copy of `os.environ` and offers no other way to set
    its environment, so the secrets leave `os.environ` while the driver starts, under the
    driver lock, and come back at once. Another thread reading `os.environ` in that moment
    would miss them: the bot reads its settings once, before any driver starts, and its
    processes that start drivers start no other process from `os.environ` (`informex-bot
    serve`, which does, starts no driver itself). Chromiums the driver launches inherit its
    environment.
    """

    def __enter__(self) -> Playwright:
        with _driver_env_lock:
            removed = {k: os.environ.pop(k) for k in list(os.environ) if SECRET_VARIABLE.search(k)}
            try:
                return super().__enter__()
            finally:
                os.environ.update(removed)


def playwright_driver() -> PlaywrightContextManager:
    """`sync_playwright()`, its Node.js driver started with small heap limits and no secrets.

    Every worker thread needs its own driver (Playwright's sync API is bound to one thread), so
    the driver's idle memory counts once per worker.
    """
    with _driver_env_lock:
        current = os.environ.get("NODE_OPTIONS", "")
        missing = [o for o in DRIVER_NODE_OPTIONS if o.split("=", 1)[0] not in current]
        if missing:
            os.environ["NODE_OPTIONS"] = " ".join([current, *missing]).strip()
    return _DriverWithoutSecrets()


LAUNCH_TRIES = 3
NETWORK_SERVICE_IN_PROCESS = "NetworkServiceInProcess2"
"""How many times Chromium is started before giving up: on a loaded machine it now and then
dies during its own start-up (seen: SIGSEGV before the first page), and a fresh start works."""


def launch_browser(playwright: Playwright, settings: Settings) -> Browser:
    """Start Chromium as configured (explicit executable, bundled, or the system's).

    A Chromium that dies while starting is started again (LAUNCH_TRIES in all); if it never
    starts, BrowserCrashedError, a system error: the dossier or the run says so and is retried
    later, never a traceback.
    """
    executable = find_chromium(
        settings.browser_executable, headless=settings.headless, playwright=playwright
    )
    options: dict[str, Any] = {
        "executable_path": str(executable) if executable else None,
        "headless": settings.headless,
        "slow_mo": settings.slowmo_ms,
        "args": launch_args(settings.headless),
        "env": browser_environment(),  # also when the driver is a caller's own (the bench's)
    }
    for attempt in range(1, LAUNCH_TRIES):
        try:
            return playwright.chromium.launch(**options)
        except PlaywrightError as exc:
            logger.warning("Chromium died while starting (try {}): {}", attempt, _first_line(exc))
    try:
        return playwright.chromium.launch(**options)
    except PlaywrightError as exc:
        raise BrowserCrashedError(
            f"Chromium did not start ({executable or 'Playwright bundled'}) in {LAUNCH_TRIES} "
            f"tries: {_first_line(exc)}"
        ) from exc


def _first_line(exc: BaseException) -> str:
    """The first line of Playwright's message (the rest is the browser's whole command line)."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else repr(exc)


@contextmanager
def own_browser(settings: Settings) -> Iterator[Browser]:
    """A Playwright driver and a Chromium of this thread's own, both closed at the end."""
    with playwright_driver() as playwright:
        browser = launch_browser(playwright, settings)
        try:
            yield browser
        finally:
            with suppress(PlaywrightError):  # already gone
                browser.close()


LOCALES = {"nl": "nl-BE", "fr": "fr-BE"}
"""The browser's language for each language of the portals' screens."""


def context_options(
    storage_state: dict[str, Any] | None = None, language: str | None = None
) -> dict[str, Any]:
    """Options every context shares: a Belgian desktop user in Brussels' time zone, speaking
    `language` (BOT_PORTAL_LANGUAGE when it forces one; else Dutch: a portal then picks the
    user's language after the login)."""
    options: dict[str, Any] = {
        "viewport": VIEWPORT,
        "locale": LOCALES.get(language or "nl", LOCALES["nl"]),
        "timezone_id": "Europe/Brussels",
    }
    if storage_state is not None:
        options["storage_state"] = storage_state
    return options


def new_context(
    browser: Browser, settings: Settings, storage_state: dict[str, Any] | None = None
) -> BrowserContext:
    context = browser.new_context(**context_options(storage_state, settings.forced_portal_language))
    context.set_default_timeout(settings.action_timeout_s * 1000)
    context.set_default_navigation_timeout(settings.navigation_timeout_s * 1000)
    return context


def new_page(context: BrowserContext) -> Page:
    """A page of `context` that dismisses the portals' popups by itself (every page needs it)."""
    page = context.new_page()
    install_popup_handlers(page)
    return page


def _die_with_parent() -> None:  # pragma: no cover - runs in the child, between fork and exec
    """Ask Linux to SIGKILL this child when the thread that started it ends (a crash included).

    Without it a batch killed by SIGKILL (OOM killer, `kill -9`, a reboot of the scheduler)
    would leave its Chromium running with an open DevTools port and its profile in /tmp.
    """
    if _PRCTL is not None:  # resolved before the fork: no dynamic loading in the child
        _PRCTL(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def _pid_alive(pid: int) -> bool:
    """True when `pid` runs; a zombie (dead, not yet reaped: common in containers) does not."""
    if not Path("/proc/self/stat").exists():  # not Linux: a signal 0 is the best we have
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    except OSError:
        return True
    return stat.rsplit(")", 1)[-1].split()[0] not in ("Z", "X")


def remove_stale_profiles(tmp_dir: Path | None = None, now: float | None = None) -> list[Path]:
    """Remove the /tmp profiles of shared Chromiums that no longer run (a killed batch's).

    A profile is stale when Chromium's `SingletonLock` (`host-PID`), or else the batch's own
    `informex-bot.pid`, names a dead process, or when it has neither and is older than an hour
    (a batch killed between making the profile and starting Chromium).
    Returns what was removed.
    """
    base = tmp_dir or Path(tempfile.gettempdir())
    now = time.time() if now is None else now
    removed = []
    for profile in base.glob(f"{PROFILE_PREFIX}*"):
        try:
            if not profile.is_dir():
                continue
            lock, owner = profile / "SingletonLock", profile / OWNER_FILE
            pid = None
            if lock.is_symlink():
                pid = os.readlink(lock).rsplit("-", 1)[-1]
            elif owner.is_file():
                pid = owner.read_text(encoding="ascii").strip()
            if pid is None:
                stale = now - profile.stat().st_mtime > STALE_PROFILE_AGE_S
            else:
                stale = pid.isdigit() and not _pid_alive(int(pid))
        except OSError:
            continue
        if stale:
            shutil.rmtree(profile, ignore_errors=True)
            removed.append(profile)
    return removed


class SharedChromium:
    """One Chromium for all of a batch's workers, each worker thread connecting over CDP.

    Playwright objects belong to the thread that made them, so parallel workers each need their
    own Playwright; without this they would each start a browser too (about 400 MiB apiece).
    Here the workers open their contexts in one browser process. If that browser dies, the
    first worker to notice starts a new one and the others reconnect to it.

    Chromium is tied to the batch: it is started from one long-lived thread with a parent-death
    signal, so it dies with the batch even when the batch is SIGKILLed; a worker thread cannot
    start it, as Linux would kill it when that worker ends. Profiles left by killed batches are
    removed at the next start.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.endpoint = ""
        self._process: subprocess.Popen[str] | None = None
        self._profile = ""
        self._lock = threading.Lock()
        self._generation = 0
        self._spawner: ThreadPoolExecutor | None = None
        self._executable_path = ""

    def _executable(self) -> str:
        """Found once, by the first start: a restart runs in a worker's thread, where another
        Playwright is running and could not be asked."""
        if not self._executable_path:
            with playwright_driver() as playwright:  # one driver answers both questions
                found = find_chromium(
                    self.settings.browser_executable,
                    headless=self.settings.headless,
                    playwright=playwright,
                )  # None: the bundled browser, which only Playwright can locate
                self._executable_path = str(found or playwright.chromium.executable_path)
        return self._executable_path

    def start(self) -> None:
        with self._lock:
            self._start()

    def _start(self) -> None:
        for stale in remove_stale_profiles():
            logger.info("removed the profile of a Chromium that no longer runs: {}", stale)
        self._profile = tempfile.mkdtemp(prefix=PROFILE_PREFIX)
        command = [
            self._executable(),
            "--remote-debugging-port=0",
            "--remote-debugging-address=127.0.0.1",
            f"--user-data-dir={self._profile}",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-dev-shm-usage",
            "--mute-audio",
            "--hide-scrollbars",
            *launch_args(self.settings.headless),
        ]
        if self.settings.headless:
            command.append("--headless")
        # no first tab: workers open their own contexts (a blank tab would hold a renderer)
        command.append("--no-startup-window")
        # The network service as a thread of the browser, not a utility process of its own
        # (~30 MiB PSS less at 4 workers; a crash of it ends the browser, which is restarted).
        # Only here: Playwright's own launch sets --enable-features, and the last one wins.
        command.append(f"--enable-features={NETWORK_SERVICE_IN_PROCESS}")
        if self._spawner is None:
            self._spawner = ThreadPoolExecutor(max_workers=1, thread_name_prefix="chromium-parent")
        self._process = self._spawner.submit(self._spawn, command).result()
        (Path(self._profile) / OWNER_FILE).write_text(f"{self._process.pid}\n", encoding="ascii")
        listening = threading.Event()
        stderr = self._process.stderr

        def read_stderr() -> None:  # also keeps the pipe drained for the browser's lifetime
            for line in stderr or ():
                found = DEVTOOLS_LINE.search(line)
                if found and not listening.is_set():
                    self.endpoint = f"http://127.0.0.1:{found.group(1)}"
                    listening.set()

        threading.Thread(target=read_stderr, name="chromium-stderr", daemon=True).start()
        if not listening.wait(30):
            self._cleanup()
            raise BrowserNotFoundError(f"Chromium did not start ({command[0]})")
        self._generation += 1

    @staticmethod
    def _spawn(command: list[str]) -> subprocess.Popen[str]:
        return subprocess.Popen(
            command,
            env=browser_environment(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            preexec_fn=_die_with_parent if sys.platform == "linux" else None,
            # its own process group: stop() reaches every process it started
            process_group=0 if os.name == "posix" else None,
        )

    def connect(self, playwright: Playwright) -> Browser:
        return playwright.chromium.connect_over_cdp(
            self.endpoint, slow_mo=self.settings.slowmo_ms or None
        )

    @property
    def generation(self) -> int:
        return self._generation

    def restart_if_dead(self, seen_generation: int) -> None:
        """Called by a worker whose browser is gone: start a new one, once for all workers."""
        with self._lock:
            if self._generation != seen_generation:
                return  # another worker restarted it already
            if self._process is not None and self._process.poll() is None:
                return  # still running: the worker only lost its connection
            self._cleanup()
            self._start()

    def stop(self) -> None:
        with self._lock:
            self._cleanup()
            if self._spawner is not None:
                self._spawner.shutdown(wait=False)
                self._spawner = None

    def _signal_group(self, signum: int) -> None:
        if self._process is None:
            return
        with suppress(ProcessLookupError, PermissionError):  # the group is gone already
            os.killpg(self._process.pid, signum)

    def _cleanup(self) -> None:
        if self._process is not None:
            if self._process.poll() is None:
                self._signal_group(signal.SIGTERM)
                try:
                    self._process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self._signal_group(signal.SIGKILL)
                    self._process.wait(timeout=10)
            self._signal_group(signal.SIGKILL)  # helpers a wrapper script left behind
            self._process = None
        if self._profile:
            shutil.rmtree(self._profile, ignore_errors=True)
            self._profile = ""
