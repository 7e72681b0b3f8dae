"""Winformex screens: inbox and search, assignment, dossier with its navigation, 2e circuit form."""

from __future__ import annotations

from typing import Any

import pytest

from tests.portal.helpers import Client, Html, ctx_of

DOSSIER = "/winformex/dossiers/WX-2026-000017"
FORM = f"{DOSSIER}/2e-circuit"

NAVIGATION = {
    "Identificatie": [
        "Maatschappijen",
        "Makelaar",
        "Deskundigen",
        "Schadelijder & leaser",
        "Hersteller",
        "Voertuig",
        "Nota aanstelling",
    ],
    "Expertise": ["Expertise gegevens", "Totaal verlies"],
    "Audatex gegevens": [
        "Type & opties",
        "Standaard bewerkingen",
        "Globale codes",
        "Niet standaard bewerkingen",
        "Smart Repair bewerkingen",
        "Aanmerkingen",
    ],
    "Fotoalbums": ["Algemeen", "Ongevalsaanrijding"],
    "2e circuit": ["Gegevens 2e circuit"],
}
FORM_LABELS = [
    "Opdrachtnummer van de expertise 2e circuit",
    "Chassis (VIN)",
    "Dag",
    "Maand",
    "Jaar",
    "Voorgaande schade",
    "Inbraak",
    "Kilometerstand",
    "onbekend",
    "Vermogen",
    "Cilinderinhoud",
    "CO2",
    "Motortype",
    "Partikelfilter",
]


def wx_dossier_state(client: Client, number: str = "WX-2026-000017") -> dict[str, Any]:
    dossiers = client.get("/_mock/state").json()["winformex"]["dossiers"]
    return next(d for d in dossiers if d["number"] == number)


def linked(client: Client) -> dict[str, str | None]:
    assignments = client.get("/_mock/state").json()["winformex"]["assignments"]
    return {a["number"]: a["linked_dossier"] for a in assignments}


def save(client: Client, **fields: Any) -> Any:
    form: dict[str, Any] = {
        "assignment_number": "IX-2026-004711",
        "vin": "WVWZZZ1KZ8W123456",
        "first_registration_day": "14",
        "first_registration_month": "03",
        "first_registration_year": "2019",
        "mileage_km": "84512",
        "power_kw": "85",
        "displacement_cc": "1498",
        "co2": "118",
        "engine_type": "benzine",
        "burglary": "1",
    }
    form.update(fields)
    return client.post_form(FORM, {k: v for k, v in form.items() if v is not None})


# -- inbox -------------------------------------------------------------------------------------
def test_inbox_lists_assignments_and_imported_dossiers(wx: Client) -> None:
    page = wx.page("/winformex/")
    assert page.headings(1) == ["Postvak"]
    assert page.field("Zoek opdracht")["name"] == "q"
    assert "Zoeken" in page.buttons()
    assert page.table_headers("Verzekeringsopdrachten") == [
        "Opdrachtnummer",
        "Maatschappij",
        "Schadenummer",
        "Nummerplaat",
        "Chassis (VIN)",
        "Datum",
        "Gekoppeld dossier",
    ]
    assignments = page.table("Verzekeringsopdrachten")
    assert [a["Opdrachtnummer"] for a in assignments] == [
        "IX-2026-004711",
        "IX-2026-004712",
        "IX-2026-004799",
    ], "newest first"
    assert assignments[0] == {
        "Opdrachtnummer": "IX-2026-004711",
        "Maatschappij": "AG Insurance",
        "Schadenummer": "AG-26-113456",
        "Nummerplaat": "1ABC234",
        "Chassis (VIN)": "WVWZZZ1KZ8W123456",
        "Datum": "21/11/2026",
        "Gekoppeld dossier": "—",
    }
    assert assignments[1]["Chassis (VIN)"] == "—"
    assert assignments[2]["Gekoppeld dossier"] == "WX-2026-000017"
    assert page.table_headers("Geïmporteerde dossiers") == [
        "Dossiernummer",
        "PlanManager dossier",
        "Nummerplaat",
        "Datum",
        "Opdrachtnummer 2e circuit",
    ]
    assert page.table("Geïmporteerde dossiers") == [
        {
            "Dossiernummer": "WX-2026-000017",
            "PlanManager dossier": "PM-2026-0103",
            "Nummerplaat": "1-XYZ-789",
            "Datum": "04/11/2026",
            "Opdrachtnummer 2e circuit": "IX-2026-004799",
        }
    ]
    links = page.links()
    assert links["IX-2026-004711"] == "/winformex/opdrachten/IX-2026-004711"
    assert links["WX-2026-000017"] == "/winformex/dossiers/WX-2026-000017"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("1-ABC-234", ["IX-2026-004711"]),
        ("1ABC234", ["IX-2026-004711"]),
        ("1 abc 234", ["IX-2026-004711"]),
        ("WVWZZZ1KZ8W123456", ["IX-2026-004711"]),
        ("AXA-77120", ["IX-2026-004712"]),
        ("IX-2026-004799", ["IX-2026-004799"]),
        ("9-ZZZ-999", []),
    ],
)
def test_inbox_search_matches_number_claim_vin_and_plate(
    wx: Client, query: str, expected: list[str]
) -> None:
    page = wx.page(f"/winformex/?q={query}")
    assert [a["Opdrachtnummer"] for a in page.table("Verzekeringsopdrachten")] == expected
    assert page.field("Zoek opdracht")["value"] == query


