"""The bot end to end against the real mock portal: the seed's procedure for one dossier."""

from __future__ import annotations

import pytest

from bot.domain.models import DossierStatus
from bot.pages.base import GET_RETRIES
from bot.settings import Settings
from mock_portal.process import MockPortalProcess
from tests import seeds
from tests.e2e.helpers import pm_dossier, run_bot, wx_dossiers_of


def test_links_dossier_with_given_assignment(portal: MockPortalProcess, settings: Settings):
    result, _ = run_bot(settings, assignment="IX-2026-004711")

    assert result.status is DossierStatus.LINKED, result.error
    assert result.attempts == 1
    assert pm_dossier(portal)["injections"] == 1
    [wx] = wx_dossiers_of(portal)
    assert result.informex_dossier == wx["number"]
    circuit = wx["second_circuit"]
    assert circuit["assignment_number"] == "IX-2026-004711"
    assert circuit["vin"] == seeds.VEHICLE["vin"]
    assert circuit["first_registration"] == "2019-03-14"
    assert circuit["mileage_km"] == 84512
    assert circuit["mileage_unknown"] is False
    assert (circuit["power_kw"], circuit["displacement_cc"], circuit["co2"]) == (85, 1498, 118)
    assert circuit["engine_type"] == "benzine"
    assert circuit["particle_filter"] is False
    assert wx["photos"] == 2


def test_finds_the_assignment_by_vin_among_others(portal: MockPortalProcess, settings: Settings):
    portal.reset(
        seeds.world(
            assignments=[
                seeds.assignment("IX-2026-000001", vin="VF1RFB00X56789012", plate="2XYZ987"),
                seeds.assignment(),
                seeds.assignment("IX-2026-000003", vin=None, plate="1DEF555", claim_number="X-1"),
            ]
        )
    )

    result, _ = run_bot(settings)

    assert result.status is DossierStatus.LINKED, result.error
    assert result.assignment == "IX-2026-004711"
    [wx] = wx_dossiers_of(portal)
    assert wx["second_circuit"]["assignment_number"] == "IX-2026-004711"


def test_finds_the_assignment_by_plate_when_it_has_no_vin(
    portal: MockPortalProcess, settings: Settings
):
    portal.reset(seeds.world(assignments=[seeds.assignment(vin=None, plate="1-abc-234")]))

    result, _ = run_bot(settings)

    assert result.status is DossierStatus.LINKED, result.error
    assert result.assignment == "IX-2026-004711"


@pytest.mark.smoke
def test_rerun_is_already_linked_and_never_injects_twice(
    portal: MockPortalProcess, settings: Settings
):
    first, _ = run_bot(settings)
    second, _ = run_bot(settings)

    assert first.status is DossierStatus.LINKED, first.error
    assert second.status is DossierStatus.ALREADY_LINKED, second.error
    assert second.informex_dossier == first.informex_dossier
    assert pm_dossier(portal)["injections"] == 1
    assert len(wx_dossiers_of(portal)) == 1
    assert wx_dossiers_of(portal)[0]["second_circuit"]["saves"] == 1


def test_different_opdrachtnummer_already_linked_is_not_overwritten(
    portal: MockPortalProcess, settings: Settings
):
    portal.reset(seeds.already_injected(linked_to="IX-2026-004799"))

    result, _ = run_bot(settings)

    assert result.status is DossierStatus.BUSINESS_ERROR
    assert "IX-2026-004799" in result.error and "IX-2026-004711" in result.error
    assert "--force" in result.error
    [wx] = wx_dossiers_of(portal)
    assert wx["second_circuit"]["assignment_number"] == "IX-2026-004799"
    assert pm_dossier(portal)["injections"] == 1


@pytest.mark.smoke
def test_no_matching_assignment_is_a_business_error_and_injects_nothing(
    portal: MockPortalProcess, settings: Settings
):
    portal.reset(
        seeds.world(
            assignments=[
                seeds.assignment(
                    "IX-2026-000001", vin="VF1RFB00X56789012", plate="2XYZ987", claim_number="Z"
                )
            ]
        )
    )

    result, _ = run_bot(settings)

    assert result.status is DossierStatus.BUSINESS_ERROR
    assert "WVWZZZ1KZ8W123456" in result.error
    assert result.attempts == 1
    assert pm_dossier(portal)["injections"] == 0
    assert wx_dossiers_of(portal) == []


