"""The mock portal in Dutch and in French: each user sees every screen in their own language.

The login page is Dutch unless `?lang=fr` or a French Accept-Language asks otherwise; after
login the user's language (the seed's `language`) rules, down to the values (`84 512 km`,
`Oui/Non`, `inconnu`) and `<html lang>`, which is how the bot tells the language. Labels come from
one catalogue, mock_portal/i18n.py, checked here for completeness.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from starlette.applications import Starlette

from mock_portal import i18n
from mock_portal.config import TEMPLATES_DIR
from mock_portal.models import ENGINE_TYPES
from mock_portal.process import MockPortalProcess
from mock_portal.seed import SeedError
from mock_portal.winformex import NAV_GROUP_KEYS, SECTIONS
from tests import seeds
from tests.portal.conftest import AppFactory
from tests.portal.helpers import USERS_FR, Client, Html

WX_FORM = "/winformex/dossiers/WX-2026-000017/2e-circuit"


def html_lang(text: str) -> str:
    match = re.search(r'<html lang="([a-z]{2})">', text)
    assert match, text[:200]
    return match[1]


def french(app: Starlette, portal: str) -> Client:
    client = Client(app)
    username, password = USERS_FR[portal]
    assert client.login(portal, username, password).status_code == 303
    return client


# -- the catalogue --------------------------------------------------------------------------
def test_both_languages_have_every_key() -> None:
    assert i18n.missing_keys() == {"nl": [], "fr": []}
    assert all(i18n.FR[key].strip() for key in i18n.FR)


def test_every_key_a_template_names_is_in_the_catalogue() -> None:
    used = {
        key
        for template in Path(TEMPLATES_DIR).glob("*.html")
        for key in re.findall(r"""\bt\(\s*["']([a-z0-9_.-]+)["']\s*[,)]""", template.read_text())
    }
    assert used, "no t('key') found in the templates"
    # keys the templates build: "engine." ~ option, "wx.nav." ~ sectie
    used |= {f"engine.{option}" for option in ENGINE_TYPES}
    used |= {f"wx.nav.{slug}" for slug in SECTIONS}
    used |= set(NAV_GROUP_KEYS.values())
    assert sorted(used - set(i18n.NL)) == []


def test_the_known_informex_french_vocabulary_is_used() -> None:
    assert i18n.FR["sc.vin"] == "Châssis (VIN)"
    assert i18n.FR["sc.first_registration"] == "Date de première mise en circulation"
    assert (i18n.FR["sc.power"], i18n.FR["sc.displacement"], i18n.FR["sc.co2"]) == (
        "Puissance",
        "Cylindrée",
        "CO2",
    )


@pytest.mark.parametrize(
    ("language", "km", "yes", "no", "unknown"),
    [("nl", "84.512 km", "Ja", "Nee", "onbekend"), ("fr", "84 512 km", "Oui", "Non", "inconnu")],
)
def test_values_are_shown_in_the_language(
    language: str, km: str, yes: str, no: str, unknown: str
) -> None:
    assert i18n.screen_km(84512, language) == km
    assert i18n.screen_km(None, language) == unknown
    assert (i18n.screen_bool(True, language), i18n.screen_bool(False, language)) == (yes, no)


# -- before login: Dutch unless asked ---------------------------------------------------------
@pytest.mark.parametrize("portal", ["planmanager", "winformex"])
def test_the_login_page_is_dutch_by_default(client: Client, portal: str) -> None:
    response = client.get(f"/{portal}/login")
    page = Html(response.text)
    assert html_lang(response.text) == "nl"
    assert {"Gebruikersnaam", "Wachtwoord"} <= set(page.label_texts())
    assert "Aanmelden" in page.buttons()


@pytest.mark.parametrize(
    ("path", "headers"),
    [
        ("/winformex/login?lang=fr", {}),
        ("/winformex/login", {"accept-language": "fr-BE,fr;q=0.9,nl;q=0.8"}),
        ("/planmanager/login?lang=fr", {"accept-language": "nl-BE"}),
    ],
)
def test_the_login_page_is_french_when_asked(
    client: Client, path: str, headers: dict[str, str]
) -> None:
    response = client.get(path, headers=headers)
    page = Html(response.text)
    assert html_lang(response.text) == "fr"
    assert {"Nom d'utilisateur", "Mot de passe"} <= set(page.label_texts())
    assert "Se connecter" in page.buttons()


def test_a_refused_login_says_so_in_the_page_language(client: Client) -> None:
    form = Html(client.get("/winformex/login?lang=fr").text)
    response = client.http.post(
        "/winformex/login?lang=fr",
        data={"username": "reparateur", "password": "faux", "csrf_token": form.csrf()},
    )
    assert "Nom d'utilisateur ou mot de passe incorrect." in Html(response.text).alert()


# -- after login: the user's language rules ---------------------------------------------------
def test_a_french_user_sees_french_whatever_the_browser_asks(app: Starlette) -> None:
    wx = french(app, "winformex")
    response = wx.get("/winformex/", headers={"accept-language": "nl-BE"})
    page = Html(response.text)
    assert html_lang(response.text) == "fr"
    assert "Se déconnecter" in page.buttons()
    assert "Rechercher une mission" in page.label_texts()
    assert page.table_headers("Missions d'assurance") == [
        "Numéro de mission",
        "Compagnie",
        "Numéro de sinistre",
        "Plaque",
        "Châssis (VIN)",
        "Date",
        "Dossier lié",
    ]
    assert "Dossier PlanManager" in page.table_headers("Dossiers importés")


def test_a_dutch_user_still_sees_dutch(wx: Client) -> None:
    response = wx.get("/winformex/", headers={"accept-language": "fr-BE"})
    page = Html(response.text)
    assert html_lang(response.text) == "nl"
    assert "Afmelden" in page.buttons()
    assert "Opdrachtnummer" in page.table_headers("Verzekeringsopdrachten")


def test_the_planmanager_dossier_shows_french_labels_and_values(app: Starlette) -> None:
    page = french(app, "planmanager").page("/planmanager/dossiers/PM-2026-0101")
    assert page.value("Kilométrage") == "84 512 km"
    assert page.value("Date de première mise en circulation") == "14/03/2019"
    assert page.value("Dégâts antérieurs") == "Non"
    assert page.value("Vol") == "Oui"
    assert page.value("Châssis (VIN)") == "WVWZZZ1KZ8W123456"
    assert "Injecter dans Informex" in page.buttons()
    assert "Confirmer" in page.buttons()
    unknown = french(app, "planmanager").page("/planmanager/dossiers/PM-2026-0102")
    assert unknown.value("Kilométrage") == "inconnu"


def test_planmanager_refuses_an_incomplete_injection_in_french(
    make_app: AppFactory, seed_doc: dict[str, Any]
) -> None:
    seed_doc["planmanager"]["dossiers"][0]["vehicle"]["vin"] = None
    pm = french(make_app(seed=seed_doc), "planmanager")
    response = pm.post_form("/planmanager/dossiers/PM-2026-0101/inject")
    assert "Dossier incomplet : données manquantes : VIN" in Html(response.text).alert()


def test_the_planmanager_list_and_new_dossier_form_are_french(app: Starlette) -> None:
    pm = french(app, "planmanager")
    listing = pm.page("/planmanager/dossiers?q=1ABC234")
    assert "Rechercher par numéro de dossier ou plaque" in listing.label_texts()
    assert "Nouveau dossier" in listing.links()
    assert listing.table_headers("Dossiers") == [
        "Dossier",
        "Plaque",
        "Client",
        "Marque",
        "Modèle",
        "Assureur",
        "Statut",
        "Informex",
    ]
    form = pm.page("/planmanager/dossiers/nieuw")
    assert "Nouveau dossier" in form.headings(1)
    assert set(form.label_texts()) >= {
        "Numéro de dossier",
        "Client",
        "Plaque",
        "Châssis (VIN)",
        "Date de première mise en circulation",
        "Kilométrage",
        "Kilométrage inconnu",
        "Type de moteur",
        "Numéro de sinistre",
        "Date du sinistre",
        "Dégâts antérieurs",
        "Vol",
    }
    assert form.field("Date du sinistre")["placeholder"] == "jj/mm/aaaa"
    assert "Enregistrer" in form.buttons()
    engine = form.the("Type de moteur")
    options = {o.attrs["value"]: o.text() for o in engine.find_all("option") if o.attrs["value"]}
    assert options["benzine"] == "essence" and options["elektrisch"] == "électrique"

    refused = Html(
        pm.post_form("/planmanager/dossiers", {"number": "123", "damage_date": "31/02/2026"}).text
    )
    assert "Le dossier n'a pas été enregistré :" in refused.alert()
    assert "Numéro de dossier : utilisez le format PM-AAAA-NNNN." in refused.alert()
    assert "Date du sinistre : date invalide, utilisez jj/mm/aaaa." in refused.alert()


def test_a_pending_injection_is_announced_in_french(app: Starlette) -> None:
    pm = french(app, "planmanager")
    page = pm.follow(pm.post_form("/planmanager/dossiers/PM-2026-0101/inject"))
    assert "Injection dans Informex en cours…" in page.status()
    assert page.value("Dossier Informex") == "—"


def test_the_assignment_page_is_french(app: Starlette) -> None:
    page = french(app, "winformex").page("/winformex/opdrachten/IX-2026-004711")
    assert "Mission IX-2026-004711" in page.headings(1)
    assert "Mission d'assurance" in page.headings(2)
    assert page.value("Numéro de mission") == "IX-2026-004711"
    assert page.value("Compagnie") == "AG Insurance"
    assert page.value("Numéro de sinistre") == "AG-26-113456"
    assert page.value("Dossier lié") == "—"


def test_the_2e_circuit_form_is_french(app: Starlette) -> None:
    page = french(app, "winformex").page(WX_FORM)
    assert "Données 2e circuit" in page.headings(1)
    assert set(page.label_texts()) >= {
        "Numéro de mission de l'expertise 2e circuit",
        "Châssis (VIN)",
        "Jour",
        "Mois",
        "Année",
        "Dégâts antérieurs",
        "Vol",
        "Kilométrage",
        "inconnu",
        "Puissance",
        "Cylindrée",
        "CO2",
        "Type de moteur",
        "Filtre à particules",
    }
    assert "Enregistrer" in page.buttons()


def test_french_validation_messages(app: Starlette) -> None:
    wx = french(app, "winformex")
    response = wx.post_form(
        WX_FORM, {"assignment_number": "IX-1", "vin": "X!", "mileage_km": "beaucoup"}
    )
    alert = Html(response.text).alert()
    assert "Les données n'ont pas été enregistrées :" in alert
    assert "Numéro de mission inconnu : IX-1" in alert
    assert "Numéro de châssis (VIN) invalide" in alert
    assert "Kilométrage invalide" in alert


def test_a_french_404_and_maintenance_page(app: Starlette) -> None:
    wx = french(app, "winformex")
    missing = wx.get("/winformex/dossiers/WX-2026-999999")
    assert missing.status_code == 404
    assert "Le dossier WX-2026-999999 n'existe pas." in Html(missing.text).alert()
    assert html_lang(missing.text) == "fr"
    wx.http.put("/_mock/faults", json={"fail_next": [{"mode": "maintenance"}]})
    notice = wx.get("/winformex/")
    assert '<html lang="fr">' in notice.text
    assert "Maintenance" in notice.text


def test_a_french_user_who_logs_out_gets_the_french_login_page(app: Starlette) -> None:
    wx = french(app, "winformex")
    response = wx.post_form("/winformex/logout")
    assert response.status_code == 303
    assert response.headers["location"] == "/winformex/login?lang=fr"
    login = wx.get(response.headers["location"])
    assert "Se connecter" in Html(login.text).buttons()


def test_seed_refuses_an_unknown_language(make_app: AppFactory, seed_doc: dict[str, Any]) -> None:
    seed_doc["users"]["winformex"][0]["language"] = "de"
    with pytest.raises(SeedError, match=r"users\.winformex\[0\]\.language"):
        make_app(seed=seed_doc)


# -- in a browser, as a French-speaking person ----------------------------------------------
def log_in_french(page: Page, url: str, user: dict[str, str]) -> None:
    page.goto(f"{url}login?lang=fr")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    page.get_by_label("Nom d'utilisateur").fill(user["username"])
    page.get_by_label("Mot de passe").fill(user["password"])
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()


def test_a_french_user_links_a_dossier_by_hand(page: Page, portal: MockPortalProcess) -> None:
    portal.reset(seeds.already_injected())
    log_in_french(page, portal.winformex_url, seeds.WX_USER_FR)
    page.get_by_label("Rechercher une mission").fill("1ABC234")
    page.get_by_role("button", name="Rechercher").click()
    expect(page.get_by_role("table", name="Missions d'assurance")).to_contain_text("IX-2026-004711")
    page.get_by_role("table", name="Dossiers importés").get_by_role(
        "link", name="WX-2026-000017"
    ).click()
    expect(page.get_by_role("navigation", name="Navigation du dossier")).to_contain_text(
        "Lésé & bailleur"
    )
    expect(page.get_by_label("Nombre de photos")).to_have_text("2")
    expect(page.get_by_label("Dossier PlanManager")).to_have_text("PM-2026-0101")
    page.get_by_role("button", name="Données 2e circuit").click()

    expect(page.get_by_role("heading", name="Données 2e circuit")).to_be_visible()
    page.get_by_label("Numéro de mission de l'expertise 2e circuit").fill("IX-2026-004711")
    page.get_by_label("Châssis (VIN)").fill(seeds.VEHICLE["vin"])
    first_use = page.get_by_role("group", name="Date de première mise en circulation")
    first_use.get_by_label("Jour").fill("14")
    first_use.get_by_label("Mois").fill("03")
    first_use.get_by_label("Année").fill("2019")
    page.get_by_label("Kilométrage").fill("84512")
    page.get_by_label("Puissance").fill("85")
    page.get_by_label("Cylindrée").fill("1498")
    page.get_by_label("CO2").fill("118")
    page.get_by_label("Type de moteur").select_option("benzine")
    page.get_by_label("Vol", exact=True).check()
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("status")).to_contain_text("Données 2e circuit enregistrées.")

    [wx] = portal.state()["winformex"]["dossiers"]
    assert wx["second_circuit"]["assignment_number"] == "IX-2026-004711"
    assert wx["second_circuit"]["mileage_km"] == 84512
    assert wx["second_circuit"]["burglary"] is True

    page.get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_role("button", name="Se connecter")).to_be_visible()


def test_a_french_user_injects_from_planmanager(page: Page, portal: MockPortalProcess) -> None:
    log_in_french(page, portal.planmanager_url, seeds.PM_USER_FR)
    page.get_by_label("Rechercher par numéro de dossier ou plaque").fill("1-ABC-234")
    page.get_by_role("button", name="Rechercher").click()
    page.get_by_role("link", name="PM-2026-0101").click()
    expect(page.get_by_role("heading", name="Dossier PM-2026-0101")).to_be_visible()
    expect(page.get_by_label("Kilométrage")).to_have_text("84 512 km")
    expect(page.get_by_label("Filtre à particules")).to_have_text("Non")

    page.get_by_role("button", name="Injecter dans Informex").click()
    dialog = page.get_by_role("dialog", name="Injection dans Informex")
    expect(dialog).to_contain_text("Voulez-vous envoyer ce dossier à Informex ?")
    dialog.get_by_role("button", name="Confirmer").click()
    expect(page.get_by_label("Dossier Informex", exact=True)).to_have_text(
        re.compile(r"WX-\d{4}-\d{6}"), timeout=15_000
    )
    [pm] = portal.state()["planmanager"]["dossiers"]
    assert pm["injections"] == 1
