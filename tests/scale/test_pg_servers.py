"""The private servers the many-machines tests stand on: up, reachable, restartable."""

from __future__ import annotations

import socket

import psycopg
import pytest

from tests.scale.servers import PostgresServer, RedisServer


def test_private_postgres_takes_connections(pg_database: str) -> None:
    with psycopg.connect(pg_database) as db:
        assert db.execute("SELECT current_database()").fetchone()[0].startswith("t_")


def test_private_redis_answers_ping(redis_server: RedisServer) -> None:
    with socket.create_connection(("127.0.0.1", redis_server.port), timeout=5) as conn:
        conn.sendall(b"PING\r\n")
        assert conn.recv(64) == b"+PONG\r\n"


def test_restarted_postgres_cuts_connections_and_keeps_data(own_postgres: PostgresServer) -> None:
    with psycopg.connect(own_postgres.url, autocommit=True) as db:
        db.execute("CREATE TABLE kept (x int)")
        db.execute("INSERT INTO kept VALUES (1)")
        own_postgres.restart()
        with pytest.raises(psycopg.OperationalError):
            db.execute("SELECT 1")
    with psycopg.connect(own_postgres.url) as db:
        assert db.execute("SELECT x FROM kept").fetchall() == [(1,)]
