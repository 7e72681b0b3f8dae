"""Shops as profiles: BOT_PROFILES_DIR/NAME.env over the main environment, a batch's `profile`
column, results that name their shop, and BOT_MAX_PER_SHOP's slot leases."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.domain.batch_input import read_batch_input
from bot.domain.models import DossierInput, DossierResult, DossierStatus
from bot.domain.validation import ValidationRules
from bot.engine.leases import FileLeaseStore
from bot.engine.shops import Profiles, profile_names, profile_settings, try_shop_slot
from bot.errors import ConfigError, ValidationError
from bot.settings import load_settings

MAIN = {
    "PLANMANAGER_URL": "http://pm.main.test/planmanager/",
    "PLANMANAGER_USERNAME": "main-user",
    "PLANMANAGER_PASSWORD": "main-secret",
    "WINFORMEX_URL": "http://wx.main.test/winformex/",
    "WINFORMEX_USERNAME": "main-wx",
    "WINFORMEX_PASSWORD": "main-wx-secret",
    "BOT_RETRIES": "3",
}


@pytest.fixture
def main(tmp_path: Path) -> dict[str, str]:
    profiles = tmp_path / "profiles"
    profiles.mkdir()
    (profiles / "garage-janssens.env").write_text(
        "PLANMANAGER_URL=http://pm.janssens.test/planmanager/\n"
        "PLANMANAGER_USERNAME=janssens\nPLANMANAGER_PASSWORD=janssens-secret\n"
        "WINFORMEX_URL=http://wx.janssens.test/winformex/\n"
        "WINFORMEX_USERNAME=janssens-wx\nWINFORMEX_PASSWORD=janssens-wx-secret\n"
        "BOT_RUNS_DIR=/elsewhere\n",
        encoding="utf-8",
    )
    return {
        **MAIN,
        "BOT_PROFILES_DIR": str(profiles),
        "BOT_STATE_DIR": str(tmp_path / "state"),
        "BOT_RUNS_DIR": str(tmp_path / "runs"),
    }


def test_a_profile_has_its_own_portals_and_credentials_and_inherits_the_rest(
    main: dict[str, str], tmp_path: Path
) -> None:
    base = load_settings(main)
    shop = profile_settings(base, "garage-janssens", main)
    assert shop.planmanager.url == "http://pm.janssens.test/planmanager/"
    assert (shop.winformex.username, shop.winformex.password) == (
        "janssens-wx",
        "janssens-wx-secret",
    )
    assert shop.retries == 3  # inherited from the main environment
    assert shop.runs_dir == base.runs_dir  # the run folders are shared, whatever the file says
    assert shop.lease_folder == base.lease_folder  # one lease store for every shop
    assert shop.state_dir == tmp_path / "state" / "profiles" / "garage-janssens"
    assert profile_settings(base, "", main) is base
    assert profile_names(base.profiles_dir) == ["garage-janssens"]
    assert "janssens-secret" in Profiles(base, main).settings("garage-janssens").secrets


def test_an_unknown_or_malformed_profile_is_a_configuration_error(
    main: dict[str, str],
) -> None:
    base = load_settings(main)
    with pytest.raises(ConfigError, match="no file"):
        profile_settings(base, "garage-peeters", main)
    with pytest.raises(ConfigError, match="profile"):
        profile_settings(base, "../etc/passwd", main)
    without = load_settings(MAIN)
    with pytest.raises(ConfigError, match="BOT_PROFILES_DIR is not set"):
        profile_settings(without, "garage-janssens", MAIN)


def test_a_batch_row_names_its_shop_and_a_number_is_held_once_per_run(tmp_path: Path) -> None:
    path = tmp_path / "night.csv"
    path.write_text(
        "dossier;profile\nPM-2026-0101;garage-a\nPM-2026-0102;\nPM-2026-0101;garage-b\n"
        "PM-2026-0103;../x\n",
        encoding="utf-8",
    )
    work = read_batch_input(path, ValidationRules())
    assert [(j.dossier, j.profile) for j in work.jobs] == [
        ("PM-2026-0101", "garage-a"),
        ("PM-2026-0102", ""),
    ]
    reasons = {row.line: row.reason for row in work.rejected}
    assert "one run holds a dossier number once" in reasons[4]
    assert "profile" in reasons[5]


def test_a_result_names_its_shop_only_when_it_has_one() -> None:
    plain = DossierResult("PM-2026-0101", None, DossierStatus.LINKED)
    assert "profile" not in plain.to_dict()
    shop = DossierResult("PM-2026-0101", None, DossierStatus.LINKED, profile="garage-a")
    assert shop.to_dict()["profile"] == "garage-a"
    assert DossierResult.from_dict(shop.to_dict()) == shop
    assert DossierInput.create("PM-2026-0101", profile="garage-a").profile == "garage-a"
    with pytest.raises(ValidationError):
        DossierInput.create("PM-2026-0101", profile="a/b")


def test_a_shop_has_at_most_its_number_of_slots_held_at_once(tmp_path: Path) -> None:
    store = FileLeaseStore(tmp_path / "leases")
    first = try_shop_slot(store, "garage-a", 2, "one")
    second = try_shop_slot(store, "garage-a", 2, "two")
    assert first is not None and second is not None
    assert try_shop_slot(store, "garage-a", 2, "three") is None
    assert try_shop_slot(store, "garage-b", 2, "another shop") is not None
    first.release()
    assert try_shop_slot(store, "garage-a", 2, "three") is not None
