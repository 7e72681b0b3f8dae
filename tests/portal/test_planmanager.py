"""PlanManager screens: dossier list and search, dossier page, photos, create and edit forms."""

from __future__ import annotations

from typing import Any

import pytest

from tests.portal.helpers import Client, Html, good_form

LIST_COLUMNS = [
    "Dossier",
    "Nummerplaat",
    "Klant",
    "Merk",
    "Model",
    "Verzekeraar",
    "Status",
    "Informex",
]


def numbers(page: Html) -> list[str]:
    return [row["Dossier"] for row in page.table("Dossiers")]


def test_dossier_list_shows_every_dossier_with_the_contract_columns(pm: Client) -> None:
    page = pm.page("/planmanager/dossiers")
    assert page.headings(1) == ["Dossiers"]
    assert page.table_headers("Dossiers") == LIST_COLUMNS
    assert sorted(numbers(page)) == ["PM-2026-0101", "PM-2026-0102", "PM-2026-0103"]
    row = next(r for r in page.table("Dossiers") if r["Dossier"] == "PM-2026-0103")
    assert row == {
        "Dossier": "PM-2026-0103",
        "Nummerplaat": "1-XYZ-789",
        "Klant": "Mehmet Çelik",
        "Merk": "Renault",
        "Model": "Mégane",
        "Verzekeraar": "Baloise",
        "Status": "nieuw",
        "Informex": "WX-2026-000017",
    }
    assert page.links()["PM-2026-0103"] == "/planmanager/dossiers/PM-2026-0103"
    assert page.links()["Nieuw dossier"] == "/planmanager/dossiers/nieuw"


def test_search_box_and_button_are_labelled(pm: Client) -> None:
    page = pm.page("/planmanager/dossiers")
    assert page.field("Zoek op dossiernummer of nummerplaat")["name"] == "q"
    assert "Zoeken" in page.buttons()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("PM-2026-0102", ["PM-2026-0102"]),
        ("pm-2026-0102", ["PM-2026-0102"]),
        ("1-ABC-234", ["PM-2026-0101"]),
        ("1ABC234", ["PM-2026-0101"]),
        ("1abc234", ["PM-2026-0101"]),
        ("1 ABC 234", ["PM-2026-0101"]),
        ("2KLM045", ["PM-2026-0102"]),
    ],
)
def test_search_by_number_or_plate_ignores_dashes_spaces_and_case(
    pm: Client, query: str, expected: list[str]
) -> None:
    page = pm.page(f"/planmanager/dossiers?q={query}")
    assert numbers(page) == expected
    assert page.field("Zoek op dossiernummer of nummerplaat")["value"] == query


def test_search_without_hits_says_so(pm: Client) -> None:
    page = pm.page("/planmanager/dossiers?q=9-ZZZ-999")
    assert numbers(page) == []
    assert page.status() == "Geen dossiers gevonden."


def test_dossier_page_shows_every_value_by_its_label_in_screen_format(pm: Client) -> None:
    page = pm.page("/planmanager/dossiers/PM-2026-0101")
    assert page.headings(1) == ["Dossier PM-2026-0101"]
    expected = {
        "Klant": "Françoise Dubois",
        "Telefoon": "04/247.66.50",
        "Nummerplaat": "1-ABC-234",
        "Chassisnummer (VIN)": "WVWZZZ1KZ8W123456",
        "Merk": "Volkswagen",
        "Model": "Golf",
        "Eerste inschrijving": "14/03/2019",
        "Kilometerstand": "84.512 km",
        "Vermogen (kW)": "85",
        "Cilinderinhoud (cc)": "1498",
        "CO2 (g/km)": "118",
        "Motortype": "benzine",
        "Partikelfilter": "Nee",
        "Verzekeraar": "AG Insurance",
        "Schadenummer": "AG-26-113456",
        "Schadedatum": "20/11/2026",
        "Voorgaande schade": "Nee",
        "Inbraak": "Ja",
        "Informex dossier": "—",
    }
    assert {label: page.value(label) for label in expected} == expected
    for section in ("Klant", "Voertuig", "Verzekering", "Schade", "Informex", "Foto's"):
        assert section in page.headings(2)


def test_missing_values_show_a_dash_and_unknown_mileage_says_onbekend(pm: Client) -> None:
    page = pm.page("/planmanager/dossiers/PM-2026-0102")
    assert page.value("Chassisnummer (VIN)") == "—"
    assert page.value("Eerste inschrijving") == "—"
    assert page.value("Telefoon") == "—"
    assert page.value("Vermogen (kW)") == "—"
    assert page.value("Partikelfilter") == "—"
    assert page.value("Kilometerstand") == "onbekend"