def test_inbox_search_also_filters_the_imported_dossiers(wx: Client) -> None:
    page = wx.page("/winformex/?q=1-XYZ-789")
    assert [d["Dossiernummer"] for d in page.table("Geïmporteerde dossiers")] == ["WX-2026-000017"]
    page = wx.page("/winformex/?q=1-ABC-234")
    assert page.table("Geïmporteerde dossiers") == []
    assert "Geen dossiers gevonden." in page.source


def test_assignment_page_shows_its_data_and_link(wx: Client) -> None:
    page = wx.page("/winformex/opdrachten/IX-2026-004799")
    assert page.headings(1) == ["Opdracht IX-2026-004799"]
    assert page.value("Maatschappij") == "Baloise"
    assert page.value("Schadenummer") == "BAL-2026-5512"
    assert page.value("Nummerplaat") == "1XYZ789"
    assert page.value("Chassis (VIN)") == "VF1RFB00X56789012"
    assert page.value("Datum") == "03/11/2026"
    assert page.value("Gekoppeld dossier") == "WX-2026-000017"
    assert page.the("Gekoppeld dossier").find_all("a")[0].attrs["href"] == DOSSIER
    assert wx.page("/winformex/opdrachten/IX-2026-004711").value("Gekoppeld dossier") == "—"


def test_unknown_assignment_or_dossier_answers_404(wx: Client) -> None:
    assert wx.get("/winformex/opdrachten/IX-2026-000000").status_code == 404
    assert wx.get("/winformex/dossiers/WX-2026-999999").status_code == 404
    assert wx.get("/winformex/dossiers/WX-2026-999999/2e-circuit").status_code == 404
    assert wx.post_form("/winformex/dossiers/WX-2026-999999/2e-circuit", {}).status_code == 404
    assert wx.get(f"{DOSSIER}/fotos/2").status_code == 404


# -- dossier screen ----------------------------------------------------------------------------
def test_dossier_screen_has_the_how_to_navigation(wx: Client) -> None:
    page = wx.page(DOSSIER)
    assert page.headings(1) == ["Dossier WX-2026-000017"]
    navs = [n for n in page.role("navigation") if n.attrs.get("aria-label") == "Dossiernavigatie"]
    assert len(navs) == 1
    groups: dict[str, list[str]] = {}
    current = ""
    for node in navs[0].walk():
        if node.tag == "h2":
            current = node.text()
            groups[current] = []
        elif node.tag == "a":
            groups[current].append(node.text())
    assert groups == NAVIGATION


