"""Every text the page objects look for on the portals' screens, in Dutch and in French.

Belgium is bilingual: PlanManager and Informex are used in French in Wallonia and Brussels, so
each screen the bot uses has its labels in both languages. They live here, and only here, one
line per label: `key: (Dutch, French)`. Correcting a label after seeing the real screen is a
one-line edit; `informex-bot check` names the key's label it could not find.

Keys are stable (`screen.what`, and `screen.group.name` where a page object loops over a group,
e.g. the 2e circuit form's fields by their declared name), and groups keep the screen's order.
Page objects are built with a `Labels` (the catalogue in one language) and never hold a label of
their own. The screen's language comes from the setting BOT_PORTAL_LANGUAGE or, by default, from
what the portal's pages declare (`<html lang>`, read by `language_of`); a portal seen in one
language is remembered for the process (`remember_language`), so a page object built without
labels gets that language's.

Screenshot and action names (`fill-opdrachtnummer`) stay Dutch whatever the screen's language, so
the film strip, the report and the ledger read alike for every shop (`action_labels`).
"""

# ruff: noqa: E501  (the catalogue is a table: one line per label)
from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass

LANGUAGES = ("nl", "fr")
DEFAULT_LANGUAGE = "nl"
LANGUAGE_NAMES = {"nl": "Dutch", "fr": "French"}

