"""A corpus of bad input: every bad row is refused by name, nothing reaches the portals.

One CSV holds one good row and dozens of bad ones: some are refused while the file is read
(formulas, oversized cells, malformed numbers, duplicates), the others once the dossier is read
and its 2e circuit values are validated, which is still before the injection. An .xlsx and a
JSON-lines file carry the same kinds of rows, and files that cannot be read at all are refused
as a whole (exit 2). Hostile text planted in the portal itself is linked, and stays text in the
morning report.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from playwright.sync_api import Page, expect

from bot.domain.models import DossierStatus
from bot.settings import Settings
from mock_portal.process import MockPortalProcess
from tests import seeds
from tests.e2e.helpers import pm_dossier, run_bot
from tests.reliability.helpers import (
    PortalCheck,
    read_json,
    record_figures,
    run_batch,
    run_dirs,
)

COLUMNS = [
    "dossier",
    "opdrachtnummer",
    "vin",
    "first_registration",
    "mileage_km",
    "mileage_unknown",
    "power_kw",
    "displacement_cc",
    "co2",
    "engine_type",
    "particle_filter",
    "previous_damage",
    "burglary",
    "opmerking",
]
GOOD, GOOD_FOR = (item["number"] for item in seeds.numbered(1))  # the one row that must link


@dataclass(frozen=True)
class Bad:
    """One bad row: the field it spoils, the value, and whether a dossier must be read first.

    `runs` rows pass the file check and are refused once their dossier is read (before any
    write); the others are refused while the file is read and never reach a browser.
    """

    field: str
    value: str | None
    runs: bool = False
    cells: tuple[tuple[str, str], ...] = ()  # other cells of the row

    def needle(self) -> str:
        """What the error must quote of the value (as Python quotes it, cut for long ones)."""
        return "is missing" if self.value is None else repr(self.value)[1:-1][:40]


SCRIPT = "<script>window.__pwned=1</script>"
IMG = '"><img src=x onerror=window.__pwned=2>'

RUNTIME = [  # valid identifiers; the values are judged against the dossier, before injection
    Bad("vin", "WVWZZZ1KZ8W12345", runs=True),  # 16 characters
    Bad("vin", "WVWZZZ1KZ8W1234567", runs=True),  # 18
    Bad("vin", "WVWZZZ1KZ8W12345I", runs=True),
    Bad("vin", "WVWZZZ1KZ8W1O3456", runs=True),
    Bad("vin", "WVWZZZ1KZ8WQ23456", runs=True),
    Bad("vin", "AAAAAAAAAAAAAAAAA", runs=True),
    Bad("vin", "12345678901234567", runs=True),
    Bad("vin", SCRIPT, runs=True),
    Bad("first_registration", "31/02/2020", runs=True),
    Bad("first_registration", "00/01/2020", runs=True),
    Bad("first_registration", "01/01/2099", runs=True),
    Bad("first_registration", "14.03.19", runs=True),  # dd.mm.yyyy is taken, not a 2-digit year
    Bad("first_registration", "01/01/1899", runs=True),
    Bad("mileage_km", "-5", runs=True),
    Bad("mileage_km", "84,5", runs=True),
    Bad("mileage_km", "3000000", runs=True),
    Bad("mileage_km", "1000", runs=True, cells=(("mileage_unknown", "ja"),)),
    Bad("power_kw", "0", runs=True),
    Bad("power_kw", "99999", runs=True),
    Bad("co2", "-1", runs=True),
    Bad("displacement_cc", "1.6L", runs=True),
    Bad("engine_type", "kerosine", runs=True),
    Bad("engine_type", "<b>diesel</b>", runs=True),
    Bad("particle_filter", "misschien", runs=True),
    Bad("previous_damage", "2", runs=True),
    Bad("burglary", IMG, runs=True),
    Bad("dossier", "PM-2026-9999", runs=True),  # well formed, but PlanManager has no such dossier
]
FILE_CHECK = [  # refused while the file is read
    Bad("dossier", None, cells=(("opdrachtnummer", "IX-2026-800001"),)),
    Bad("dossier", "PM-" + "9" * 250),
    Bad("dossier", "PM-2026-" + "0" * 37),
    Bad("dossier", "../../etc/passwd"),
    Bad("dossier", "PM 2026 0101"),
    Bad("dossier", "PM-2026\x07-0101"),
    Bad("dossier", SCRIPT),
    Bad("dossier", IMG),
    Bad("dossier", "=cmd|' /C calc'!A0"),
    Bad("dossier", "@SUM(1)"),
    Bad("opdrachtnummer", "+1+1"),
    Bad("opdrachtnummer", "12345"),
    Bad("opdrachtnummer", "IX-26-1234"),
    Bad("opdrachtnummer", "AX-2026-004711"),
    Bad("vin", '=HYPERLINK("http://evil.example/x")'),
    Bad("vin", "W" * 201),
    Bad("mileage_km", "-2+3"),
    Bad("co2", "+1"),
    Bad("power_kw", "\t85"),
    Bad("dossier", GOOD),  # a duplicate of the good row
    Bad("dossier", GOOD.lower()),  # the same dossier in other letters
]


def csv_rows(corpus: list[Bad]) -> tuple[str, dict[int, tuple[Bad, str | None]]]:
    """The CSV text, and per line: its bad row and the dossier it runs as (None if refused)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerow([GOOD] + [""] * (len(COLUMNS) - 1))
    expected: dict[int, tuple[Bad, str | None]] = {}
    runtime = iter(range(2, len(RUNTIME) + 2))
    for line, bad in enumerate(corpus, start=3):
        cells = dict.fromkeys(COLUMNS, "")
        cells["opmerking"] = "=1+1 a note: never read, so never refused"
        number = None
        if bad.runs and bad.field != "dossier":
            dossier, assignment = seeds.numbered(next(runtime))
            number = cells["dossier"] = dossier["number"]
            cells["opdrachtnummer"] = assignment["number"]  # given: no inbox search needed
        elif bad.runs:
            number = bad.value
        elif bad.field != "dossier":
            cells["dossier"] = f"PM-2026-{5000 + line}"  # valid, so the bad cell is what counts
        cells.update(dict(bad.cells))
        cells[bad.field] = bad.value or ""
        writer.writerow([cells[c] for c in COLUMNS])
        expected[line] = (bad, number)
    spare = seeds.numbered(len(RUNTIME) + 1)[0]["number"]
    writer.writerow([spare] + [""] * (len(COLUMNS) - 1) + ["extra"])  # a cell without a column
    return out.getvalue(), expected