def test_dossier_screen_shows_the_link_and_photos(wx: Client) -> None:
    page = wx.page(DOSSIER)
    assert page.value("PlanManager dossier") == "PM-2026-0103"
    assert page.value("Nummerplaat") == "1-XYZ-789"
    assert page.value("Opdrachtnummer 2e circuit") == "IX-2026-004799"
    assert page.value("Aantal foto's") == "1"
    assert "Fotoalbums › Algemeen" in page.headings(2)
    assert [i.attrs["alt"] for i in page.root.find_all("img")] == ["Foto 1"]
    assert wx.get(f"{DOSSIER}/fotos/1").headers["content-type"] == "image/jpeg"


def test_gegevens_2e_circuit_button_sits_bottom_left_and_opens_the_form(wx: Client) -> None:
    page = wx.page(DOSSIER)
    buttons = [b for b in page.root.find_all("button") if b.text() == "Gegevens 2e circuit"]
    assert len(buttons) == 1
    form = next(a for a in buttons[0].ancestors() if a.tag == "form")
    assert form.attrs["method"] == "get"
    assert form.attrs["action"] == FORM
    assert any(a.tag == "aside" for a in buttons[0].ancestors()), "in the left column"
    assert not any(a.tag == "nav" for a in buttons[0].ancestors()), "below, not in, the navigation"
    assert page.links()["Gegevens 2e circuit"] == FORM


@pytest.mark.parametrize(
    ("sectie", "heading"),
    [
        ("voertuig", "Identificatie › Voertuig"),
        ("totaal-verlies", "Expertise › Totaal verlies"),
        ("ongevalsaanrijding", "Fotoalbums › Ongevalsaanrijding"),
        ("bestaat-niet", "Fotoalbums › Algemeen"),
    ],
)
def test_navigation_sections_open_in_the_main_area(wx: Client, sectie: str, heading: str) -> None:
    page = wx.page(f"{DOSSIER}?sectie={sectie}")
    assert heading in page.headings(2)
    assert page.value("PlanManager dossier") == "PM-2026-0103"


# -- the 2e circuit form -----------------------------------------------------------------------
def test_form_has_the_how_to_groups_and_labels(wx: Client) -> None:
    page = wx.page(FORM)
    assert page.headings(1) == ["Gegevens 2e circuit"]
    legends = [n.text() for n in page.root.find_all("legend")]
    assert legends == [
        "» Expertise",
        "» Identificatie voertuig",
        "Datum van eerste ingebruikname",
        "» Schade",
        "» Specificaties",
    ]
    for label in FORM_LABELS:
        page.the(label)
    assert {"Opslaan", "Annuleren"} <= set(page.buttons())


def test_no_two_elements_on_the_form_share_a_label(wx: Client) -> None:
    labels = wx.page(FORM).label_texts()
    assert sorted(labels) == sorted(set(labels))
    assert sorted(labels) == sorted(FORM_LABELS)


def test_first_registration_is_a_group_of_dag_maand_jaar(wx: Client) -> None:
    page = wx.page(FORM)
    groups = [
        g
        for g in page.role("group")
        if g.find_all("legend")[0].text() == "Datum van eerste ingebruikname"
    ]
    assert len(groups) == 1
    inside = {n.attrs.get("id") for n in groups[0].find_all("input")}
    assert {page.the(b).attrs["id"] for b in ("Dag", "Maand", "Jaar")} == inside


def test_units_stand_outside_the_labels(wx: Client) -> None:
    page = wx.page(FORM)
    for label, unit in (("Kilometerstand", "km"), ("Vermogen", "kW"), ("Cilinderinhoud", "cc")):
        field = page.the(label)
        siblings = field.parent.children if field.parent else []
        after = siblings[siblings.index(field) + 1 :]
        texts = [n.text() for n in after if not isinstance(n, str)]
        assert texts[0] == unit


def test_form_choices(wx: Client) -> None:
    page = wx.page(FORM)
    options = [o.attrs["value"] for o in page.the("Motortype").find_all("option")]
    assert options == ["", "diesel", "benzine", "hybride", "elektrisch", "LPG", "CNG"]
    for box in ("Voorgaande schade", "Inbraak", "onbekend", "Partikelfilter"):
        assert page.field(box)["type"] == "checkbox"


