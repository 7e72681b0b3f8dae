"""The screens' label catalogue (bot/pages/labels.py): complete in both languages, unambiguous,
and the same text as the mock portal shows, so a label is corrected in one line."""

from __future__ import annotations

import ast
import inspect

import pytest

from bot.domain.fields import FIELD_NAMES
from bot.pages import labels
from bot.pages.labels import (
    CATALOGUE,
    DUTCH,
    FRENCH,
    LANGUAGES,
    Labels,
    labels_for,
    language_of,
    remember_language,
    seen_language,
)
from bot.pages.planmanager import dossier, dossier_form
from bot.pages.winformex import second_circuit
from mock_portal import i18n

GROUPS = (
    "pm_dossier.value",
    "pm_form.input",
    "wx_inbox.assignment",
    "wx_inbox.imported_column",
    "wx_dossier.nav",
    "second_circuit.box",
    "second_circuit.field",
)
"""Groups whose labels a page object looks up side by side on one screen."""

# The bot's key -> the mock portal's key (mock_portal/i18n.py) for the same text on screen.
MOCK_KEYS = {
    "login.username": "login.username",
    "login.password": "login.password",
    "login.submit": "login.submit",
    "logout.button": "common.logout",
    "popup.news": "popup.news",
    "popup.news_close": "common.close",
    "popup.cookies": "popup.cookies",
    "popup.cookies_accept": "popup.accept_all",
    "pm_list.search_box": "pm.list.search_label",
    "pm_list.search": "common.search",
    "pm_list.table": "pm.list.title",
    "pm_list.new_dossier": "pm.list.new",
    "pm_list.column.dossier": "field.dossier",
    "pm_list.column.informex": "field.informex",
    "pm_dossier.heading": "wx.dossier.title",
    "pm_dossier.inject": "pm.dossier.inject",
    "pm_dossier.inject_dialog": "pm.inject_dialog.title",
    "pm_dossier.confirm": "common.confirm",
    "pm_dossier.value.customer": "field.customer",
    "pm_dossier.value.plate": "field.plate",
    "pm_dossier.value.vin": "field.chassis_vin",
    "pm_dossier.value.make": "field.make",
    "pm_dossier.value.model": "field.model",
    "pm_dossier.value.first_registration": "field.first_registration",
    "pm_dossier.value.mileage_km": "field.mileage",
    "pm_dossier.value.power_kw": "field.power_kw",
    "pm_dossier.value.displacement_cc": "field.displacement_cc",
    "pm_dossier.value.co2": "field.co2_g_km",
    "pm_dossier.value.engine_type": "field.engine_type",
    "pm_dossier.value.particle_filter": "field.particle_filter",
    "pm_dossier.value.insurer": "field.insurer",
    "pm_dossier.value.claim_number": "field.claim_number",
    "pm_dossier.value.damage_date": "field.damage_date",
    "pm_dossier.value.previous_damage": "field.previous_damage",
    "pm_dossier.value.burglary": "field.burglary",
    "pm_dossier.value.informex_dossier": "field.informex_dossier",
    "pm_form.heading": "pm.form.new_title",
    "pm_form.save": "common.save",
    "pm_form.input.number": "field.dossier_number",
    "pm_form.input.customer": "field.customer",
    "pm_form.input.phone": "field.phone",
    "pm_form.input.plate": "field.plate",
    "pm_form.input.vin": "field.chassis_vin",
    "pm_form.input.make": "field.make",
    "pm_form.input.model": "field.model",
    "pm_form.input.first_registration": "field.first_registration",
    "pm_form.input.mileage_km": "field.mileage",
    "pm_form.input.mileage_unknown": "field.mileage_unknown",
    "pm_form.input.power_kw": "field.power_kw",
    "pm_form.input.displacement_cc": "field.displacement_cc",
    "pm_form.input.co2": "field.co2_g_km",
    "pm_form.input.engine_type": "field.engine_type",
    "pm_form.input.particle_filter": "field.particle_filter",
    "pm_form.input.insurer": "field.insurer",
    "pm_form.input.claim_number": "field.claim_number",
    "pm_form.input.damage_date": "field.damage_date",
    "pm_form.input.previous_damage": "field.previous_damage",
    "pm_form.input.burglary": "field.burglary",
    "wx_inbox.search_box": "wx.inbox.search_label",
    "wx_inbox.search": "common.search",
    "wx_inbox.assignments": "wx.inbox.assignments",
    "wx_inbox.imported": "wx.inbox.dossiers",
    "wx_inbox.assignment.number": "wx.col.assignment_number",
    "wx_inbox.assignment.insurer": "wx.col.company",
    "wx_inbox.assignment.claim_number": "wx.col.claim_number",
    "wx_inbox.assignment.plate": "wx.col.plate",
    "wx_inbox.assignment.vin": "wx.col.chassis_vin",
    "wx_inbox.assignment.date": "wx.col.date",
    "wx_inbox.assignment.linked_dossier": "wx.col.linked_dossier",
    "wx_inbox.imported_column.number": "wx.col.dossier_number",
    "wx_inbox.imported_column.planmanager_dossier": "wx.col.planmanager_dossier",
    "wx_inbox.imported_column.assignment_number": "wx.col.second_circuit_number",
    "wx_dossier.heading": "wx.dossier.title",
    "wx_dossier.navigation": "wx.dossier.navigation",
    "wx_dossier.planmanager_dossier": "wx.col.planmanager_dossier",
    "wx_dossier.photo_count": "wx.dossier.photo_count",
    "wx_dossier.second_circuit_button": "wx.dossier.second_circuit_button",
    "wx_dossier.menu_edit": "wx.dossier_menu.edit",
    "wx_dossier.menu_second_circuit": "wx.dossier_menu.second_circuit",
    "wx_dossier.menu_expertise": "wx.dossier_menu.expertise",
    **{
        f"wx_dossier.nav.{section}": f"wx.nav.{section}"
        for section in DUTCH.group("wx_dossier.nav")
    },
    "second_circuit.heading": "sc.title",
    "second_circuit.save": "common.save",
    "second_circuit.box.day": "sc.day",
    "second_circuit.box.month": "sc.month",
    "second_circuit.box.year": "sc.year",
    "second_circuit.field.assignment_number": "sc.assignment_number",
    "second_circuit.field.vin": "sc.vin",
    "second_circuit.field.first_registration": "sc.first_registration",
    "second_circuit.field.previous_damage": "sc.previous_damage",
    "second_circuit.field.burglary": "sc.burglary",
    "second_circuit.field.mileage_km": "sc.mileage",
    "second_circuit.field.mileage_unknown": "sc.mileage_unknown",
    "second_circuit.field.power_kw": "sc.power",
    "second_circuit.field.displacement_cc": "sc.displacement",
    "second_circuit.field.co2": "sc.co2",
    "second_circuit.field.engine_type": "sc.engine_type",
    "second_circuit.field.particle_filter": "sc.particle_filter",
}
# The bot's key -> the mock's key of a text the bot looks for inside it (a status, a refusal).
MOCK_PARTS = {
    "pm_dossier.photo": "common.photo_alt",
    "pm_dossier.pending": "pm.dossier.pending",
    "pm_dossier.incomplete": "pm.dossier.incomplete",
    "second_circuit.saved": "sc.saved",
}