def test_dossier_dd_values_are_linked_to_their_dt_labels(pm: Client) -> None:
    page = pm.page("/planmanager/dossiers/PM-2026-0101")
    for dd in page.root.find_all("dd"):
        label = page.by_id[dd.attrs["aria-labelledby"]]
        assert label.tag == "dt"


def test_unknown_dossier_answers_404(pm: Client) -> None:
    response = pm.get("/planmanager/dossiers/PM-2026-9999")
    assert response.status_code == 404
    assert "PM-2026-9999" in Html(response.text).alert()


def test_photos_are_shown_in_order_and_served_as_jpeg(pm: Client) -> None:
    page = pm.page("/planmanager/dossiers/PM-2026-0101")
    images = page.root.find_all("img")
    assert [i.attrs["alt"] for i in images] == ["Foto 1", "Foto 2"]
    assert images[0].attrs["src"] == "/planmanager/photos/golf-voorzijde.jpg"
    response = pm.get(images[1].attrs["src"])
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/jpeg"
    assert response.content[:3] == b"\xff\xd8\xff"


@pytest.mark.parametrize("name", ["bestaat-niet.jpg", "..%2Fseed_small.json", "conftest.py"])
def test_only_dossier_photos_are_served(pm: Client, name: str) -> None:
    assert pm.get(f"/planmanager/photos/{name}").status_code == 404


# -- create and edit ---------------------------------------------------------------------------
FORM_LABELS = [
    "Klant",
    "Telefoon",
    "Nummerplaat",
    "Chassisnummer (VIN)",
    "Merk",
    "Model",
    "Eerste inschrijving",
    "Kilometerstand",
    "Kilometerstand onbekend",
    "Vermogen (kW)",
    "Cilinderinhoud (cc)",
    "CO2 (g/km)",
    "Motortype",
    "Partikelfilter",
    "Verzekeraar",
    "Schadenummer",
    "Schadedatum",
    "Voorgaande schade",
    "Inbraak",
]


def test_create_form_has_every_contract_field_labelled(pm: Client) -> None:
    page = pm.page("/planmanager/dossiers/nieuw")
    assert page.headings(1) == ["Nieuw dossier"]
    assert page.field("Dossiernummer")["value"] == "PM-2026-0104", "the next free number"
    for label in FORM_LABELS:
        page.the(label)
    options = [o.attrs["value"] for o in page.the("Motortype").find_all("option")]
    assert options == ["", "diesel", "benzine", "hybride", "elektrisch", "LPG", "CNG"]
    assert page.field("Partikelfilter")["type"] == "checkbox"
    assert page.field("Kilometerstand onbekend")["type"] == "checkbox"
    assert {"Opslaan", "Annuleren"} <= set(page.buttons())


def test_create_saves_a_new_dossier_and_shows_it(pm: Client) -> None:
    response = pm.post_form("/planmanager/dossiers", good_form())
    assert response.headers["location"] == "/planmanager/dossiers/PM-2026-0200"
    page = pm.follow(response)
    assert page.value("Klant") == "Luc D'Hondt"
    assert page.value("Merk") == "Škoda"
    assert page.value("Eerste inschrijving") == "02/05/2018"
    assert page.value("Kilometerstand") == "120.400 km"
    assert page.value("Partikelfilter") == "Ja"
    assert page.value("Voorgaande schade") == "Nee"
    assert page.value("Inbraak") == "Ja"
    state = pm.get("/_mock/state").json()["planmanager"]["dossiers"]
    created = next(d for d in state if d["number"] == "PM-2026-0200")
    assert created == {
        "number": "PM-2026-0200",
        "plate": "1-DEF-567",
        "vin": "TMBJJ7NE5K0123456",
        "customer": "Luc D'Hondt",
        "make": "Škoda",
        "model": "Octavia",
        "informex_dossier": None,
        "injections": 0,
        "photos": 0,
        "status": "nieuw",
        "injection_pending": False,
    }


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"number": ""}, "Dossiernummer", "Dossiernummer is verplicht."),
        (
            {"number": "2026-200"},
            "Dossiernummer",
            "Dossiernummer: gebruik het formaat PM-JJJJ-NNNN.",
        ),
        ({"number": "PM-2026-0101"}, "Dossiernummer", "Dossiernummer PM-2026-0101 bestaat al."),
        (
            {"first_registration": "31/02/2019"},
            "Eerste inschrijving",
            "Eerste inschrijving: ongeldige datum, gebruik dd/mm/jjjj.",
        ),
        (
            {"first_registration": "2019-03-14"},
            "Eerste inschrijving",
            "Eerste inschrijving: ongeldige datum, gebruik dd/mm/jjjj.",
        ),
        (
            {"damage_date": "01/01/2027"},
            "Schadedatum",
            "Schadedatum: de datum ligt in de toekomst.",
        ),
        (
            {"mileage_km": "84.512"},
            "Kilometerstand",
            "Kilometerstand: geef een geheel getal van 0 of meer.",
        ),
        (
            {"power_kw": "-5"},
            "Vermogen (kW)",
            "Vermogen (kW): geef een geheel getal van 0 of meer.",
        ),
        ({"co2": "veel"}, "CO2 (g/km)", "CO2 (g/km): geef een geheel getal van 0 of meer."),
        ({"engine_type": "stoom"}, "Motortype", "Motortype: kies een motortype uit de lijst."),
        (
            {"vin": "TMB-JJ7NE5K012345"},
            "Chassisnummer (VIN)",
            "Chassisnummer (VIN): alleen letters en cijfers, hoogstens 17 tekens.",
        ),
    ],
)
def test_create_refuses_invalid_input_naming_the_field(
    pm: Client, changes: dict[str, Any], field: str, message: str
) -> None:
    before = pm.get("/_mock/state").json()
    response = pm.post_form("/planmanager/dossiers", good_form(**changes))
    assert response.status_code == 200
    page = Html(response.text)
    assert page.headings(1) == ["Nieuw dossier"]
    assert message in page.alert()
    assert page.field(field)["aria-invalid"] == "true"
    assert pm.get("/_mock/state").json() == before


