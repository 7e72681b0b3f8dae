"""`informex-bot demo`, the README's first command, in Dutch and in French.

The demo is how a shop tries the bot; it must end as its seed expects in both languages. The
full default seed takes about four minutes a language, so the test runs the demo itself on a
slice of it with one dossier of each kind: linked, already linked, incomplete, ambiguous, and a
2e circuit that holds another opdrachtnummer.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.e2e.helpers import only_run_dir, read_results, run_cli

ROOT = Path(__file__).resolve().parents[2]
SLICE = ("PM-2026-0101", "PM-2026-0124", "PM-2026-0125", "PM-2026-0127", "PM-2026-0129")


def seed_slice(path: Path) -> Path:
    """The default seed with only SLICE's dossiers (and the Informex dossiers made from them)."""
    seed = json.loads((ROOT / "fixtures" / "portal_seed.json").read_text(encoding="utf-8"))
    planmanager = seed["planmanager"]
    planmanager["dossiers"] = [d for d in planmanager["dossiers"] if d["number"] in SLICE]
    winformex = seed["winformex"]
    winformex["dossiers"] = [d for d in winformex["dossiers"] if d["planmanager_dossier"] in SLICE]
    path.write_text(json.dumps(seed), encoding="utf-8")
    return path


@pytest.mark.parametrize("language", ["nl", "fr"])
def test_the_demo_ends_as_its_seed_expects_and_injects_nothing_twice(
    tmp_path: Path, language: str
) -> None:
    seed = seed_slice(tmp_path / "seed.json")
    runs = tmp_path / "runs"

    done = run_cli(
        ["demo", "--seed", str(seed), "--out", str(runs), "--language", language],
        {},
        tmp_path,
    )

    assert done.returncode == 0, done.stdout + done.stderr
    assert "Injected more than once: none (as it must be)" in done.stdout
    assert "Not as the seed expects" not in done.stdout
    results = read_results(only_run_dir(runs))
    assert results["portal_language"] == language
    statuses = {r["dossier"]: r["status"] for r in results["dossiers"]}
    assert statuses == {
        "PM-2026-0101": "linked",
        "PM-2026-0124": "already_linked",
        "PM-2026-0125": "business_error",
        "PM-2026-0127": "business_error",
        "PM-2026-0129": "business_error",
    }
    assert f'<html lang="{language}">' in (only_run_dir(runs) / "report.html").read_text()
