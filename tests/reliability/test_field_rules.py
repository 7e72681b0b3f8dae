"""Every value the bot will write into the 2e circuit is judged by its field's rules before the
injection: a refusal after it would leave the shop with a dossier fee paid and nothing linked.

One test per kind of rule declared in `bot.domain.fields` (length, characters, range), each
against the real mock portal, with the value coming from where real values come from (the
insurer's assignment, PlanManager's dossier page, an override). Each ends the same way: a
business error naming the field and the value, PlanManager never asked to inject, Winformex
without a dossier for it.
"""

from __future__ import annotations

from typing import Any

from bot.domain.models import DossierResult, DossierStatus
from bot.settings import Settings, load_settings
from mock_portal.process import MockPortalProcess
from tests import seeds
from tests.e2e.helpers import pm_dossier, run_bot


def refused_before_any_write(portal: MockPortalProcess, result: DossierResult) -> str:
    """The error of a dossier refused before anything was written (asserted), for the caller's
    own checks on what it names."""
    assert result.status is DossierStatus.BUSINESS_ERROR, result.error
    assert result.informex_dossier is None
    planmanager = pm_dossier(portal)
    assert (planmanager["injections"], planmanager["injection_pending"]) == (0, False)
    assert planmanager["informex_dossier"] is None
    assert portal.state()["winformex"]["dossiers"] == []
    error = result.error or ""
    assert "step prepare_data" in error, error  # judged after the read-only steps, before "i"
    return error


def with_env(bot_env: dict[str, str], **extra: str) -> Settings:
    return load_settings({**bot_env, **extra})


def test_an_opdrachtnummer_longer_than_the_form_takes_is_refused_before_the_injection(
    portal: MockPortalProcess, bot_env: dict[str, str]
) -> None:
    long_number = "IX-2026-000000004711"  # 20 characters: the form's box takes 20
    too_long = long_number + "9"  # 21: a loose pattern lets it through, the box would not
    portal.reset(seeds.world(assignments=[seeds.assignment(too_long)]))
    settings = with_env(bot_env, BOT_ASSIGNMENT_PATTERN=r"^IX-\d{4}-\d+$")

    result, _ = run_bot(settings)

    error = refused_before_any_write(portal, result)
    assert "assignment_number: is 21 characters long; the portal's field takes at most 20" in error
    assert repr(too_long) in error


def test_a_chassis_number_with_a_character_the_form_does_not_take_is_refused_before_the_injection(
    portal: MockPortalProcess, bot_env: dict[str, str]
) -> None:
    chassis = "CH4711/B"  # an old car's chassis number, typed in PlanManager with a slash
    dossier = seeds.dossier(vehicle={"vin": chassis})
    portal.reset(seeds.world([dossier], [seeds.assignment(vin=None)]))  # found by its plate
    settings = with_env(bot_env, BOT_LEGACY_CHASSIS="true")

    result, _ = run_bot(settings)

    error = refused_before_any_write(portal, result)
    assert f"vin: may only contain letters A–Z and digits (value {chassis!r})" in error


def test_a_number_outside_its_fields_range_read_from_planmanager_is_refused_before_the_injection(
    portal: MockPortalProcess, settings: Settings
) -> None:
    portal.reset(seeds.world([seeds.dossier(vehicle={"power_kw": 1600})]))

    result, _ = run_bot(settings)

    error = refused_before_any_write(portal, result)
    assert "power_kw: is outside 1..1500 (value 1600)" in error  # as the dossier page read it


def test_a_number_outside_its_fields_range_given_as_an_override_is_refused_before_the_injection(
    portal: MockPortalProcess, settings: Settings
) -> None:
    result, _ = run_bot(settings, overrides={"co2": "1.200 g/km"})

    error = refused_before_any_write(portal, result)
    assert "co2: is outside 0..1000 (value '1.200 g/km')" in error


def test_a_short_chassis_number_without_the_legacy_setting_is_refused_before_the_injection(
    portal: MockPortalProcess, settings: Settings
) -> None:
    old: dict[str, Any] = seeds.dossier(vehicle={"vin": "VF1R4711"})
    portal.reset(seeds.world([old], [seeds.assignment(vin=None)]))

    result, _ = run_bot(settings)

    error = refused_before_any_write(portal, result)
    assert "vin: must be 17 characters long, not 8 (value 'VF1R4711')" in error


def test_a_17_character_chassis_that_is_no_vin_is_refused_before_the_injection_even_for_old_cars(
    portal: MockPortalProcess, bot_env: dict[str, str]
) -> None:
    typo = "WVWZZZ1KZ8WO23456"  # 17 characters with a letter O: the 2e circuit wants a VIN
    portal.reset(seeds.world([seeds.dossier(vehicle={"vin": typo})], [seeds.assignment(vin=None)]))
    settings = with_env(bot_env, BOT_LEGACY_CHASSIS="true")

    result, _ = run_bot(settings)

    error = refused_before_any_write(portal, result)
    assert f"vin: contains I, O or Q, which a VIN never uses (value {typo!r})" in error
