"""Every label and message of the mock portal's screens, in Dutch and in French, in one place.

Belgium is bilingual: Informex and PlanManager are used in French in Wallonia and Brussels. Each
mock user has a language (`nl` or `fr`, in the seed); the login page is Dutch unless `?lang=fr`
or an Accept-Language starting with `fr` asks otherwise; after login the user's language rules.

`LABELS[language][key]` is the text a screen shows; the keys are stable (`screen.what`) and the
Dutch texts are exactly those the mock always showed. Templates call `t(key)` (a Jinja global
that knows the page's language) and Python messages call `message(key, language, **values)`.
Correcting a label is one edit here. Known Informex French vocabulary (its web portal's vehicle
tab): Châssis, Date de première mise en circulation, Puissance, Cylindrée, CO2; the rest is
natural French chosen for the mock.

Values on screen: dates dd/mm/yyyy in both languages; `Ja/Nee` or `Oui/Non`; an unknown mileage
`onbekend` or `inconnu`; kilometres `84.512 km` (Dutch, point) or `84 512 km` (French, a plain
space as thousands separator).
"""

from __future__ import annotations

from collections.abc import Mapping

LANGUAGES = ("nl", "fr")
DEFAULT_LANGUAGE = "nl"

THOUSANDS_SEPARATOR = {"nl": ".", "fr": " "}
"""Between groups of three digits in kilometres shown on screen."""

