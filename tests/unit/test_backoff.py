"""The wait between retries: grows with each attempt, jittered, never beyond its cap."""

from __future__ import annotations

import random

import pytest

from bot.engine.runner import backoff_seconds


@pytest.mark.parametrize(
    ("attempt", "base", "low", "high"),
    [
        (1, 1.0, 0.5, 1.0),
        (2, 1.0, 0.5, 2.0),
        (4, 1.0, 0.5, 8.0),
        (10, 1.0, 0.5, 30.0),  # capped
        (1, 300.0, 30.0, 30.0),  # a base above the cap is the cap, not a wait of minutes
        (1, 0.0, 0.0, 0.0),
    ],
)
def test_backoff_stays_within_its_bounds(attempt: int, base: float, low: float, high: float):
    random.seed(7)
    waits = [backoff_seconds(attempt, base) for _ in range(200)]
    assert all(low <= w <= high for w in waits), (min(waits), max(waits))


def test_backoff_is_jittered():
    random.seed(7)
    assert len({backoff_seconds(3, 1.0) for _ in range(20)}) == 20
