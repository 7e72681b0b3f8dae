"""Launching the browser and making contexts: one browser per run, one context per dossier.

A context per dossier isolates cookies, pages and the trace of one dossier from the next, and is
cheap compared to a browser start; every context gets the run's portal sessions (storage state),
so there is one login per portal per run.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import threading
from typing import Any

from playwright.sync_api import Browser, BrowserContext, Playwright, sync_playwright

from bot.browser_finder import BrowserNotFoundError, find_chromium, launch_args
from bot.settings import Settings

VIEWPORT = {"width": 1280, "height": 860}
DEVTOOLS_LINE = re.compile(r"DevTools listening on ws://[^:]+:(\d+)/")


def launch_browser(playwright: Playwright, settings: Settings) -> Browser:
    """Start Chromium as configured (explicit executable, bundled, or the system's)."""
    executable = find_chromium(settings.browser_executable)
    return playwright.chromium.launch(
        executable_path=str(executable) if executable else None,
        headless=settings.headless,
        slow_mo=settings.slowmo_ms,
        args=launch_args(),
    )


def context_options(storage_state: dict[str, Any] | None = None) -> dict[str, Any]:
    """Options every context shares: a Belgian desktop user, Dutch, in Brussels' time zone."""
    options: dict[str, Any] = {
        "viewport": VIEWPORT,
        "locale": "nl-BE",
        "timezone_id": "Europe/Brussels",
    }
    if storage_state is not None:
        options["storage_state"] = storage_state
    return options


def new_context(
    browser: Browser, settings: Settings, storage_state: dict[str, Any] | None = None
) -> BrowserContext:
    context = browser.new_context(**context_options(storage_state))
    context.set_default_timeout(settings.action_timeout_s * 1000)
    context.set_default_navigation_timeout(settings.navigation_timeout_s * 1000)
    return context


class SharedChromium:
    """One Chromium for all of a batch's workers, each worker thread connecting over CDP.

    Playwright objects belong to the thread that made them, so parallel workers each need their
    own Playwright; without this they would each start a browser too (about 400 MiB apiece).
    Here the workers open their contexts in one browser process. If that browser dies, the
    first worker to notice starts a new one and the others reconnect to it.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.endpoint = ""
        self._process: subprocess.Popen[str] | None = None
        self._profile = ""
        self._lock = threading.Lock()
        self._generation = 0

    def _executable(self) -> str:
        explicit = find_chromium(self.settings.browser_executable)
        if explicit is not None:
            return str(explicit)
        with sync_playwright() as playwright:  # the bundled browser: ask Playwright where it is
            return playwright.chromium.executable_path

    def start(self) -> None:
        with self._lock:
            self._start()

    def _start(self) -> None:
        self._profile = tempfile.mkdtemp(prefix="informex-bot-chromium-")
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
            *launch_args(),
        ]
        if self.settings.headless:
            command.append("--headless")
        command.append("about:blank")
        self._process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
        )
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

    def _cleanup(self) -> None:
        if self._process is not None:
            if self._process.poll() is None:
                self._process.terminate()
                try:
                    self._process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self._process.kill()
                    self._process.wait(timeout=10)
            self._process = None
        if self._profile:
            shutil.rmtree(self._profile, ignore_errors=True)
            self._profile = ""