# A table, one line per label however long:
# fmt: off
CATALOGUE: dict[str, tuple[str, str]] = {
    # -- login and logout, alike in both portals (the login page's language is the browser's
    # or the portal's, not yet the user's) --------------------------------------------------------
    "login.username": ("Gebruikersnaam", "Nom d'utilisateur"),
    "login.password": ("Wachtwoord", "Mot de passe"),
    "login.submit": ("Aanmelden", "Se connecter"),
    "logout.button": ("Afmelden", "Se déconnecter"),
    # -- popups over any page -------------------------------------------------------------------
    "popup.news": ("Nieuws", "Actualités"),
    "popup.news_close": ("Sluiten", "Fermer"),
    "popup.cookies": ("Cookies", "Cookies"),
    "popup.cookies_accept": ("Alles accepteren", "Tout accepter"),
    # -- PlanManager: the dossier list ----------------------------------------------------------
    "pm_list.search_box": ("Zoek op dossiernummer of nummerplaat", "Rechercher par numéro de dossier ou plaque"),
    "pm_list.search": ("Zoeken", "Rechercher"),
    "pm_list.table": ("Dossiers", "Dossiers"),
    "pm_list.new_dossier": ("Nieuw dossier", "Nouveau dossier"),
    "pm_list.column.dossier": ("Dossier", "Dossier"),
    "pm_list.column.informex": ("Informex", "Informex"),
    # -- PlanManager: a dossier -----------------------------------------------------------------
    "pm_dossier.heading": ("Dossier", "Dossier"),  # followed by the number: `Dossier PM-…`
    "pm_dossier.photo": ("Foto", "Photo"),  # followed by its index: `Foto 1`
    "pm_dossier.inject": ("Injecteer in Informex", "Injecter dans Informex"),
    "pm_dossier.inject_dialog": ("Injecteren in Informex", "Injection dans Informex"),
    "pm_dossier.confirm": ("Bevestigen", "Confirmer"),
    "pm_dossier.pending": ("Bezig met injecteren", "Injection dans Informex en cours"),
    "pm_dossier.incomplete": ("onvolledig", "incomplet"),  # in the refusal of an injection
    # the values shown, by PlanManagerDossier attribute, in the page's order
    "pm_dossier.value.customer": ("Klant", "Client"),
    "pm_dossier.value.plate": ("Nummerplaat", "Plaque"),
    "pm_dossier.value.vin": ("Chassisnummer (VIN)", "Châssis (VIN)"),
    "pm_dossier.value.make": ("Merk", "Marque"),
    "pm_dossier.value.model": ("Model", "Modèle"),
    "pm_dossier.value.first_registration": ("Eerste inschrijving", "Date de première mise en circulation"),
    "pm_dossier.value.mileage_km": ("Kilometerstand", "Kilométrage"),
    "pm_dossier.value.power_kw": ("Vermogen (kW)", "Puissance (kW)"),
    "pm_dossier.value.displacement_cc": ("Cilinderinhoud (cc)", "Cylindrée (cc)"),
    "pm_dossier.value.co2": ("CO2 (g/km)", "CO2 (g/km)"),
    "pm_dossier.value.engine_type": ("Motortype", "Type de moteur"),
    "pm_dossier.value.particle_filter": ("Partikelfilter", "Filtre à particules"),
    "pm_dossier.value.insurer": ("Verzekeraar", "Assureur"),
    "pm_dossier.value.claim_number": ("Schadenummer", "Numéro de sinistre"),
    "pm_dossier.value.damage_date": ("Schadedatum", "Date du sinistre"),
    "pm_dossier.value.previous_damage": ("Voorgaande schade", "Dégâts antérieurs"),
    "pm_dossier.value.burglary": ("Inbraak", "Vol"),
    "pm_dossier.value.informex_dossier": ("Informex dossier", "Dossier Informex"),
    # -- PlanManager: the new-dossier form ------------------------------------------------------
    "pm_form.heading": ("Nieuw dossier", "Nouveau dossier"),
    "pm_form.save": ("Opslaan", "Enregistrer"),
    # its inputs, by NewDossierData attribute, in the form's order
    "pm_form.input.number": ("Dossiernummer", "Numéro de dossier"),
    "pm_form.input.customer": ("Klant", "Client"),
    "pm_form.input.phone": ("Telefoon", "Téléphone"),
    "pm_form.input.plate": ("Nummerplaat", "Plaque"),
    "pm_form.input.vin": ("Chassisnummer (VIN)", "Châssis (VIN)"),
    "pm_form.input.make": ("Merk", "Marque"),
    "pm_form.input.model": ("Model", "Modèle"),
    "pm_form.input.first_registration": ("Eerste inschrijving", "Date de première mise en circulation"),
    "pm_form.input.mileage_km": ("Kilometerstand", "Kilométrage"),
    "pm_form.input.mileage_unknown": ("Kilometerstand onbekend", "Kilométrage inconnu"),
    "pm_form.input.power_kw": ("Vermogen (kW)", "Puissance (kW)"),
    "pm_form.input.displacement_cc": ("Cilinderinhoud (cc)", "Cylindrée (cc)"),
    "pm_form.input.co2": ("CO2 (g/km)", "CO2 (g/km)"),
    "pm_form.input.engine_type": ("Motortype", "Type de moteur"),
    "pm_form.input.particle_filter": ("Partikelfilter", "Filtre à particules"),
    "pm_form.input.insurer": ("Verzekeraar", "Assureur"),
    "pm_form.input.claim_number": ("Schadenummer", "Numéro de sinistre"),
    "pm_form.input.damage_date": ("Schadedatum", "Date du sinistre"),
    "pm_form.input.previous_damage": ("Voorgaande schade", "Dégâts antérieurs"),
    "pm_form.input.burglary": ("Inbraak", "Vol"),
    # -- Winformex: the inbox (Postvak) ---------------------------------------------------------
    "wx_inbox.search_box": ("Zoek opdracht", "Rechercher une mission"),
    "wx_inbox.search": ("Zoeken", "Rechercher"),
    "wx_inbox.assignments": ("Verzekeringsopdrachten", "Missions d'assurance"),
    "wx_inbox.imported": ("Geïmporteerde dossiers", "Dossiers importés"),
    # the assignments' columns
    "wx_inbox.assignment.number": ("Opdrachtnummer", "Numéro de mission"),
    "wx_inbox.assignment.insurer": ("Maatschappij", "Compagnie"),
    "wx_inbox.assignment.claim_number": ("Schadenummer", "Numéro de sinistre"),
    "wx_inbox.assignment.plate": ("Nummerplaat", "Plaque"),
    "wx_inbox.assignment.vin": ("Chassis (VIN)", "Châssis (VIN)"),
    "wx_inbox.assignment.date": ("Datum", "Date"),
    "wx_inbox.assignment.linked_dossier": ("Gekoppeld dossier", "Dossier lié"),
    # the imported dossiers' columns
    "wx_inbox.imported_column.number": ("Dossiernummer", "Numéro de dossier"),
    "wx_inbox.imported_column.planmanager_dossier": ("PlanManager dossier", "Dossier PlanManager"),
    "wx_inbox.imported_column.assignment_number": ("Opdrachtnummer 2e circuit", "Numéro de mission 2e circuit"),
    # -- Winformex: a dossier -------------------------------------------------------------------
    "wx_dossier.heading": ("Dossier", "Dossier"),  # followed by the number
    "wx_dossier.navigation": ("Dossiernavigatie", "Navigation du dossier"),
    "wx_dossier.planmanager_dossier": ("PlanManager dossier", "Dossier PlanManager"),
    "wx_dossier.photo_count": ("Aantal foto's", "Nombre de photos"),
    # the two ways to the 2e circuit form: a button at the bottom left, or a menu
    "wx_dossier.second_circuit_button": ("Gegevens 2e circuit", "Données 2e circuit"),
    "wx_dossier.menu_edit": ("Bewerken", "Éditer"),
    "wx_dossier.menu_second_circuit": ("2e circuit", "2e circuit"),
    "wx_dossier.menu_expertise": ("expertise", "expertise"),
    # the left navigation's links (checked, never clicked), keyed by the portal's `sectie`
    "wx_dossier.nav.maatschappijen": ("Maatschappijen", "Compagnies"),
    "wx_dossier.nav.makelaar": ("Makelaar", "Courtier"),
    "wx_dossier.nav.deskundigen": ("Deskundigen", "Experts"),
    "wx_dossier.nav.schadelijder-leaser": ("Schadelijder & leaser", "Lésé & bailleur"),
    "wx_dossier.nav.hersteller": ("Hersteller", "Réparateur"),
    "wx_dossier.nav.voertuig": ("Voertuig", "Véhicule"),
    "wx_dossier.nav.nota-aanstelling": ("Nota aanstelling", "Note de désignation"),
    "wx_dossier.nav.expertise-gegevens": ("Expertise gegevens", "Données d'expertise"),
    "wx_dossier.nav.totaal-verlies": ("Totaal verlies", "Perte totale"),
    "wx_dossier.nav.type-opties": ("Type & opties", "Type & options"),
    "wx_dossier.nav.standaard-bewerkingen": ("Standaard bewerkingen", "Opérations standard"),
    "wx_dossier.nav.globale-codes": ("Globale codes", "Codes globaux"),
    "wx_dossier.nav.niet-standaard-bewerkingen": ("Niet standaard bewerkingen", "Opérations non standard"),
    "wx_dossier.nav.smart-repair-bewerkingen": ("Smart Repair bewerkingen", "Opérations Smart Repair"),
    "wx_dossier.nav.aanmerkingen": ("Aanmerkingen", "Remarques"),
    "wx_dossier.nav.algemeen": ("Algemeen", "Général"),
    "wx_dossier.nav.ongevalsaanrijding": ("Ongevalsaanrijding", "Collision"),
    "wx_dossier.nav.2e-circuit": ("Gegevens 2e circuit", "Données 2e circuit"),
    # -- Winformex: the 2e circuit form ---------------------------------------------------------
    "second_circuit.heading": ("Gegevens 2e circuit", "Données 2e circuit"),
    "second_circuit.save": ("Opslaan", "Enregistrer"),
    "second_circuit.saved": ("opgeslagen", "enregistrées"),  # in the status after a save
    # a date is a group of three boxes, in the order `formats.date_parts` gives them
    "second_circuit.box.day": ("Dag", "Jour"),
    "second_circuit.box.month": ("Maand", "Mois"),
    "second_circuit.box.year": ("Jaar", "Année"),
    # one per declared field (bot.domain.fields), in the form's order
    "second_circuit.field.assignment_number": ("Opdrachtnummer van de expertise 2e circuit", "Numéro de mission de l'expertise 2e circuit"),
    "second_circuit.field.vin": ("Chassis (VIN)", "Châssis (VIN)"),
    "second_circuit.field.first_registration": ("Datum van eerste ingebruikname", "Date de première mise en circulation"),
    "second_circuit.field.previous_damage": ("Voorgaande schade", "Dégâts antérieurs"),
    "second_circuit.field.burglary": ("Inbraak", "Vol"),
    "second_circuit.field.mileage_km": ("Kilometerstand", "Kilométrage"),
    "second_circuit.field.mileage_unknown": ("onbekend", "inconnu"),
    "second_circuit.field.power_kw": ("Vermogen", "Puissance"),
    "second_circuit.field.displacement_cc": ("Cilinderinhoud", "Cylindrée"),
    "second_circuit.field.co2": ("CO2", "CO2"),
    "second_circuit.field.engine_type": ("Motortype", "Type de moteur"),
    "second_circuit.field.particle_filter": ("Partikelfilter", "Filtre à particules"),
}
# fmt: on
"""key → (Dutch, French): every text a page object looks for."""


