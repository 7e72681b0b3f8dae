"""Every word the web page says, in Dutch and French: one catalogue for its screens.

The person picks a language (a cookie); until then the browser's Accept-Language decides, Dutch
when it names neither. Texts are plain strings with `{name}` fields: Jinja escapes the result,
so a value from a portal can never become markup through a translation.

What the report names too is named as the report names it, from its catalogue
(bot/evidence/catalog.py through `Texts`): the seed's steps, what a screenshot shows was done,
the 2e circuit's fields, the statuses, and the bot's own messages (`known_errors.explain`: in
the person's language when recognised, else as the bot raised them). The page adds what to do
(bot/web/explain.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from bot.evidence.known_errors import explain as explain_message
from bot.evidence.texts import Texts

LANGUAGES = ("nl", "fr")
DEFAULT_LANGUAGE = "nl"
LANGUAGE_COOKIE = "informex_bot_lang"
LANGUAGE_NAMES = {"nl": "Nederlands", "fr": "Français"}

CATALOGUE: Mapping[str, Mapping[str, str]] = {
    # -- frame ---------------------------------------------------------------------------------
    "nav_waiting": {"nl": "Wachtende dossiers", "fr": "Dossiers en attente"},
    "nav_runs": {"nl": "Afgelopen nachten", "fr": "Nuits passées"},
    "nav_health": {"nl": "Gezondheid", "fr": "Santé"},
    "logout": {"nl": "Afmelden", "fr": "Se déconnecter"},
    "language": {"nl": "Taal", "fr": "Langue"},
    "skip": {"nl": "Naar de inhoud", "fr": "Aller au contenu"},
    # -- waiting dossiers ----------------------------------------------------------------------
    "waiting_intro": {
        "nl": "Dossiers in PlanManager die volledig zijn en nog niet gekoppeld: wat de "
        "nachtelijke run zou nemen, met de opdracht die de bot zou gebruiken.",
        "fr": "Les dossiers PlanManager complets et pas encore liés : ce que le passage de "
        "nuit prendrait, avec la mission que le bot utiliserait.",
    },
    "surveyed_at": {"nl": "Opgehaald op {time}.", "fr": "Relevé le {time}."},
    "never_surveyed": {
        "nl": "Nog niet opgehaald. Klik op Vernieuwen: de bot kijkt in PlanManager en "
        "Winformex (alleen lezen, een halve minuut of meer).",
        "fr": "Pas encore relevé. Cliquez sur Actualiser : le bot regarde dans PlanManager et "
        "Winformex (lecture seule, une demi-minute ou plus).",
    },
    "refresh": {"nl": "Vernieuwen", "fr": "Actualiser"},
    "refreshing": {
        "nl": "Bezig met ophalen sinds {time}…",
        "fr": "Relevé en cours depuis {time}…",
    },
    "survey_failed": {"nl": "Ophalen mislukt: {error}", "fr": "Le relevé a échoué : {error}"},
    "col_dossier": {"nl": "Dossier", "fr": "Dossier"},
    "col_plate": {"nl": "Nummerplaat", "fr": "Plaque"},
    "col_customer": {"nl": "Klant", "fr": "Client"},
    "col_insurer": {"nl": "Maatschappij", "fr": "Compagnie"},
    "col_assignment": {"nl": "Opdracht die de bot gebruikt", "fr": "Mission que le bot utilise"},
    "col_missing": {"nl": "Ontbreekt", "fr": "Manque"},
    "col_action": {"nl": "Actie", "fr": "Action"},
    "link_now": {"nl": "Nu koppelen", "fr": "Lier maintenant"},
    "no_assignment": {"nl": "Geen opdracht te gebruiken", "fr": "Pas de mission utilisable"},
    "would_stop": {"nl": "De bot zou hier stoppen", "fr": "Le bot s'arrêterait ici"},
    "none_waiting": {"nl": "Geen dossiers die wachten.", "fr": "Aucun dossier en attente."},
    "incomplete_title": {
        "nl": "Onvolledig: nog niet klaar voor Informex",
        "fr": "Incomplets : pas encore prêts pour Informex",
    },
    "none_incomplete": {"nl": "Geen onvolledige dossiers.", "fr": "Aucun dossier incomplet."},
    "linked_count": {
        "nl": "{count} dossier(s) zijn al gekoppeld.",
        "fr": "{count} dossier(s) sont déjà liés.",
    },
    "busy_badge": {"nl": "bezig", "fr": "occupé"},
    # -- the form ------------------------------------------------------------------------------
    "form_title": {"nl": "Een dossier koppelen", "fr": "Lier un dossier"},
    "form_intro": {
        "nl": "Elk dossiernummer. De bot zoekt de opdracht zelf (VIN, dan nummerplaat, dan "
        "schadenummer), tenzij u het opdrachtnummer opgeeft.",
        "fr": "N'importe quel numéro de dossier. Le bot cherche la mission lui-même (VIN, puis "
        "plaque, puis numéro de sinistre), sauf si vous donnez le numéro de mission.",
    },
    "field_dossier": {"nl": "PlanManager-dossiernummer", "fr": "Numéro de dossier PlanManager"},
    "field_assignment": {
        "nl": "Opdrachtnummer (niet verplicht)",
        "fr": "Numéro de mission (facultatif)",
    },
    "field_assignment_help": {
        "nl": "Leeg laten: de bot zoekt de opdracht zelf. Opgegeven: de bot zoekt het eerst op "
        "in Winformex, vóór er iets verzonden wordt.",
        "fr": "Vide : le bot cherche la mission lui-même. Indiqué : le bot le cherche d'abord "
        "dans Winformex, avant tout envoi.",
    },
    "force_label": {"nl": "Vervangen (--force)", "fr": "Remplacer (--force)"},
    "force_help": {
        "nl": "Alleen als het opdrachtnummer dat nu in het 2e circuit staat fout is: de bot "
        "vervangt het, of neemt een opdracht die al aan een ander Informex-dossier hangt. "
        "Zonder dit vinkje overschrijft de bot nooit iets.",
        "fr": "Seulement si le numéro de mission qui figure dans le 2e circuit est faux : le "
        "bot le remplace, ou prend une mission déjà liée à un autre dossier Informex. Sans "
        "cette case, le bot n'écrase jamais rien.",
    },
    "dry_run_label": {"nl": "Proefrit (--dry-run)", "fr": "Essai à blanc (--dry-run)"},
    "dry_run_help": {
        "nl": "De bot leest, controleert en vult in, maar schrijft niets: niets naar Informex "
        "verzonden (geen dossierkosten), niets opgeslagen. Om te zien wat hij zou doen.",
        "fr": "Le bot lit, vérifie et remplit, mais n'écrit rien : rien n'est envoyé vers "
        "Informex (pas de frais de dossier), rien n'est enregistré. Pour voir ce qu'il ferait.",
    },
    "submit_link": {"nl": "Koppelen", "fr": "Lier"},
    "bad_input": {"nl": "Ongeldige invoer", "fr": "Saisie invalide"},
    "too_many": {
        "nl": "Er lopen al {count} koppelingen vanaf deze pagina; wacht tot er één klaar is.",
        "fr": "{count} liaisons lancées depuis cette page sont en cours ; attendez qu'une se "
        "termine.",
    },
    "recent_title": {"nl": "Vanaf deze pagina gestart", "fr": "Lancés depuis cette page"},
    "running": {"nl": "loopt", "fr": "en cours"},
    # -- one dossier ---------------------------------------------------------------------------
    "dossier_title": {"nl": "Dossier {number}", "fr": "Dossier {number}"},
    "requested_at": {"nl": "Gevraagd op {time}", "fr": "Demandé le {time}"},
    "with_assignment": {"nl": "opdrachtnummer {number}", "fr": "numéro de mission {number}"},
    "option_force": {"nl": "vervangen", "fr": "remplacer"},
    "option_dry_run": {"nl": "proefrit", "fr": "essai à blanc"},
    "joined": {
        "nl": "Dit dossier werd al gekoppeld vanaf deze pagina; u volgt die koppeling.",
        "fr": "Ce dossier était déjà en cours de liaison depuis cette page ; vous suivez "
        "cette liaison.",
    },
    "starting": {"nl": "De bot start…", "fr": "Le bot démarre…"},
    "busy": {
        "nl": "Bezig: een ander proces werkt aan dit dossier ({holder}). De bot wacht tot het "
        "klaar is (ten hoogste {seconds} s) en leest dan eerst de portalen: er wordt nooit twee "
        "keer verzonden.",
        "fr": "Occupé : un autre processus travaille sur ce dossier ({holder}). Le bot attend "
        "qu'il ait fini (au plus {seconds} s), puis relit d'abord les portails : rien n'est "
        "jamais envoyé deux fois.",
    },
    "busy_now": {
        "nl": "Bezig: {holder} werkt nu aan dit dossier.",
        "fr": "Occupé : {holder} travaille en ce moment sur ce dossier.",
    },
    "holder": {
        "nl": "{what}, proces {pid} op {host}, sinds {since}",
        "fr": "{what}, processus {pid} sur {host}, depuis {since}",
    },
    "holder_run": {"nl": "run {run}", "fr": "passage {run}"},
    "holder_other": {"nl": "een ander proces", "fr": "un autre processus"},
    "steps_title": {"nl": "Stappen", "fr": "Étapes"},
    "state_done": {"nl": "klaar", "fr": "fait"},
    "state_now": {"nl": "bezig", "fr": "en cours"},
    "state_failed": {"nl": "mislukt", "fr": "échoué"},
    "state_todo": {"nl": "nog niet", "fr": "pas encore"},
    "attempt": {"nl": "poging {number}", "fr": "tentative {number}"},
    "filmstrip_title": {"nl": "Schermafbeeldingen", "fr": "Captures d'écran"},
    "last_shot": {"nl": "Laatste schermafbeelding", "fr": "Dernière capture d'écran"},
    "no_shots": {"nl": "Nog geen schermafbeeldingen.", "fr": "Pas encore de captures d'écran."},
    "result_linked": {"nl": "Gekoppeld", "fr": "Lié"},
    "result_already_linked": {"nl": "Was al gekoppeld", "fr": "Déjà lié"},
    "result_dry_run": {
        "nl": "Proefrit klaar: niets geschreven",
        "fr": "Essai à blanc terminé : rien n'a été écrit",
    },
    "result_business_error": {
        "nl": "Niet gekoppeld: een medewerker moet kijken",
        "fr": "Pas lié : quelqu'un doit vérifier",
    },
    "result_system_error": {"nl": "Niet gekoppeld: storing", "fr": "Pas lié : panne"},
    "linked_text": {
        "nl": "Informex-dossier {informex} is gekoppeld aan opdrachtnummer {assignment}.",
        "fr": "Le dossier Informex {informex} est lié au numéro de mission {assignment}.",
    },
    "already_text": {
        "nl": "Het 2e circuit van Informex-dossier {informex} hield opdrachtnummer {assignment} "
        "al; de bot schreef niets.",
        "fr": "Le 2e circuit du dossier Informex {informex} contenait déjà le numéro de mission "
        "{assignment} ; le bot n'a rien écrit.",
    },
    "dry_text": {
        "nl": "Opdracht {assignment}. Niets verzonden en niets opgeslagen.",
        "fr": "Mission {assignment}. Rien envoyé, rien enregistré.",
    },
    "values_title": {"nl": "Waarden in het 2e circuit", "fr": "Valeurs du 2e circuit"},
    "values_dry": {"nl": "Wat de bot zou schrijven", "fr": "Ce que le bot écrirait"},
    "values_loading": {
        "nl": "De waarden worden uit Winformex gelezen…",
        "fr": "Lecture des valeurs dans Winformex…",
    },
    "values_failed": {
        "nl": "De waarden konden niet gelezen worden: {error}",
        "fr": "Les valeurs n'ont pas pu être lues : {error}",
    },
    "what_to_do": {"nl": "Wat nu?", "fr": "Que faire ?"},
    "details": {"nl": "Melding van de bot", "fr": "Message du bot"},
    "open_report": {"nl": "Rapport van de run openen", "fr": "Ouvrir le rapport du passage"},
    "open_trace": {"nl": "Trace (voor de technicus)", "fr": "Trace (pour le technicien)"},
    "refused": {"nl": "De bot weigerde de opdracht", "fr": "Le bot a refusé la demande"},
    "ended_without_result": {
        "nl": "De bot stopte zonder resultaat (code {code}).",
        "fr": "Le bot s'est arrêté sans résultat (code {code}).",
    },
    "link_again": {"nl": "Opnieuw koppelen", "fr": "Lier à nouveau"},
    "left_unfinished": {
        "nl": "Run {run} stopte voor dit dossier klaar was. Klik opnieuw op koppelen: de bot "
        "leest eerst de portalen, er wordt niets dubbel gedaan.",
        "fr": "Le passage {run} s'est arrêté avant la fin de ce dossier. Cliquez à nouveau sur "
        "lier : le bot relit d'abord les portails, rien n'est fait deux fois.",
    },
    "not_handled": {
        "nl": "De bot heeft dit dossier nog niet behandeld.",
        "fr": "Le bot n'a pas encore traité ce dossier.",
    },
    "in_run": {"nl": "Run {run}", "fr": "Passage {run}"},
    "yes": {"nl": "ja", "fr": "oui"},
    "no": {"nl": "nee", "fr": "non"},
    "empty": {"nl": "leeg", "fr": "vide"},
    # -- what went wrong, in plain words (bot/web/explain.py picks) ----------------------------
    "why_busy": {
        "nl": "Een ander proces hield dit dossier langer bezig dan de bot mocht wachten.",
        "fr": "Un autre processus a gardé ce dossier plus longtemps que le bot ne pouvait "
        "attendre.",
    },
    "todo_busy": {
        "nl": "Probeer later opnieuw; de nachtelijke run neemt het dossier ook opnieuw.",
        "fr": "Réessayez plus tard ; le passage de nuit reprendra aussi le dossier.",
    },
    "why_incomplete": {
        "nl": "Het dossier is niet volledig in PlanManager; er werd niets verzonden.",
        "fr": "Le dossier n'est pas complet dans PlanManager ; rien n'a été envoyé.",
    },
    "todo_incomplete": {
        "nl": "Vul in PlanManager aan wat de melding noemt, en klik dan opnieuw op Nu koppelen.",
        "fr": "Complétez dans PlanManager ce que le message cite, puis cliquez à nouveau sur "
        "Lier maintenant.",
    },
    "why_not_found": {
        "nl": "PlanManager kent dit dossiernummer niet.",
        "fr": "PlanManager ne connaît pas ce numéro de dossier.",
    },
    "todo_not_found": {"nl": "Kijk het dossiernummer na.", "fr": "Vérifiez le numéro de dossier."},
    "why_no_assignment": {
        "nl": "Geen verzekeringsopdracht in Winformex past bij dit dossier; er werd niets "
        "verzonden.",
        "fr": "Aucune mission d'assurance dans Winformex ne correspond à ce dossier ; rien n'a "
        "été envoyé.",
    },
    "todo_no_assignment": {
        "nl": "Wacht tot de opdracht in Winformex binnenkomt, of kijk VIN, nummerplaat en "
        "schadenummer na. Kent u het opdrachtnummer, vul het dan in het formulier in.",
        "fr": "Attendez que la mission arrive dans Winformex, ou vérifiez VIN, plaque et numéro "
        "de sinistre. Si vous connaissez le numéro de mission, indiquez-le dans le formulaire.",
    },
    "why_ambiguous": {
        "nl": "Meer dan één opdracht past bij dit dossier; de bot gokt nooit.",
        "fr": "Plusieurs missions correspondent à ce dossier ; le bot ne devine jamais.",
    },
    "todo_ambiguous": {
        "nl": "Zoek uit welke opdracht de juiste is en vul dat opdrachtnummer in het formulier in.",
        "fr": "Vérifiez quelle mission est la bonne et indiquez ce numéro dans le formulaire.",
    },
    "why_given_unknown": {
        "nl": "Het opgegeven opdrachtnummer staat niet in Winformex; er werd niets verzonden.",
        "fr": "Le numéro de mission indiqué n'est pas dans Winformex ; rien n'a été envoyé.",
    },
    "todo_given_unknown": {
        "nl": "Kijk het opdrachtnummer na, of laat het leeg zodat de bot zelf zoekt.",
        "fr": "Vérifiez le numéro de mission, ou laissez-le vide pour que le bot cherche.",
    },
    "why_linked_elsewhere": {
        "nl": "Dit opdrachtnummer hangt al aan een ander Informex-dossier.",
        "fr": "Ce numéro de mission est déjà lié à un autre dossier Informex.",
    },
    "why_conflict": {
        "nl": "Het 2e circuit bevat al een ander opdrachtnummer; de bot overschrijft dat niet.",
        "fr": "Le 2e circuit contient déjà un autre numéro de mission ; le bot ne l'écrase pas.",
    },
    "todo_conflict": {
        "nl": "Kijk na welk opdrachtnummer juist is. Alleen als het bestaande fout is: opnieuw, "
        "met Vervangen aangevinkt.",
        "fr": "Vérifiez quel numéro de mission est le bon. Seulement si l'actuel est faux : à "
        "nouveau, avec Remplacer coché.",
    },
    "why_invalid": {
        "nl": "Een waarde uit PlanManager is ongeldig; er werd niets geschreven.",
        "fr": "Une valeur de PlanManager n'est pas valable ; rien n'a été écrit.",
    },
    "todo_invalid": {
        "nl": "Verbeter de waarde die de melding noemt in PlanManager en probeer opnieuw.",
        "fr": "Corrigez dans PlanManager la valeur citée par le message et réessayez.",
    },
    "why_duplicate": {
        "nl": "Er bestaan twee Informex-dossiers voor dit dossier (dubbele kosten).",
        "fr": "Il existe deux dossiers Informex pour ce dossier (frais en double).",
    },
    "todo_duplicate": {
        "nl": "Verwijder in Winformex het dossier dat de melding als overbodig noemt.",
        "fr": "Supprimez dans Winformex le dossier que le message désigne comme superflu.",
    },
    "why_verify": {
        "nl": "Wat Winformex bewaarde, is niet wat de bot schreef (of er ontbreken foto's); het "
        "dossier werd niet als gekoppeld gemeld.",
        "fr": "Ce que Winformex a enregistré n'est pas ce que le bot a écrit (ou des photos "
        "manquent) ; le dossier n'a pas été déclaré lié.",
    },
    "todo_verify": {
        "nl": "Open het dossier in Winformex en kijk het 2e circuit en de foto's na.",
        "fr": "Ouvrez le dossier dans Winformex et vérifiez le 2e circuit et les photos.",
    },
    "why_refused": {
        "nl": "Een portaal weigerde wat de bot vroeg.",
        "fr": "Un portail a refusé ce que le bot demandait.",
    },
    "todo_refused": {
        "nl": "Lees de melding en kijk het dossier na in het portaal.",
        "fr": "Lisez le message et vérifiez le dossier dans le portail.",
    },
    "why_login": {
        "nl": "Een portaal weigert de aanmelding van de bot.",
        "fr": "Un portail refuse la connexion du bot.",
    },
    "todo_login": {
        "nl": "Laat de beheerder de gebruikersnamen en wachtwoorden in .env nakijken, of "
        "opnieuw aanmelden met informex-bot login.",
        "fr": "Demandez à l'administrateur de vérifier les identifiants dans le .env, ou de se "
        "reconnecter avec informex-bot login.",
    },
    "why_system": {
        "nl": "Een portaal, het netwerk of de browser liet het afweten ({attempts} poging(en)).",
        "fr": "Un portail, le réseau ou le navigateur a fait défaut ({attempts} tentative(s)).",
    },
    "todo_system": {
        "nl": "Probeer het later opnieuw; de portalen worden eerst gelezen, dus er wordt niets "
        "dubbel gedaan. Blijft het, kijk bij Gezondheid.",
        "fr": "Réessayez plus tard ; les portails sont relus d'abord, rien n'est fait deux "
        "fois. Si cela persiste, voyez Santé.",
    },
    "why_business": {
        "nl": "De gegevens kloppen niet of spreken elkaar tegen.",
        "fr": "Les données sont fausses ou se contredisent.",
    },
    "todo_business": {
        "nl": "Lees de melding, verbeter het dossier en probeer opnieuw.",
        "fr": "Lisez le message, corrigez le dossier et réessayez.",
    },
    # -- runs ----------------------------------------------------------------------------------
    "runs_intro": {
        "nl": "De runs van de bot, 's nachts en vanaf deze pagina; die met iets na te kijken "
        "eerst. Elk rapport toont de schermafbeeldingen en de fouten.",
        "fr": "Les passages du bot, la nuit et depuis cette page ; ceux qui demandent une "
        "vérification d'abord. Chaque rapport montre les captures et les erreurs.",
    },
    "col_run": {"nl": "Run", "fr": "Passage"},
    "col_kind": {"nl": "Soort", "fr": "Type"},
    "col_started": {"nl": "Gestart", "fr": "Démarré"},
    "col_state": {"nl": "Toestand", "fr": "État"},
    "col_counts": {"nl": "Resultaat", "fr": "Résultat"},
    "kind_discover": {"nl": "nachtelijke run", "fr": "passage de nuit"},
    "kind_file": {"nl": "lijst", "fr": "liste"},
    "kind_single": {"nl": "één dossier (terminal)", "fr": "un dossier (terminal)"},
    "kind_page": {"nl": "vanaf deze pagina", "fr": "depuis cette page"},
    "run_running": {"nl": "loopt", "fr": "en cours"},
    "run_stopped": {
        "nl": "gestopt, {count} niet gedaan",
        "fr": "arrêté, {count} non traité(s)",
    },
    "run_done": {"nl": "klaar", "fr": "terminé"},
    "no_runs": {"nl": "Nog geen runs.", "fr": "Pas encore de passage."},
    "report": {"nl": "Rapport", "fr": "Rapport"},
    "attention": {"nl": "Na te kijken", "fr": "À vérifier"},
    "all_fine": {"nl": "In orde", "fr": "En ordre"},
    # -- health --------------------------------------------------------------------------------
    "health_intro": {
        "nl": "Past de bot nog op de schermen van de portalen? De laatste controle "
        "(informex-bot check, alleen lezen) per portaal, en de bewaarde aanmeldingen.",
        "fr": "Le bot correspond-il encore aux écrans des portails ? Le dernier contrôle "
        "(informex-bot check, lecture seule) par portail, et les sessions enregistrées.",
    },
    "last_check": {"nl": "Laatste controle: {time}.", "fr": "Dernier contrôle : {time}."},
    "no_check": {"nl": "Nog geen controle gedaan.", "fr": "Aucun contrôle effectué."},
    "check_fit": {
        "nl": "{fit} van {total} herkenningspunten passen",
        "fr": "{fit} repères sur {total} correspondent",
    },
    "check_all_fit": {"nl": "Alles past", "fr": "Tout correspond"},
    "check_problems": {"nl": "Past niet meer", "fr": "Ne correspond plus"},
    "col_screen": {"nl": "Scherm", "fr": "Écran"},
    "col_locator": {"nl": "Wat de bot zoekt", "fr": "Ce que le bot cherche"},
    "col_detail": {"nl": "Detail", "fr": "Détail"},
    "sessions_title": {"nl": "Bewaarde aanmeldingen", "fr": "Sessions enregistrées"},
    "session_none": {
        "nl": "Geen bewaarde aanmelding: de bot meldt zich telkens aan met de gegevens uit .env.",
        "fr": "Pas de session enregistrée : le bot se connecte chaque fois avec les données du "
        ".env.",
    },
    "session_valid": {"nl": "Geldig (nagekeken op {time})", "fr": "Valide (vérifiée le {time})"},
    "session_invalid": {
        "nl": "Verlopen: meld opnieuw aan met informex-bot login {portal}.",
        "fr": "Expirée : reconnectez-vous avec informex-bot login {portal}.",
    },
    "session_unknown": {
        "nl": "Niet na te gaan: {detail}",
        "fr": "Impossible à vérifier : {detail}",
    },
    "session_unchecked": {
        "nl": "Bewaard, nog niet nagekeken: klik op Opnieuw controleren.",
        "fr": "Enregistrée, pas encore vérifiée : cliquez sur Contrôler à nouveau.",
    },
    "session_expires": {"nl": "loopt af op {time}", "fr": "expire le {time}"},
    "run_check": {
        "nl": "Opnieuw controleren (alleen lezen)",
        "fr": "Contrôler à nouveau (lecture seule)",
    },
    "checking": {"nl": "Controle bezig sinds {time}…", "fr": "Contrôle en cours depuis {time}…"},
    "check_failed": {
        "nl": "De controle kon niet lopen: {error}",
        "fr": "Le contrôle n'a pas pu se faire : {error}",
    },
    # -- login ---------------------------------------------------------------------------------
    "login_title": {"nl": "Aanmelden", "fr": "Connexion"},
    "login_intro": {
        "nl": "Het wachtwoord van deze pagina (BOT_UI_PASSWORD), niet dat van PlanManager of "
        "Winformex.",
        "fr": "Le mot de passe de cette page (BOT_UI_PASSWORD), pas celui de PlanManager ou de "
        "Winformex.",
    },
    "password": {"nl": "Wachtwoord", "fr": "Mot de passe"},
    "login_button": {"nl": "Aanmelden", "fr": "Se connecter"},
    "login_wrong": {"nl": "Verkeerd wachtwoord.", "fr": "Mot de passe incorrect."},
    "login_throttled": {
        "nl": "Te veel mislukte pogingen. Probeer het over {minutes} minuut/minuten opnieuw.",
        "fr": "Trop de tentatives échouées. Réessayez dans {minutes} minute(s).",
    },
    # -- errors --------------------------------------------------------------------------------
    "not_found": {"nl": "Niet gevonden.", "fr": "Introuvable."},
    "bad_dossier": {"nl": "Geen geldig dossiernummer.", "fr": "Numéro de dossier non valable."},
}


def pick_language(chosen: str | None, accept_language: str | None) -> str:
    """The person's choice, else the first of our languages the browser names, else Dutch."""
    if chosen in LANGUAGES:
        return chosen
    ranked: list[tuple[float, int, str]] = []
    for index, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        language = tag.strip().lower().split("-")[0]
        if language in LANGUAGES and quality > 0:
            ranked.append((-quality, index, language))
    return min(ranked)[2] if ranked else DEFAULT_LANGUAGE


