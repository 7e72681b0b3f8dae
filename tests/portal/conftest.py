"""Fixtures for the mock portal's HTTP tests: the app in-process on a small seed, a fake clock.

Each test gets a fresh portal (in-memory SQLite), so tests never see each other's writes. The
small seed (`seed_small.json`, photos in `photos/`) is written for these tests, so expectations
can be exact.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from starlette.applications import Starlette

from mock_portal import security
from mock_portal.app import create_app
from mock_portal.config import PortalConfig
from tests.portal.helpers import Client, FakeClock

HERE = Path(__file__).resolve().parent
SMALL_SEED = HERE / "seed_small.json"
PHOTOS = HERE / "photos"

AppFactory = Callable[..., Starlette]


@pytest.fixture(autouse=True)
def fast_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fewer PBKDF2 rounds: the same code path, without 0.1 s per login in every test."""
    monkeypatch.setattr(security, "PBKDF2_ITERATIONS", 1_000)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def seed_doc() -> dict[str, Any]:
    """The small seed as a document a test may change before building a portal."""
    return copy.deepcopy(json.loads(SMALL_SEED.read_text(encoding="utf-8")))


@pytest.fixture
def make_app(tmp_path: Path, clock: FakeClock) -> AppFactory:
    """Build a portal: `make_app(seed=doc, faults="hostile", session_ttl_s=60, …)`."""

    def build(seed: dict[str, Any] | None = None, **fields: Any) -> Starlette:
        seed_path = SMALL_SEED
        if seed is not None:
            seed_path = tmp_path / "seed.json"
            seed_path.write_text(json.dumps(seed), encoding="utf-8")
        fields.setdefault("photos_dir", PHOTOS)
        fields.setdefault("clock", clock)
        return create_app(PortalConfig(seed_path=seed_path, **fields))

    return build


@pytest.fixture
def app(make_app: AppFactory) -> Starlette:
    return make_app()


@pytest.fixture
def client(app: Starlette) -> Client:
    """A client with no session yet."""
    return Client(app)


@pytest.fixture
def pm(app: Starlette) -> Client:
    """A client logged in to PlanManager."""
    c = Client(app)
    assert c.login("planmanager").status_code == 303
    return c


@pytest.fixture
def wx(app: Starlette) -> Client:
    """A client logged in to Winformex."""
    c = Client(app)
    assert c.login("winformex").status_code == 303
    return c
