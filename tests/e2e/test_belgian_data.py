"""Belgian data as real shops have it, end to end against the mock portal.

Claim numbers written with dots or slashes on one side and plainly on the other, a car with two
assignments, an assignment that matches everything but the VIN, an old car with a short chassis
number, an electric car with its mileage unknown: each links, or is refused with a message that
says why, without a dossier fee paid for nothing.
"""

from __future__ import annotations

import pytest

from bot.domain.models import DossierStatus
from bot.settings import Settings, load_settings
from mock_portal.process import MockPortalProcess
from tests import seeds
from tests.e2e.helpers import pm_dossier, run_bot, wx_dossiers_of

REREGISTERED_PLATE = "2-KLM-517"
"""The car's plate since it changed holder: the insurer's assignment still has the old one."""


@pytest.mark.parametrize(
    ("ours", "theirs", "insurer"),
    [
        ("31.447.902", "31447902", "Baloise"),
        ("ETH/2026/55817", "eth-2026-55817", "Ethias"),
    ],
)
def test_a_claim_number_written_another_way_links_the_assignment(
    portal: MockPortalProcess, settings: Settings, ours: str, theirs: str, insurer: str
) -> None:
    dossier = seeds.dossier(
        insurer=insurer, claim_number=ours, vehicle={"plate": REREGISTERED_PLATE}
    )
    assignment = seeds.assignment(
        "IX-2026-031447", insurer=insurer, claim_number=theirs, vin=None, plate="1ABC234"
    )
    portal.reset(seeds.world([dossier], [assignment]))

    result, _ = run_bot(settings)

    assert result.status is DossierStatus.LINKED, result.error
    assert result.assignment == "IX-2026-031447"
    [wx] = wx_dossiers_of(portal)
    assert wx["second_circuit"]["assignment_number"] == "IX-2026-031447"
    assert pm_dossier(portal)["injections"] == 1


def test_of_two_assignments_for_the_car_the_one_with_the_dossiers_claim_is_linked(
    portal: MockPortalProcess, settings: Settings
) -> None:
    dossier = seeds.dossier(insurer="AXA Belgium", claim_number="AXA 2026.0815.44")
    last_year = seeds.assignment(
        "IX-2026-000101", insurer="AXA Belgium", claim_number="AXA-2025-0412-09", date="2026-01-12"
    )
    this_claim = seeds.assignment(
        "IX-2026-000102", insurer="AXA", claim_number="axa/2026/0815/44", date="2026-11-21"
    )
    portal.reset(seeds.world([dossier], [last_year, this_claim]))

    result, _ = run_bot(settings)

    assert result.status is DossierStatus.LINKED, result.error
    assert result.assignment == "IX-2026-000102"
    [wx] = wx_dossiers_of(portal)
    assert wx["second_circuit"]["assignment_number"] == "IX-2026-000102"


def test_this_damages_assignment_found_by_plate_beats_last_years_found_by_vin(
    portal: MockPortalProcess, settings: Settings
) -> None:
    """Last year's assignment for the car has its VIN; this damage's came without one, so only
    the plate search finds it. The VIN search alone would have linked last year's."""
    dossier = seeds.dossier(insurer="Ethias", claim_number="ETH/2026/55817")
    last_year = seeds.assignment(
        "IX-2026-000301", insurer="Ethias", claim_number="ETH/2025/10422", date="2025-10-02"
    )
    this_damage = seeds.assignment(
        "IX-2026-000302", insurer="Ethias", claim_number="eth-2026-55817", vin=None
    )
    portal.reset(seeds.world([dossier], [last_year, this_damage]))

    result, _ = run_bot(settings)

    assert result.status is DossierStatus.LINKED, result.error
    assert result.assignment == "IX-2026-000302"
    [wx] = wx_dossiers_of(portal)
    assert wx["second_circuit"]["assignment_number"] == "IX-2026-000302"
    assert pm_dossier(portal)["injections"] == 1


def test_a_no_match_names_the_candidate_with_another_vin_and_injects_nothing(
    portal: MockPortalProcess, settings: Settings
) -> None:
    other_vin = "WVWZZZ1KZ8W654321"  # same plate and claim number, but another Golf
    portal.reset(seeds.world(assignments=[seeds.assignment("IX-2026-000201", vin=other_vin)]))

    result, _ = run_bot(settings)

    assert result.status is DossierStatus.BUSINESS_ERROR
    error = result.error or ""
    assert error.startswith(f"No insurance assignment matches VIN {seeds.VEHICLE['vin']}, ")
    assert (
        f"\n- IX-2026-000201 (AG Insurance): other VIN {other_vin}; same plate; same claim number"
        in error
    )
    assert pm_dossier(portal)["injections"] == 0
    assert wx_dossiers_of(portal) == []


def test_an_old_car_with_a_short_chassis_number_links_with_the_legacy_setting(
    portal: MockPortalProcess, bot_env: dict[str, str]
) -> None:
    chassis = "1182047311"  # a 1978 Beetle: ten digits, no VIN
    beetle = seeds.dossier(
        vehicle={
            "vin": chassis,
            "make": "Volkswagen",
            "model": "Kever 1200",
            "first_registration": "1978-05-02",
            "mileage_km": None,
            "power_kw": 25,
            "displacement_cc": 1192,
            "co2": None,
            "particle_filter": False,
        }
    )
    portal.reset(seeds.world([beetle], [seeds.assignment(vin=chassis)]))
    settings = load_settings({**bot_env, "BOT_LEGACY_CHASSIS": "true"})

    result, _ = run_bot(settings)

    assert result.status is DossierStatus.LINKED, result.error
    [wx] = wx_dossiers_of(portal)
    assert wx["second_circuit"]["vin"] == chassis
    assert wx["second_circuit"]["first_registration"] == "1978-05-02"
    assert pm_dossier(portal)["injections"] == 1


def test_an_electric_car_with_unknown_mileage_links_with_zero_cc_and_co2(
    portal: MockPortalProcess, settings: Settings
) -> None:
    vin = "U5YH2813GNL012345"  # a Kia built in Slovakia
    ev = seeds.dossier(
        customer={"name": "Hélène Van den Brœck", "phone": "02/511.42.07"},
        insurer="KBC Verzekeringen",
        claim_number="KBC/26/008 812",
        vehicle={
            "plate": "2-EVK-441",
            "vin": vin,
            "make": "Kia",
            "model": "e-Niro",
            "first_registration": "2020-02-29",
            "mileage_km": None,
            "power_kw": 150,
            "displacement_cc": 0,
            "co2": 0,
            "engine_type": "elektrisch",
            "particle_filter": False,
        },
    )
    assignment = seeds.assignment(
        insurer="KBC", claim_number="KBC-26-008812", plate="2EVK441", vin=vin
    )
    portal.reset(seeds.world([ev], [assignment]))

    result, _ = run_bot(settings)

    assert result.status is DossierStatus.LINKED, result.error
    [wx] = wx_dossiers_of(portal)
    circuit = wx["second_circuit"]
    assert circuit["first_registration"] == "2020-02-29"
    assert (circuit["mileage_km"], circuit["mileage_unknown"]) == (None, True)
    assert (circuit["displacement_cc"], circuit["co2"]) == (0, 0)
    assert circuit["engine_type"] == "elektrisch"
