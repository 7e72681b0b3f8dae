"""What `informex-bot check` says of the portals' variants and of the labels it could not find,
per language (the lines under its table and check.json's `portals` and `missing_labels`)."""

from __future__ import annotations

from bot.commands.check import variant_lines
from bot.commands.check_portals import (
    ASSUMED,
    DECLARED,
    FORCED,
    MISSING,
    OK,
    SKIPPED,
    CheckFindings,
    LocatorCheck,
    PortalFinding,
)

FORM = "Winformex Gegevens 2e circuit"


def findings(*checks: LocatorCheck) -> CheckFindings:
    return CheckFindings(
        checks=list(checks),
        portals={
            "planmanager": PortalFinding("planmanager", "fr", FORCED, "fr"),
            "winformex": PortalFinding(
                "winformex",
                "fr",
                DECLARED,
                "nl",
                layout="menu",
                dossier_reached=True,
                way_to_second_circuit="Éditer → 2e circuit → expertise",
            ),
        },
    )


def test_each_portal_says_its_language_how_it_was_known_and_winformexs_way():
    lines = variant_lines(findings(LocatorCheck("InboxPage", "search_box", "x", OK, "", "fr")))

    assert lines == [
        "planmanager: screens in French (fr, BOT_PORTAL_LANGUAGE); login page in French (fr)",
        "winformex: screens in French (fr, declared by its pages); login page in Dutch (nl); "
        "2e circuit through the menu Éditer → 2e circuit → expertise",
        "every label found (French); labels live in bot/pages/labels.py",
    ]


def test_the_button_layout_and_a_portal_that_declares_no_language():
    finding = PortalFinding(
        "winformex",
        "nl",
        ASSUMED,
        None,
        layout="button",
        dossier_reached=True,
        way_to_second_circuit="Gegevens 2e circuit",
    )

    assert finding.summary() == (
        "winformex: screens in Dutch (nl, assumed); "
        "2e circuit through the button 'Gegevens 2e circuit'"
    )


def test_a_winformex_without_an_opened_dossier_or_without_either_way_says_so():
    unopened = PortalFinding("winformex", "nl", DECLARED, "nl")
    neither = PortalFinding("winformex", "nl", DECLARED, "nl", dossier_reached=True)

    assert unopened.summary().endswith(
        "way to the 2e circuit not looked for (no Informex dossier opened)"
    )
    assert neither.summary().endswith("way to the 2e circuit not found (neither button nor menu)")


def test_labels_not_found_are_listed_per_language_with_their_locator():
    found = findings(
        LocatorCheck(
            "SecondCircuitPage", "vin", FORM, MISSING, 'internal:label="Châssis (VIN)"s', "fr"
        ),
        LocatorCheck(
            "SecondCircuitPage",
            "first_registration.Dag",
            FORM,
            MISSING,
            'internal:role=group[name="Date de première mise en circulation"s]'
            ' >> internal:label="Jour"s',
            "fr",
        ),
        LocatorCheck(
            "LoginPage",
            "username",
            "planmanager login",
            MISSING,
            'internal:label="Gebruikersnaam"s',
            "nl",
        ),
        LocatorCheck("SecondCircuitPage", "saved", FORM, SKIPPED, "shown only after a save", "fr"),
        LocatorCheck(
            "InformexDossierPage", "(screen)", "Winformex dossier", MISSING, "no dossier", "fr"
        ),
    )

    assert found.missing_labels() == {
        "fr": [
            {"page_object": "SecondCircuitPage", "locator": "vin", "label": "Châssis (VIN)"},
            {
                "page_object": "SecondCircuitPage",
                "locator": "first_registration.Dag",
                "label": "Date de première mise en circulation › Jour",
            },
        ],
        "nl": [{"page_object": "LoginPage", "locator": "username", "label": "Gebruikersnaam"}],
    }
    lines = variant_lines(found)
    assert "labels not found in French (fr), to correct in bot/pages/labels.py:" in lines
    assert "  'Châssis (VIN)'  (SecondCircuitPage.vin)" in lines
    assert "labels not found in Dutch (nl), to correct in bot/pages/labels.py:" in lines
    assert not any(line.startswith("every label found") for line in lines)