def test_several_matching_assignments_are_named(portal: MockPortalProcess, settings: Settings):
    portal.reset(
        seeds.world(
            assignments=[
                seeds.assignment("IX-2026-000101", vin=None, claim_number="A-1"),
                seeds.assignment("IX-2026-000102", vin=None, claim_number="A-2"),
            ]
        )
    )

    result, _ = run_bot(settings)

    assert result.status is DossierStatus.BUSINESS_ERROR
    assert "IX-2026-000101" in result.error and "IX-2026-000102" in result.error
    assert pm_dossier(portal)["injections"] == 0


def test_incomplete_dossier_is_refused_before_injection(
    portal: MockPortalProcess, settings: Settings
):
    portal.reset(seeds.world(dossiers=[seeds.dossier(vehicle={"vin": None})]))

    result, _ = run_bot(settings, assignment="IX-2026-004711")

    assert result.status is DossierStatus.BUSINESS_ERROR
    assert "Chassisnummer (VIN)" in result.error
    assert "check_complete" in result.error
    assert pm_dossier(portal)["injections"] == 0


@pytest.mark.parametrize(
    ("overrides", "field", "value"),
    [
        ({"vin": "WVWZZZ1KZ8W12345"}, "vin", "WVWZZZ1KZ8W12345"),
        ({"vin": "WVWZZZ1KZ8WO23456"}, "vin", "WVWZZZ1KZ8WO23456"),
        ({"first_registration": "31/02/2019"}, "first_registration", "31/02/2019"),
        ({"first_registration": "01/01/2099"}, "first_registration", "01/01/2099"),
        ({"mileage_km": "-5"}, "mileage_km", "-5"),
        ({"power_kw": "99999"}, "power_kw", "99999"),
        ({"displacement_cc": "veel"}, "displacement_cc", "veel"),
        ({"co2": "5000"}, "co2", "5000"),
        ({"engine_type": "stoom"}, "engine_type", "stoom"),
    ],
)
def test_bad_value_is_refused_naming_field_and_value_with_nothing_written(
    portal: MockPortalProcess, settings: Settings, overrides: dict, field: str, value: str
):
    before = portal.state()

    result, _ = run_bot(settings, overrides=overrides)

    assert result.status is DossierStatus.BUSINESS_ERROR
    assert field in result.error and value in result.error
    assert portal.state() == before


def test_session_expiry_before_injection_relogs_and_injects_once(
    portal: MockPortalProcess, settings: Settings
):
    portal.set_faults(
        fail_next=[{"method": "POST", "path_contains": "/inject", "mode": "expire_session"}]
    )

    result, _ = run_bot(settings)

    assert result.status is DossierStatus.LINKED, result.error
    assert result.attempts == 1  # the step was redone after a new login, not the dossier
    assert pm_dossier(portal)["injections"] == 1


def test_session_expiry_on_save_relogs_and_saves_once(
    portal: MockPortalProcess, settings: Settings
):
    portal.set_faults(
        fail_next=[{"method": "POST", "path_contains": "/2e-circuit", "mode": "expire_session"}]
    )

    result, _ = run_bot(settings)

    assert result.status is DossierStatus.LINKED, result.error
    [wx] = wx_dossiers_of(portal)
    assert wx["second_circuit"]["saves"] == 1


def test_lost_answer_after_injection_does_not_duplicate(
    portal: MockPortalProcess, settings: Settings
):
    portal.set_faults(
        fail_next=[{"method": "POST", "path_contains": "/inject", "mode": "lost_answer"}]
    )

    result, _ = run_bot(settings)

    assert result.status is DossierStatus.LINKED, result.error
    assert pm_dossier(portal)["injections"] == 1
    assert len(wx_dossiers_of(portal)) == 1


