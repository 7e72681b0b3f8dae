"""Find a Chromium the bot can drive, without downloading anything.

Order: an explicit setting (BOT_BROWSER_EXECUTABLE), else Playwright's bundled Chromium, else a
system Chromium. Offline machines cannot run `playwright install`, so the system fallback matters.
`python -m bot.browser_finder` prints the choice (used by scripts/setup).
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

SYSTEM_CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")

# As root in a container Chromium refuses to start without --no-sandbox; the two network flags
# stop it calling home, which on a closed network floods the log with refused connections.
QUIET_FLAGS = ("--disable-background-networking", "--disable-component-update")


class BrowserNotFoundError(RuntimeError):
    """No usable Chromium: the message says what was tried."""


def bundled_chromium() -> Path | None:
    """Playwright's own Chromium, when `playwright install chromium` has downloaded it."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - playwright is a hard dependency
        return None
    try:
        with sync_playwright() as pw:
            path = Path(pw.chromium.executable_path)
    except Exception:
        return None
    return path if path.is_file() else None


def system_chromium() -> Path | None:
    for name in SYSTEM_CANDIDATES:
        found = shutil.which(name)
        if found:
            return Path(found)
    return None


def find_chromium(explicit: str | None = None) -> Path | None:
    """Return the executable to launch, or None to let Playwright use its bundled browser.

    None is returned only when the bundled browser exists, so a launch never fails for lack of a
    download. Raises BrowserNotFoundError when nothing is usable.
    """
    if explicit:
        path = Path(explicit).expanduser()
        if not path.is_file():
            raise BrowserNotFoundError(f"BOT_BROWSER_EXECUTABLE={explicit!r}: no such file")
        return path
    if bundled_chromium() is not None:
        return None
    system = system_chromium()
    if system is not None:
        return system
    raise BrowserNotFoundError(
        "no Chromium found: set BOT_BROWSER_EXECUTABLE, run `playwright install chromium`, "
        "or install your distribution's chromium package"
    )


def launch_args() -> list[str]:
    """Command-line flags for Chromium on this machine."""
    args = list(QUIET_FLAGS)
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--no-sandbox")
    return args


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    quiet = "--quiet" in argv
    try:
        path = find_chromium(os.environ.get("BOT_BROWSER_EXECUTABLE") or None)
    except BrowserNotFoundError as exc:
        if not quiet:
            print(f"browser: {exc}", file=sys.stderr)
        return 1
    if not quiet:
        print(f"browser: {path or 'Playwright bundled Chromium'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
