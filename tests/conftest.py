"""Fixtures shared by every test layer: the real mock portal, settings, and Chromium.

The mock portal runs as a real server process for the whole session (started once, on a free
port) and is reset to a known world before each test that uses it. pytest-playwright's own
fixtures are configured (not replaced) so its `page` drives the same Chromium the bot finds.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from contextlib import suppress
from pathlib import Path
from typing import Any

import pytest
from loguru import logger
from playwright.sync_api import Playwright

from bot.browser.finder import find_chromium, launch_args
from bot.settings import Settings, load_settings
from mock_portal.process import MockPortalProcess
from tests import seeds

FAST_FAULTS: dict[str, Any] = {"profile": "none", "injection_delay_s": [0.2, 0.4]}

TESTS_DIR = Path(__file__).resolve().parent
LAYERS = ("unit", "portal", "e2e", "reliability", "scale")  # tests/<layer>/…: its marker


# -- markers from the folder -----------------------------------------------------------------
@pytest.hookimpl(tryfirst=True)  # before pytest's own -m/-k deselection sees the items
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test under tests/<layer>/ gets the marker <layer>; none is written by hand."""
    strays = []
    for item in items:
        try:
            parts = Path(item.path).resolve().relative_to(TESTS_DIR).parts
        except ValueError:  # not under tests/: not ours to mark
            continue
        if len(parts) > 1 and parts[0] in LAYERS:
            item.add_marker(parts[0])
        else:
            strays.append(item.nodeid)
    if strays:
        raise pytest.UsageError(
            f"tests outside tests/{{{','.join(LAYERS)}}}/ get no layer marker: {strays}"
        )


# -- Chromium for pytest-playwright ---------------------------------------------------------
@pytest.fixture(scope="session")
def browser_type_launch_args(
    browser_type_launch_args: dict[str, Any], playwright: Playwright
) -> dict[str, Any]:
    headless = browser_type_launch_args.get("headless", True)
    executable = find_chromium(headless=headless, playwright=playwright)
    args = {**browser_type_launch_args, "args": launch_args(headless)}
    if executable is not None:
        args["executable_path"] = str(executable)
    return args


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "locale": "nl-BE", "viewport": {"width": 1280, "height": 860}}


# -- the mock portal ------------------------------------------------------------------------
@pytest.fixture(scope="session")
def mock_portal_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MockPortalProcess]:
    """One real mock portal process for the whole session, started with the test world."""
    seed = tmp_path_factory.mktemp("seed") / "world.json"
    seed.write_text(json.dumps(seeds.world()), encoding="utf-8")
    with MockPortalProcess(seed=seed) as server:
        yield server


@pytest.fixture
def portal(mock_portal_server: MockPortalProcess) -> MockPortalProcess:
    """The running mock portal, reset to the one-dossier test world with fast, fault-free timing."""
    mock_portal_server.reset(seeds.world())
    mock_portal_server.set_faults(**FAST_FAULTS)
    return mock_portal_server


PortalFactory = Callable[..., MockPortalProcess]


@pytest.fixture(scope="session")
def portal_factory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PortalFactory]:
    """Mock portals with another Winformex layout: `portal_factory(winformex_layout="menu")`.

    `menu` shows the menu bar Bewerken → 2e circuit → expertise instead of the "Gegevens 2e
    circuit" button (`button`, the layout of `portal`). The first call for a layout starts one
    more portal process, kept for the rest of the session; every call resets it to the test
    world (or `seed=`, a seed document) with fast, fault-free timing, like `portal`. Use its
    `.url`, `.planmanager_url`, `.winformex_url` (pytest-playwright's `base_url` stays that of
    `portal`)::

        def test_link_in_the_menu_layout(page: Page, portal_factory: PortalFactory) -> None:
            portal = portal_factory(winformex_layout="menu")
            page.goto(portal.winformex_url)
    """
    started: dict[str, MockPortalProcess] = {}
    world = tmp_path_factory.mktemp("layout-seed") / "world.json"
    world.write_text(json.dumps(seeds.world()), encoding="utf-8")

    def factory(
        winformex_layout: str = "button", seed: dict[str, Any] | None = None
    ) -> MockPortalProcess:
        server = started.get(winformex_layout)
        if server is None:
            server = MockPortalProcess(seed=world, winformex_layout=winformex_layout)
            server.start()
            started[winformex_layout] = server
        server.reset(seed if seed is not None else seeds.world())
        server.set_faults(**FAST_FAULTS)
        return server

    try:
        yield factory
    finally:
        for server in started.values():
            server.stop()


@pytest.fixture(params=["button", "menu"])
def each_layout_portal(
    request: pytest.FixtureRequest, portal_factory: PortalFactory
) -> MockPortalProcess:
    """A test using this runs twice: against a portal of each Winformex layout (`button`,
    `menu`), reset to the test world; `portal.state()["winformex_layout"]` says which."""
    return portal_factory(winformex_layout=request.param)


@pytest.fixture(scope="session")
def base_url(mock_portal_server: MockPortalProcess) -> str:
    """pytest-playwright's base URL: the mock portal's root."""
    return mock_portal_server.url


# -- settings for the bot -------------------------------------------------------------------
def bot_environment(portal: MockPortalProcess, runs_dir: Path) -> dict[str, str]:
    return {
        "PLANMANAGER_URL": portal.planmanager_url,
        "PLANMANAGER_USERNAME": seeds.PM_USER["username"],
        "PLANMANAGER_PASSWORD": seeds.PM_USER["password"],
        "WINFORMEX_URL": portal.winformex_url,
        "WINFORMEX_USERNAME": seeds.WX_USER["username"],
        "WINFORMEX_PASSWORD": seeds.WX_USER["password"],
        "BOT_RUNS_DIR": str(runs_dir),
        "BOT_STATE_DIR": str(runs_dir / ".state"),
        "BOT_RETRY_BACKOFF_S": "0.2",
        "BOT_ACTION_TIMEOUT_S": "10",
        "BOT_INJECT_TIMEOUT_S": "30",
        "BOT_LOG_LEVEL": "debug",
    }


@pytest.fixture
def bot_env(portal: MockPortalProcess, tmp_path: Path) -> dict[str, str]:
    return bot_environment(portal, tmp_path / "runs")


@pytest.fixture
def settings(bot_env: dict[str, str]) -> Settings:
    return load_settings(bot_env)


# -- loguru into pytest's caplog -------------------------------------------------------------
def reset_loguru() -> None:
    """Back to a neutral loguru: no sinks, no redactor left by an entry point tested earlier."""
    logger.remove()
    logger.configure(extra={"dossier": "-", "step": "-"}, patcher=lambda record: None)


@pytest.fixture(autouse=True)
def loguru_to_caplog(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """Each test starts with clean logging that pytest captures (entry points reconfigure it)."""
    reset_loguru()
    handler_id = logger.add(
        caplog.handler,
        format="{extra[dossier]} {extra[step]} {message}",
        level="DEBUG",
        filter=lambda record: (
            record["extra"].setdefault("dossier", "-") is not None
            and record["extra"].setdefault("step", "-") is not None
        ),
    )
    caplog.set_level(logging.DEBUG)
    yield
    with suppress(ValueError):  # an entry point under test may have reset loguru's sinks
        logger.remove(handler_id)
    reset_loguru()
