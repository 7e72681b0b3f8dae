"""The morning report and junit.xml, built from a handmade run folder (no browser, no portal).

The run folder holds one dossier of every status, real PNG files, a loguru JSON log, and hostile
text where a portal or an input file could put it (error, dossier number, log line, evidence
paths), so these tests pin down what the office manager sees on each page of the report
(report.html, the list pages, each dossier's page), and that none of it can run. Most read the
English report (for engineers, and the words the bot raised); the office's languages have their
own tests (test_report_languages.py), the report at scale too (test_report_scale.py).
"""

from __future__ import annotations

import json
import re
import struct
import xml.etree.ElementTree as ET
import zlib
from pathlib import Path, PurePosixPath
from typing import Any

import pytest
from loguru import logger
from markupsafe import escape

from bot.errors import ReportError
from bot.evidence.files import dossier_folder
from bot.evidence.html_report import (
    PAGES_DIR,
    build_report,
    describe_screenshot,
    safe_relative_url,
)
from bot.evidence.junit import write_junit

HOSTILE = '<script>window.__pwned = 1</script>"><img src=x onerror="window.__pwned = 2">'
HOSTILE_DOSSIER = '"><img src=x onerror=alert(1)>'
BAD_PATHS = [
    "javascript:alert(1)",
    "../outside.png",
    "/etc/passwd",
    "PM-2026-0103/../../outside.png",
]
SHOTS_0102 = [
    "PM-2026-0102/001-open-dossier-open-dossierlijst.png",
    "PM-2026-0102/002-open-dossier-click-pm-2026-0102.png",
    "PM-2026-0102/003-check-complete-read-dossier.png",
]
SHOTS_0101 = [
    "PM-2026-0101/001-open-dossier-open-dossierlijst.png",
    "PM-2026-0101/002-link-click-opslaan.png",
]
SHOT_0103 = "PM-2026-0103/001-inject-click-i-injecteer.png"


def png_bytes(
    width: int = 48, height: int = 30, rgb: tuple[int, int, int] = (30, 90, 160)
) -> bytes:
    """A real PNG image (one colour), small enough to write hundreds of in a test."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    row = b"\x00" + bytes(rgb) * width
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


def entry(dossier: str, status: str, **fields: Any) -> dict[str, Any]:
    return {
        "dossier": dossier,
        "assignment": None,
        "status": status,
        "informex_dossier": None,
        "attempts": 1,
        "duration_s": 1.0,
        "error": None,
        "screenshots": [],
        "trace": None,
        "step": None,
        "values": None,
        **fields,
    }


def write_log(path: Path) -> None:
    """bot.log.jsonl as the bot writes it: loguru, serialize=True, dossier and step bound."""
    sink = logger.add(path, serialize=True, level="DEBUG")
    try:
        logger.bind(dossier="-", step="-").info("run started: 5 dossier(s)")
        logger.bind(dossier="PM-2026-0101", step="link").info("2e circuit saved")
        logger.bind(dossier="PM-2026-0102", step="check_complete").warning(
            "dossier incomplete: {}", HOSTILE
        )
        logger.bind(dossier="PM-2026-0103", step="inject").error("Winformex answered 502")
    finally:
        logger.remove(sink)
    with open(path, "a", encoding="utf-8") as handle:
        handle.write("not a JSON line\n")


def make_run(run_dir: Path, *, finished: bool = True) -> Path:
    """A run folder with one dossier per status, evidence files and hostile text."""
    run_dir.mkdir(parents=True, exist_ok=True)
    for index, name in enumerate([*SHOTS_0101, *SHOTS_0102, SHOT_0103]):
        path = run_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(png_bytes(rgb=(40 * index % 256, 120, 200 - 20 * index)))
    (run_dir / "PM-2026-0102" / "trace.zip").write_bytes(b"PK\x05\x06" + b"\x00" * 18)
    (run_dir.parent / "outside.png").write_bytes(png_bytes())
    dossiers = [
        entry(
            "PM-2026-0101",
            "linked",
            assignment="IX-2026-004711",
            informex_dossier="WX-2026-000035",
            duration_s=18.67,
            screenshots=SHOTS_0101,
            step="verify",
        ),
        entry(
            "PM-2026-0102",
            "business_error",
            duration_s=3.9,
            error=f"dossier is incomplete, missing: Klant {HOSTILE} [dossier PM-2026-0102]",
            screenshots=SHOTS_0102,
            trace="PM-2026-0102/trace.zip",
            step="open_dossier",
        ),
        entry(
            "PM-2026-0103",
            "system_error",
            attempts=3,
            duration_s=95.2,
            error="Winformex answered 502 on Opslaan\x1b[0m [dossier PM-2026-0103, step inject]",
            screenshots=[SHOT_0103, *BAD_PATHS],
            trace="javascript:alert(2)",
        ),
        entry(HOSTILE_DOSSIER, "already_linked", informex_dossier="WX-2026-000001"),
        entry(
            "PM-2026-0105",
            "dry_run",
            assignment="IX-2026-004720",
            values={"assignment_number": "IX-2026-004720", "mileage_km": None},
        ),
    ]
    document = {
        "run_id": "20261128-023000-3fa1",
        "started_at": "2026-11-28T02:30:00+01:00",
        "finished_at": "2026-11-28T02:32:05+01:00" if finished else None,
        "summary": {},
        "dossiers": dossiers,
    }
    (run_dir / "results.json").write_text(json.dumps(document), encoding="utf-8")
    write_log(run_dir / "bot.log.jsonl")
    return run_dir


@pytest.fixture
def run_dir(tmp_path: Path) -> Path:
    return make_run(tmp_path / "runs" / "20261128-023000-3fa1")


@pytest.fixture
def report(run_dir: Path) -> str:
    """report.html in English."""
    return build_report(run_dir, language="en").read_text(encoding="utf-8")


def page(run_dir: Path, dossier: str) -> str:
    """The HTML of one dossier's own page (DOSSIER/index.html)."""
    return (run_dir / dossier_folder(dossier) / "index.html").read_text(encoding="utf-8")