def test_a_refused_form_keeps_what_was_typed(pm: Client) -> None:
    response = pm.post_form("/planmanager/dossiers", good_form(co2="veel"))
    page = Html(response.text)
    assert page.field("Klant")["value"] == "Luc D'Hondt"
    assert page.field("CO2 (g/km)")["value"] == "veel"
    assert "checked" in page.field("Inbraak")


def test_edit_form_is_prefilled_with_the_dossier(pm: Client) -> None:
    page = pm.page("/planmanager/dossiers/PM-2026-0101/bewerken")
    assert page.headings(1) == ["Dossier PM-2026-0101 bewerken"]
    assert page.labelled("Dossiernummer") == [], "the number is not editable"
    assert page.field("Klant")["value"] == "Françoise Dubois"
    assert page.field("Eerste inschrijving")["value"] == "14/03/2019"
    assert page.field("Kilometerstand")["value"] == "84512"
    assert "checked" not in page.field("Kilometerstand onbekend")
    assert "checked" in page.field("Inbraak")
    selected = [o for o in page.the("Motortype").find_all("option") if "selected" in o.attrs]
    assert [o.attrs["value"] for o in selected] == ["benzine"]
    assert {"Opslaan", "Annuleren"} <= set(page.buttons())


def test_edit_saves_and_confirms(pm: Client) -> None:
    form = good_form(number=None, customer_name="Françoise Dubois-Lambert", mileage_km="90000")
    response = pm.post_form("/planmanager/dossiers/PM-2026-0101/bewerken", form)
    assert response.headers["location"] == "/planmanager/dossiers/PM-2026-0101?opgeslagen=1"
    page = pm.follow(response)
    assert page.status() == "Dossier opgeslagen."
    assert page.value("Klant") == "Françoise Dubois-Lambert"
    assert page.value("Kilometerstand") == "90.000 km"
    assert [i.attrs["alt"] for i in page.root.find_all("img")] == ["Foto 1", "Foto 2"]


def test_edit_with_unknown_mileage_stores_onbekend(pm: Client) -> None:
    form = good_form(number=None, mileage_km="84512", mileage_unknown="1")
    page = pm.follow(pm.post_form("/planmanager/dossiers/PM-2026-0101/bewerken", form))
    assert page.value("Kilometerstand") == "onbekend"
    assert "checked" in pm.page("/planmanager/dossiers/PM-2026-0101/bewerken").field(
        "Kilometerstand onbekend"
    )


def test_a_refused_edit_changes_nothing(pm: Client) -> None:
    form = good_form(number=None, customer_name="Iemand Anders", first_registration="32/13/2019")
    response = pm.post_form("/planmanager/dossiers/PM-2026-0101/bewerken", form)
    page = Html(response.text)
    assert page.headings(1) == ["Dossier PM-2026-0101 bewerken"]
    assert "Eerste inschrijving" in page.alert()
    assert pm.page("/planmanager/dossiers/PM-2026-0101").value("Klant") == "Françoise Dubois"


def test_editing_an_unknown_dossier_answers_404(pm: Client) -> None:
    assert pm.get("/planmanager/dossiers/PM-2026-9999/bewerken").status_code == 404
    assert (
        pm.post_form("/planmanager/dossiers/PM-2026-9999/bewerken", good_form()).status_code == 404
    )


def test_data_is_escaped_on_screen(pm: Client) -> None:
    form = good_form(customer_name="<script>alert('x')</script>")
    page = pm.follow(pm.post_form("/planmanager/dossiers", form))
    assert page.value("Klant") == "<script>alert('x')</script>"
    assert "<script>alert" not in pm.get("/planmanager/dossiers/PM-2026-0200").text