def test_form_is_prefilled_with_what_was_saved(wx: Client) -> None:
    page = wx.page(FORM)
    assert page.field("Opdrachtnummer van de expertise 2e circuit")["value"] == "IX-2026-004799"
    assert page.field("Chassis (VIN)")["value"] == "VF1RFB00X56789012"
    assert [page.field(b)["value"] for b in ("Dag", "Maand", "Jaar")] == ["02", "05", "2018"]
    assert page.field("Kilometerstand")["value"] == ""
    assert "checked" not in page.field("Inbraak")


def test_form_of_a_fresh_dossier_is_empty(wx: Client, pm: Client) -> None:
    ctx_of(pm.app).faults.configure({"injection_delay_s": [0, 0]})
    pm.post_form("/planmanager/dossiers/PM-2026-0101/inject")
    page = wx.page("/winformex/dossiers/WX-2026-000018/2e-circuit")
    for label in (
        "Opdrachtnummer van de expertise 2e circuit",
        "Chassis (VIN)",
        "Dag",
        "Kilometerstand",
    ):
        assert page.field(label)["value"] == ""
    assert wx.page("/winformex/dossiers/WX-2026-000018").value("Opdrachtnummer 2e circuit") == "—"


def test_a_good_save_links_dossier_and_assignment(wx: Client) -> None:
    response = save(wx)
    assert response.status_code == 303
    assert response.headers["location"] == f"{FORM}?opgeslagen=1"
    page = wx.follow(response)
    assert page.status() == "Gegevens 2e circuit opgeslagen."
    assert page.field("Opdrachtnummer van de expertise 2e circuit")["value"] == "IX-2026-004711"
    assert wx.page(DOSSIER).value("Opdrachtnummer 2e circuit") == "IX-2026-004711"
    assert (
        wx.page("/winformex/opdrachten/IX-2026-004711").value("Gekoppeld dossier")
        == "WX-2026-000017"
    )
    assert linked(wx) == {
        "IX-2026-004711": "WX-2026-000017",
        "IX-2026-004712": None,
        "IX-2026-004799": None,
    }, "the dossier's old link is replaced: the portal lets a user overwrite"
    assert wx_dossier_state(wx)["second_circuit"] == {
        "assignment_number": "IX-2026-004711",
        "vin": "WVWZZZ1KZ8W123456",
        "first_registration": "2019-03-14",
        "previous_damage": False,
        "burglary": True,
        "mileage_km": 84512,
        "mileage_unknown": False,
        "power_kw": 85,
        "displacement_cc": 1498,
        "co2": 118,
        "engine_type": "benzine",
        "particle_filter": False,
        "saves": 2,
    }


def test_saves_are_counted(wx: Client) -> None:
    before = wx_dossier_state(wx)["second_circuit"]["saves"]
    save(wx)
    save(wx, assignment_number="IX-2026-004712")
    assert wx_dossier_state(wx)["second_circuit"]["saves"] == before + 2


def test_onbekend_stores_no_mileage(wx: Client) -> None:
    save(wx, mileage_km="84512", mileage_unknown="1")
    circuit = wx_dossier_state(wx)["second_circuit"]
    assert (circuit["mileage_km"], circuit["mileage_unknown"]) == (None, True)
    assert "checked" in wx.page(FORM).field("onbekend")


def test_lowercase_input_is_stored_upper_case(wx: Client) -> None:
    save(wx, assignment_number="ix-2026-004711", vin="wvwzzz1kz8w123456")
    circuit = wx_dossier_state(wx)["second_circuit"]
    assert (circuit["assignment_number"], circuit["vin"]) == ("IX-2026-004711", "WVWZZZ1KZ8W123456")


