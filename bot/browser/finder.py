"""Find a Chromium the bot can drive, without downloading anything.

Order: an explicit setting (BOT_BROWSER_EXECUTABLE), else Playwright's bundled Chromium, else a
system Chromium. Offline machines cannot run `playwright install`, so the system fallback matters.
`python -m bot.browser.finder` prints the choice (used by scripts/setup).

For headless runs the system fallback prefers Chromium's headless shell (Debian's
`chromium-headless-shell`): the same Blink without the desktop browser's layers, as Playwright
itself uses for headless runs. On this kind of machine it does the same dossier with about 40%
less CPU and 30% less memory (docs/performance.md). Headed runs need the full browser.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from bot.errors import BrowserNotFoundError

if TYPE_CHECKING:  # pragma: no cover
    from playwright.sync_api import Playwright

SYSTEM_CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
# The real binary first: Debian's /usr/bin/chromium-headless-shell is a wrapper that does not
# `exec`, so a signal sent to it (stop, parent death) would miss the browser.
HEADLESS_SHELL_CANDIDATES = ("/usr/lib/chromium/chromium-headless-shell", "chromium-headless-shell")
_WRAPPER_MAX_BYTES = 4096
_ABSOLUTE_PATH = re.compile(r"(/[\w./+-]+)")

# As root in a container Chromium refuses to start without --no-sandbox; the two network flags
# stop it calling home, which on a closed network floods the log with refused connections.
QUIET_FLAGS = ("--disable-background-networking", "--disable-component-update")
# The portals' pages run little script: a 1 MiB young generation (V8's own default grows to
# 16 MiB a semi-space per renderer) keeps each renderer's heap near what it uses.
LEAN_FLAGS = ("--js-flags=--max-semi-space-size=1",)
# Headless there is no screen to drive: the GPU process (software rendering) can be a thread of
# the browser, one process and ~60 MiB less per browser (docs/performance.md).
HEADLESS_FLAGS = ("--in-process-gpu",)
# Without the sandbox (root in a container) the zygote, which only exists to fork sandboxed
# children, is two idle processes (~26 MiB PSS) for nothing.
UNSANDBOXED_FLAGS = ("--no-sandbox", "--no-zygote")


def bundled_chromium(playwright: Playwright | None = None) -> Path | None:
    """Playwright's own Chromium, when `playwright install chromium` has downloaded it.

    Asks the given running Playwright when there is one: a second sync Playwright cannot start
    in a thread that already runs one, so without it the answer there would always be "none".
    """
    if playwright is not None:
        path = Path(playwright.chromium.executable_path)
        return path if path.is_file() else None
    from bot.browser.launch import playwright_driver  # launch imports this module

    try:
        with playwright_driver() as pw:  # a driver of its own, without the secrets
            path = Path(pw.chromium.executable_path)
    except Exception:
        return None
    return path if path.is_file() else None


def unwrapped(path: Path) -> Path:
    """The binary a small shell wrapper runs without `exec`; `path` itself otherwise."""
    try:
        with path.open("rb") as file:
            head = file.read(_WRAPPER_MAX_BYTES + 1)
    except OSError:
        return path
    if not head.startswith(b"#!") or len(head) > _WRAPPER_MAX_BYTES:
        return path
    text = head.decode("utf-8", "replace")
    if re.search(r"^\s*exec\s", text, re.MULTILINE):
        return path  # the browser takes the wrapper's process: signals reach it
    for candidate in _ABSOLUTE_PATH.findall(text.split("\n", 1)[-1]):
        target = Path(candidate)
        if target.name.startswith("chrom") and target.is_file() and os.access(target, os.X_OK):
            return target
    return path


def system_chromium(headless: bool = True) -> Path | None:
    """The system's Chromium; for headless runs its headless shell when installed."""
    names = (*HEADLESS_SHELL_CANDIDATES, *SYSTEM_CANDIDATES) if headless else SYSTEM_CANDIDATES
    for name in names:
        found = shutil.which(name)
        if found:
            return unwrapped(Path(found))
    return None


def find_chromium(
    explicit: str | None = None, *, headless: bool = True, playwright: Playwright | None = None
) -> Path | None:
    """Return the executable to launch, or None to let Playwright use its bundled browser.

    None is returned only when the bundled browser exists, so a launch never fails for lack of a
    download (for headless runs Playwright then picks its own headless shell). Raises
    BrowserNotFoundError when nothing is usable. Pass the running `playwright` when called
    inside one.
    """
    if explicit:
        path = Path(explicit).expanduser()
        if not path.is_file():
            raise BrowserNotFoundError(f"BOT_BROWSER_EXECUTABLE={explicit!r}: no such file")
        return unwrapped(path)
    if bundled_chromium(playwright) is not None:
        return None
    system = system_chromium(headless)
    if system is not None:
        return system
    raise BrowserNotFoundError(
        "no Chromium found: set BOT_BROWSER_EXECUTABLE, run `playwright install chromium`, "
        "or install your distribution's chromium package"
    )


def launch_args(headless: bool = True) -> list[str]:
    """Command-line flags for Chromium on this machine."""
    args = [*QUIET_FLAGS, *LEAN_FLAGS]
    if headless:
        args.extend(HEADLESS_FLAGS)
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.extend(UNSANDBOXED_FLAGS)
    return args


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    quiet = "--quiet" in argv
    explicit = os.environ.get("BOT_BROWSER_EXECUTABLE") or None
    try:
        path = find_chromium(explicit)
    except BrowserNotFoundError as exc:
        if not quiet:
            print(f"browser: {exc}", file=sys.stderr)
        return 1
    if not quiet:
        print(f"browser: {path or 'Playwright bundled Chromium'}")
        # an explicit or bundled browser serves headed runs too; only the system's may differ
        headed = path if path is None or explicit else system_chromium(headless=False)
        if headed != path:
            print(f"browser (headed runs): {headed or 'none found (install chromium)'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
