"""Every word the morning report and the notification show, in Dutch, French and English.

One catalogue, one entry per text, the three languages side by side, so a missing or a corrected
translation is one edit in one place (tests hold every entry to the same three languages and the
same `{placeholders}`). Entries are whole sentences with named placeholders: nothing is assembled
from fragments a translator cannot see. A text that depends on a number has two entries,
`KEY.one` and `KEY.other` (French says "one" for 0 and 1, Dutch and English for 1 only).

Keys by kind:

- `status.*`: the statuses of results.json (which stay English there: they are an interface);
- `step.*`, `action.*`, `field.*`, `criterion.*`: the bot's step names, what a screenshot
  shows was done (`click {what}`: the portal's own label stays as it is), the 2e circuit's and
  PlanManager's fields, the ways an assignment is searched for, as a person names them;
- `error.*`, `reason.*`, `run_error.*`: the business errors a person must act on, and why a run
  stopped, matched by `bot.evidence.known_errors` in the English text the bot raised; their
  English entry is that text exactly;
- `format.*`: how dates, times and durations are written;
- the rest: the report's and the notification's own words.

Dutch is written as Flemish offices read it (opdrachtnummer, carrosserie, schadenummer), French
as Walloon and Brussels ones do (numéro de mission, carrosserie, numéro de sinistre).
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.settings import REPORT_LANGUAGES

LANGUAGES: tuple[str, ...] = REPORT_LANGUAGES
"""The report's languages: the offices' two, and English for engineers."""

CATALOGUE: Mapping[str, Mapping[str, str]] = {
    # -- statuses --------------------------------------------------------------------------
    "status.linked": {"en": "Linked", "nl": "Gekoppeld", "fr": "Lié"},
    "status.already_linked": {"en": "Already linked", "nl": "Al gekoppeld", "fr": "Déjà lié"},
    "status.business_error": {
        "en": "Business error",
        "nl": "Gegevensfout",
        "fr": "Erreur de données",
    },
    "status.system_error": {"en": "System error", "nl": "Systeemfout", "fr": "Erreur système"},
    "status.dry_run": {"en": "Dry run", "nl": "Proefrun", "fr": "Essai à blanc"},
    # -- steps (as the workflow and the recorder name them) -------------------------------------
    "step.open_dossier": {"en": "open dossier", "nl": "dossier openen", "fr": "ouvrir le dossier"},
    "step.check_complete": {
        "en": "check complete",
        "nl": "volledigheid nakijken",
        "fr": "vérifier qu'il est complet",
    },
    "step.find_assignment": {
        "en": "find assignment",
        "nl": "opdracht zoeken",
        "fr": "chercher la mission",
    },
    "step.prepare_data": {
        "en": "prepare data",
        "nl": "gegevens klaarzetten",
        "fr": "préparer les données",
    },
    "step.inject": {"en": "inject", "nl": "injecteren", "fr": "injecter"},
    "step.open_imported": {
        "en": "open imported dossier",
        "nl": "geïmporteerd dossier openen",
        "fr": "ouvrir le dossier importé",
    },
    "step.link": {"en": "link", "nl": "koppelen", "fr": "lier"},
    "step.verify": {"en": "verify", "nl": "nakijken", "fr": "vérifier"},
    "step.login_planmanager": {
        "en": "log in to PlanManager",
        "nl": "aanmelden bij PlanManager",
        "fr": "connexion à PlanManager",
    },
    "step.login_winformex": {
        "en": "log in to Winformex",
        "nl": "aanmelden bij Winformex",
        "fr": "connexion à Winformex",
    },
    "step.check": {"en": "check", "nl": "controle", "fr": "contrôle"},
    "step.discover": {"en": "discover", "nl": "zoeken", "fr": "recherche"},
    "step.start": {"en": "start", "nl": "start", "fr": "début"},
    # -- what a screenshot shows was done (the recorder's `verb-label`) ---------------------------
    "action.open": {"en": "open {what}", "nl": "{what} openen", "fr": "ouvrir {what}"},
    "action.fill": {"en": "fill {what}", "nl": "{what} invullen", "fr": "remplir {what}"},
    "action.click": {"en": "click {what}", "nl": "klik op {what}", "fr": "clic sur {what}"},
    "action.check": {"en": "check {what}", "nl": "{what} aanvinken", "fr": "cocher {what}"},
    "action.select": {"en": "select {what}", "nl": "{what} kiezen", "fr": "choisir {what}"},
    "action.unexpected": {
        "en": "{action} unexpected screen",
        "nl": "{action}: onverwacht scherm",
        "fr": "{action} : écran inattendu",
    },
    # -- fields, as a person names them ---------------------------------------------------------
    "field.assignment_number": {
        "en": "opdrachtnummer",
        "nl": "opdrachtnummer",
        "fr": "numéro de mission",
    },
    "field.assignment": {"en": "opdrachtnummer", "nl": "opdrachtnummer", "fr": "numéro de mission"},
    "field.vin": {"en": "VIN", "nl": "chassisnummer (VIN)", "fr": "numéro de châssis (VIN)"},
    "field.first_registration": {
        "en": "first registration",
        "nl": "datum eerste ingebruikname",
        "fr": "date de première mise en circulation",
    },
    "field.previous_damage": {
        "en": "previous damage",
        "nl": "voorgaande schade",
        "fr": "dommage antérieur",
    },
    "field.burglary": {"en": "burglary", "nl": "inbraak", "fr": "effraction"},
    "field.mileage_km": {"en": "mileage", "nl": "kilometerstand", "fr": "kilométrage"},
    "field.mileage_unknown": {
        "en": "mileage unknown",
        "nl": "kilometerstand onbekend",
        "fr": "kilométrage inconnu",
    },
    "field.power_kw": {"en": "power (kW)", "nl": "vermogen (kW)", "fr": "puissance (kW)"},
    "field.displacement_cc": {
        "en": "displacement (cc)",
        "nl": "cilinderinhoud (cc)",
        "fr": "cylindrée (cc)",
    },
    "field.co2": {"en": "CO2", "nl": "CO2", "fr": "CO2"},
    "field.engine_type": {"en": "engine type", "nl": "motortype", "fr": "carburant"},
    "field.particle_filter": {
        "en": "particle filter",
        "nl": "partikelfilter",
        "fr": "filtre à particules",
    },
    "field.dossier": {"en": "dossier", "nl": "dossiernummer", "fr": "numéro de dossier"},
    "field.number": {"en": "dossier number", "nl": "dossiernummer", "fr": "numéro de dossier"},
    "field.customer": {"en": "customer", "nl": "klant", "fr": "client"},
    "field.phone": {"en": "phone", "nl": "telefoon", "fr": "téléphone"},
    "field.plate": {"en": "licence plate", "nl": "nummerplaat", "fr": "plaque"},
    "field.make": {"en": "make", "nl": "merk", "fr": "marque"},
    "field.model": {"en": "model", "nl": "model", "fr": "modèle"},
    "field.insurer": {"en": "insurer", "nl": "verzekeraar", "fr": "assureur"},
    "field.claim_number": {"en": "claim number", "nl": "schadenummer", "fr": "numéro de sinistre"},
    "field.damage_date": {"en": "date of loss", "nl": "schadedatum", "fr": "date du sinistre"},
    "field.vehicle": {"en": "vehicle", "nl": "voertuig", "fr": "véhicule"},
    "field.line": {"en": "line", "nl": "regel", "fr": "ligne"},
    "field.create_from": {
        "en": "--create-from file",
        "nl": "bestand van --create-from",
        "fr": "fichier --create-from",
    },
    # -- how an assignment is searched for -------------------------------------------------------
    "criterion.vin": {"en": "VIN", "nl": "chassisnummer", "fr": "numéro de châssis"},
    "criterion.plate": {"en": "plate", "nl": "nummerplaat", "fr": "plaque"},
    "criterion.claim_number": {
        "en": "claim number",
        "nl": "schadenummer",
        "fr": "numéro de sinistre",
    },
    # -- business errors (English: the text the bot raises, exactly) -----------------------------
    "error.where": {"en": "[{where}]", "nl": "[{where}]", "fr": "[{where}]"},
    "error.where.dossier": {
        "en": "dossier {value}",
        "nl": "dossier {value}",
        "fr": "dossier {value}",
    },
    "error.where.step": {"en": "step {value}", "nl": "stap {value}", "fr": "étape {value}"},
    "error.where.screen": {"en": "screen {value}", "nl": "scherm {value}", "fr": "écran {value}"},
    "error.line": {
        "en": "line {line}: {inner}",
        "nl": "regel {line}: {inner}",
        "fr": "ligne {line} : {inner}",
    },
    "error.incomplete": {
        "en": "dossier is incomplete, missing: {missing}; complete it in PlanManager",
        "nl": "het dossier is onvolledig, er ontbreekt: {missing}; vul het aan in PlanManager",
        "fr": "le dossier est incomplet, il manque : {missing} ; complétez-le dans PlanManager",
    },
    "error.assignment_not_in_inbox": {
        "en": "opdrachtnummer {number} (given for this dossier) is not in the Winformex inbox",
        "nl": "opdrachtnummer {number} (opgegeven voor dit dossier) staat niet in het "
        "postvak van Winformex",
        "fr": "le numéro de mission {number} (donné pour ce dossier) n'est pas dans la boîte "
        "de réception de Winformex",
    },
    "error.assignment_linked_elsewhere": {
        "en": "opdrachtnummer {number} is already linked to Informex dossier {linked}; "
        "use --force only if that link is wrong",
        "nl": "opdrachtnummer {number} is al gekoppeld aan Informex-dossier {linked}; "
        "gebruik --force alleen als die koppeling fout is",
        "fr": "le numéro de mission {number} est déjà lié au dossier Informex {linked} ; "
        "n'utilisez --force que si ce lien est erroné",
    },
    "error.not_as_written": {
        "en": "2e circuit of {informex} does not hold what was written ({differences}); "
        "not reported linked",
        "nl": "het 2e circuit van {informex} bevat niet wat geschreven werd ({differences}); "
        "niet als gekoppeld gemeld",
        "fr": "le 2e circuit de {informex} ne contient pas ce qui a été écrit ({differences}) ; "
        "pas déclaré lié",
    },
    "error.difference": {
        "en": "{field}: wrote {wrote}, read {read}",
        "nl": "{field}: geschreven {wrote}, gelezen {read}",
        "fr": "{field} : écrit {wrote}, lu {read}",
    },
    "error.shows_other_assignment": {
        "en": "2e circuit shows opdrachtnummer {shown}, expected {expected}",
        "nl": "het 2e circuit toont opdrachtnummer {shown}, verwacht was {expected}",
        "fr": "le 2e circuit affiche le numéro de mission {shown}, attendu : {expected}",
    },
    "error.shows_other_vin": {
        "en": "2e circuit shows VIN {shown}, expected {expected}",
        "nl": "het 2e circuit toont chassisnummer {shown}, verwacht was {expected}",
        "fr": "le 2e circuit affiche le numéro de châssis {shown}, attendu : {expected}",
    },
    "error.photos_missing": {
        "en": "only {photos} of {expected} photos arrived in Informex",
        "nl": "slechts {photos} van de {expected} foto's zijn in Informex aangekomen",
        "fr": "seules {photos} des {expected} photos sont arrivées dans Informex",
    },
    "error.link_conflict": {
        "en": "2e circuit of {informex} already holds opdrachtnummer {current}, not {target}; "
        "not overwritten (rerun with --force to replace it)",
        "nl": "het 2e circuit van {informex} bevat al opdrachtnummer {current}, niet {target}; "
        "niet overschreven (opnieuw met --force om het te vervangen)",
        "fr": "le 2e circuit de {informex} contient déjà le numéro de mission {current}, pas "
        "{target} ; non écrasé (relancez avec --force pour le remplacer)",
    },
    "error.duplicate": {
        "en": "duplicate Informex dossiers {numbers} for {dossier}: remove one in Winformex "
        "(the 2e circuit was filled on {informex}, the one PlanManager shows)",
        "nl": "dubbele Informex-dossiers {numbers} voor {dossier}: verwijder er één in Winformex "
        "(het 2e circuit werd ingevuld in {informex}, het dossier dat PlanManager toont)",
        "fr": "dossiers Informex en double {numbers} pour {dossier} : supprimez-en un dans "
        "Winformex (le 2e circuit a été rempli dans {informex}, celui que montre PlanManager)",
    },
    "error.imported_from_other": {
        "en": "Informex dossier {informex} was imported from {source}, not from {number}",
        "nl": "Informex-dossier {informex} werd geïmporteerd uit {source}, niet uit {number}",
        "fr": "le dossier Informex {informex} a été importé de {source}, pas de {number}",
    },
    "error.ambiguous": {
        "en": "{count} insurance assignments match {criterion} {wanted}: {numbers}; "
        "give the right opdrachtnummer explicitly{candidates}",
        "nl": "{count} verzekeringsopdrachten passen bij {criterion} {wanted}: {numbers}; "
        "geef zelf het juiste opdrachtnummer op{candidates}",
        "fr": "{count} missions d'assurance correspondent à {criterion} {wanted} : {numbers} ; "
        "indiquez vous-même le bon numéro de mission{candidates}",
    },
    "error.nothing_to_search": {
        "en": "No insurance assignment can be searched: "
        "the dossier has no VIN, plate or claim number",
        "nl": "Er kan geen verzekeringsopdracht gezocht worden: het dossier heeft geen "
        "chassisnummer, nummerplaat of schadenummer",
        "fr": "Aucune mission d'assurance ne peut être cherchée : le dossier n'a ni numéro de "
        "châssis, ni plaque, ni numéro de sinistre",
    },
    "error.no_match.one": {
        "en": "No insurance assignment matches {searched} (searched {count} assignment)"
        "{candidates}",
        "nl": "Geen verzekeringsopdracht past bij {searched} ({count} opdracht doorzocht)"
        "{candidates}",
        "fr": "Aucune mission d'assurance ne correspond à {searched} ({count} mission parcourue)"
        "{candidates}",
    },
    "error.no_match.other": {
        "en": "No insurance assignment matches {searched} (searched {count} assignments)"
        "{candidates}",
        "nl": "Geen verzekeringsopdracht past bij {searched} ({count} opdrachten doorzocht)"
        "{candidates}",
        "fr": "Aucune mission d'assurance ne correspond à {searched} ({count} missions parcourues)"
        "{candidates}",
    },
    "error.no_match_linked.one": {
        "en": "No insurance assignment matches {searched} (searched {count} assignment); "
        "matching by {criterion} but already linked to another dossier: {linked_list}"
        "{candidates}",
        "nl": "Geen verzekeringsopdracht past bij {searched} ({count} opdracht doorzocht); "
        "wel op {criterion}, maar al gekoppeld aan een ander dossier: {linked_list}{candidates}",
        "fr": "Aucune mission d'assurance ne correspond à {searched} ({count} mission "
        "parcourue) ; par {criterion} oui, mais déjà liée à un autre dossier : {linked_list}"
        "{candidates}",
    },
    "error.no_match_linked.other": {
        "en": "No insurance assignment matches {searched} (searched {count} assignments); "
        "matching by {criterion} but already linked to another dossier: {linked_list}"
        "{candidates}",
        "nl": "Geen verzekeringsopdracht past bij {searched} ({count} opdrachten doorzocht); "
        "wel op {criterion}, maar al gekoppeld aan een ander dossier: {linked_list}{candidates}",
        "fr": "Aucune mission d'assurance ne correspond à {searched} ({count} missions "
        "parcourues) ; par {criterion} oui, mais déjà liée à un autre dossier : {linked_list}"
        "{candidates}",
    },
    "error.searched": {
        "en": "{criterion} {value}",
        "nl": "{criterion} {value}",
        "fr": "{criterion} {value}",
    },
    "error.candidate": {
        "en": "- {number}{insurer}: {why}",
        "nl": "- {number}{insurer}: {why}",
        "fr": "- {number}{insurer} : {why}",
    },
    "error.candidate.same": {
        "en": "same {criterion}",
        "nl": "{criterion} klopt",
        "fr": "même {criterion}",
    },
    "error.candidate.differs": {
        "en": "other {criterion} {value}",
        "nl": "{criterion} wijkt af: {value}",
        "fr": "autre {criterion} : {value}",
    },
    "error.candidate.none": {
        "en": "no {criterion}",
        "nl": "geen {criterion}",
        "fr": "pas de {criterion}",
    },
    "error.candidate.other_insurer": {
        "en": "other insurer {insurer}",
        "nl": "andere maatschappij {insurer}",
        "fr": "autre assureur : {insurer}",
    },
    "error.candidate.linked_elsewhere": {
        "en": "linked to another Informex dossier {dossier}",
        "nl": "gekoppeld aan een ander Informex-dossier {dossier}",
        "fr": "liée à un autre dossier Informex {dossier}",
    },
    "error.candidate.more": {
        "en": "- and {count} more",
        "nl": "- en nog {count}",
        "fr": "- et {count} de plus",
    },
    "error.linked_to": {
        "en": "{number} (linked to {dossier})",
        "nl": "{number} (gekoppeld aan {dossier})",
        "fr": "{number} (lié à {dossier})",
    },
    "error.wx_no_dossier": {
        "en": "Winformex has no dossier {number}",
        "nl": "Winformex heeft geen dossier {number}",
        "fr": "Winformex n'a pas de dossier {number}",
    },
    "error.pm_no_dossier": {
        "en": "PlanManager has no dossier {number}",
        "nl": "PlanManager heeft geen dossier {number}",
        "fr": "PlanManager n'a pas de dossier {number}",
    },
    "error.wx_refused": {
        "en": "Winformex refused the 2e circuit data: {portal_text}",
        "nl": "Winformex weigerde de gegevens van het 2e circuit: {portal_text}",
        "fr": "Winformex a refusé les données du 2e circuit : {portal_text}",
    },
    "error.pm_refused_injection": {
        "en": "PlanManager refused the injection: {portal_text}",
        "nl": "PlanManager weigerde de injectie: {portal_text}",
        "fr": "PlanManager a refusé l'injection : {portal_text}",
    },
    "error.pm_no_number": {
        "en": "PlanManager shows no Informex dossier number after injection",
        "nl": "PlanManager toont geen Informex-dossiernummer na de injectie",
        "fr": "PlanManager n'affiche aucun numéro de dossier Informex après l'injection",
    },
    "error.pm_refused_new": {
        "en": "PlanManager refused the new dossier: {portal_text}",
        "nl": "PlanManager weigerde het nieuwe dossier: {portal_text}",
        "fr": "PlanManager a refusé le nouveau dossier : {portal_text}",
    },
    "error.validation": {
        "en": "{field}: {reason} (value {value})",
        "nl": "{field}: {reason} (waarde {value})",
        "fr": "{field} : {reason} (valeur {value})",
    },
    "error.busy": {
        "en": "busy: another process is working on it ({who})",
        "nl": "bezet: een ander proces werkt eraan ({who})",
        "fr": "occupé : un autre processus y travaille ({who})",
    },
    # -- why a value was refused (after "{field}: ") --------------------------------------------
    "reason.missing": {"en": "is missing", "nl": "ontbreekt", "fr": "manque"},
    "reason.missing_mileage": {
        "en": "is missing (give the mileage or mark it unknown)",
        "nl": "ontbreekt (geef de kilometerstand of duid 'onbekend' aan)",
        "fr": "manque (donnez le kilométrage ou indiquez qu'il est inconnu)",
    },
    "reason.letters_digits": {
        "en": "may only contain letters A–Z and digits",
        "nl": "mag alleen letters A–Z en cijfers bevatten",
        "fr": "ne peut contenir que des lettres A–Z et des chiffres",
    },
    "reason.length": {
        "en": "must be {expected} characters long, not {length}",
        "nl": "moet {expected} tekens lang zijn, niet {length}",
        "fr": "doit compter {expected} caractères, pas {length}",
    },
    "reason.length_between": {
        "en": "must be {low} to {high} characters long, not {length}",
        "nl": "moet {low} tot {high} tekens lang zijn, niet {length}",
        "fr": "doit compter de {low} à {high} caractères, pas {length}",
    },
    "reason.vin_ioq": {
        "en": "contains I, O or Q, which a VIN never uses",
        "nl": "bevat I, O of Q, die een chassisnummer nooit gebruikt",
        "fr": "contient I, O ou Q, qu'un numéro de châssis n'utilise jamais",
    },
    "reason.fake_chassis": {
        "en": "is an obviously fake chassis number",
        "nl": "is duidelijk geen echt chassisnummer",
        "fr": "n'est manifestement pas un vrai numéro de châssis",
    },
    "reason.not_calendar_date": {
        "en": "is not a real calendar date",
        "nl": "is geen bestaande datum",
        "fr": "n'est pas une date qui existe",
    },
    "reason.not_date": {
        "en": "is not a date (expected dd/mm/yyyy)",
        "nl": "is geen datum (verwacht dd/mm/jjjj)",
        "fr": "n'est pas une date (attendu jj/mm/aaaa)",
    },
    "reason.future": {
        "en": "is in the future",
        "nl": "ligt in de toekomst",
        "fr": "est dans le futur",
    },
    "reason.before_1900": {
        "en": "is before 1900",
        "nl": "ligt vóór 1900",
        "fr": "est antérieure à 1900",
    },
    "reason.not_whole_km": {
        "en": "is not a whole number of kilometres",
        "nl": "is geen geheel aantal kilometer",
        "fr": "n'est pas un nombre entier de kilomètres",
    },
    "reason.not_whole": {
        "en": "is not a whole number",
        "nl": "is geen geheel getal",
        "fr": "n'est pas un nombre entier",
    },
    "reason.negative": {
        "en": "must not be negative",
        "nl": "mag niet negatief zijn",
        "fr": "ne peut pas être négatif",
    },
    "reason.too_many_km": {
        "en": "is more than {km} km",
        "nl": "is meer dan {km} km",
        "fr": "dépasse {km} km",
    },
    "reason.km_and_unknown": {
        "en": "is given but the mileage is also marked unknown",
        "nl": "is ingevuld, maar de kilometerstand staat ook op 'onbekend'",
        "fr": "est donné, mais le kilométrage est aussi marqué inconnu",
    },
    "reason.outside": {
        "en": "is outside {low}..{high}",
        "nl": "ligt buiten {low}..{high}",
        "fr": "est hors de {low}..{high}",
    },
    "reason.engine_type": {
        "en": "is not an engine type ({types})",
        "nl": "is geen motortype ({types})",
        "fr": "n'est pas un type de moteur ({types})",
    },
    "reason.yes_no": {
        "en": "is not a yes/no value (ja/nee, yes/no, true/false, 1/0, x)",
        "nl": "is geen ja/nee-waarde (ja/nee, yes/no, true/false, 1/0, x)",
        "fr": "n'est pas une valeur oui/non (ja/nee, yes/no, true/false, 1/0, x)",
    },
    "reason.pattern": {
        "en": "does not match the opdrachtnummer pattern {pattern}",
        "nl": "volgt het patroon van een opdrachtnummer niet ({pattern})",
        "fr": "ne suit pas le modèle d'un numéro de mission ({pattern})",
    },
    "reason.control": {
        "en": "contains control characters",
        "nl": "bevat stuurtekens",
        "fr": "contient des caractères de contrôle",
    },
    "reason.longer_than": {
        "en": "is longer than {max} characters",
        "nl": "is langer dan {max} tekens",
        "fr": "dépasse {max} caractères",
    },
    "reason.longer_than_length": {
        "en": "is longer than {max} characters ({length})",
        "nl": "is langer dan {max} tekens ({length})",
        "fr": "dépasse {max} caractères ({length})",
    },
    "reason.dossier_chars": {
        "en": "may only contain letters, digits and - _ . /",
        "nl": "mag alleen letters, cijfers en - _ . / bevatten",
        "fr": "ne peut contenir que des lettres, des chiffres et - _ . /",
    },
    "reason.path_segments": {
        "en": "must not contain empty, '.' or '..' path segments",
        "nl": "mag geen lege, '.'- of '..'-delen bevatten",
        "fr": "ne peut pas contenir de parties vides, '.' ou '..'",
    },
    "reason.portal_max": {
        "en": "is {length} characters long; the portal's field takes at most {max}",
        "nl": "is {length} tekens lang; het veld van de portaalsite neemt er hoogstens {max}",
        "fr": "compte {length} caractères ; le champ du portail en accepte au plus {max}",
    },
    "reason.planmanager_max": {
        "en": "is {length} characters long; PlanManager's field takes at most {max}",
        "nl": "is {length} tekens lang; het veld in PlanManager neemt er hoogstens {max}",
        "fr": "compte {length} caractères ; le champ de PlanManager en accepte au plus {max}",
    },
    "reason.not_a_field": {
        "en": "is not a 2e circuit field (known: {known})",
        "nl": "is geen veld van het 2e circuit (bekend: {known})",
        "fr": "n'est pas un champ du 2e circuit (connus : {known})",
    },
    "reason.duplicate_line": {
        "en": "is a duplicate of line {first}, which runs",
        "nl": "staat al op regel {first}, die wel uitgevoerd wordt",
        "fr": "répète la ligne {first}, qui elle est traitée",
    },
    "reason.single_value": {
        "en": "must be a single value",
        "nl": "moet één enkele waarde zijn",
        "fr": "doit être une seule valeur",
    },
    "reason.no_column_name": {
        "en": "holds a value but has no column name",
        "nl": "bevat een waarde maar de kolom heeft geen naam",
        "fr": "contient une valeur mais la colonne n'a pas de nom",
    },
    "reason.formula": {
        "en": "starts like a spreadsheet formula (= + - @); refused",
        "nl": "begint als een rekenbladformule (= + - @); geweigerd",
        "fr": "commence comme une formule de tableur (= + - @) ; refusé",
    },
    "reason.twice": {
        "en": "is given twice in this row",
        "nl": "staat twee keer op deze regel",
        "fr": "figure deux fois sur cette ligne",
    },
    "reason.required_create": {
        "en": "is required to create the dossier",
        "nl": "is nodig om het dossier aan te maken",
        "fr": "est nécessaire pour créer le dossier",
    },
    "reason.not_json": {
        "en": "cannot be read as JSON: {detail}",
        "nl": "is niet leesbaar als JSON: {detail}",
        "fr": "ne peut pas être lu comme JSON : {detail}",
    },
    "reason.one_object": {
        "en": "must hold one JSON object",
        "nl": "moet één JSON-object bevatten",
        "fr": "doit contenir un seul objet JSON",
    },
    "reason.objects": {
        "en": "vehicle and customer must be objects",
        "nl": "voertuig en klant moeten objecten zijn",
        "fr": "véhicule et client doivent être des objets",
    },
    "reason.not_json_object": {
        "en": "is not a JSON object but {kind}",
        "nl": "is geen JSON-object maar {kind}",
        "fr": "n'est pas un objet JSON mais {kind}",
    },
    # -- why a run stopped short ------------------------------------------------------------
    "run_error.no_dossier_started": {
        "en": "no dossier was started: {inner}",
        "nl": "er werd geen enkel dossier gestart: {inner}",
        "fr": "aucun dossier n'a été commencé : {inner}",
    },
    "run_error.worker_crashed": {
        "en": "a worker stopped on an unexpected error: {detail}",
        "nl": "een werker stopte op een onverwachte fout: {detail}",
        "fr": "un travailleur s'est arrêté sur une erreur inattendue : {detail}",
    },
    "run_error.in_a_row": {
        "en": "{count} dossiers in a row ended system_error: a portal looks down "
        "(or refuses us); the last error: {inner}",
        "nl": "{count} dossiers na elkaar eindigden in een systeemfout: een portaalsite lijkt "
        "onbereikbaar (of weigert ons); de laatste fout: {inner}",
        "fr": "{count} dossiers de suite ont fini en erreur système : un portail semble hors "
        "service (ou nous refuse) ; la dernière erreur : {inner}",
    },
    "run_error.relogin_refused": {
        "en": "a portal refused a new login during the run: {inner}",
        "nl": "een portaalsite weigerde tijdens de run een nieuwe aanmelding: {inner}",
        "fr": "un portail a refusé une nouvelle connexion pendant l'exécution : {inner}",
    },
    "run_error.no_room": {
        "en": "only {free} MB free in {folder}, {need} MB needed before a write to a portal "
        "(BOT_MIN_FREE_MB)",
        "nl": "slechts {free} MB vrij in {folder}, {need} MB nodig vóór een schrijfactie in een "
        "portaalsite (BOT_MIN_FREE_MB)",
        "fr": "seulement {free} Mo libres dans {folder}, {need} Mo nécessaires avant d'écrire "
        "dans un portail (BOT_MIN_FREE_MB)",
    },
    "run_error.login_refused": {
        "en": "{portal} refused the login of {user}: {portal_text}",
        "nl": "{portal} weigerde de aanmelding van {user}: {portal_text}",
        "fr": "{portal} a refusé la connexion de {user} : {portal_text}",
    },
    "run_error.login_throttled": {
        "en": "{portal} is throttling logins of {user} ({portal_text}); the bot stopped trying "
        "so as not to lock the account: wait until the portal allows logins again, check the "
        "credentials, then run again",
        "nl": "{portal} remt de aanmeldingen van {user} af ({portal_text}); de bot probeert niet "
        "verder om de account niet te blokkeren: wacht tot de portaalsite weer aanmeldingen "
        "toelaat, kijk de gebruikersnaam en het wachtwoord na en start opnieuw",
        "fr": "{portal} freine les connexions de {user} ({portal_text}) ; le robot n'essaie plus "
        "pour ne pas bloquer le compte : attendez que le portail accepte à nouveau les "
        "connexions, vérifiez l'identifiant et le mot de passe, puis relancez",
    },
    # -- formats ------------------------------------------------------------------------------
    "format.date": {
        "en": "{year}-{month}-{day}",
        "nl": "{day}/{month}/{year}",
        "fr": "{day}/{month}/{year}",
    },
    "format.moment": {
        "en": "{date} {time} UTC{offset}",
        "nl": "{date} {time} (UTC{offset})",
        "fr": "{date} {time} (UTC{offset})",
    },
    "format.seconds": {"en": "{seconds} s", "nl": "{seconds} s", "fr": "{seconds} s"},
    "format.minutes": {
        "en": "{minutes} min {seconds} s",
        "nl": "{minutes} min {seconds} s",
        "fr": "{minutes} min {seconds} s",
    },
    "format.hours": {
        "en": "{hours} h {minutes} min",
        "nl": "{hours} u {minutes} min",
        "fr": "{hours} h {minutes} min",
    },
    "format.gigabytes": {"en": "{size} GB", "nl": "{size} GB", "fr": "{size} Go"},
    "format.none": {"en": "—", "nl": "—", "fr": "—"},
    # -- the report: every page ----------------------------------------------------------------
    "report.brand": {
        "en": "informex-bot · morning report",
        "nl": "informex-bot · ochtendrapport",
        "fr": "informex-bot · rapport du matin",
    },
    "report.run": {"en": "Run {run_id}", "nl": "Run {run_id}", "fr": "Exécution {run_id}"},
    "report.title.failed": {
        "en": "informex-bot · run {run_id} · {failures} failed",
        "nl": "informex-bot · run {run_id} · {failures} mislukt",
        "fr": "informex-bot · exécution {run_id} · {failures} en échec",
    },
    "report.title.done": {
        "en": "informex-bot · run {run_id} · all done",
        "nl": "informex-bot · run {run_id} · alles in orde",
        "fr": "informex-bot · exécution {run_id} · tout est fait",
    },
    "report.title.running": {
        "en": "informex-bot · run {run_id} · in progress",
        "nl": "informex-bot · run {run_id} · bezig",
        "fr": "informex-bot · exécution {run_id} · en cours",
    },
    "report.title.page": {
        "en": "informex-bot · run {run_id} · {page}",
        "nl": "informex-bot · run {run_id} · {page}",
        "fr": "informex-bot · exécution {run_id} · {page}",
    },
    "meta.started": {"en": "Started", "nl": "Gestart", "fr": "Début"},
    "meta.finished": {"en": "Finished", "nl": "Klaar", "fr": "Fin"},
    "meta.duration": {"en": "Duration", "nl": "Duur", "fr": "Durée"},
    "meta.dossiers": {"en": "Dossiers", "nl": "Dossiers", "fr": "Dossiers"},
    "meta.not_finished": {"en": "not finished", "nl": "niet afgerond", "fr": "non terminée"},
    "meta.running": {"en": "in progress", "nl": "bezig", "fr": "en cours"},
    "nav.overview": {"en": "Overview", "nl": "Overzicht", "fr": "Vue d'ensemble"},
    "nav.pages": {"en": "Pages", "nl": "Pagina's", "fr": "Pages"},
    "nav.previous": {"en": "← previous", "nl": "← vorige", "fr": "← précédente"},
    "nav.next": {"en": "next →", "nl": "volgende →", "fr": "suivante →"},
    "nav.previous_dossier": {
        "en": "← previous dossier",
        "nl": "← vorig dossier",
        "fr": "← dossier précédent",
    },
    "nav.next_dossier": {
        "en": "next dossier →",
        "nl": "volgend dossier →",
        "fr": "dossier suivant →",
    },
    "nav.page_of": {
        "en": "Page {page} of {pages}",
        "nl": "Pagina {page} van {pages}",
        "fr": "Page {page} sur {pages}",
    },
    "nav.in_list": {
        "en": "In the list of all dossiers: {link}",
        "nl": "In de lijst van alle dossiers: {link}",
        "fr": "Dans la liste de tous les dossiers : {link}",
    },
    # -- the report: banners and summary -------------------------------------------------------
    "banner.run_error": {
        "en": "The run stopped: {reason}",
        "nl": "De run is gestopt: {reason}",
        "fr": "L'exécution s'est arrêtée : {reason}",
    },
    "banner.running": {
        "en": "This run is still in progress ({holder}). This report shows the dossiers finished "
        "when it was built ({built}); dossiers still to do: {todo}. Build it again with "
        "{command}; results.json in the run folder is rewritten after every dossier "
        "(at most every 2 seconds).",
        "nl": "Deze run is nog bezig ({holder}). Dit rapport toont de dossiers die klaar waren "
        "toen het gemaakt werd ({built}); nog te doen: {todo}. Maak het opnieuw met {command}; "
        "results.json in de map van de run wordt na elk dossier herschreven (hoogstens om de "
        "2 seconden).",
        "fr": "Cette exécution est encore en cours ({holder}). Ce rapport montre les dossiers "
        "terminés au moment où il a été fait ({built}) ; encore à faire : {todo}. Refaites-le "
        "avec {command} ; results.json dans le dossier de l'exécution est réécrit après chaque "
        "dossier (au plus toutes les 2 secondes).",
    },
    "running.holder": {
        "en": "pid {pid} on {host}",
        "nl": "proces {pid} op {host}",
        "fr": "processus {pid} sur {host}",
    },
    "banner.unfinished": {
        "en": "This run did not finish (it was stopped, or is still running): dossiers it did "
        "not reach are not in this report. Continue it with {command}.",
        "nl": "Deze run is niet afgerond (hij werd gestopt, of loopt nog): dossiers die hij niet "
        "bereikte, staan niet in dit rapport. Zet hem verder met {command}.",
        "fr": "Cette exécution n'est pas terminée (elle a été arrêtée, ou tourne encore) : les "
        "dossiers qu'elle n'a pas atteints ne sont pas dans ce rapport. Poursuivez-la avec "
        "{command}.",
    },
    "banner.unfinished_count": {
        "en": "Dossiers not done yet: {count}.",
        "nl": "Dossiers nog niet gedaan: {count}.",
        "fr": "Dossiers pas encore traités : {count}.",
    },
    "verdict.none": {
        "en": "No dossiers in this run.",
        "nl": "Geen dossiers in deze run.",
        "fr": "Aucun dossier dans cette exécution.",
    },
    "verdict.failed.one": {
        "en": "{failures} of {total} dossiers failed and needs a person; see the list below.",
        "nl": "{failures} van de {total} dossiers is mislukt en vraagt een mens; zie de lijst "
        "hieronder.",
        "fr": "{failures} dossier sur {total} a échoué et demande une intervention ; voir la "
        "liste ci-dessous.",
    },
    "verdict.failed.other": {
        "en": "{failures} of {total} dossiers failed and need a person; see the list below.",
        "nl": "{failures} van de {total} dossiers zijn mislukt en vragen een mens; zie de lijst "
        "hieronder.",
        "fr": "{failures} dossiers sur {total} ont échoué et demandent une intervention ; voir "
        "la liste ci-dessous.",
    },
    "verdict.good.one": {
        "en": "The dossier is done, nothing failed.",
        "nl": "Het dossier is in orde, niets is mislukt.",
        "fr": "Le dossier est fait, rien n'a échoué.",
    },
    "verdict.good.other": {
        "en": "All {total} dossiers done, nothing failed.",
        "nl": "Alle {total} dossiers zijn in orde, niets is mislukt.",
        "fr": "Les {total} dossiers sont faits, rien n'a échoué.",
    },
    "card.total": {"en": "Total", "nl": "Totaal", "fr": "Total"},
    "card.attempts": {"en": "Attempts", "nl": "Pogingen", "fr": "Tentatives"},
    "card.unfinished": {"en": "Not done", "nl": "Niet gedaan", "fr": "Non traités"},
    "legend.business": {
        "en": "the data is missing or conflicts (incomplete dossier, no or several matching "
        "verzekeringsopdrachten, another opdrachtnummer already in the 2e circuit); a person "
        "fixes it in PlanManager or Winformex, the bot never retries it.",
        "nl": "gegevens ontbreken of spreken elkaar tegen (onvolledig dossier, geen of meerdere "
        "passende verzekeringsopdrachten, al een ander opdrachtnummer in het 2e circuit); een "
        "mens lost het op in PlanManager of Winformex, de bot probeert het nooit opnieuw.",
        "fr": "des données manquent ou se contredisent (dossier incomplet, aucune ou plusieurs "
        "missions d'assurance correspondantes, un autre numéro de mission déjà dans le 2e "
        "circuit) ; une personne corrige dans PlanManager ou Winformex, le robot ne réessaie "
        "jamais.",
    },
    "legend.system": {
        "en": "a portal, the network or the browser failed, also after the retries; the next "
        "run usually gets through, otherwise the screenshots and the trace show where it stops.",
        "nl": "een portaalsite, het netwerk of de browser faalde, ook na de nieuwe pogingen; de "
        "volgende run lukt meestal wel, anders tonen de schermafdrukken en de trace waar het "
        "vastloopt.",
        "fr": "un portail, le réseau ou le navigateur a échoué, même après les nouvelles "
        "tentatives ; l'exécution suivante passe en général, sinon les captures d'écran et la "
        "trace montrent où cela bloque.",
    },
    # -- the report: lists -------------------------------------------------------------------
    "list.failures": {
        "en": "Needs a person ({count})",
        "nl": "Vraagt een mens ({count})",
        "fr": "À traiter par une personne ({count})",
    },
    "list.failures.more": {
        "en": "The first {shown} are listed here; all {count} are on these pages:",
        "nl": "De eerste {shown} staan hier; alle {count} staan op deze pagina's:",
        "fr": "Les {shown} premiers sont ici ; les {count} sont sur ces pages :",
    },
    "list.failures.page": {
        "en": "Needs a person",
        "nl": "Vraagt een mens",
        "fr": "À traiter par une personne",
    },
    "list.done": {"en": "Done ({count})", "nl": "In orde ({count})", "fr": "Faits ({count})"},
    "list.dossiers": {
        "en": "All dossiers ({count})",
        "nl": "Alle dossiers ({count})",
        "fr": "Tous les dossiers ({count})",
    },
    "list.dossiers.page": {"en": "All dossiers", "nl": "Alle dossiers", "fr": "Tous les dossiers"},
    "list.dossiers.pages": {
        "en": "Failures first, {size} dossiers a page:",
        "nl": "Mislukte eerst, {size} dossiers per pagina:",
        "fr": "Les échecs d'abord, {size} dossiers par page :",
    },
    "list.shops": {
        "en": "Shops ({count})",
        "nl": "Carrosserieën ({count})",
        "fr": "Carrosseries ({count})",
    },
    "list.shop.page": {"en": "Shop {shop}", "nl": "Carrosserie {shop}", "fr": "Carrosserie {shop}"},
    "list.empty": {
        "en": "No dossiers in this list.",
        "nl": "Geen dossiers in deze lijst.",
        "fr": "Aucun dossier dans cette liste.",
    },
    "shop.none": {"en": "(no shop)", "nl": "(geen carrosserie)", "fr": "(sans carrosserie)"},
    "col.screen": {"en": "Last screen", "nl": "Laatste scherm", "fr": "Dernier écran"},
    "col.dossier": {"en": "Dossier", "nl": "Dossier", "fr": "Dossier"},
    "col.status": {"en": "Status", "nl": "Status", "fr": "Statut"},
    "col.shop": {"en": "Shop", "nl": "Carrosserie", "fr": "Carrosserie"},
    "col.assignment": {"en": "Opdrachtnummer", "nl": "Opdrachtnummer", "fr": "Numéro de mission"},
    "col.informex": {"en": "Informex dossier", "nl": "Informex-dossier", "fr": "Dossier Informex"},
    "col.attempts": {"en": "Attempts", "nl": "Pogingen", "fr": "Tentatives"},
    "col.duration": {"en": "Duration", "nl": "Duur", "fr": "Durée"},
    "col.error": {"en": "Error", "nl": "Fout", "fr": "Erreur"},
    "col.failures": {"en": "Needs a person", "nl": "Vraagt een mens", "fr": "À traiter"},
    "col.total": {"en": "Total", "nl": "Totaal", "fr": "Total"},
    "thumb.alt": {
        "en": "Last screenshot of dossier {dossier}",
        "nl": "Laatste schermafdruk van dossier {dossier}",
        "fr": "Dernière capture d'écran du dossier {dossier}",
    },
    # -- the report: a dossier's page ----------------------------------------------------------
    "dossier.heading": {
        "en": "Dossier {dossier}",
        "nl": "Dossier {dossier}",
        "fr": "Dossier {dossier}",
    },
    "fact.assignment": {"en": "Opdrachtnummer", "nl": "Opdrachtnummer", "fr": "Numéro de mission"},
    "fact.informex": {"en": "Informex dossier", "nl": "Informex-dossier", "fr": "Dossier Informex"},
    "fact.attempts": {"en": "Attempts", "nl": "Pogingen", "fr": "Tentatives"},
    "fact.duration": {"en": "Duration", "nl": "Duur", "fr": "Durée"},
    "fact.step": {
        "en": "Last completed step",
        "nl": "Laatste voltooide stap",
        "fr": "Dernière étape réussie",
    },
    "fact.shop": {"en": "Shop", "nl": "Carrosserie", "fr": "Carrosserie"},
    "dossier.original": {
        "en": "The message as the bot wrote it (for support)",
        "nl": "De melding zoals de bot ze schreef (Engels, voor ondersteuning)",
        "fr": "Le message tel que le robot l'a écrit (anglais, pour le support)",
    },
    "dossier.system_error": {
        "en": "A portal, the network or the browser failed, also after the retries; the next "
        "run usually gets through.",
        "nl": "Een portaalsite, het netwerk of de browser faalde, ook na de nieuwe pogingen; de "
        "volgende run lukt meestal wel.",
        "fr": "Un portail, le réseau ou le navigateur a échoué, même après les nouvelles "
        "tentatives ; l'exécution suivante passe en général.",
    },
    "values.title": {"en": "Values", "nl": "Waarden", "fr": "Valeurs"},
    "values.dry_run": {
        "en": "Values that would be written (dry run)",
        "nl": "Waarden die geschreven zouden worden (proefrun)",
        "fr": "Valeurs qui seraient écrites (essai à blanc)",
    },
    "shots.title": {
        "en": "Screenshots ({count})",
        "nl": "Schermafdrukken ({count})",
        "fr": "Captures d'écran ({count})",
    },
    "shots.none": {
        "en": "No screenshots were kept for this dossier (see BOT_SCREENSHOTS).",
        "nl": "Voor dit dossier werden geen schermafdrukken bewaard (zie BOT_SCREENSHOTS).",
        "fr": "Aucune capture d'écran n'a été gardée pour ce dossier (voir BOT_SCREENSHOTS).",
    },
    "shots.missing": {
        "en": "screenshot file missing",
        "nl": "bestand van de schermafdruk ontbreekt",
        "fr": "fichier de la capture manquant",
    },
    "shots.alt": {
        "en": "Screenshot {number}: {step}, {action}",
        "nl": "Schermafdruk {number}: {step}, {action}",
        "fr": "Capture {number} : {step}, {action}",
    },
    "paths.skipped.one": {
        "en": "{count} evidence path outside the run folder was not shown.",
        "nl": "{count} pad naar bewijsmateriaal buiten de map van de run werd niet getoond.",
        "fr": "{count} chemin de preuve hors du dossier de l'exécution n'a pas été montré.",
    },
    "paths.skipped.other": {
        "en": "{count} evidence paths outside the run folder were not shown.",
        "nl": "{count} paden naar bewijsmateriaal buiten de map van de run werden niet getoond.",
        "fr": "{count} chemins de preuve hors du dossier de l'exécution n'ont pas été montrés.",
    },
    "trace.present": {
        "en": "Trace: {link} — open with {command}",
        "nl": "Trace: {link} — openen met {command}",
        "fr": "Trace : {link} — ouvrir avec {command}",
    },
    "trace.missing": {
        "en": "Trace: {path} (file missing) — open with {command}",
        "nl": "Trace: {path} (bestand ontbreekt) — openen met {command}",
        "fr": "Trace : {path} (fichier manquant) — ouvrir avec {command}",
    },
    "log.title.one": {
        "en": "Log ({count} line)",
        "nl": "Logboek ({count} regel)",
        "fr": "Journal ({count} ligne)",
    },
    "log.title.other": {
        "en": "Log ({count} lines)",
        "nl": "Logboek ({count} regels)",
        "fr": "Journal ({count} lignes)",
    },
    "log.none": {
        "en": "No log lines for this dossier.",
        "nl": "Geen logregels voor dit dossier.",
        "fr": "Aucune ligne de journal pour ce dossier.",
    },
    "log.time": {"en": "Time", "nl": "Tijd", "fr": "Heure"},
    "log.level": {"en": "Level", "nl": "Niveau", "fr": "Niveau"},
    "log.dossier": {"en": "Dossier", "nl": "Dossier", "fr": "Dossier"},
    "log.step": {"en": "Step", "nl": "Stap", "fr": "Étape"},
    "log.message": {"en": "Message", "nl": "Melding", "fr": "Message"},
    "runlog.title": {
        "en": "Run log: logins and other lines of no single dossier",
        "nl": "Logboek van de run: aanmeldingen en andere regels van geen enkel dossier",
        "fr": "Journal de l'exécution : connexions et autres lignes d'aucun dossier précis",
    },
    "runlog.link.one": {
        "en": "Run log ({count} line)",
        "nl": "Logboek van de run ({count} regel)",
        "fr": "Journal de l'exécution ({count} ligne)",
    },
    "runlog.link.other": {
        "en": "Run log ({count} lines)",
        "nl": "Logboek van de run ({count} regels)",
        "fr": "Journal de l'exécution ({count} lignes)",
    },
    "runlog.page": {"en": "Run log", "nl": "Logboek van de run", "fr": "Journal de l'exécution"},
    "footer.generated": {
        "en": "Report generated {time} by informex-bot from results.json and bot.log.jsonl in "
        "this folder.",
        "nl": "Rapport gemaakt op {time} door informex-bot uit results.json en bot.log.jsonl in "
        "deze map.",
        "fr": "Rapport créé le {time} par informex-bot à partir de results.json et bot.log.jsonl "
        "de ce dossier.",
    },
    # -- the report: old runs deleted to keep the disk ---------------------------------------
    "pruned.forced": {
        "en": "To stay within BOT_RUNS_MAX_GB ({budget}), older runs whose failures nobody has "
        "resolved yet were deleted with their evidence: {runs}.",
        "nl": "Om binnen BOT_RUNS_MAX_GB ({budget}) te blijven, werden oudere runs met fouten die "
        "nog niemand oploste, samen met hun bewijsmateriaal verwijderd: {runs}.",
        "fr": "Pour rester sous BOT_RUNS_MAX_GB ({budget}), des exécutions plus anciennes dont "
        "personne n'a encore résolu les échecs ont été supprimées avec leurs preuves : {runs}.",
    },
    "pruned.removed": {
        "en": "Older runs deleted (--keep-runs, BOT_RUNS_MAX_GB): {runs}.",
        "nl": "Oudere runs verwijderd (--keep-runs, BOT_RUNS_MAX_GB): {runs}.",
        "fr": "Exécutions plus anciennes supprimées (--keep-runs, BOT_RUNS_MAX_GB) : {runs}.",
    },
    "pruned.over_budget": {
        "en": "The runs still take {size}, more than BOT_RUNS_MAX_GB ({budget}): what is left "
        "is this run or runs in progress, which are never deleted.",
        "nl": "De runs nemen nog {size} in, meer dan BOT_RUNS_MAX_GB ({budget}): wat overblijft "
        "is deze run of runs die nog bezig zijn, en die worden nooit verwijderd.",
        "fr": "Les exécutions occupent encore {size}, plus que BOT_RUNS_MAX_GB ({budget}) : il "
        "ne reste que cette exécution ou des exécutions en cours, jamais supprimées.",
    },
    "pruned.run": {
        "en": "{run_id} ({failures} unresolved)",
        "nl": "{run_id} ({failures} onopgelost)",
        "fr": "{run_id} ({failures} non résolus)",
    },
    # -- the notification --------------------------------------------------------------------
    "notify.heading": {
        "en": "informex-bot run {run_id}: {counts}",
        "nl": "informex-bot run {run_id}: {counts}",
        "fr": "informex-bot exécution {run_id} : {counts}",
    },
    "notify.count": {"en": "{label} {count}", "nl": "{label} {count}", "fr": "{label} {count}"},
    "notify.unfinished": {
        "en": "not done (stopped) {count}",
        "nl": "niet gedaan (gestopt) {count}",
        "fr": "non traités (arrêt) {count}",
    },
    "notify.stopped": {
        "en": "the run stopped: {reason}",
        "nl": "de run is gestopt: {reason}",
        "fr": "l'exécution s'est arrêtée : {reason}",
    },
    "notify.report": {"en": "report: {path}", "nl": "rapport: {path}", "fr": "rapport : {path}"},
    "notify.resume": {
        "en": "continue it with: {command}",
        "nl": "zet hem verder met: {command}",
        "fr": "poursuivez-la avec : {command}",
    },
    "notify.line": {
        "en": "- {dossier}: {status}: {error}",
        "nl": "- {dossier}: {status}: {error}",
        "fr": "- {dossier} : {status} : {error}",
    },
    "notify.more": {
        "en": "… and {count} more",
        "nl": "… en nog {count}",
        "fr": "… et {count} de plus",
    },
    "notify.subject": {
        "en": "informex-bot: failures in run {run_id}",
        "nl": "informex-bot: mislukte dossiers in run {run_id}",
        "fr": "informex-bot : échecs dans l'exécution {run_id}",
    },
}
