"""Start the built-in mock portal as a separate process and talk to its `/_mock/` API.

Used by `informex-bot demo`, the tests and the benchmark. The bot never imports the mock portal:
it runs it like any other server (`python -m mock_portal`) and reaches it over HTTP, exactly as it
reaches the real portals.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SEED = REPO_ROOT / "fixtures" / "portal_seed.json"


class MockPortalError(RuntimeError):
    """The mock portal did not start or did not answer."""


class MockPortalProcess:
    """`python -m mock_portal` on a free port of 127.0.0.1; a context manager."""

    def __init__(
        self,
        *,
        seed: Path | None = None,
        faults: str = "none",
        session_ttl_s: float | None = None,
        extra_args: list[str] | None = None,
        startup_timeout_s: float = 30.0,
        on_line: Callable[[str], None] | None = None,
        winformex_layout: str = "button",
    ) -> None:
        self.seed = seed
        # `button` or `menu`: how a Winformex dossier opens its 2e circuit form (config.py)
        self.winformex_layout = winformex_layout
        self.faults = faults
        self.session_ttl_s = session_ttl_s
        self.extra_args = extra_args or []
        self.startup_timeout_s = startup_timeout_s
        self.on_line = on_line  # sees every line the portal prints (the benchmark times them)
        self.process: subprocess.Popen[str] | None = None
        self.url = ""
        self._output: list[str] = []

    # -- lifecycle -----------------------------------------------------------------------
    def start(self) -> str:
        command = [sys.executable, "-m", "mock_portal", "--host", "127.0.0.1", "--port", "0"]
        command += ["--faults", self.faults]
        if self.seed is not None:
            command += ["--seed", str(self.seed)]
        if self.session_ttl_s is not None:
            command += ["--session-ttl", str(self.session_ttl_s)]
        command += ["--winformex-layout", self.winformex_layout]
        command += self.extra_args
        self.process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            cwd=REPO_ROOT,
        )
        found = threading.Event()

        stdout = self.process.stdout

        def read_output() -> None:
            for line in stdout or ():
                self._output.append(line.rstrip())
                if self.on_line is not None:
                    self.on_line(line)
                if not found.is_set() and "listening on " in line:
                    self.url = line.split("listening on ", 1)[1].strip().rstrip("/")
                    found.set()

        threading.Thread(target=read_output, name="mock-portal-output", daemon=True).start()
        deadline = time.monotonic() + self.startup_timeout_s
        while not found.wait(0.1):  # wake up to notice a portal that exited at once
            if self.process.poll() is not None or time.monotonic() > deadline:
                break
        if not self.url:
            self.stop()
            raise MockPortalError(
                "the mock portal did not start:\n" + "\n".join(self._output[-20:])
            )
        self._wait_ready()
        return self.url

    def _wait_ready(self) -> None:
        """The portal prints its address once it accepts connections: one request proves it."""
        try:
            with urllib.request.urlopen(
                f"{self.url}/planmanager/login", timeout=self.startup_timeout_s
            ) as answer:
                if answer.status == 200:
                    return
        except OSError as exc:
            raise MockPortalError(
                f"the mock portal at {self.url} does not answer:\n" + "\n".join(self._output[-20:])
            ) from exc
        raise MockPortalError(f"the mock portal at {self.url} answered {answer.status}")

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.process = None

    def __enter__(self) -> MockPortalProcess:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- the /_mock/ API -----------------------------------------------------------------
    @property
    def planmanager_url(self) -> str:
        return f"{self.url}/planmanager/"

    @property
    def winformex_url(self) -> str:
        return f"{self.url}/winformex/"

    def _call(self, method: str, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            f"{self.url}{path}",
            data=data,
            method=method,
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=30) as answer:
            return json.loads(answer.read() or b"null")

    def reset(self, seed: dict[str, Any] | None = None) -> None:
        self._call("POST", "/_mock/reset", seed)

    def state(self) -> dict[str, Any]:
        return self._call("GET", "/_mock/state")

    def requests(self, *, clear: bool = False) -> dict[str, Any]:
        """The page loads and POSTs counted since the last reset (`/_mock/requests`); `clear`
        starts counting again."""
        return self._call("DELETE" if clear else "GET", "/_mock/requests")

    def fault_settings(self) -> dict[str, Any]:
        return self._call("GET", "/_mock/faults")

    def set_faults(self, **knobs: Any) -> dict[str, Any]:
        return self._call("PUT", "/_mock/faults", knobs)


def load_seed(path: Path | None = None) -> dict[str, Any]:
    return json.loads((path or DEFAULT_SEED).read_text(encoding="utf-8"))