class Translator:
    """`t("key", name=value)` in one language; a missing key shows itself, never crashes."""

    def __init__(self, language: str) -> None:
        self.language = language if language in LANGUAGES else DEFAULT_LANGUAGE
        self.texts = Texts(self.language)  # the report's catalogue, for what both name

    def __call__(self, key: str, **values: object) -> str:
        texts = CATALOGUE.get(key)
        if texts is None:
            return key
        text = texts.get(self.language) or texts[DEFAULT_LANGUAGE]
        return text.format(**values) if values else text

    def step(self, name: str | None) -> str:
        """A seed step (`find_assignment`) as the report names it: `Opdracht zoeken`."""
        return _capital(self.texts.step(name))

    def action(self, action: str) -> str:
        """What a screenshot shows was done (`click zoeken`): `klik op zoeken`."""
        return self.texts.action(action)

    def field(self, name: str) -> str:
        """A 2e circuit field (`vin`): `Chassisnummer (VIN)`."""
        return _capital(self.texts.field(name) or name)

    def status(self, status: str) -> str:
        """A result's status (`business_error`): `Gegevensfout`."""
        return self.texts.status(status)

    def message(self, message: str | None) -> str:
        """One of the bot's messages in this language when recognised, else as raised."""
        explained = explain_message(message, self.texts)
        return explained.text if explained else ""

    def time(self, iso: str | None) -> str:
        """An ISO time as the office reads it: 28/11/2026 02:30 (local time)."""
        if not iso:
            return ""
        try:
            moment = datetime.fromisoformat(iso)
        except ValueError:
            return iso
        if moment.tzinfo is not None:
            moment = moment.astimezone()
        return moment.strftime("%d/%m/%Y %H:%M")


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def missing_translations() -> list[str]:
    """Keys without a text in every language (a test holds this empty)."""
    return [k for k, texts in CATALOGUE.items() if any(not texts.get(lang) for lang in LANGUAGES)]