def every_page(run_dir: Path) -> dict[str, str]:
    """Every page of the report by its path in the run folder."""
    return {
        str(path.relative_to(run_dir)): path.read_text(encoding="utf-8")
        for path in sorted(run_dir.rglob("*.html"))
    }


# -- report.html ---------------------------------------------------------------------------
def test_summary_counts_every_status_the_total_and_the_attempts(report: str) -> None:
    cards = dict(re.findall(r'data-testid="count-([a-z_]+)"><dt>[^<]*</dt><dd>(\d+)</dd>', report))
    assert cards == {
        "linked": "1",
        "already_linked": "1",
        "business_error": "1",
        "system_error": "1",
        "dry_run": "1",
        "total": "5",
        "attempts": "7",
    }
    assert "2 of 5 dossiers failed and need a person" in report


def test_header_names_the_run_its_times_and_duration(report: str) -> None:
    assert "Run 20261128-023000-3fa1" in report
    assert "2026-11-28 02:30:00 UTC+01:00" in report
    assert "2026-11-28 02:32:05 UTC+01:00" in report
    assert "2 min 05 s" in report


def test_the_index_lists_failures_first_then_the_rest_each_linking_to_its_page(
    report: str, run_dir: Path
) -> None:
    failures = report[report.index('id="failures"') : report.index('id="done"')]
    done = report[report.index('id="done"') : report.index('id="dossiers"')]
    assert re.findall(r'data-status="([a-z_]+)"', failures) == ["business_error", "system_error"]
    assert re.findall(r'data-status="([a-z_]+)"', done) == ["dry_run", "already_linked", "linked"]
    links = re.findall(r'<a href="([^"]+/index\.html)">', report)
    assert len(links) == 5
    assert all((run_dir / link).is_file() for link in links)
    assert '<a href="PM-2026-0102/index.html">PM-2026-0102</a>' in failures
    assert "IX-2026-004711" in done
    assert "WX-2026-000035" in done
    assert "1 min 35 s" in failures


def test_each_row_shows_the_last_screenshot_of_its_dossier(report: str) -> None:
    thumbs = re.findall(r'<img loading="lazy" src="([^"]+)" alt="Last screenshot[^"]*"', report)
    assert thumbs == [SHOTS_0102[-1], SHOT_0103, SHOTS_0101[-1]]


def test_a_small_run_needs_no_more_than_the_index_and_one_list_page(run_dir: Path) -> None:
    build_report(run_dir, language="en")
    assert sorted(p.name for p in (run_dir / PAGES_DIR).iterdir()) == [
        "dossiers-1.html",
        "failures-1.html",
        "report.css",
        "run-log.html",
    ]


# -- a dossier's page ----------------------------------------------------------------------
def test_screenshots_are_relative_links_in_the_order_they_were_taken(
    report: str, run_dir: Path
) -> None:
    own = page(run_dir, "PM-2026-0102")
    sources = re.findall(r'<img loading="lazy" src="([^"]+)"', own)
    assert sources == [PurePosixPath(name).name for name in SHOTS_0102]
    assert '<a class="thumb" href="001-open-dossier-open-dossierlijst.png"' in own
    assert "Screenshots (3)" in own
    assert '<link rel="stylesheet" href="../_report/report.css">' in own


