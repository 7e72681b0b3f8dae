"""Launching the browser and making contexts: one browser per run, one context per dossier.

A context per dossier isolates cookies, pages and the trace of one dossier from the next, and is
cheap compared to a browser start; every context gets the run's portal sessions (storage state),
so there is one login per portal per run.
"""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Browser, BrowserContext, Playwright

from bot.browser_finder import find_chromium, launch_args
from bot.settings import Settings

VIEWPORT = {"width": 1280, "height": 860}


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
