"""The Playwright drivers a batch starts (one per worker) are told to keep small heaps."""

from __future__ import annotations

import os

import pytest

from bot.browser.launch import playwright_driver


def test_drivers_get_small_heaps_unless_node_options_set_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("NODE_OPTIONS", "--max-old-space-size=512 --trace-warnings")
    playwright_driver()  # not entered: no driver starts

    options = os.environ["NODE_OPTIONS"].split()
    assert "--max-semi-space-size=1" in options
    assert "--max-old-space-size=512" in options  # the person's own size wins
    assert "--max-old-space-size=128" not in options
    assert "--trace-warnings" in options
