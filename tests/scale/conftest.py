"""Fixtures of the many-machines tests: a private PostgreSQL and Redis for the session.

Both are started once per session on free loopback ports in temporary folders (never the
machine's services) and stopped at its end; a test that needs a clean slate takes `pg_database`,
an empty database of its own. Where the servers are not installed the tests that need them are
skipped, saying so (CI installs them through `scripts/setup`).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from tests.scale.servers import PostgresServer, RedisServer, ServerUnavailable


@contextmanager
def running_postgres() -> Iterator[PostgresServer]:
    """A private PostgreSQL, removed (data folder and all) however the test ends; the test is
    skipped, saying why, where PostgreSQL is not installed."""
    server = PostgresServer()
    try:
        server.start()
    except ServerUnavailable as exc:
        server.remove()
        pytest.skip(str(exc))
    except BaseException:
        server.remove()
        raise
    try:
        yield server
    finally:
        server.remove()


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """One private PostgreSQL for the session (a test that restarts it must start its own)."""
    with running_postgres() as server:
        yield server


@pytest.fixture(scope="session")
def postgres_url(postgres_server: PostgresServer) -> str:
    """The session's PostgreSQL, database `postgres`, as BOT_DATABASE_URL takes it."""
    return postgres_server.url


@pytest.fixture
def pg_database(postgres_server: PostgresServer) -> Iterator[str]:
    """The URL of a fresh empty database for this test only (dropped afterwards)."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    url = postgres_server.create_database(name)
    try:
        yield url
    finally:
        postgres_server.drop_database(name)


@pytest.fixture
def own_postgres() -> Iterator[PostgresServer]:
    """A private PostgreSQL for this test alone, which it may restart or kill."""
    with running_postgres() as server:
        yield server


@pytest.fixture(scope="session")
def redis_server() -> Iterator[RedisServer]:
    """One private Redis for the session."""
    server = RedisServer()
    try:
        server.start()
    except ServerUnavailable as exc:
        pytest.skip(str(exc))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def redis_url(redis_server: RedisServer) -> str:
    """The session's Redis, database 0, as BOT_BROKER_URL takes it."""
    return redis_server.url
