"""The report and the notification in the office's language: Dutch, French, English.

One catalogue holds every word in the three languages; these tests hold it complete (same keys,
same placeholders, plural pairs, no key unused or missing), hold the templates to having no
words of their own, hold each recognised business error to the English text the bot really
raises (produced by the bot's own code where it can run without a browser), and read every page
of a report in Dutch and in French for English left over.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from bot.domain.batch_input import read_batch_input
from bot.domain.matching import match_assignment
from bot.domain.models import Assignment, DossierResult, DossierStatus, PlanManagerDossier
from bot.domain.new_dossier import NewDossierData
from bot.domain.validation import (
    ValidationRules,
    parse_bool,
    parse_date,
    parse_engine_type,
    parse_int_in_range,
    parse_mileage,
    validate_assignment_number,
    validate_dossier_number,
    validate_vin,
)
from bot.engine.orchestrator import RunOutcome
from bot.errors import BusinessError, ValidationError
from bot.evidence import known_errors
from bot.evidence.catalog import CATALOGUE, LANGUAGES
from bot.evidence.html_report import TEMPLATES, build_report
from bot.evidence.known_errors import ERRORS, REASONS, explain, is_known
from bot.evidence.notify import summary_text
from bot.evidence.texts import Texts, placeholders, resolve_language, run_language
from bot.settings import load_settings
from tests.generated_run import generate_run

EVIDENCE = Path(known_errors.__file__).parent
RULES = ValidationRules(today=dt.date(2026, 11, 28))


# -- the catalogue ------------------------------------------------------------------------------
def test_every_text_exists_in_every_language_with_the_same_placeholders() -> None:
    for key, entry in CATALOGUE.items():
        assert sorted(entry) == sorted(LANGUAGES), key
        assert all(entry[language].strip() for language in LANGUAGES), key
        expected = placeholders(entry["en"])
        for language in LANGUAGES:
            assert placeholders(entry[language]) == expected, f"{key} [{language}]"


def test_the_catalogues_of_the_three_languages_have_the_same_keys() -> None:
    catalogues = {
        language: {key for key, entry in CATALOGUE.items() if entry.get(language)}
        for language in LANGUAGES
    }
    assert catalogues["nl"] == catalogues["fr"] == catalogues["en"]


def test_texts_that_count_come_in_pairs() -> None:
    for key in CATALOGUE:
        stem, _, form = key.rpartition(".")
        if form == "one":
            assert f"{stem}.other" in CATALOGUE, key
        if form == "other":
            assert f"{stem}.one" in CATALOGUE, key


def _template_sources() -> dict[str, str]:
    return {path.name: path.read_text(encoding="utf-8") for path in TEMPLATES.glob("*.j2")}


def test_templates_have_no_words_of_their_own() -> None:
    for name, source in _template_sources().items():
        text = re.sub(r"\{#.*?#\}|\{\{.*?\}\}|\{%.*?%\}", " ", source, flags=re.DOTALL)
        shown = [
            value
            for value in re.findall(r'\b(?:alt|title|aria-label|placeholder)="([^"]*)"', text)
            if re.search(r"[A-Za-zÀ-ÿ]", value)
        ]
        assert shown == [], f"{name}: attribute text outside the catalogue: {shown}"
        text = re.sub(r"<[^>]*>", " ", text)  # tags and their attributes
        words = re.findall(r"[A-Za-zÀ-ÿ]{2,}", text)
        assert words == [], f"{name}: words outside the catalogue: {words}"


def _literal_keys() -> set[str]:
    sources = [*(_template_sources().values())]
    sources += [
        p.read_text(encoding="utf-8") for p in EVIDENCE.glob("*.py") if p.name != "catalog.py"
    ]
    return set(re.findall(r"""["']([a-z_]+(?:\.[a-z_]+)+)["']""", "\n".join(sources)))


def test_every_key_the_pages_and_the_notification_use_is_in_the_catalogue() -> None:
    used = {key for key in _literal_keys() if key.split(".")[0] in _families()}
    files = ("html", "json", "jsonl", "css", "png", "zip", "py", "j2", "sqlite")
    missing = [
        key
        for key in used
        if key not in CATALOGUE
        and f"{key}.one" not in CATALOGUE
        and key.rsplit(".", 1)[1] not in files
    ]
    assert missing == []


def _families() -> set[str]:
    return {key.split(".")[0] for key in CATALOGUE}


def test_no_text_in_the_catalogue_is_left_unused() -> None:
    used = _literal_keys() | {known.key for known in (*ERRORS, *REASONS)}
    dynamic = ("status.", "step.", "action.", "field.", "criterion.", "error.where.")
    unused = [
        key
        for key in CATALOGUE
        if key not in used
        and key.rsplit(".", 1)[0] not in used  # `key.one` / `key.other`
        and not key.startswith(dynamic)
    ]
    assert unused == []


def test_every_status_and_step_has_its_name() -> None:
    from bot.domain.models import SEED_STEPS

    texts = Texts("fr")
    for status in DossierStatus:
        assert texts.status(status.value) != status.value
    for step in SEED_STEPS:
        assert texts.step(step) != step
        assert texts.step(step.replace("_", "-")) == texts.step(step)


def test_numbers_dates_and_durations_are_written_the_languages_way() -> None:
    moment = dt.datetime(2026, 11, 28, 2, 30, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    assert [Texts(language).number(5782) for language in LANGUAGES] == [
        "5.782",
        "5\u202f782",
        "5,782",
    ]
    assert [Texts(language).duration(18.66) for language in LANGUAGES] == [
        "18,7 s",
        "18,7 s",
        "18.7 s",
    ]
    assert Texts("nl").duration(3725) == "1 u 02 min"
    assert Texts("nl").moment(moment) == "28/11/2026 02:30:00 (UTC+01:00)"
    assert Texts("en").moment(moment) == "2026-11-28 02:30:00 UTC+01:00"
    assert Texts("fr").plural("log.title", 0) == "Journal (0 ligne)"  # French: 0 is singular
    assert Texts("nl").plural("log.title", 0) == "Logboek (0 regels)"


# -- business errors in the office's language -----------------------------------------------------
def _raised(action) -> str:  # type: ignore[no-untyped-def]
    """The message the bot's own code raises for `action`, with where it happened, as results
    store it (`str(error)`)."""
    try:
        action()
    except BusinessError as exc:
        return str(exc.located(dossier="PM-2026-0101", step="prepare_data"))
    raise AssertionError("no error raised")


def _dossier(**values: object) -> PlanManagerDossier:
    base: dict[str, object] = {
        "number": "PM-2026-0101",
        "plate": "1-ABC-234",
        "vin": "WVWZZZ1JZXW000001",
        "claim_number": "ETH/2026/55817",
    }
    return PlanManagerDossier(**{**base, **values})


def raised_by_the_domain(tmp_path: Path) -> list[str]:
    """Business errors as bot/domain raises them today: validation, matching, batch rows."""
    messages = [
        _raised(lambda: validate_vin(None, RULES)),
        _raised(lambda: validate_vin("WVWZZZ1JZ-W00000!", RULES)),
        _raised(lambda: validate_vin("WVWZZZ1JZXW00", RULES)),
        _raised(lambda: validate_vin("WV", ValidationRules(legacy_chassis=True))),
        _raised(lambda: validate_vin("WVWZZZ1JZOW000001", RULES)),
        _raised(lambda: validate_vin("11111111111111111", RULES)),
        _raised(lambda: parse_date("31/02/2020", "first_registration", RULES)),
        _raised(lambda: parse_date("gisteren", "first_registration", RULES)),
        _raised(lambda: parse_date("01/01/2030", "first_registration", RULES)),
        _raised(lambda: parse_date("01/01/1890", "first_registration", RULES)),
        _raised(lambda: parse_mileage("veel", False)),
        _raised(lambda: parse_mileage("-5", False)),
        _raised(lambda: parse_mileage("", False)),
        _raised(lambda: parse_mileage("9999999", False)),
        _raised(lambda: parse_mileage("1000", True)),
        _raised(lambda: parse_int_in_range("2000", "power_kw", 1, 1500)),
        _raised(lambda: parse_int_in_range("x", "power_kw", 1, 1500)),
        _raised(lambda: parse_engine_type("stoom", "engine_type")),
        _raised(lambda: parse_bool("misschien", "burglary")),
        _raised(lambda: validate_assignment_number("12345", RULES)),
        _raised(lambda: validate_dossier_number("PM\x01")),
        _raised(lambda: validate_dossier_number("P" * 200)),
        _raised(lambda: validate_dossier_number("PM 2026")),
        _raised(lambda: validate_dossier_number("PM//2026")),
        _raised(
            lambda: NewDossierData.from_document(
                "PM-2026-0101", {"vehicle": "auto", "customer": {}}, RULES
            )
        ),
        _raised(
            lambda: NewDossierData.from_document(
                "PM-2026-0101", {"vehicle": {}, "customer": {"name": ""}}, RULES
            )
        ),
        _raised(
            lambda: NewDossierData.from_document(
                "PM-2026-0101", {"vehicle": {"plate": "X" * 40}, "customer": {"name": "A"}}, RULES
            )
        ),
        _raised(lambda: match_assignment(_dossier(vin=None, plate=None, claim_number=None), [])),
        _raised(lambda: match_assignment(_dossier(), [Assignment("IX-2026-000009")])),
        _raised(lambda: match_assignment(_dossier(), [])),
        _raised(
            lambda: match_assignment(
                _dossier(informex_dossier="WX-2026-000001"),
                [Assignment("IX-2026-000003", plate="1ABC234", linked_dossier="WX-2026-000002")],
            )
        ),
        _raised(
            lambda: match_assignment(
                _dossier(vin=None),
                [
                    Assignment("IX-2026-000001", plate="1ABC234"),
                    Assignment("IX-2026-000002", plate="1-abc-234"),
                ],
            )
        ),
    ]
    from bot.domain.models import check_override_keys

    messages.append(_raised(lambda: check_override_keys({"kleur": "rood"})))
    source = tmp_path / "nacht.csv"
    source.write_text(
        "dossier;opdrachtnummer;vin\n"
        "PM-2026-0101;;\n"
        "PM-2026-0101;;\n"
        "=cmd|' /C calc'!A0;;\n"
        "PM-2026-0102;IX-1;\n"
        f"PM-2026-0103;;{'W' * 300}\n",
        encoding="utf-8",
    )
    rejected = read_batch_input(source, RULES).rejected
    messages += [f"line {row.line}: {row.reason}" for row in rejected]
    assert len(rejected) >= 3
    return messages


RELOGIN = (
    "a portal refused a new login during the run: winformex refused the login of 'hersteller': "
    "Account geblokkeerd"
)
RAISED_BY_STEPS = [
    # copied from their raise sites in bot/steps, bot/pages and bot/engine (they need a browser)
    "dossier is incomplete, missing: Klant, Chassisnummer (VIN); complete it in PlanManager "
    "[dossier PM-2026-0101, step check_complete, screen PlanManager dossier]",
    "opdrachtnummer 'IX-2026-004711' (given for this dossier) is not in the Winformex inbox "
    "[dossier PM-2026-0101, step find_assignment, screen Winformex postvak]",
    "opdrachtnummer 'IX-2026-004711' is already linked to Informex dossier WX-2026-000002; "
    "use --force only if that link is wrong [dossier PM-2026-0101, step find_assignment]",
    "2e circuit of WX-2026-000035 does not hold what was written (vin: wrote "
    "'WVWZZZ1JZXW000001', read 'WVWZZZ1JZXW000009'; mileage_km: wrote 84512, read None); "
    "not reported linked [dossier PM-2026-0101, step verify]",
    "2e circuit shows opdrachtnummer 'IX-2026-000001', expected IX-2026-004711",
    "2e circuit shows VIN None, expected WVWZZZ1JZXW000001",
    "only 3 of 12 photos arrived in Informex [dossier PM-2026-0101, step verify]",
    "2e circuit of WX-2026-000035 already holds opdrachtnummer IX-2026-009999, not "
    "IX-2026-004711; not overwritten (rerun with --force to replace it) [dossier PM-2026-0101, "
    "step link, screen Winformex Gegevens 2e circuit]",
    "duplicate Informex dossiers WX-2026-000035, WX-2026-000036 for PM-2026-0101: remove one "
    "in Winformex (the 2e circuit was filled on WX-2026-000035, the one PlanManager shows) "
    "[dossier PM-2026-0101, step verify, screen Winformex postvak]",
    "Informex dossier WX-2026-000035 was imported from 'PM-2026-0199', not from PM-2026-0101",
    "Winformex has no dossier 'WX-2026-000035' [dossier PM-2026-0101, step open_imported]",
    "PlanManager has no dossier 'PM-2026-0101' [dossier PM-2026-0101, step open_dossier]",
    "Winformex refused the 2e circuit data: Ongeldig chassisnummer [dossier PM-2026-0101]",
    "PlanManager refused the injection: Dossier onvolledig [dossier PM-2026-0101, step inject]",
    "PlanManager shows no Informex dossier number after injection [dossier PM-2026-0101]",
    "PlanManager refused the new dossier: Nummer bestaat al",
    "busy: another process is working on it (pid 4242 on werkplaats-pc since "
    "2026-11-28T02:31:00+00:00, run 20261128-023000-3fa1)",
    "no dossier was started: winformex refused the login of 'hersteller': Onjuiste "
    "gebruikersnaam of wachtwoord [screen Winformex aanmelden]",
    "no dossier was started: planmanager is throttling logins of 'werkplaats' (Te veel "
    "mislukte pogingen); the bot stopped trying so as not to lock the account: wait until the "
    "portal allows logins again, check the credentials, then run again",
    "5 dossiers in a row ended system_error: a portal looks down (or refuses us); the last "
    "error: busy: another process is working on it (pid 1 on x)",
    RELOGIN,
    "only 120 MB free in /var/lib/informex-bot/runs, 300 MB needed before a write to a portal "
    "(BOT_MIN_FREE_MB)",
    "a worker stopped on an unexpected error: RuntimeError('boom')",
    "line 3: dossier: is a duplicate of line 2, which runs (value 'PM-2026-0101')",
    "create-from: must hold one JSON object (value 'dossier.json')",
    "create-from: cannot be read as JSON: Expecting value: line 1 column 1 (char 0) "
    "(value 'dossier.json')",
    "line 4: line: is not a JSON object but list (value '[1, 2]')",
    "line 5: opdrachtnummer: must be a single value (value '[1, 2]')",
    "line 6: vin: holds a value but has no column name (value 'x')",
    "line 7: vin: is given twice in this row (value 'x')",
    "vin: is 18 characters long; the portal's field takes at most 17 (value 'WVWZZZ1JZXW0000011')",
    "mileage_km: is missing (value None)",
]


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    return raised_by_the_domain(tmp_path_factory.mktemp("batch")) + RAISED_BY_STEPS


def _core(message: str) -> str:
    match = known_errors._WHERE.fullmatch(message)
    return match["core"] if match else message


def _english_again(patterns: tuple[known_errors.Known, ...], text: str) -> str | None:
    """`text` rebuilt from the catalogue's English entry and what the pattern captured."""
    for known in patterns:
        match = known.pattern.fullmatch(text)
        if match is None:
            continue
        key = known.key
        if known.plural:
            key = Texts("en").plural_key(key, int(match["count"]))
        return CATALOGUE[key]["en"].format(**match.groupdict())
    return None


def test_every_business_error_the_bot_raises_is_known(samples: list[str]) -> None:
    unknown = [message for message in samples if not is_known(message)]
    assert unknown == []


def test_the_catalogues_english_is_the_text_the_bot_raised(samples: list[str]) -> None:
    for core in (core for message in samples for core in _cores(message)):
        assert _english_again(ERRORS, core) == core
        validation = known_errors.ERRORS[-1].pattern.fullmatch(core)
        if validation and _english_again(ERRORS[:-1], core) is None:
            assert _english_again(REASONS, validation["reason"]) == validation["reason"]


def _cores(message: str) -> list[str]:
    """The message's core and the cores of the messages nested in it (`line 3: …`)."""
    core = _core(message)
    found = [core]
    for known in ERRORS:
        match = known.pattern.fullmatch(core)
        if match:
            if "inner" in match.groupdict():
                found += _cores(match["inner"])
            break
    return found


def test_every_pattern_is_met_by_a_message_the_bot_raises(samples: list[str]) -> None:
    cores = [core for message in samples for core in _cores(message)]
    reasons = [
        match["reason"]
        for core in cores
        if (match := known_errors.ERRORS[-1].pattern.fullmatch(core))
    ]
    unmet = [known.key for known in ERRORS if not any(known.pattern.fullmatch(c) for c in cores)]
    unmet += [
        known.key for known in REASONS if not any(known.pattern.fullmatch(r) for r in reasons)
    ]
    assert unmet == []


@pytest.mark.parametrize("language", ["nl", "fr"])
def test_business_errors_read_in_the_offices_language(samples: list[str], language: str) -> None:
    english_words = re.compile(
        r"\b(must|not|the|with|already|missing|value|given|line|step|screen|refused)\b"
    )
    for message in samples:
        shown = explain(message, Texts(language))
        assert shown is not None and shown.known and shown.translated, message
        assert shown.original == message
        leftover = english_words.findall(_without_quoted(shown.text, message))
        assert leftover == [], f"{shown.text!r} keeps English {leftover}"


def _without_quoted(text: str, message: str) -> str:
    """`text` without what the bot quoted from a portal or a file (values, portal messages)."""
    for portal in ("Expecting value: line 1 column 1 (char 0)", "RuntimeError('boom')"):
        text = text.replace(portal, " ")
    for quoted in re.findall(r"'[^']*'|\([^()]*\)", message):
        text = text.replace(quoted, " ")
    return text


def test_the_values_a_message_quotes_are_kept_as_they_were() -> None:
    message = "vin: may only contain letters A–Z and digits (value '<script>alert(1)</script>')"
    shown = explain(message, Texts("fr"))
    assert shown is not None
    assert shown.text == (
        "numéro de châssis (VIN) : ne peut contenir que des lettres A–Z et des chiffres "
        "(valeur '<script>alert(1)</script>')"
    )


def test_a_message_no_pattern_knows_is_shown_as_it_was_raised() -> None:
    message = "timed out waiting for the dossier list [dossier PM-2026-0101, step open_dossier]"
    shown = explain(message, Texts("nl"))
    assert shown is not None
    assert (shown.text, shown.known, shown.translated) == (message, False, False)
    assert shown.brief == "timed out waiting for the dossier list"


def test_where_it_happened_is_said_in_the_language_and_left_out_of_lists() -> None:
    message = RAISED_BY_STEPS[0]
    shown = explain(message, Texts("nl"))
    assert shown is not None
    assert shown.text.endswith(
        "[dossier PM-2026-0101, stap volledigheid nakijken, scherm PlanManager dossier]"
    )
    assert "[" not in shown.brief


def test_english_shows_every_message_exactly_as_raised(samples: list[str]) -> None:
    for message in samples:
        shown = explain(message, Texts("en"))
        assert shown is not None and shown.text == message


# -- whole reports in each language -------------------------------------------------------------
class _VisibleText(HTMLParser):
    """The text a person reads on a page, without what stays English on purpose (`lang="en"`:
    log lines and messages as the bot raised them), commands (`<code>`) and the style."""

    VOID = frozenset({"meta", "link", "img", "br", "input", "hr"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hidden = 0
        self.stack: list[bool] = []
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("alt", "title", "aria-label") and value and not self.hidden:
                self.parts.append(value)
        if tag in self.VOID:
            return
        hide = dict(attrs).get("lang") == "en" or tag in ("code", "style", "title")
        self.stack.append(hide)
        self.hidden += hide

    def handle_endtag(self, tag: str) -> None:
        if tag in self.VOID or not self.stack:
            return
        self.hidden -= self.stack.pop()

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


@pytest.fixture(scope="module")
def mixed_run(tmp_path_factory: pytest.TempPathFactory, samples: list[str]) -> Path:
    """A generated run with shops, every known business error, a dry run and a run log."""
    run = generate_run(tmp_path_factory.mktemp("mixed") / "runs" / "r1", 240, shops=5).run_dir
    document = json.loads((run / "results.json").read_text(encoding="utf-8"))
    for index, message in enumerate(samples):
        document["dossiers"][index]["status"] = "business_error"
        document["dossiers"][index]["error"] = message
    document["dossiers"][-1].update(status="dry_run", values={"vin": "WVWZZZ1JZXW000001"})
    document["error"] = RELOGIN
    (run / "results.json").write_text(json.dumps(document), encoding="utf-8")
    return run


def english_only_texts(language: str) -> set[str]:
    """Catalogue texts in English that the language writes differently (whole, no fields)."""
    return {
        entry["en"]
        for key, entry in CATALOGUE.items()
        if not placeholders(entry["en"])
        and entry["en"] != entry[language]
        and len(entry["en"]) > 3
        and not key.startswith(("field.", "criterion."))  # also portal words (opdrachtnummer)
    }


@pytest.mark.parametrize("language", ["nl", "fr"])
def test_a_report_in_the_offices_language_has_no_english_left(
    mixed_run: Path, language: str
) -> None:
    build_report(mixed_run, language=language)
    english = english_only_texts(language)
    pages = [mixed_run / "report.html", *sorted((mixed_run / "_report").glob("*.html"))]
    pages += [
        mixed_run / "PM-2026-00001" / "index.html",
        mixed_run / "PM-2026-00240" / "index.html",
    ]
    for path in pages:
        html = path.read_text(encoding="utf-8")
        assert f'<html lang="{language}">' in html
        text = visible_text(html)
        left = sorted(phrase for phrase in english if re.search(rf"\b{re.escape(phrase)}\b", text))
        assert left == [], f"{path.name}: {left}"
        assert 'lang="en"><span' not in html


@pytest.mark.parametrize("language", ["nl", "fr"])
def test_a_business_error_on_a_list_is_never_the_english_original(
    mixed_run: Path, language: str
) -> None:
    build_report(mixed_run, language=language)
    failures = (mixed_run / "_report" / "failures-1.html").read_text(encoding="utf-8")
    rows = re.findall(r'data-status="business_error">.*?<td class="err">(.*?)</td>', failures, re.S)
    assert rows and all('lang="en"' not in row for row in rows)


def test_the_language_is_the_setting_else_the_portals_else_dutch(tmp_path: Path) -> None:
    (tmp_path / "results.json").write_text(json.dumps({"portal_language": "fr-BE"}))
    assert run_language(None, tmp_path) == "fr"
    assert run_language("en", tmp_path) == "en"
    assert run_language(None, tmp_path / "missing") == "nl"
    assert resolve_language(None) == "nl"
    assert load_settings(_credentials()).report.language is None
    assert load_settings({**_credentials(), "BOT_REPORT_LANGUAGE": "FR"}).report.language == "fr"


def test_a_language_the_report_does_not_have_is_a_configuration_problem() -> None:
    from bot.errors import ConfigError

    with pytest.raises(ConfigError, match="BOT_REPORT_LANGUAGE='de' must be one of nl, fr, en"):
        load_settings({**_credentials(), "BOT_REPORT_LANGUAGE": "de"})


def _credentials() -> dict[str, str]:
    return {
        "PLANMANAGER_USERNAME": "u",
        "PLANMANAGER_PASSWORD": "p",
        "WINFORMEX_USERNAME": "u",
        "WINFORMEX_PASSWORD": "p",
    }


# -- the notification ---------------------------------------------------------------------------
def _outcome(unfinished: int = 0, error: str | None = None) -> RunOutcome:
    results = [
        DossierResult("PM-1", None, DossierStatus.LINKED),
        DossierResult("PM-2", None, DossierStatus.BUSINESS_ERROR, error=RAISED_BY_STEPS[0]),
        DossierResult("PM-3", None, DossierStatus.SYSTEM_ERROR, error="timed out waiting for x"),
    ]
    return RunOutcome("run-1", Path("runs/run-1"), results, unfinished, error)


def test_the_notification_speaks_dutch_by_default() -> None:
    text = summary_text(_outcome(unfinished=2, error=RELOGIN))
    assert text.splitlines()[0] == (
        "informex-bot run run-1: Gegevensfout 1, Systeemfout 1, Gekoppeld 1, "
        "niet gedaan (gestopt) 2"
    )
    assert "de run is gestopt: een portaalsite weigerde tijdens de run" in text
    assert "rapport: runs/run-1/report.html" in text
    assert "zet hem verder met: informex-bot batch --resume run-1" in text
    assert "- PM-2: Gegevensfout: het dossier is onvolledig, er ontbreekt: Klant" in text
    assert "- PM-3: Systeemfout: timed out waiting for x" in text  # technical: as raised


def test_the_notification_in_french_and_english() -> None:
    french = summary_text(_outcome(), Texts("fr"))
    assert french.startswith("informex-bot exécution run-1 : Erreur de données 1, ")
    assert "- PM-2 : Erreur de données : le dossier est incomplet, il manque : Klant" in french
    english = summary_text(_outcome(), Texts("en"))
    assert f"- PM-2: Business error: {RAISED_BY_STEPS[0]}" in english


def test_the_notification_names_fifty_failures_at_most() -> None:
    results = [
        DossierResult(f"PM-{n}", None, DossierStatus.BUSINESS_ERROR, error="kapot")
        for n in range(120)
    ]
    text = summary_text(RunOutcome("run-1", Path("runs/run-1"), results), Texts("nl"))
    assert text.count("\n- PM-") == 50
    assert text.endswith("… en nog 70")


def test_the_validation_error_text_is_the_one_the_catalogue_expects() -> None:
    error = ValidationError("vin", "x", "is missing")
    assert str(error) == "vin: is missing (value 'x')"