def test_each_screenshot_is_captioned_with_its_step_and_action(report: str, run_dir: Path) -> None:
    assert re.search(
        r'<span class="n">003</span> <span class="step">check complete</span> · read dossier',
        page(run_dir, "PM-2026-0102"),
    )


def test_the_dossier_page_leads_back_and_to_its_neighbours(report: str, run_dir: Path) -> None:
    own = page(run_dir, "PM-2026-0103")
    assert '<a href="../report.html">Overview</a>' in own
    assert '<a href="../_report/dossiers-1.html">Page 1 of 1</a>' in own
    assert '<a rel="prev" href="../PM-2026-0102/index.html">' in own
    assert '<a rel="next" href="../PM-2026-0105/index.html">' in own


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("001-open-dossier-open-dossierlijst.png", ("001", "open-dossier", "open dossierlijst")),
        ("009-inject-click-i-injecteer.png", ("009", "inject", "click i injecteer")),
        ("003-check-complete-read-dossier.png", ("003", "check-complete", "read dossier")),
        ("012-check-open-postvak.png", ("012", "check", "open postvak")),
        ("002-login-winformex-click-aanmelden.png", ("002", "login-winformex", "click aanmelden")),
        ("004-someday-new-step.png", ("004", "someday", "new step")),
        ("odd-name.png", ("", "", "odd-name.png")),
    ],
)
def test_screenshot_names_are_read_as_number_step_and_action(
    name: str, expected: tuple[str, str, str]
) -> None:
    assert describe_screenshot(name) == expected


def test_the_trace_is_a_relative_link_with_the_command_to_open_it(
    report: str, run_dir: Path
) -> None:
    own = page(run_dir, "PM-2026-0102")
    assert '<a href="trace.zip">PM-2026-0102/trace.zip</a>' in own
    assert f"playwright show-trace {run_dir.resolve() / 'PM-2026-0102' / 'trace.zip'}" in own


def test_paths_leaving_the_run_folder_are_never_linked(report: str, run_dir: Path) -> None:
    for name, html in every_page(run_dir).items():
        assert "javascript:" not in html, name
        assert "outside.png" not in html, name
        assert "/etc/passwd" not in html, name
    own = page(run_dir, "PM-2026-0103")
    assert re.findall(r'<img loading="lazy" src="([^"]+)"', own) == [PurePosixPath(SHOT_0103).name]
    assert "5 evidence paths outside the run folder were not shown" in own


@pytest.mark.parametrize(
    "raw",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "data:image/png;base64,AAAA",
        "file:///etc/passwd",
        "C:/Windows/win.ini",
        "/etc/passwd",
        "../x.png",
        "a/../../x.png",
        "a\\..\\x.png",
        "a.png?x=1",
        "a\nb.png",
        "",
        ".",
        None,
        42,
    ],
)
def test_safe_relative_url_refuses_anything_but_a_path_inside_the_run(
    tmp_path: Path, raw: object
) -> None:
    assert safe_relative_url(tmp_path, raw) is None


def test_safe_relative_url_refuses_a_symlink_out_of_the_run(tmp_path: Path) -> None:
    run = tmp_path / "run"
    (run / "PM-1").mkdir(parents=True)
    (run / "escape").symlink_to(tmp_path)
    (tmp_path / "secret.png").write_bytes(png_bytes())
    (run / "PM-1" / "001-leak.png").symlink_to(tmp_path / "secret.png")
    assert safe_relative_url(run, "escape/secret.png") is None
    assert safe_relative_url(run, "PM-1/001-leak.png") is None


def test_safe_relative_url_quotes_a_path_inside_the_run(tmp_path: Path) -> None:
    assert safe_relative_url(tmp_path, "PM 1/001-a#b.png") is None  # '#' would cut the URL
    assert safe_relative_url(tmp_path, "PM 1/001-a.png") == "PM%201/001-a.png"