NL: dict[str, str] = {
    # -- every page ----------------------------------------------------------------------------
    "common.mock_portal": "Mock portaal",
    "common.footer": "mock portaal voor informex-bot · geen echte gegevens",
    "common.logged_in_as": "Aangemeld als",
    "common.logout": "Afmelden",
    "common.main_menu": "Hoofdmenu",
    "common.back_to_start": "Terug naar het begin",
    "common.save": "Opslaan",
    "common.cancel": "Annuleren",
    "common.search": "Zoeken",
    "common.confirm": "Bevestigen",
    "common.close": "Sluiten",
    "common.yes": "Ja",
    "common.no": "Nee",
    "common.unknown": "onbekend",
    "common.date_placeholder": "dd/mm/jjjj",
    "common.photo_alt": "Foto {index}",
    "brand.planmanager": "Insypro · Carrosserie",
    "brand.winformex": "Informex · Hersteller",
    # -- login ---------------------------------------------------------------------------------
    "login.title": "Aanmelden",
    "login.username": "Gebruikersnaam",
    "login.password": "Wachtwoord",
    "login.submit": "Aanmelden",
    "login.failed": "Ongeldige gebruikersnaam of wachtwoord.",
    "login.throttled_one": "Te veel mislukte pogingen. Probeer het over {minutes} minuut opnieuw.",
    "login.throttled_many": (
        "Te veel mislukte pogingen. Probeer het over {minutes} minuten opnieuw."
    ),
    # -- popups --------------------------------------------------------------------------------
    "popup.news": "Nieuws",
    "popup.news_text": (
        "Nieuw in deze versie: snellere fotoalbums en een vernieuwde zoekfunctie. Op zaterdag "
        "tussen 22:00 en 23:00 is het portaal kort onbeschikbaar wegens onderhoud."
    ),
    "popup.cookies": "Cookies",
    "popup.cookies_text": (
        "Wij gebruiken functionele en analytische cookies om dit portaal goed te laten werken "
        "en te verbeteren. Lees ons cookiebeleid voor meer informatie."
    ),
    "popup.accept_all": "Alles accepteren",
    # -- error and maintenance pages -----------------------------------------------------------
    "error.forbidden_title": "Toegang geweigerd (403)",
    "error.forbidden_text": (
        "De beveiligingscode van het formulier is ongeldig of verlopen. "
        "Laad de pagina opnieuw en probeer het nog eens."
    ),
    "error.not_found_title": "Niet gevonden (404)",
    "error.no_such_page": "Deze pagina bestaat niet.",
    "error.not_allowed_title": "Niet toegestaan (405)",
    "error.not_allowed_text": "Deze actie is hier niet mogelijk.",
    "error.server_title": "Er is een fout opgetreden (500)",
    "error.server_text": (
        "Er is een fout opgetreden bij het verwerken van uw aanvraag. Probeer het later opnieuw."
    ),
    "error.dossier_not_found": "Dossier {number} bestaat niet.",
    "error.assignment_not_found": "Opdracht {number} bestaat niet.",
    "error.photo_not_found": "Deze foto bestaat niet.",
    "error.photo_file_not_found": "Foto {name} bestaat niet.",
    "maintenance.title": "Onderhoud",
    "maintenance.text": (
        "{portal} is tijdelijk niet beschikbaar wegens gepland onderhoud. "
        "Probeer het later opnieuw."
    ),
    "maintenance.the_portal": "Het portaal",
    # -- fields (PlanManager dossier, its form, and the names of missing data) -----------------
    "field.dossier": "Dossier",
    "field.dossier_number": "Dossiernummer",
    "field.customer": "Klant",
    "field.phone": "Telefoon",
    "field.vehicle": "Voertuig",
    "field.plate": "Nummerplaat",
    "field.vin": "VIN",
    "field.chassis_vin": "Chassisnummer (VIN)",
    "field.make": "Merk",
    "field.model": "Model",
    "field.first_registration": "Eerste inschrijving",
    "field.mileage": "Kilometerstand",
    "field.mileage_unknown": "Kilometerstand onbekend",
    "field.power_kw": "Vermogen (kW)",
    "field.displacement_cc": "Cilinderinhoud (cc)",
    "field.co2_g_km": "CO2 (g/km)",
    "field.engine_type": "Motortype",
    "field.particle_filter": "Partikelfilter",
    "field.insurance": "Verzekering",
    "field.insurer": "Verzekeraar",
    "field.claim_number": "Schadenummer",
    "field.damage_date": "Schadedatum",
    "field.damage": "Schade",
    "field.previous_damage": "Voorgaande schade",
    "field.burglary": "Inbraak",
    "field.informex": "Informex",
    "field.informex_dossier": "Informex dossier",
    "field.status": "Status",
    "field.photos": "Foto's",
    # engine types: the option values stay the Dutch names (the data), the option text follows
    "engine.diesel": "diesel",
    "engine.benzine": "benzine",
    "engine.hybride": "hybride",
    "engine.elektrisch": "elektrisch",
    "engine.LPG": "LPG",
    "engine.CNG": "CNG",
    # -- PlanManager ---------------------------------------------------------------------------
    "pm.menu.dossiers": "Dossiers",
    "pm.menu.planning": "Planning",
    "pm.menu.customers": "Klanten",
    "pm.menu.reports": "Rapporten",
    "pm.list.title": "Dossiers",
    "pm.list.new": "Nieuw dossier",
    "pm.list.search_label": "Zoek op dossiernummer of nummerplaat",
    "pm.list.empty": "Geen dossiers gevonden.",
    "pm.list.count_one": "{count} dossier",
    "pm.list.count_many": "{count} dossiers",
    "pm.dossier.inject": "Injecteer in Informex",
    "pm.dossier.edit": "Bewerken",
    "pm.dossier.back": "Terug naar de lijst",
    "pm.dossier.no_photos": "Geen foto's in dit dossier.",
    "pm.dossier.saved": "Dossier opgeslagen.",
    "pm.dossier.pending": "Bezig met injecteren in Informex…",
    "pm.dossier.incomplete": "Dossier onvolledig: ontbrekende gegevens: {missing}",
    "pm.inject_dialog.title": "Injecteren in Informex",
    "pm.inject_dialog.question": "Wilt u dit dossier naar Informex sturen?",
    "pm.form.new_title": "Nieuw dossier",
    "pm.form.edit_title": "Dossier {number} bewerken",
    "pm.form.not_saved": "Het dossier is niet opgeslagen:",
    "pm.form.number_required": "Dossiernummer is verplicht.",
    "pm.form.number_format": "Dossiernummer: gebruik het formaat PM-JJJJ-NNNN.",
    "pm.form.number_exists": "Dossiernummer {number} bestaat al.",
    "pm.form.bad_date": "{label}: ongeldige datum, gebruik dd/mm/jjjj.",
    "pm.form.future_date": "{label}: de datum ligt in de toekomst.",
    "pm.form.bad_number": "{label}: geef een geheel getal van 0 of meer.",
    "pm.form.bad_engine": "{label}: kies een motortype uit de lijst.",
    "pm.form.bad_chassis": ("Chassisnummer (VIN): alleen letters en cijfers, hoogstens 17 tekens."),
    "pm.form.too_long": "{label}: te lang, hoogstens {limit} tekens.",
    # -- Winformex: menu, inbox, assignment ----------------------------------------------------
    "wx.menu.inbox": "Postvak",
    "wx.menu.estimates": "Bestekken",
    "wx.menu.invoicing": "Facturatie",
    "wx.menu.settings": "Instellingen",
    "wx.inbox.title": "Postvak",
    "wx.inbox.search_label": "Zoek opdracht",
    "wx.inbox.search_placeholder": "opdrachtnummer, schadenummer, VIN of nummerplaat",
    "wx.inbox.assignments": "Verzekeringsopdrachten",
    "wx.inbox.no_assignments": "Geen opdrachten gevonden.",
    "wx.inbox.dossiers": "Geïmporteerde dossiers",
    "wx.inbox.no_dossiers": "Geen dossiers gevonden.",
    "wx.col.assignment_number": "Opdrachtnummer",
    "wx.col.company": "Maatschappij",
    "wx.col.claim_number": "Schadenummer",
    "wx.col.plate": "Nummerplaat",
    "wx.col.chassis_vin": "Chassis (VIN)",
    "wx.col.date": "Datum",
    "wx.col.linked_dossier": "Gekoppeld dossier",
    "wx.col.dossier_number": "Dossiernummer",
    "wx.col.planmanager_dossier": "PlanManager dossier",
    "wx.col.second_circuit_number": "Opdrachtnummer 2e circuit",
    "wx.assignment.title": "Opdracht",
    "wx.assignment.heading": "Verzekeringsopdracht",
    "wx.back_to_inbox": "Terug naar postvak",
    # -- Winformex: dossier --------------------------------------------------------------------
    "wx.dossier.title": "Dossier",
    "wx.dossier.photo_count": "Aantal foto's",
    "wx.dossier.navigation": "Dossiernavigatie",
    "wx.dossier.no_album_photos": "Geen foto's in dit album.",
    "wx.dossier.chassis_number": "Chassisnummer",
    "wx.dossier.no_data": "Nog geen gegevens in deze rubriek.",
    "wx.dossier.second_circuit_button": "Gegevens 2e circuit",
    # the menu layout (--winformex-layout menu): Bewerken → 2e circuit → expertise
    "wx.dossier_menu.label": "Dossiermenu",
    "wx.dossier_menu.edit": "Bewerken",
    "wx.dossier_menu.second_circuit": "2e circuit",
    "wx.dossier_menu.expertise": "expertise",
    # the left navigation: groups and links (keys end in the link's `sectie`)
    "wx.nav.group.identification": "Identificatie",
    "wx.nav.group.expertise": "Expertise",
    "wx.nav.group.audatex": "Audatex gegevens",
    "wx.nav.group.photo_albums": "Fotoalbums",
    "wx.nav.group.second_circuit": "2e circuit",
    "wx.nav.maatschappijen": "Maatschappijen",
    "wx.nav.makelaar": "Makelaar",
    "wx.nav.deskundigen": "Deskundigen",
    "wx.nav.schadelijder-leaser": "Schadelijder & leaser",
    "wx.nav.hersteller": "Hersteller",
    "wx.nav.voertuig": "Voertuig",
    "wx.nav.nota-aanstelling": "Nota aanstelling",
    "wx.nav.expertise-gegevens": "Expertise gegevens",
    "wx.nav.totaal-verlies": "Totaal verlies",
    "wx.nav.type-opties": "Type & opties",
    "wx.nav.standaard-bewerkingen": "Standaard bewerkingen",
    "wx.nav.globale-codes": "Globale codes",
    "wx.nav.niet-standaard-bewerkingen": "Niet standaard bewerkingen",
    "wx.nav.smart-repair-bewerkingen": "Smart Repair bewerkingen",
    "wx.nav.aanmerkingen": "Aanmerkingen",
    "wx.nav.algemeen": "Algemeen",
    "wx.nav.ongevalsaanrijding": "Ongevalsaanrijding",
    "wx.nav.2e-circuit": "Gegevens 2e circuit",
    # -- Winformex: the 2e circuit form --------------------------------------------------------
    "sc.title": "Gegevens 2e circuit",
    "sc.breadcrumb": "2e circuit",
    "sc.not_saved": "De gegevens zijn niet opgeslagen:",
    "sc.saved": "Gegevens 2e circuit opgeslagen.",
    "sc.legend.expertise": "Expertise",
    "sc.legend.vehicle": "Identificatie voertuig",
    "sc.legend.damage": "Schade",
    "sc.legend.specifications": "Specificaties",
    "sc.assignment_number": "Opdrachtnummer van de expertise 2e circuit",
    "sc.vin": "Chassis (VIN)",
    "sc.first_registration": "Datum van eerste ingebruikname",
    "sc.day": "Dag",
    "sc.month": "Maand",
    "sc.year": "Jaar",
    "sc.day_placeholder": "dd",
    "sc.month_placeholder": "mm",
    "sc.year_placeholder": "jjjj",
    "sc.previous_damage": "Voorgaande schade",
    "sc.burglary": "Inbraak",
    "sc.mileage": "Kilometerstand",
    "sc.mileage_unknown": "onbekend",
    "sc.power": "Vermogen",
    "sc.displacement": "Cilinderinhoud",
    "sc.co2": "CO2",
    "sc.engine_type": "Motortype",
    "sc.particle_filter": "Partikelfilter",
    "sc.limit.assignment_number": "Opdrachtnummer",
    "sc.error.unknown_assignment": "Onbekend opdrachtnummer: {number}",
    "sc.error.vin": "Ongeldig chassisnummer (VIN)",
    "sc.error.first_registration": "Ongeldige datum van eerste ingebruikname",
    "sc.error.mileage": "Ongeldige kilometerstand: geef een geheel getal of kies onbekend.",
    "sc.error.power_kw": "Ongeldig vermogen: geef een geheel getal (kW).",
    "sc.error.displacement_cc": "Ongeldige cilinderinhoud: geef een geheel getal (cc).",
    "sc.error.co2": "Ongeldige CO2-waarde: geef een geheel getal.",
    "sc.error.engine_type": "Ongeldig motortype.",
    "sc.error.too_long": "{label}: te lang, hoogstens {limit} tekens.",
}