def catalogue_keys_in_source() -> list[str]:
    """The keys of CATALOGUE as written in the module (a dict literal keeps only the last of
    two equal keys, so duplicates must be found in the source)."""
    tree = ast.parse(inspect.getsource(labels))
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.AnnAssign)
            and isinstance(node.target, ast.Name)
            and node.target.id == "CATALOGUE"
            and isinstance(node.value, ast.Dict)
        ):
            return [key.value for key in node.value.keys if isinstance(key, ast.Constant)]
    raise AssertionError("CATALOGUE is not a dict literal in bot/pages/labels.py")


def test_every_key_has_a_text_in_both_languages() -> None:
    assert LANGUAGES == ("nl", "fr")
    for key, texts in CATALOGUE.items():
        assert isinstance(texts, tuple) and len(texts) == len(LANGUAGES), key
        assert all(isinstance(text, str) and text.strip() == text and text for text in texts), key


def test_no_key_is_written_twice() -> None:
    keys = catalogue_keys_in_source()
    assert len(keys) == len(CATALOGUE)
    assert sorted({key for key in keys if keys.count(key) > 1}) == []


@pytest.mark.parametrize("group", GROUPS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_labels_looked_up_side_by_side_are_distinct(group: str, language: str) -> None:
    texts = list(Labels(language).group(group).values())
    assert texts
    assert sorted({t for t in texts if texts.count(t) > 1}) == []


def test_groups_keep_the_screens_order() -> None:
    assert tuple(FRENCH.group("second_circuit.field")) == FIELD_NAMES
    assert tuple(FRENCH.group("second_circuit.box")) == ("day", "month", "year")
    assert FRENCH.group("pm_form.input").keys() == dossier_form.LABELS.keys()
    assert FRENCH.group("pm_dossier.value").keys() == dossier.LABELS.keys()


def test_page_modules_dutch_labels_come_from_the_catalogue() -> None:
    assert DUTCH.group("second_circuit.field") == second_circuit.LABELS
    assert second_circuit.DATE_BOXES == ("Dag", "Maand", "Jaar")
    assert dossier_form.LABELS["vin"] == "Chassisnummer (VIN)"
    assert dossier.LABELS["informex_dossier"] == "Informex dossier"


def test_every_label_is_the_mock_portals_text_in_both_languages() -> None:
    assert set(MOCK_KEYS) | set(MOCK_PARTS) == set(CATALOGUE)
    for language in LANGUAGES:
        ours = Labels(language)
        assert {key: ours[key] for key in MOCK_KEYS} == {
            key: i18n.label(mock_key, language) for key, mock_key in MOCK_KEYS.items()
        }
        for key, mock_key in MOCK_PARTS.items():
            assert ours[key].lower() in i18n.label(mock_key, language).lower(), (language, key)


def test_the_known_informex_french_vocabulary_is_used() -> None:
    fields = FRENCH.group("second_circuit.field")
    assert "Châssis" in fields["vin"]
    assert fields["first_registration"] == "Date de première mise en circulation"
    assert (fields["power_kw"], fields["displacement_cc"], fields["co2"]) == (
        "Puissance",
        "Cylindrée",
        "CO2",
    )


def test_a_missing_key_fails_loudly() -> None:
    with pytest.raises(KeyError):
        DUTCH["second_circuit.field.colour"]


@pytest.mark.parametrize(
    ("declared", "expected"),
    [("nl", "nl"), ("fr", "fr"), ("fr-BE", "fr"), ("NL_be", "nl"), ("en", None), ("", None)],
)
def test_the_language_a_page_declares(declared: str, expected: str | None) -> None:
    assert language_of(declared) == expected


def test_labels_of_an_unknown_language_are_dutch_and_a_made_one_is_refused() -> None:
    assert labels_for(None) is DUTCH
    assert labels_for("de") is DUTCH
    assert labels_for("fr") == FRENCH
    with pytest.raises(ValueError, match="de"):
        Labels("de")


def test_a_portal_is_remembered_in_the_language_it_was_seen_in() -> None:
    url = "http://portal.test:1/winformex"
    remember_language(url, "fr")
    assert seen_language(url + "/") == "fr"
    remember_language(url + "/", "nl")
    assert seen_language(url) == "nl"
    assert seen_language("http://other.test/") is None
    with pytest.raises(ValueError):
        remember_language(url, "en")
