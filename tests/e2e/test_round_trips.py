"""What one dossier costs the portals: page loads and POSTs, counted by the mock (issue 16).

The bot opens the PlanManager dossier and searches the Winformex inbox by their addresses,
reads each screen once and verifies the 2e circuit on the page Winformex shows after Opslaan.
These counts are what `docs/performance.md` reports; a change that adds a round trip fails here.
"""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page

from bot.domain.models import DossierStatus
from bot.evidence.recorder import Recorder
from bot.pages.labels import labels_for
from bot.pages.login import LoginPage
from bot.pages.winformex.second_circuit import SecondCircuitPage
from bot.settings import Settings
from mock_portal.process import MockPortalProcess
from tests import seeds
from tests.e2e.helpers import run_bot

LANDINGS = (
    "page_load GET /planmanager/",
    "page_load GET /planmanager/dossiers",
    "page_load GET /winformex/",
)
"""Where a login lands (and the language check looks): the run's cost, not the dossier's."""


def dossier_round_trips(by_path: dict[str, int]) -> dict[str, int]:
    """Page loads and POSTs of the dossier's own work: logins, landings and logouts left out."""
    return {
        key: count
        for key, count in by_path.items()
        if not key.startswith("other ")
        and key not in LANDINGS
        and "login" not in key
        and "logout" not in key
    }


def test_a_linked_dossier_costs_the_documented_round_trips(
    portal: MockPortalProcess, settings: Settings
) -> None:
    portal.requests(clear=True)

    result, _ = run_bot(settings)

    assert result.status is DossierStatus.LINKED, result.error
    trips = dossier_round_trips(portal.requests()["by_path"])
    assert "page_load GET /planmanager/dossiers?q" not in trips  # opened by its address
    # opened, read again just before the "i" (never inject from an old read), the answer to the
    # "i", and at most one reload while the injection is pending
    assert 3 <= trips.pop("page_load GET /planmanager/dossiers/{id}") <= 4
    assert trips == {
        "page_load GET /winformex/?q": 2,  # the assignment (by VIN), the imported dossiers
        "page_load GET /winformex/dossiers/{id}": 1,
        "page_load GET /winformex/dossiers/{id}/2e-circuit": 1,  # through the menu
        "page_load GET /winformex/dossiers/{id}/2e-circuit?opgeslagen": 1,  # verified here
        "post POST /planmanager/dossiers/{id}/inject": 1,
        "post POST /winformex/dossiers/{id}/2e-circuit": 1,
    }


def test_the_2e_circuit_counts_as_stored_only_as_loaded_and_untouched(
    portal: MockPortalProcess, page: Page, tmp_path: Path, settings: Settings
) -> None:
    """What lets verification skip its reopen (`SecondCircuitPage.shows_stored`)."""
    portal.reset(seeds.already_injected())
    recorder = Recorder(tmp_path, tmp_path, screenshots="off", trace="off")
    login = LoginPage(page, recorder, settings.winformex)
    login.open()
    login.log_in(settings.winformex.username, settings.winformex.password)
    # Dutch screens (the seed's user), whatever language an earlier test left remembered
    form = SecondCircuitPage(page, recorder, portal.winformex_url, labels_for("nl"))

    form.open("WX-2026-000017")
    assert form.shows_stored("WX-2026-000017")
    assert not form.shows_stored("WX-2026-000018")  # another dossier's form
    form.inputs["vin"].fill("WVWZZZ1KZ8W000001")  # typed, not saved
    assert not form.shows_stored("WX-2026-000017")
    form.inputs["vin"].fill("")  # back to what was loaded
    assert form.shows_stored("WX-2026-000017")
    form.inputs["particle_filter"].check()
    assert not form.shows_stored("WX-2026-000017")