FR: dict[str, str] = {
    # -- every page ----------------------------------------------------------------------------
    "common.mock_portal": "Portail fictif",
    "common.footer": "portail fictif pour informex-bot · aucune donnée réelle",
    "common.logged_in_as": "Connecté en tant que",
    "common.logout": "Se déconnecter",
    "common.main_menu": "Menu principal",
    "common.back_to_start": "Retour à l'accueil",
    "common.save": "Enregistrer",
    "common.cancel": "Annuler",
    "common.search": "Rechercher",
    "common.confirm": "Confirmer",
    "common.close": "Fermer",
    "common.yes": "Oui",
    "common.no": "Non",
    "common.unknown": "inconnu",
    "common.date_placeholder": "jj/mm/aaaa",
    "common.photo_alt": "Photo {index}",
    "brand.planmanager": "Insypro · Carrosserie",
    "brand.winformex": "Informex · Réparateur",
    # -- login ---------------------------------------------------------------------------------
    "login.title": "Connexion",
    "login.username": "Nom d'utilisateur",
    "login.password": "Mot de passe",
    "login.submit": "Se connecter",
    "login.failed": "Nom d'utilisateur ou mot de passe incorrect.",
    "login.throttled_one": "Trop de tentatives échouées. Réessayez dans {minutes} minute.",
    "login.throttled_many": "Trop de tentatives échouées. Réessayez dans {minutes} minutes.",
    # -- popups --------------------------------------------------------------------------------
    "popup.news": "Actualités",
    "popup.news_text": (
        "Nouveau dans cette version : des albums photos plus rapides et une recherche "
        "renouvelée. Le samedi entre 22:00 et 23:00, le portail est brièvement indisponible "
        "pour maintenance."
    ),
    "popup.cookies": "Cookies",
    "popup.cookies_text": (
        "Nous utilisons des cookies fonctionnels et analytiques pour faire fonctionner et "
        "améliorer ce portail. Lisez notre politique en matière de cookies pour en savoir plus."
    ),
    "popup.accept_all": "Tout accepter",
    # -- error and maintenance pages -----------------------------------------------------------
    "error.forbidden_title": "Accès refusé (403)",
    "error.forbidden_text": (
        "Le code de sécurité du formulaire est invalide ou a expiré. "
        "Rechargez la page et réessayez."
    ),
    "error.not_found_title": "Introuvable (404)",
    "error.no_such_page": "Cette page n'existe pas.",
    "error.not_allowed_title": "Action non autorisée (405)",
    "error.not_allowed_text": "Cette action n'est pas possible ici.",
    "error.server_title": "Une erreur s'est produite (500)",
    "error.server_text": (
        "Une erreur s'est produite lors du traitement de votre demande. Réessayez plus tard."
    ),
    "error.dossier_not_found": "Le dossier {number} n'existe pas.",
    "error.assignment_not_found": "La mission {number} n'existe pas.",
    "error.photo_not_found": "Cette photo n'existe pas.",
    "error.photo_file_not_found": "La photo {name} n'existe pas.",
    "maintenance.title": "Maintenance",
    "maintenance.text": (
        "{portal} est temporairement indisponible pour cause de maintenance planifiée. "
        "Réessayez plus tard."
    ),
    "maintenance.the_portal": "Le portail",
    # -- fields --------------------------------------------------------------------------------
    "field.dossier": "Dossier",
    "field.dossier_number": "Numéro de dossier",
    "field.customer": "Client",
    "field.phone": "Téléphone",
    "field.vehicle": "Véhicule",
    "field.plate": "Plaque",
    "field.vin": "VIN",
    "field.chassis_vin": "Châssis (VIN)",
    "field.make": "Marque",
    "field.model": "Modèle",
    "field.first_registration": "Date de première mise en circulation",
    "field.mileage": "Kilométrage",
    "field.mileage_unknown": "Kilométrage inconnu",
    "field.power_kw": "Puissance (kW)",
    "field.displacement_cc": "Cylindrée (cc)",
    "field.co2_g_km": "CO2 (g/km)",
    "field.engine_type": "Type de moteur",
    "field.particle_filter": "Filtre à particules",
    "field.insurance": "Assurance",
    "field.insurer": "Assureur",
    "field.claim_number": "Numéro de sinistre",
    "field.damage_date": "Date du sinistre",
    "field.damage": "Dégâts",
    "field.previous_damage": "Dégâts antérieurs",
    "field.burglary": "Vol",
    "field.informex": "Informex",
    "field.informex_dossier": "Dossier Informex",
    "field.status": "Statut",
    "field.photos": "Photos",
    "engine.diesel": "diesel",
    "engine.benzine": "essence",
    "engine.hybride": "hybride",
    "engine.elektrisch": "électrique",
    "engine.LPG": "LPG",
    "engine.CNG": "CNG",
    # -- PlanManager ---------------------------------------------------------------------------
    "pm.menu.dossiers": "Dossiers",
    "pm.menu.planning": "Planning",
    "pm.menu.customers": "Clients",
    "pm.menu.reports": "Rapports",
    "pm.list.title": "Dossiers",
    "pm.list.new": "Nouveau dossier",
    "pm.list.search_label": "Rechercher par numéro de dossier ou plaque",
    "pm.list.empty": "Aucun dossier trouvé.",
    "pm.list.count_one": "{count} dossier",
    "pm.list.count_many": "{count} dossiers",
    "pm.dossier.inject": "Injecter dans Informex",
    "pm.dossier.edit": "Modifier",
    "pm.dossier.back": "Retour à la liste",
    "pm.dossier.no_photos": "Aucune photo dans ce dossier.",
    "pm.dossier.saved": "Dossier enregistré.",
    "pm.dossier.pending": "Injection dans Informex en cours…",
    "pm.dossier.incomplete": "Dossier incomplet : données manquantes : {missing}",
    "pm.inject_dialog.title": "Injection dans Informex",
    "pm.inject_dialog.question": "Voulez-vous envoyer ce dossier à Informex ?",
    "pm.form.new_title": "Nouveau dossier",
    "pm.form.edit_title": "Modifier le dossier {number}",
    "pm.form.not_saved": "Le dossier n'a pas été enregistré :",
    "pm.form.number_required": "Le numéro de dossier est obligatoire.",
    "pm.form.number_format": "Numéro de dossier : utilisez le format PM-AAAA-NNNN.",
    "pm.form.number_exists": "Le numéro de dossier {number} existe déjà.",
    "pm.form.bad_date": "{label} : date invalide, utilisez jj/mm/aaaa.",
    "pm.form.future_date": "{label} : la date est dans le futur.",
    "pm.form.bad_number": "{label} : indiquez un nombre entier de 0 ou plus.",
    "pm.form.bad_engine": "{label} : choisissez un type de moteur dans la liste.",
    "pm.form.bad_chassis": (
        "Châssis (VIN) : uniquement des lettres et des chiffres, 17 caractères au plus."
    ),
    "pm.form.too_long": "{label} : trop long, {limit} caractères au plus.",
    # -- Winformex: menu, inbox, assignment ----------------------------------------------------
    "wx.menu.inbox": "Boîte de réception",
    "wx.menu.estimates": "Devis",
    "wx.menu.invoicing": "Facturation",
    "wx.menu.settings": "Paramètres",
    "wx.inbox.title": "Boîte de réception",
    "wx.inbox.search_label": "Rechercher une mission",
    "wx.inbox.search_placeholder": "numéro de mission, numéro de sinistre, VIN ou plaque",
    "wx.inbox.assignments": "Missions d'assurance",
    "wx.inbox.no_assignments": "Aucune mission trouvée.",
    "wx.inbox.dossiers": "Dossiers importés",
    "wx.inbox.no_dossiers": "Aucun dossier trouvé.",
    "wx.col.assignment_number": "Numéro de mission",
    "wx.col.company": "Compagnie",
    "wx.col.claim_number": "Numéro de sinistre",
    "wx.col.plate": "Plaque",
    "wx.col.chassis_vin": "Châssis (VIN)",
    "wx.col.date": "Date",
    "wx.col.linked_dossier": "Dossier lié",
    "wx.col.dossier_number": "Numéro de dossier",
    "wx.col.planmanager_dossier": "Dossier PlanManager",
    "wx.col.second_circuit_number": "Numéro de mission 2e circuit",
    "wx.assignment.title": "Mission",
    "wx.assignment.heading": "Mission d'assurance",
    "wx.back_to_inbox": "Retour à la boîte de réception",
    # -- Winformex: dossier --------------------------------------------------------------------
    "wx.dossier.title": "Dossier",
    "wx.dossier.photo_count": "Nombre de photos",
    "wx.dossier.navigation": "Navigation du dossier",
    "wx.dossier.no_album_photos": "Aucune photo dans cet album.",
    "wx.dossier.chassis_number": "Numéro de châssis",
    "wx.dossier.no_data": "Pas encore de données dans cette rubrique.",
    "wx.dossier.second_circuit_button": "Données 2e circuit",
    "wx.dossier_menu.label": "Menu du dossier",
    "wx.dossier_menu.edit": "Éditer",
    "wx.dossier_menu.second_circuit": "2e circuit",
    "wx.dossier_menu.expertise": "expertise",
    "wx.nav.group.identification": "Identification",
    "wx.nav.group.expertise": "Expertise",
    "wx.nav.group.audatex": "Données Audatex",
    "wx.nav.group.photo_albums": "Albums photos",
    "wx.nav.group.second_circuit": "2e circuit",
    "wx.nav.maatschappijen": "Compagnies",
    "wx.nav.makelaar": "Courtier",
    "wx.nav.deskundigen": "Experts",
    "wx.nav.schadelijder-leaser": "Lésé & bailleur",
    "wx.nav.hersteller": "Réparateur",
    "wx.nav.voertuig": "Véhicule",
    "wx.nav.nota-aanstelling": "Note de désignation",
    "wx.nav.expertise-gegevens": "Données d'expertise",
    "wx.nav.totaal-verlies": "Perte totale",
    "wx.nav.type-opties": "Type & options",
    "wx.nav.standaard-bewerkingen": "Opérations standard",
    "wx.nav.globale-codes": "Codes globaux",
    "wx.nav.niet-standaard-bewerkingen": "Opérations non standard",
    "wx.nav.smart-repair-bewerkingen": "Opérations Smart Repair",
    "wx.nav.aanmerkingen": "Remarques",
    "wx.nav.algemeen": "Général",
    "wx.nav.ongevalsaanrijding": "Collision",
    "wx.nav.2e-circuit": "Données 2e circuit",
    # -- Winformex: the 2e circuit form --------------------------------------------------------
    "sc.title": "Données 2e circuit",
    "sc.breadcrumb": "2e circuit",
    "sc.not_saved": "Les données n'ont pas été enregistrées :",
    "sc.saved": "Données 2e circuit enregistrées.",
    "sc.legend.expertise": "Expertise",
    "sc.legend.vehicle": "Identification du véhicule",
    "sc.legend.damage": "Dégâts",
    "sc.legend.specifications": "Spécifications",
    "sc.assignment_number": "Numéro de mission de l'expertise 2e circuit",
    "sc.vin": "Châssis (VIN)",
    "sc.first_registration": "Date de première mise en circulation",
    "sc.day": "Jour",
    "sc.month": "Mois",
    "sc.year": "Année",
    "sc.day_placeholder": "jj",
    "sc.month_placeholder": "mm",
    "sc.year_placeholder": "aaaa",
    "sc.previous_damage": "Dégâts antérieurs",
    "sc.burglary": "Vol",
    "sc.mileage": "Kilométrage",
    "sc.mileage_unknown": "inconnu",
    "sc.power": "Puissance",
    "sc.displacement": "Cylindrée",
    "sc.co2": "CO2",
    "sc.engine_type": "Type de moteur",
    "sc.particle_filter": "Filtre à particules",
    "sc.limit.assignment_number": "Numéro de mission",
    "sc.error.unknown_assignment": "Numéro de mission inconnu : {number}",
    "sc.error.vin": "Numéro de châssis (VIN) invalide",
    "sc.error.first_registration": "Date de première mise en circulation invalide",
    "sc.error.mileage": "Kilométrage invalide : indiquez un nombre entier ou choisissez inconnu.",
    "sc.error.power_kw": "Puissance invalide : indiquez un nombre entier (kW).",
    "sc.error.displacement_cc": "Cylindrée invalide : indiquez un nombre entier (cc).",
    "sc.error.co2": "Valeur CO2 invalide : indiquez un nombre entier.",
    "sc.error.engine_type": "Type de moteur invalide.",
    "sc.error.too_long": "{label} : trop long, {limit} caractères au plus.",
}

