"""Two Winformex versions: the 2e circuit form behind a button, or behind a menu.

Shops' guidance describes both: the FAQ's button "Gegevens 2e circuit" at the bottom left of the
dossier (`--winformex-layout button`, the default) and, in other installations, the menu path
Bewerken → 2e circuit → expertise (`--winformex-layout menu`). Each layout shows only its own
way; both lead to the same form.
"""

from __future__ import annotations

from playwright.sync_api import Page, expect

from mock_portal.process import MockPortalProcess
from tests import seeds
from tests.conftest import PortalFactory
from tests.portal.conftest import AppFactory
from tests.portal.helpers import USERS_FR, Client, Html

DOSSIER = "WX-2026-000017"


def log_in(page: Page, portal: MockPortalProcess, user: dict[str, str], lang: str = "") -> None:
    page.goto(f"{portal.winformex_url}login{'?lang=' + lang if lang else ''}")
    page.locator("#username").fill(user["username"])
    page.locator("#password").fill(user["password"])
    page.locator("button[type=submit]").click()
    expect(page.locator("body[data-csrf]")).to_be_attached()


def open_dossier(page: Page, portal: MockPortalProcess) -> None:
    page.goto(f"{portal.winformex_url}dossiers/{DOSSIER}")


# -- in a browser -----------------------------------------------------------------------------
def test_the_menu_layout_reaches_the_form_through_bewerken_2e_circuit_expertise(
    page: Page, portal_factory: PortalFactory
) -> None:
    portal = portal_factory(winformex_layout="menu", seed=seeds.already_injected())
    assert portal.state()["winformex_layout"] == "menu"
    log_in(page, portal, seeds.WX_USER)
    open_dossier(page, portal)

    expect(page.get_by_role("button", name="Gegevens 2e circuit")).to_have_count(0)
    menubar = page.get_by_role("menubar", name="Dossiermenu")
    expect(menubar).to_be_visible()
    expertise = page.get_by_role("menuitem", name="expertise", exact=True)
    expect(expertise).to_be_hidden()

    edit = menubar.get_by_role("menuitem", name="Bewerken")
    edit.click()
    expect(edit).to_have_attribute("aria-expanded", "true")
    page.get_by_role("menuitem", name="2e circuit").click()
    expertise.click()

    expect(page.get_by_role("heading", name="Gegevens 2e circuit", level=1)).to_be_visible()
    page.get_by_label("Opdrachtnummer van de expertise 2e circuit").fill("IX-2026-004711")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("status")).to_contain_text("Gegevens 2e circuit opgeslagen.")
    [wx] = portal.state()["winformex"]["dossiers"]
    assert wx["second_circuit"]["assignment_number"] == "IX-2026-004711"


def test_the_menu_closes_on_escape_and_on_a_click_elsewhere(
    page: Page, portal_factory: PortalFactory
) -> None:
    portal = portal_factory(winformex_layout="menu", seed=seeds.already_injected())
    log_in(page, portal, seeds.WX_USER)
    open_dossier(page, portal)
    edit = page.get_by_role("menuitem", name="Bewerken")
    second_circuit = page.get_by_role("menuitem", name="2e circuit")

    edit.click()
    expect(second_circuit).to_be_visible()
    page.keyboard.press("Escape")
    expect(second_circuit).to_be_hidden()
    expect(edit).to_have_attribute("aria-expanded", "false")

    edit.click()
    expect(second_circuit).to_be_visible()
    page.get_by_role("contentinfo").click()  # the footer, far from the open menu
    expect(second_circuit).to_be_hidden()


def test_the_menu_is_french_for_a_french_user(page: Page, portal_factory: PortalFactory) -> None:
    portal = portal_factory(winformex_layout="menu", seed=seeds.already_injected())
    log_in(page, portal, seeds.WX_USER_FR, lang="fr")
    open_dossier(page, portal)
    expect(page.get_by_role("button", name="Données 2e circuit")).to_have_count(0)
    page.get_by_role("menubar", name="Menu du dossier").get_by_role(
        "menuitem", name="Éditer"
    ).click()
    page.get_by_role("menuitem", name="2e circuit").click()
    page.get_by_role("menuitem", name="expertise", exact=True).click()
    expect(page.get_by_role("heading", name="Données 2e circuit", level=1)).to_be_visible()


def test_the_button_layout_has_the_button_and_no_menu(
    page: Page, portal: MockPortalProcess
) -> None:
    portal.reset(seeds.already_injected())
    assert portal.state()["winformex_layout"] == "button"
    log_in(page, portal, seeds.WX_USER)
    open_dossier(page, portal)
    expect(page.get_by_role("menubar")).to_have_count(0)
    expect(page.get_by_role("menuitem")).to_have_count(0)
    page.get_by_role("button", name="Gegevens 2e circuit").click()
    expect(page.get_by_role("heading", name="Gegevens 2e circuit", level=1)).to_be_visible()


def test_each_layout_portal_runs_a_test_in_both_layouts(
    page: Page, each_layout_portal: MockPortalProcess
) -> None:
    layout = each_layout_portal.state()["winformex_layout"]
    each_layout_portal.reset(seeds.already_injected())
    log_in(page, each_layout_portal, seeds.WX_USER)
    open_dossier(page, each_layout_portal)
    buttons = page.get_by_role("button", name="Gegevens 2e circuit")
    expect(buttons).to_have_count(1 if layout == "button" else 0)
    expect(page.get_by_role("menubar")).to_have_count(1 if layout == "menu" else 0)


# -- the HTML contract, in-process --------------------------------------------------------------
def test_the_menu_is_an_accessible_menubar(make_app: AppFactory) -> None:
    wx = Client(make_app(winformex_layout="menu"))
    assert wx.login("winformex").status_code == 303
    page = Html(wx.get(f"/winformex/dossiers/{DOSSIER}").text)
    assert "Gegevens 2e circuit" not in page.buttons()
    [menubar] = page.role("menubar")
    assert menubar.attrs["aria-label"] == "Dossiermenu"
    items = [n.text().replace("›", "").strip() for n in page.role("menuitem")]
    assert items == ["Bewerken", "2e circuit", "expertise"]
    menus = page.role("menu")
    assert len(menus) == 2 and all("hidden" in m.attrs for m in menus)
    [expertise] = [n for n in page.role("menuitem") if n.text() == "expertise"]
    assert expertise.attrs["href"] == f"/winformex/dossiers/{DOSSIER}/2e-circuit"


def test_the_menu_layout_in_french(make_app: AppFactory) -> None:
    wx = Client(make_app(winformex_layout="menu"))
    assert wx.login("winformex", *USERS_FR["winformex"]).status_code == 303
    page = Html(wx.get(f"/winformex/dossiers/{DOSSIER}").text)
    items = [n.text().replace("›", "").strip() for n in page.role("menuitem")]
    assert items == ["Éditer", "2e circuit", "expertise"]
    assert "Données 2e circuit" not in page.buttons()


def test_the_layout_is_in_the_state(make_app: AppFactory) -> None:
    client = Client(make_app(winformex_layout="menu"))
    assert client.get("/_mock/state").json()["winformex_layout"] == "menu"
