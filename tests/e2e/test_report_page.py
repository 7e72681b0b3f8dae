"""The morning report opened as the office opens it: files in real Chromium.

The unit tests read the HTML; these prove what a browser makes of it: the counts are on screen,
every screenshot actually loads from its relative path, a script planted in portal text stays
text, links lead from the index to a dossier's page and back, and a generated night of 5,000
dossiers for 100 shops gives an index, shop pages, list pages and dossier pages that stay
small and open quickly (sizes and load times asserted loosely, printed for the record). No
mock portal is needed.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from bot.evidence.html_report import INDEX_FAILURES, PAGE_SIZE, build_report
from tests.generated_run import generate_run
from tests.unit.test_report import HOSTILE, HOSTILE_DOSSIER, SHOTS_0102, make_run

IMAGE_LOADED = """img => img.complete
    ? img.naturalWidth
    : new Promise(done => {
        img.addEventListener("load", () => done(img.naturalWidth));
        img.addEventListener("error", () => done(0));
    })"""
LOAD_MS = "performance.getEntriesByType('navigation')[0].loadEventEnd"


@pytest.fixture
def context_page(browser: Browser) -> Iterator[Page]:
    """A fresh context of the machine's Chromium.

    pytest-playwright's `page` cannot be used here: its session-scoped `browser_context_args`
    asks for `base_url`, which tests/conftest.py ties to the function-scoped mock portal (a
    ScopeMismatch). Its `browser` is used instead; the report needs no portal.
    """
    context = browser.new_context(viewport={"width": 1280, "height": 860})
    yield context.new_page()
    context.close()


@pytest.fixture
def small(tmp_path: Path) -> Path:
    run_dir = make_run(tmp_path / "runs" / "20261128-023000-3fa1")
    build_report(run_dir, language="en")
    return run_dir


@pytest.fixture
def opened(context_page: Page, small: Path) -> Page:
    context_page.goto((small / "report.html").as_uri())
    return context_page


def every_image_loads(page: Page) -> int:
    images = page.locator("img")
    for image in images.all():
        image.scroll_into_view_if_needed()
        assert image.evaluate(IMAGE_LOADED) > 0, image.get_attribute("src")
    return images.count()


# -- a small run ---------------------------------------------------------------------------------
def test_report_page_shows_the_summary_counts(opened: Page) -> None:
    expected = {
        "linked": "1",
        "already_linked": "1",
        "business_error": "1",
        "system_error": "1",
        "dry_run": "1",
        "total": "5",
        "attempts": "7",
    }
    for key, count in expected.items():
        expect(opened.get_by_test_id(f"count-{key}").locator("dd")).to_have_text(count)
    expect(opened.get_by_test_id("verdict")).to_have_text(
        "2 of 5 dossiers failed and need a person; see the list below."
    )
    expect(opened).to_have_title("informex-bot · run 20261128-023000-3fa1 · 2 failed")
    expect(opened.locator("body")).to_have_css("background-color", "rgb(246, 248, 250)")


def test_every_thumbnail_on_the_index_and_every_screenshot_of_a_dossier_loads(
    opened: Page,
) -> None:
    assert every_image_loads(opened) == 3
    opened.get_by_role("link", name="PM-2026-0102", exact=True).click()
    assert every_image_loads(opened) == len(SHOTS_0102)


def test_screenshots_are_in_order_and_open_full_size(opened: Page) -> None:
    opened.get_by_role("link", name="PM-2026-0102", exact=True).click()
    expect(opened).to_have_title("informex-bot · run 20261128-023000-3fa1 · Dossier PM-2026-0102")
    images = opened.locator("ol.shots img")
    assert [img.get_attribute("src") for img in images.all()] == [
        name.split("/")[-1] for name in SHOTS_0102
    ]
    expect(opened.locator(".cap").first).to_have_text("001 open dossier · open dossierlijst")
    with opened.expect_popup() as popup:
        opened.locator("a.thumb").nth(2).click()
    assert popup.value.url.endswith(SHOTS_0102[2])


def test_planted_script_does_not_run_and_shows_as_text(opened: Page) -> None:
    expect(opened.get_by_role("link", name=HOSTILE_DOSSIER)).to_be_visible()
    opened.get_by_role("link", name="PM-2026-0102", exact=True).click()
    expect(opened.get_by_test_id("error")).to_contain_text(HOSTILE)
    expect(opened.get_by_role("cell", name=f"dossier incomplete: {HOSTILE}")).to_be_visible()
    expect(opened.locator('img[src="x"]')).to_have_count(0)
    assert opened.evaluate("typeof window.__pwned") == "undefined"
    opened.get_by_role("link", name="Overview").click()
    opened.get_by_role("link", name=HOSTILE_DOSSIER, exact=True).click()
    expect(opened.get_by_role("heading", name=f"Dossier {HOSTILE_DOSSIER}")).to_be_visible()
    assert opened.evaluate("typeof window.__pwned") == "undefined"


def test_a_row_leads_to_its_dossier_and_on_to_the_next(opened: Page) -> None:
    opened.get_by_role("link", name="PM-2026-0103", exact=True).click()
    expect(opened.get_by_role("heading", name="Dossier PM-2026-0103")).to_be_visible()
    expect(opened.get_by_test_id("error")).to_contain_text("Winformex answered 502")
    opened.get_by_role("link", name="next dossier →").click()
    expect(opened.get_by_role("heading", name="Dossier PM-2026-0105")).to_be_visible()
    expect(opened.get_by_role("cell", name="IX-2026-004720")).to_be_visible()
    opened.get_by_role("link", name="Page 1 of 1").click()
    expect(opened.locator("table.dossiers tbody tr")).to_have_count(5)


def test_the_office_reads_it_in_dutch(context_page: Page, small: Path) -> None:
    build_report(small, language="nl")
    context_page.goto((small / "report.html").as_uri())
    expect(context_page.get_by_test_id("verdict")).to_have_text(
        "2 van de 5 dossiers zijn mislukt en vragen een mens; zie de lijst hieronder."
    )
    expect(context_page.get_by_role("heading", name="Vraagt een mens (2)")).to_be_visible()
    context_page.get_by_role("link", name="PM-2026-0101", exact=True).click()
    expect(context_page.locator(".pill").first).to_have_text("Gekoppeld")
    expect(context_page.locator(".cap").last).to_have_text("002 koppelen · klik op opslaan")


# -- a night of 5,000 dossiers for 100 shops -------------------------------------------------------
@pytest.fixture(scope="module")
def night(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, object]]:
    """A generated run of 5,000 dossiers for 100 shops, reported in Dutch, with the build's
    time; the figures the tests measure are added to it and printed at the end."""
    run_dir = tmp_path_factory.mktemp("night") / "runs" / "20261128-023000-5k00"
    generated = generate_run(run_dir, 5000, shops=100)
    started = time.monotonic()
    build_report(run_dir, language="nl")
    figures: dict[str, object] = {
        "run_dir": run_dir,
        "dossiers": generated.dossiers,
        "failures": generated.failures,
        "screenshots": generated.screenshots,
        "build_s": round(time.monotonic() - started, 1),
    }
    yield figures
    print("\nreport of 5,000 dossiers:", json.dumps({k: str(v) for k, v in figures.items()}))


def open_timed(page: Page, path: Path) -> float:
    page.goto(path.as_uri())
    return float(page.evaluate(LOAD_MS))


def test_the_index_of_5000_dossiers_is_small_and_opens_within_a_second(
    context_page: Page, night: dict[str, object]
) -> None:
    run_dir = night["run_dir"]
    assert isinstance(run_dir, Path)
    index = run_dir / "report.html"
    night["index_kb"] = round(index.stat().st_size / 1024)
    assert index.stat().st_size < 1_000_000
    night["index_load_ms"] = load_ms = open_timed(context_page, index)
    assert load_ms < 2000  # under a second on a quiet machine; loosely, for a busy CI
    expect(context_page.get_by_test_id("count-total").locator("dd")).to_have_text("5.000")
    assert context_page.locator("img").count() <= INDEX_FAILURES
    failures = context_page.locator("#failures table.dossiers tbody tr")
    expect(failures).to_have_count(INDEX_FAILURES)
    expect(context_page.locator("#shops tbody tr")).to_have_count(100)
    expect(context_page.locator("#dossiers nav.pager a")).to_have_count(25)


def test_a_shop_line_leads_to_that_shops_page(context_page: Page, night: dict[str, object]) -> None:
    run_dir = night["run_dir"]
    assert isinstance(run_dir, Path)
    context_page.goto((run_dir / "report.html").as_uri())
    line = context_page.locator("#shops tbody tr").first
    shop = line.locator("a").inner_text()
    total = line.locator("td").last.inner_text()
    line.get_by_role("link").click()
    expect(context_page.get_by_role("heading", name=f"Carrosserie {shop}")).to_be_visible()
    night["shop_page_load_ms"] = context_page.evaluate(LOAD_MS)
    night["shop_page_kb"] = round(len(context_page.content().encode()) / 1024)
    rows = context_page.locator("table.dossiers tbody tr")
    expect(rows).to_have_count(int(total))
    assert rows.first.get_attribute("data-status") in ("business_error", "system_error")


def test_every_list_page_holds_at_most_one_page_of_dossiers(
    context_page: Page, night: dict[str, object]
) -> None:
    run_dir = night["run_dir"]
    assert isinstance(run_dir, Path)
    context_page.goto((run_dir / "report.html").as_uri())
    context_page.locator("#dossiers nav.pager").get_by_role("link", name="25").click()
    expect(context_page.locator("table.dossiers tbody tr")).to_have_count(PAGE_SIZE)
    context_page.get_by_role("link", name="← vorige").first.click()
    expect(context_page.locator("nav.pager [aria-current]").first).to_have_text("24")
    night["list_page_load_ms"] = load = open_timed(
        context_page, run_dir / "_report" / "dossiers-1.html"
    )
    assert load < 3000
    pages = sorted((run_dir / "_report").glob("*.html"))
    night["largest_list_page_kb"] = round(max(p.stat().st_size for p in pages) / 1024)
    assert all(p.read_text(encoding="utf-8").count("<img ") <= PAGE_SIZE for p in pages)


def test_a_failure_opens_on_its_own_page_with_its_film_strip(
    context_page: Page, night: dict[str, object]
) -> None:
    run_dir = night["run_dir"]
    assert isinstance(run_dir, Path)
    context_page.goto((run_dir / "report.html").as_uri())
    first = context_page.locator("#failures table.dossiers tbody tr").first
    dossier = first.locator("td").nth(1).inner_text()
    first.get_by_role("link", name=dossier).click()
    expect(context_page.get_by_role("heading", name=f"Dossier {dossier}")).to_be_visible()
    expect(context_page.get_by_test_id("error")).to_contain_text(
        "Geen verzekeringsopdracht past bij chassisnummer"
    )
    night["dossier_page_load_ms"] = context_page.evaluate(LOAD_MS)
    night["dossier_page_kb"] = round(len(context_page.content().encode()) / 1024)
    assert every_image_loads(context_page) == 9
    context_page.get_by_role("link", name="Overzicht").click()
    expect(context_page.get_by_test_id("count-total")).to_be_visible()