@dataclass(frozen=True)
class Labels:
    """The catalogue in one language: what a page object is built with."""

    language: str

    def __post_init__(self) -> None:
        if self.language not in LANGUAGES:
            raise ValueError(f"no screen labels in {self.language!r} (only {', '.join(LANGUAGES)})")

    def __getitem__(self, key: str) -> str:
        """The text of `key` (a KeyError for an unknown key: a typo fails loudly)."""
        return CATALOGUE[key][LANGUAGES.index(self.language)]

    def group(self, prefix: str) -> dict[str, str]:
        """`prefix.name` → text, as {name: text} in the catalogue's (the screen's) order."""
        start = prefix + "."
        return {
            key.removeprefix(start): self[key]
            for key in CATALOGUE
            if key.startswith(start) and "." not in key.removeprefix(start)
        }

    @property
    def name(self) -> str:
        """`Dutch`, `French`: how a person names the language."""
        return LANGUAGE_NAMES[self.language]


DUTCH = Labels("nl")
FRENCH = Labels("fr")


def labels_for(language: str | None) -> Labels:
    """The labels of `language` (`nl`, `fr`); anything else (None, unknown) gives Dutch."""
    return Labels(language) if language in LANGUAGES else DUTCH


def action_labels() -> Labels:
    """The labels screenshot and action names are made of: Dutch, whatever the screen shows."""
    return DUTCH