def portal_without_good_row(state: dict[str, Any]) -> dict[str, Any]:
    """The state minus what linking the good row changes: its dossiers and its assignment."""
    return {
        "pm": [d for d in state["planmanager"]["dossiers"] if d["number"] != GOOD],
        "wx": [d for d in state["winformex"]["dossiers"] if d["planmanager_dossier"] != GOOD],
        "assignments": [a for a in state["winformex"]["assignments"] if a["number"] != GOOD_FOR],
    }


def result_of(results: list[dict[str, Any]], line: int, number: str | None) -> dict[str, Any]:
    """The result of a row: by the dossier it ran as, or by the line its error names."""
    if number is not None:
        [found] = [r for r in results if r["dossier"] == number]
    else:
        [found] = [r for r in results if (r["error"] or "").startswith(f"line {line}:")]
    return found


def test_every_bad_csv_row_is_refused_by_name_and_nothing_is_written(
    portal: MockPortalProcess, bot_env: dict[str, str], tmp_path: Path
) -> None:
    portal.reset(seeds.many(len(RUNTIME) + 2))
    before = portal_without_good_row(portal.state())
    text, expected = csv_rows(RUNTIME + FILE_CHECK)
    source = tmp_path / "nacht.csv"
    source.write_bytes(b"\xef\xbb\xbf" + text.encode())
    env = {**bot_env, "BOT_SCREENSHOTS": "off"}

    done = run_batch([str(source), "--workers", "2"], env, tmp_path)

    assert done.returncode == 1, done.stdout + done.stderr
    [run_dir] = run_dirs(tmp_path / "runs")
    results = read_json(run_dir / "results.json")["dossiers"]
    assert len(results) == len(expected) + 2  # every row has its result: nothing dropped
    assert {r["dossier"]: r["status"] for r in results}[GOOD] == "linked"
    unnamed = [r for r in results if "no column name" in (r["error"] or "")]
    assert len(unnamed) == 1 and "'extra'" in unnamed[0]["error"]
    for line, (bad, number) in expected.items():
        found = result_of(results, line, number)
        assert found["status"] == "business_error", (line, bad, found)
        assert bad.needle() in found["error"], (line, bad, found["error"])
        field = {"opdrachtnummer": "assignment"}.get(bad.field, bad.field)
        assert field in found["error"], (line, bad, found["error"])
    assert portal_without_good_row(portal.state()) == before
    check = PortalCheck.of(portal.state())
    assert check.injections[GOOD] == 1 and sum(check.injections.values()) == 1
    assert (run_dir / "report.html").is_file() and (run_dir / "junit.xml").is_file()
    record_figures(
        "bad_input_csv",
        rows=len(results),
        bad_rows=len(results) - 1,
        refused_while_reading=len(FILE_CHECK) + 1,
        refused_after_reading_the_dossier=len(RUNTIME),
        portal_writes_for_bad_rows=0,
    )


