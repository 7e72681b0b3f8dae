"""The report's and the notification's words in one language, read from the catalogue.

`Texts("nl")("verdict.none")` is a text; `.plural(key, n)` picks `key.one` or `key.other` by the
language's rule; `.html(...)` is the same text for a page (escaped, with `Markup` values such as
a `<code>` block kept). Numbers, dates and durations are written the language's way (`5.782` and
`18,7 s` in Dutch, `5 782` in French, `5,782` and `18.7 s` in English).

Which language: BOT_REPORT_LANGUAGE when set, else the portal's language when results.json
knows it (`portal_language`, for a portal in French), else Dutch.
"""

from __future__ import annotations

import json
import re
import string
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

from markupsafe import Markup, escape

from bot.evidence.catalog import CATALOGUE, LANGUAGES

DEFAULT_LANGUAGE = "nl"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_THOUSANDS = {"nl": ".", "fr": "\u202f", "en": ","}
_DECIMAL = {"nl": ",", "fr": ",", "en": "."}


def resolve_language(configured: str | None, portal_language: object = None) -> str:
    """The report's language: the setting, else the portal's when known, else Dutch."""
    for candidate in (configured, portal_language):
        if isinstance(candidate, str) and candidate.strip().lower()[:2] in LANGUAGES:
            return candidate.strip().lower()[:2]
    return DEFAULT_LANGUAGE


def run_language(configured: str | None, run_dir: Path | None = None) -> str:
    """The language of a run's report and notification: the setting, else the portal's
    language as the run's results.json records it (`portal_language`), else Dutch."""
    if configured or run_dir is None:
        return resolve_language(configured)
    try:
        document = json.loads((run_dir / "results.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return resolve_language(None)
    portal = document.get("portal_language") if isinstance(document, dict) else None
    return resolve_language(None, portal)


def placeholders(text: str) -> set[str]:
    """The `{names}` a catalogue text expects."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def clean(value: object) -> object:
    """Text from a portal or a file without the control characters a page cannot show."""
    if isinstance(value, Markup):
        return value
    return _CONTROL.sub("", value) if isinstance(value, str) else value


class Texts:
    """The catalogue in one language, with the language's way of writing numbers and times."""

    def __init__(self, language: str, catalogue: Mapping[str, Mapping[str, str]] = CATALOGUE):
        if language not in LANGUAGES:
            raise ValueError(f"language {language!r} is not one of {', '.join(LANGUAGES)}")
        self.language = language
        self._catalogue = catalogue
        self._plain: dict[str, Markup] = {}  # texts without placeholders, escaped once

    def has(self, key: str) -> bool:
        return key in self._catalogue

    def template(self, key: str) -> str:
        return self._catalogue[key][self.language]

    def __call__(self, key: str, /, **values: object) -> str:
        """The text of `key` with its placeholders filled (plain text, for mail and webhook)."""
        return self.template(key).format(**{k: clean(v) for k, v in values.items()})

    def html(self, key: str, /, **values: object) -> Markup:
        """The text of `key` for a page: escaped, values too, except values that are Markup."""
        if not values:
            text = self._plain.get(key)
            if text is None:
                text = self._plain[key] = escape(self.template(key))
            return text
        return escape(self.template(key)).format(**{k: clean(v) for k, v in values.items()})

    def plural_key(self, key: str, count: int) -> str:
        one = count in (0, 1) if self.language == "fr" else count == 1
        return f"{key}.one" if one else f"{key}.other"

    def plural(self, key: str, count: int, /, **values: object) -> str:
        return self(self.plural_key(key, count), count=self.number(count), **values)

    def plural_html(self, key: str, count: int, /, **values: object) -> Markup:
        return self.html(self.plural_key(key, count), count=self.number(count), **values)

    # -- the language's way of writing -----------------------------------------------------------
    def number(self, value: int) -> str:
        return f"{value:,}".replace(",", _THOUSANDS[self.language])

    def decimal(self, value: float, digits: int = 1) -> str:
        whole, _, fraction = f"{value:,.{digits}f}".partition(".")
        text = whole.replace(",", _THOUSANDS[self.language])
        return f"{text}{_DECIMAL[self.language]}{fraction}" if fraction else text

    def duration(self, seconds: float | None) -> str:
        """`18.7 s`, `2 min 05 s`, `1 h 02 min` (commas in Dutch and French)."""
        if seconds is None:
            return self("format.none")
        if seconds < 60:
            return self("format.seconds", seconds=self.decimal(seconds))
        whole = round(seconds)
        hours, rest = divmod(whole, 3600)
        minutes, secs = divmod(rest, 60)
        if hours:
            return self("format.hours", hours=hours, minutes=f"{minutes:02d}")
        return self("format.minutes", minutes=minutes, seconds=f"{secs:02d}")

    def moment(self, moment: datetime | None) -> str:
        """A date and time as the language writes it, with its UTC offset when known."""
        if moment is None:
            return self("format.none")
        date = self(
            "format.date", day=f"{moment.day:02d}", month=f"{moment.month:02d}", year=moment.year
        )
        time = moment.strftime("%H:%M:%S")
        offset = moment.strftime("%z")
        if not offset:
            return f"{date} {time}"
        return self("format.moment", date=date, time=time, offset=f"{offset[:3]}:{offset[3:]}")

    def gigabytes(self, size_bytes: float) -> str:
        return self("format.gigabytes", size=self.decimal(size_bytes / 1e9))

    # -- names ------------------------------------------------------------------------------
    def status(self, status: str) -> str:
        """A results.json status (`business_error`) as the office names it."""
        key = f"status.{status}"
        return self(key) if self.has(key) else status

    def step(self, name: str | None) -> str:
        """A step (`check_complete`, or the recorder's `check-complete`) as a person names it."""
        if not name:
            return self("format.none")
        key = "step." + name.replace("-", "_")
        return self(key) if self.has(key) else name

    def action(self, action: str) -> str:
        """A screenshot's action (`click gegevens 2e circuit`) in the language: the verb
        translated, the portal's label as it is; an unknown verb leaves it as recorded."""
        if action.endswith(" unexpected screen"):
            return self(
                "action.unexpected", action=self.action(action[: -len(" unexpected screen")])
            )
        verb, _, what = action.partition(" ")
        key = f"action.{verb}"
        return self(key, what=what) if what and self.has(key) else action

    def field(self, name: str) -> str | None:
        """A field's name for a person, or None when the catalogue does not know it."""
        key = "field." + name.replace("-", "_")
        return self(key) if self.has(key) else None