def language_of(declared: str | None) -> str | None:
    """`nl`, `fr` from what a page declares (`<html lang="fr-BE">` → `fr`); None when it
    declares no language the catalogue has."""
    primary = (declared or "").strip().lower().replace("_", "-").split("-", 1)[0]
    return primary if primary in LANGUAGES else None


# -- which language each portal's screens were seen in ---------------------------------------------
class _SeenLanguages:
    """Portal address → the language its screens were last seen in, for this process.

    The bot logs in once per run and reads the language of the first page after the login;
    page objects built later without labels (a worker's screens, `batch --discover`, the web
    page's tasks) take that language's. Thread-safe: workers share it.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._languages: dict[str, str] = {}

    def remember(self, portal_url: str, language: str) -> None:
        if language not in LANGUAGES:
            raise ValueError(f"no screen labels in {language!r}")
        with self._lock:
            self._languages[_key(portal_url)] = language

    def get(self, portal_url: str) -> str | None:
        with self._lock:
            return self._languages.get(_key(portal_url))

    def all(self) -> Mapping[str, str]:
        with self._lock:
            return dict(self._languages)


def _key(portal_url: str) -> str:
    return portal_url.rstrip("/") + "/"


SEEN = _SeenLanguages()


def remember_language(portal_url: str, language: str) -> None:
    """Note that this portal's screens speak `language` (after a login, or forced)."""
    SEEN.remember(portal_url, language)


def seen_language(portal_url: str) -> str | None:
    """The language this portal's screens were last seen in by this process, if any."""
    return SEEN.get(portal_url)


def labels_of_portal(portal_url: str) -> Labels:
    """The labels of the language this portal was seen in (Dutch when not seen yet)."""
    return labels_for(seen_language(portal_url))