def test_bad_xlsx_and_jsonl_rows_are_refused_by_line_and_field(
    portal: MockPortalProcess, bot_env: dict[str, str], tmp_path: Path
) -> None:
    before = portal.state()
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Dossiernummer", "Opdrachtnummer", "Chassisnummer"])
    sheet.append(["PM-2026-0101", "IX-2026-4711", None])
    sheet.append([SCRIPT, None, None])
    sheet.append(["PM-2026-0101", None, "x" * 300])
    sheet.append(["PM-2026-0102", "-1+1", None])
    sheet.append(['=HYPERLINK("http://evil.example")', "IX-2026-800001", None])  # a real formula
    xlsx = tmp_path / "nacht.xlsx"
    workbook.save(xlsx)
    jsonl = tmp_path / "nacht.jsonl"
    jsonl.write_text(
        "\n".join(
            [
                json.dumps({"dossier": "PM-2026-0101", "dossiernummer": "PM-2026-0102"}),
                '{"dossier": "PM-2026-0101",',
                json.dumps(["PM-2026-0101"]),
                json.dumps({"dossier": {"nested": IMG}}),
                json.dumps({"dossier": "PM-2026-0101", "vin": ["WVWZZZ1KZ8W123456"]}),
                json.dumps({"dossier": "@SUM(1)"}),
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    expected = {
        xlsx: {2: "IX-2026-4711", 3: "<script>", 4: "longer than 200", 5: "-1+1"}
        | {6: "dossier: is missing"},  # a formula is read as its value: none was computed
        jsonl: {1: "given twice", 2: "is not JSON", 3: "not a JSON object", 4: "nested"}
        | {5: "single value", 6: "@SUM(1)"},
    }

    for source, lines in expected.items():
        runs = tmp_path / source.suffix[1:]
        done = run_batch([str(source)], {**bot_env, "BOT_RUNS_DIR": str(runs)}, tmp_path, 300)
        assert done.returncode == 1, done.stdout + done.stderr
        [run_dir] = run_dirs(runs)
        results = read_json(run_dir / "results.json")["dossiers"]
        assert {r["status"] for r in results} == {"business_error"}
        errors = {int(r["error"].split(":")[0].removeprefix("line ")): r["error"] for r in results}
        assert sorted(errors) == sorted(lines), errors
        for line, needle in lines.items():
            assert needle in errors[line], errors[line]
    assert portal.state() == before
    record_figures("bad_input_xlsx_jsonl", xlsx_rows=5, jsonl_rows=6, portal_writes=0)


UNREADABLE = {
    "binary.csv": b"dossier\n\x00\x01\x02\xff\xfe\x00 PM-2026-0101\n",
    "latin.jsonl": '{"dossier": "PM-2026-0101", "vin": "Fran\xe7oise"}\n'.encode("cp1252"),
    "columns.csv": b"dossier;opdrachtnummer;kleur\nPM-2026-0101;;rood\n",
    "broken.xlsx": b"PK\x03\x04 not really a workbook",
    "report.csv": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n",
}
REASONS = {
    "binary.csv": "is binary, not text (NUL byte",
    "latin.jsonl": "is not valid UTF-8 (byte 0xe7",
    "columns.csv": "unknown column(s) 'kleur' (column C)",
    "broken.xlsx": "is not a readable .xlsx workbook",
    "report.csv": "looks like a PDF document",
}


@pytest.mark.parametrize("name", sorted(UNREADABLE))
def test_an_unusable_file_is_refused_whole_before_any_browser(
    name: str, portal: MockPortalProcess, bot_env: dict[str, str], tmp_path: Path
) -> None:
    before = portal.state()
    source = tmp_path / name
    source.write_bytes(UNREADABLE[name])

    done = run_batch([str(source)], bot_env, tmp_path, timeout_s=120)

    assert done.returncode == 2, done.stdout + done.stderr
    assert REASONS[name] in done.stderr + done.stdout
    assert str(source) in done.stderr + done.stdout
    assert list(run_dirs(tmp_path / "runs")) == []  # no run was started
    assert portal.state() == before


def test_hostile_portal_text_is_linked_and_stays_text_in_the_report(
    portal: MockPortalProcess, bot_env: dict[str, str], tmp_path: Path, page: Page
) -> None:
    (named, named_assignment), (planted, planted_assignment) = map(seeds.numbered, (1, 2))
    named["customer"]["name"] = SCRIPT + IMG
    planted["vehicle"]["vin"] = SCRIPT  # refused by validation, which quotes it in the report
    planted_assignment["vin"] = None  # so the plate finds the assignment
    portal.reset(seeds.world([named, planted], [named_assignment, planted_assignment]))
    source = tmp_path / "nacht.csv"
    source.write_text(f"dossier\n{named['number']}\n{planted['number']}\n", encoding="utf-8")

    done = run_batch([str(source)], bot_env, tmp_path, timeout_s=600)

    [run_dir] = run_dirs(tmp_path / "runs")
    results = {r["dossier"]: r for r in read_json(run_dir / "results.json")["dossiers"]}
    assert results[named["number"]]["status"] == "linked", done.stdout + done.stderr
    assert results[planted["number"]]["status"] == "business_error"
    assert SCRIPT in results[planted["number"]]["error"]
    page.goto((run_dir / "report.html").as_uri())
    expect(page.get_by_text(SCRIPT).first).to_be_visible()
    expect(page.locator("script")).to_have_count(0)
    expect(page.locator('img[src="x"]')).to_have_count(0)
    assert page.evaluate("typeof window.__pwned") == "undefined"
    page.goto(f"{portal.planmanager_url}dossiers/{named['number']}")  # as the bot saw it
    page.get_by_label("Gebruikersnaam").fill(seeds.PM_USER["username"])
    page.get_by_label("Wachtwoord").fill(seeds.PM_USER["password"])
    page.get_by_role("button", name="Aanmelden").click()
    expect(page.get_by_role("heading", name=f"Dossier {named['number']}")).to_be_visible()
    expect(page.get_by_text(SCRIPT + IMG)).to_be_visible()
    assert page.evaluate("typeof window.__pwned") == "undefined"


def test_an_unknown_opdrachtnummer_is_refused_before_the_injection(
    portal: MockPortalProcess, settings: Settings
) -> None:
    result, _ = run_bot(settings, assignment="IX-2026-999999")

    assert result.status is DossierStatus.BUSINESS_ERROR
    assert "'IX-2026-999999'" in (result.error or "")
    assert "not in the Winformex inbox" in (result.error or "")
    assert pm_dossier(portal)["injections"] == 0


def test_an_opdrachtnummer_linked_to_another_dossier_is_refused_before_the_injection(
    portal: MockPortalProcess, settings: Settings
) -> None:
    taken = seeds.assignment()["number"]
    portal.reset(
        seeds.world(
            dossiers=[
                seeds.dossier(),
                seeds.dossier("PM-2026-0102", informex_dossier="WX-2026-000018", injections=1),
            ],
            winformex_dossiers=[
                {
                    "number": "WX-2026-000018",
                    "planmanager_dossier": "PM-2026-0102",
                    "second_circuit": {"assignment_number": taken},
                }
            ],
        )
    )

    result, _ = run_bot(settings, assignment=taken)

    assert result.status is DossierStatus.BUSINESS_ERROR
    assert "already linked to Informex dossier WX-2026-000018" in (result.error or "")
    assert pm_dossier(portal)["injections"] == 0