@pytest.mark.parametrize(
    ("fields", "message", "invalid"),
    [
        (
            {"assignment_number": "IX-2026-000001"},
            "Onbekend opdrachtnummer: IX-2026-000001",
            ["Opdrachtnummer van de expertise 2e circuit"],
        ),
        ({"vin": "AB"}, "Ongeldig chassisnummer (VIN)", ["Chassis (VIN)"]),
        ({"vin": "WVW-ZZZ"}, "Ongeldig chassisnummer (VIN)", ["Chassis (VIN)"]),
        ({"vin": "WVWZZZ1KZ8W12345O"}, "Ongeldig chassisnummer (VIN)", ["Chassis (VIN)"]),
        ({"vin": "IVWZZZ1KZ8W123456"}, "Ongeldig chassisnummer (VIN)", ["Chassis (VIN)"]),
        ({"vin": "QVWZZZ1KZ8W1234567"}, "Ongeldig chassisnummer (VIN)", ["Chassis (VIN)"]),
        (
            {"first_registration_day": "31", "first_registration_month": "02"},
            "Ongeldige datum van eerste ingebruikname",
            ["Dag", "Maand", "Jaar"],
        ),
        (
            {"first_registration_year": "2030"},
            "Ongeldige datum van eerste ingebruikname",
            ["Dag", "Maand", "Jaar"],
        ),
        (
            {"first_registration_year": "19"},
            "Ongeldige datum van eerste ingebruikname",
            ["Dag", "Maand", "Jaar"],
        ),
        (
            {"first_registration_day": ""},
            "Ongeldige datum van eerste ingebruikname",
            ["Dag", "Maand", "Jaar"],
        ),
        (
            {"first_registration_month": "13"},
            "Ongeldige datum van eerste ingebruikname",
            ["Dag", "Maand", "Jaar"],
        ),
        ({"mileage_km": "84.512"}, "Ongeldige kilometerstand", ["Kilometerstand"]),
        ({"mileage_km": "-1"}, "Ongeldige kilometerstand", ["Kilometerstand"]),
        ({"power_kw": "85,5"}, "Ongeldig vermogen", ["Vermogen"]),
        ({"displacement_cc": "1.5"}, "Ongeldige cilinderinhoud", ["Cilinderinhoud"]),
        ({"co2": "-3"}, "Ongeldige CO2-waarde", ["CO2"]),
        ({"engine_type": "stoom"}, "Ongeldig motortype", ["Motortype"]),
    ],
)
def test_a_bad_save_is_refused_with_a_message_and_nothing_is_written(
    wx: Client, fields: dict[str, Any], message: str, invalid: list[str]
) -> None:
    before = wx.get("/_mock/state").json()
    response = save(wx, **fields)
    assert response.status_code == 200
    page = Html(response.text)
    assert page.headings(1) == ["Gegevens 2e circuit"]
    assert message in page.alert()
    for label in invalid:
        field = page.field(label)
        assert field["aria-invalid"] == "true"
        assert page.by_id[field["aria-describedby"]].text().startswith(message)
    assert wx.get("/_mock/state").json() == before


def test_a_refused_save_shows_what_was_typed(wx: Client) -> None:
    page = Html(save(wx, vin="BA", mileage_km="84512").text)
    assert page.field("Chassis (VIN)")["value"] == "BA"
    assert page.field("Kilometerstand")["value"] == "84512"
    assert page.field("Opdrachtnummer van de expertise 2e circuit")["value"] == "IX-2026-004711"


def test_several_problems_are_reported_together(wx: Client) -> None:
    page = Html(save(wx, assignment_number="IX-1", vin="X", first_registration_day="99").text)
    alert = page.alert()
    assert "Onbekend opdrachtnummer: IX-1" in alert
    assert "Ongeldig chassisnummer (VIN)" in alert
    assert "Ongeldige datum van eerste ingebruikname" in alert


def test_empty_fields_are_allowed_and_clear_the_link(wx: Client) -> None:
    response = wx.post_form(FORM, {})
    assert response.status_code == 303
    circuit = wx_dossier_state(wx)["second_circuit"]
    assert circuit["assignment_number"] is None
    assert circuit["first_registration"] is None
    assert linked(wx)["IX-2026-004799"] is None


def test_the_last_dossier_saved_with_an_assignment_is_the_linked_one(
    wx: Client, pm: Client
) -> None:
    ctx_of(pm.app).faults.configure({"injection_delay_s": [0, 0]})
    pm.post_form("/planmanager/dossiers/PM-2026-0101/inject")
    response = wx.post_form(
        "/winformex/dossiers/WX-2026-000018/2e-circuit", {"assignment_number": "IX-2026-004799"}
    )
    assert response.status_code == 303
    assert linked(wx)["IX-2026-004799"] == "WX-2026-000018"
