"""The morning report opened as the office manager opens it: a file in real Chromium.

The unit tests read the HTML; these prove what a browser makes of it: the counts are on screen,
every screenshot actually loads from its relative path, a script planted in portal text stays
text, and the "Only failures" filter works with no script at all. No mock portal is needed.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from bot.evidence.html_report import build_report
from tests.unit.test_report import HOSTILE, HOSTILE_DOSSIER, SHOTS_0101, SHOTS_0102, make_run

IMAGE_LOADED = """img => img.complete
    ? img.naturalWidth
    : new Promise(done => {
        img.addEventListener("load", () => done(img.naturalWidth));
        img.addEventListener("error", () => done(0));
    })"""


@pytest.fixture
def report(tmp_path: Path) -> Path:
    return build_report(make_run(tmp_path / "runs" / "20261128-023000-3fa1"))


@pytest.fixture
def opened(browser: Browser, report: Path) -> Iterator[Page]:
    """The report, opened from the file system in a fresh context of the machine's Chromium.

    pytest-playwright's `page` cannot be used here: its session-scoped `browser_context_args`
    asks for `base_url`, which tests/conftest.py ties to the function-scoped mock portal (a
    ScopeMismatch). Its `browser` is used instead; the report needs no portal.
    """
    context = browser.new_context(viewport={"width": 1280, "height": 860})
    page = context.new_page()
    page.goto(report.as_uri())
    yield page
    context.close()


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
        "2 of 5 dossiers failed and need a person; see the table below."
    )
    expect(opened).to_have_title("informex-bot · run 20261128-023000-3fa1 · 2 failed")


def test_every_screenshot_in_the_report_loads(opened: Page) -> None:
    for summary in opened.locator("summary", has_text="Screenshots").all():
        if summary.locator("xpath=..").get_attribute("open") is None:
            summary.click()
    images = opened.locator("img")
    expect(images).to_have_count(6)
    for image in images.all():
        image.scroll_into_view_if_needed()
        assert image.evaluate(IMAGE_LOADED) > 0, image.get_attribute("src")


def test_screenshots_are_in_order_and_open_full_size(opened: Page) -> None:
    section = opened.get_by_role("region", name="Dossier PM-2026-0102")
    expect(section.locator("img")).to_have_count(3)
    assert [img.get_attribute("src") for img in section.locator("img").all()] == SHOTS_0102
    expect(section.locator(".cap").first).to_have_text("001 open-dossier · open dossierlijst")
    with opened.expect_popup() as popup:
        section.locator("a.thumb").nth(2).click()
    assert popup.value.url.endswith(SHOTS_0102[2])


def test_planted_script_does_not_run_and_shows_as_text(opened: Page) -> None:
    section = opened.get_by_role("region", name="Dossier PM-2026-0102")
    expect(section.locator(".error")).to_contain_text(HOSTILE)
    expect(section.get_by_role("cell", name=f"dossier incomplete: {HOSTILE}")).to_be_visible()
    expect(opened.get_by_role("heading", name=HOSTILE_DOSSIER)).to_be_visible()
    expect(opened.locator('img[src="x"]')).to_have_count(0)
    assert opened.evaluate("typeof window.__pwned") == "undefined"


def test_a_row_leads_to_its_dossier_section(opened: Page) -> None:
    opened.get_by_role("link", name="PM-2026-0103").click()
    expect(opened).to_have_url(f"{opened.url.split('#')[0]}#dossier-2")
    expect(opened.get_by_role("heading", name="PM-2026-0103")).to_be_in_viewport()


def test_only_failures_filter_hides_the_successes(opened: Page) -> None:
    rows = opened.locator("table.dossiers tbody tr")
    linked_row = rows.filter(has_text="PM-2026-0101")
    failed_row = rows.filter(has_text="PM-2026-0102")
    linked_section = opened.get_by_role("region", name="Dossier PM-2026-0101")

    opened.get_by_label("Only failures").check()
    expect(rows.filter(visible=True)).to_have_count(2)
    expect(linked_row).to_be_hidden()
    expect(linked_section).to_be_hidden()
    expect(failed_row).to_be_visible()

    opened.get_by_label("Only failures").uncheck()
    expect(rows.filter(visible=True)).to_have_count(5)
    expect(linked_row).to_be_visible()
    expect(linked_section.locator("img")).to_have_count(len(SHOTS_0101))