def test_hostile_text_is_shown_as_text_and_never_as_markup(report: str, run_dir: Path) -> None:
    pages = every_page(run_dir)
    for name, html in pages.items():
        assert "<script" not in html, name
        assert HOSTILE not in html, name
        assert HOSTILE_DOSSIER not in html, name
        # every image is one of ours: lazy, with a path from the run folder
        assert re.findall(r"<img\b[^>]*>", html) == re.findall(
            r'<img loading="lazy" src="[A-Za-z0-9./-]+\.png" alt="[^"<>]*"(?: width="96" '
            r'height="60")?>',
            html,
        ), name
    assert escape(HOSTILE) in page(run_dir, "PM-2026-0102")
    assert escape(HOSTILE_DOSSIER) in report
    assert escape(HOSTILE_DOSSIER) in page(run_dir, HOSTILE_DOSSIER)


def test_a_hostile_dossier_number_gets_a_folder_inside_the_run(report: str, run_dir: Path) -> None:
    folder = dossier_folder(HOSTILE_DOSSIER)
    assert re.fullmatch(r"[A-Za-z0-9._-]+", folder) and not folder.startswith(("_", "."))
    assert (run_dir / folder / "index.html").is_file()


def test_pages_block_scripts_and_need_nothing_from_the_network(report: str, run_dir: Path) -> None:
    for name, html in every_page(run_dir).items():
        assert "script-src" not in html, name  # default-src 'none' covers scripts
        assert "default-src 'none'" in html, name
        assert not re.search(r"""(src|href)=["']?(https?:)?//""", html), name
        assert "@import" not in html, name
        assert "<script" not in html, name
    css = (run_dir / PAGES_DIR / "report.css").read_text(encoding="utf-8")
    assert "url(" not in css and "@import" not in css


def test_log_lines_are_shown_on_their_dossiers_page(report: str, run_dir: Path) -> None:
    own = page(run_dir, "PM-2026-0102")
    assert f"dossier incomplete: {escape(HOSTILE)}" in own
    assert "WARNING" in own
    assert "check_complete" in own
    assert "Winformex answered 502" in page(run_dir, "PM-2026-0103")
    assert all("\x1b" not in html for html in every_page(run_dir).values())
    assert "Log (0 lines)" in page(run_dir, "PM-2026-0105")
    assert "Log (1 line)" in own


def test_lines_of_no_dossier_go_to_the_run_log_and_bad_lines_are_skipped(
    report: str, run_dir: Path
) -> None:
    assert '<a href="_report/run-log.html" id="run-log-link">Run log (1 line)</a>' in report
    run_log = (run_dir / PAGES_DIR / "run-log.html").read_text(encoding="utf-8")
    assert "run started: 5 dossier(s)" in run_log
    assert not any("not a JSON line" in html for html in every_page(run_dir).values())


def test_dry_run_values_are_shown(report: str, run_dir: Path) -> None:
    own = page(run_dir, "PM-2026-0105")
    assert "Values that would be written (dry run)" in own
    assert '<th title="assignment_number">opdrachtnummer</th>' in own
    assert "IX-2026-004720" in own


def test_missing_screenshot_file_is_named_not_shown_broken(run_dir: Path) -> None:
    (run_dir / SHOTS_0101[1]).unlink()
    report = build_report(run_dir, language="en").read_text(encoding="utf-8")
    own = page(run_dir, "PM-2026-0101")
    assert "screenshot file missing" in own
    assert PurePosixPath(SHOTS_0101[1]).name not in own
    assert SHOTS_0101[0] in report  # the last one there is the row's thumbnail


def test_unfinished_run_says_so_and_how_to_resume(tmp_path: Path) -> None:
    run_dir = make_run(tmp_path / "run", finished=False)
    report = build_report(run_dir, language="en").read_text(encoding="utf-8")
    assert "This run did not finish" in report
    assert "<code>informex-bot batch --resume 20261128-023000-3fa1</code>" in report
    assert "not finished" in report


def test_a_run_in_progress_says_so_and_what_to_follow(tmp_path: Path) -> None:
    run_dir = make_run(tmp_path / "run", finished=False)
    document = json.loads((run_dir / "results.json").read_text(encoding="utf-8"))
    (run_dir / "results.json").write_text(json.dumps({**document, "unfinished": 7}))
    report = build_report(run_dir, language="en", running=(4242, "werkplaats-pc")).read_text(
        encoding="utf-8"
    )
    assert "This run is still in progress (pid 4242 on werkplaats-pc)" in report
    assert "dossiers still to do: 7" in report
    assert "<code>informex-bot report 20261128-023000-3fa1</code>" in report
    assert "<title>informex-bot · run 20261128-023000-3fa1 · in progress</title>" in report
    assert "This run did not finish" not in report