LABELS: dict[str, dict[str, str]] = {"nl": NL, "fr": FR}
"""language → stable key → the text on screen; both languages have the same keys."""


def language_or_default(language: str | None) -> str:
    """`nl` or `fr`; anything else (None, empty, unknown) is the default, Dutch."""
    return language if language in LANGUAGES else DEFAULT_LANGUAGE


def label(key: str, language: str | None = None) -> str:
    """The text of `key` in `language` (a KeyError for an unknown key: a typo fails loudly)."""
    return LABELS[language_or_default(language)][key]


def message(key: str, language: str | None = None, **values: object) -> str:
    """A message with its `{placeholders}` filled in, in `language`."""
    return label(key, language).format(**values)


def login_language(query_lang: str | None, accept_language: str | None) -> str:
    """The language of a page shown before login: `?lang=` first, then Accept-Language
    (French when it starts with `fr`), else Dutch."""
    if query_lang:
        return language_or_default(query_lang.strip().lower()[:2])
    if (accept_language or "").strip().lower().startswith("fr"):
        return "fr"
    return DEFAULT_LANGUAGE


def thousands(value: int, language: str | None = None) -> str:
    """84512 → `84.512` (nl) or `84 512` (fr)."""
    return f"{value:,}".replace(",", THOUSANDS_SEPARATOR[language_or_default(language)])


def screen_km(value: int | None, language: str | None = None) -> str:
    """A mileage as the screens show it: `84.512 km` / `84 512 km`, or `onbekend` / `inconnu`."""
    if value is None:
        return label("common.unknown", language)
    return f"{thousands(value, language)} km"


def screen_bool(value: bool | None, language: str | None = None) -> str:
    """`Ja`/`Nee` or `Oui`/`Non`; `—` when the value is not known."""
    if value is None:
        return "—"
    return label("common.yes" if value else "common.no", language)


def missing_keys(labels: Mapping[str, Mapping[str, str]] = LABELS) -> dict[str, list[str]]:
    """For each language, the keys another language has and it lacks (empty lists: complete)."""
    every = {key for texts in labels.values() for key in texts}
    return {lang: sorted(every - set(texts)) for lang, texts in labels.items()}
