"""The reliability suite's figures, printed after the run and kept as JSON next to pytest's
temporary files, so docs/reliability.md can quote what a run really measured."""

from __future__ import annotations

import json

import pytest

from tests.reliability.helpers import FIGURES


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not FIGURES:
        return
    terminalreporter.section("reliability figures")
    for entry in FIGURES:
        terminalreporter.write_line(json.dumps(entry))
    base = terminalreporter.config._tmp_path_factory.getbasetemp()  # type: ignore[attr-defined]
    path = base / "reliability-figures.json"
    path.write_text(json.dumps(FIGURES, indent=2), encoding="utf-8")
    terminalreporter.write_line(f"figures written to {path}")