def test_the_reason_a_run_stopped_comes_first(tmp_path: Path) -> None:
    run_dir = make_run(tmp_path / "run", finished=False)
    document = json.loads((run_dir / "results.json").read_text(encoding="utf-8"))
    error = "no dossier was started: winformex refused the login of 'hersteller': Onjuist"
    (run_dir / "results.json").write_text(json.dumps({**document, "error": error}))
    report = build_report(run_dir, language="en").read_text(encoding="utf-8")
    assert f"The run stopped: {escape(error)}" in report
    assert report.index('data-testid="run-error"') < report.index('data-testid="verdict"')


def test_report_without_log_file_still_builds(run_dir: Path) -> None:
    (run_dir / "bot.log.jsonl").unlink()
    report = build_report(run_dir, language="en").read_text(encoding="utf-8")
    assert "Log (0 lines)" in page(run_dir, "PM-2026-0102")
    assert "run-log" not in report
    assert not (run_dir / PAGES_DIR / "run-log.html").exists()


def test_rebuilding_replaces_the_report_and_leaves_no_temporary_file(run_dir: Path) -> None:
    build_report(run_dir)
    first = {name: (run_dir / name).stat().st_mtime_ns for name in every_page(run_dir)}
    path = build_report(run_dir)
    assert path == run_dir / "report.html"
    assert not [p for p in run_dir.rglob(".*") if p.is_file() and p.suffix == ".tmp"]
    unchanged = [name for name in first if name != "report.html"]
    assert all((run_dir / name).stat().st_mtime_ns == first[name] for name in unchanged)


def test_pages_an_earlier_build_had_and_this_one_does_not_are_removed(run_dir: Path) -> None:
    stale = run_dir / PAGES_DIR / "dossiers-9.html"
    build_report(run_dir)
    stale.write_text("<p>old</p>", encoding="utf-8")
    build_report(run_dir)
    assert not stale.exists()


def test_missing_results_is_a_report_error(tmp_path: Path) -> None:
    with pytest.raises(ReportError, match=r"results\.json"):
        build_report(tmp_path)
    assert not (tmp_path / "report.html").exists()


# -- junit.xml --------------------------------------------------------------------------------
def test_junit_has_one_testcase_per_dossier_with_the_right_counts(run_dir: Path) -> None:
    suite = ET.parse(write_junit(run_dir)).getroot()
    assert suite.tag == "testsuite"
    assert suite.attrib["tests"] == "5"
    assert suite.attrib["failures"] == "1"
    assert suite.attrib["errors"] == "1"
    assert float(suite.attrib["time"]) == pytest.approx(18.67 + 3.9 + 95.2 + 1.0 + 1.0)
    cases = suite.findall("testcase")
    assert [c.attrib["name"] for c in cases] == [
        "PM-2026-0101",
        "PM-2026-0102",
        "PM-2026-0103",
        HOSTILE_DOSSIER,
        "PM-2026-0105",
    ]
    assert {c.attrib["classname"] for c in cases} == {"informex-bot"}
    assert cases[0].attrib["time"] == "18.670"


def test_junit_business_error_is_a_failure_and_system_error_an_error(run_dir: Path) -> None:
    suite = ET.parse(write_junit(run_dir)).getroot()
    cases = {c.attrib["name"]: c for c in suite.findall("testcase")}
    failure = cases["PM-2026-0102"].find("failure")
    assert failure is not None
    assert failure.attrib["type"] == "business_error"
    assert HOSTILE in failure.attrib["message"]
    assert HOSTILE in (failure.text or "")
    error = cases["PM-2026-0103"].find("error")
    assert error is not None
    assert error.attrib["message"].startswith("Winformex answered 502 on Opslaan[0m")
    for passed in ("PM-2026-0101", HOSTILE_DOSSIER, "PM-2026-0105"):
        assert cases[passed].find("failure") is None
        assert cases[passed].find("error") is None


def test_junit_escapes_markup_instead_of_embedding_it(run_dir: Path) -> None:
    text = write_junit(run_dir).read_text(encoding="utf-8")
    assert "<script>" not in text
    assert "&lt;script&gt;" in text
    assert "\x1b" not in text


def test_junit_names_the_shop_of_a_dossier_as_its_class(run_dir: Path) -> None:
    document = json.loads((run_dir / "results.json").read_text(encoding="utf-8"))
    document["dossiers"][0]["profile"] = "Janssens Gent"
    (run_dir / "results.json").write_text(json.dumps(document), encoding="utf-8")
    cases = ET.parse(write_junit(run_dir)).getroot().findall("testcase")
    assert [c.attrib["classname"] for c in cases[:2]] == [
        "informex-bot.Janssens Gent",
        "informex-bot",
    ]