def test_server_error_on_injection_is_retried_and_injects_once(
    portal: MockPortalProcess, settings: Settings
):
    portal.set_faults(fail_next=[{"method": "POST", "path_contains": "/inject", "mode": "error"}])

    result, _ = run_bot(settings)

    assert result.status is DossierStatus.LINKED, result.error
    assert result.attempts == 2
    assert pm_dossier(portal)["injections"] == 1


def test_lost_answer_after_save_is_read_back_not_saved_again(
    portal: MockPortalProcess, settings: Settings
):
    portal.set_faults(
        fail_next=[{"method": "POST", "path_contains": "/2e-circuit", "mode": "lost_answer"}]
    )

    result, _ = run_bot(settings)

    assert result.status is DossierStatus.LINKED, result.error
    [wx] = wx_dossiers_of(portal)
    assert wx["second_circuit"]["saves"] == 1


def test_save_that_went_through_in_a_failed_attempt_is_reported_linked_not_already_linked(
    portal: MockPortalProcess, settings: Settings
):
    """The answer to Opslaan is lost and reading the form back fails too: the attempt ends.

    The next attempt finds the opdrachtnummer in place. That is this run's own save, so the
    morning report must say `linked`; `already_linked` would tell staff someone did it before.
    """
    read_back_fails = [{"method": "GET", "path_contains": "/2e-circuit", "mode": "error"}] * (
        GET_RETRIES + 1  # the page object asks a 5xx page again before it gives up
    )
    read_back_fails[0] = {**read_back_fails[0], "skip": 1}  # the form opened before the save
    portal.set_faults(
        fail_next=[
            {"method": "POST", "path_contains": "/2e-circuit", "mode": "lost_answer"},
            *read_back_fails,
        ]
    )

    result, _ = run_bot(settings)

    assert result.status is DossierStatus.LINKED, result.error
    assert result.attempts == 2
    [wx] = wx_dossiers_of(portal)
    assert wx["second_circuit"]["saves"] == 1
    assert portal.fault_settings()["fail_next"] == [], "every fault fired"


def test_dossier_already_in_informex_is_linked_without_injecting(
    portal: MockPortalProcess, settings: Settings
):
    portal.reset(seeds.already_injected())

    result, _ = run_bot(settings)

    assert result.status is DossierStatus.LINKED, result.error
    assert result.informex_dossier == "WX-2026-000017"
    assert pm_dossier(portal)["injections"] == 1


def test_photos_missing_in_informex_are_looked_for_again_then_reported(
    portal: MockPortalProcess, settings: Settings
):
    world = seeds.already_injected()
    world["winformex"]["dossiers"][0]["photos"] = 1  # of the dossier's 2
    portal.reset(world)

    result, _ = run_bot(settings)

    assert result.status is DossierStatus.BUSINESS_ERROR
    assert result.error is not None
    assert "only 1 of 2 photos arrived in Informex" in result.error
    reopened = [s for s in result.screenshots if "verify-open-informex-dossier" in s]
    assert len(reopened) == 1  # counted short when opened, so counted again after the link


def test_photos_counted_complete_when_opened_need_no_second_look(
    portal: MockPortalProcess, settings: Settings
):
    result, _ = run_bot(settings)

    assert result.status is DossierStatus.LINKED, result.error
    assert not [s for s in result.screenshots if "verify-open-informex-dossier" in s]


def test_force_replaces_a_different_opdrachtnummer(portal: MockPortalProcess, settings: Settings):
    portal.reset(seeds.already_injected(linked_to="IX-2026-004799"))

    result, _ = run_bot(settings, force=True)

    assert result.status is DossierStatus.LINKED, result.error
    [wx] = wx_dossiers_of(portal)
    assert wx["second_circuit"]["assignment_number"] == "IX-2026-004711"


def test_unknown_dossier_is_a_business_error(portal: MockPortalProcess, settings: Settings):
    result, _ = run_bot(settings, "PM-2026-9999")

    assert result.status is DossierStatus.BUSINESS_ERROR
    assert "PM-2026-9999" in result.error
