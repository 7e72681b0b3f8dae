"""Read a batch's input file into validated jobs and rejected rows, before any browser starts.

The file is what a body shop's office exports: a CSV from Excel (`;` in Belgium, `,` elsewhere,
tab for Excel's "Unicode text"; UTF-8 with or without BOM, or Windows-1252 which Belgian Excel
still writes), the .xlsx itself, or JSON lines from another program. Each of these becomes the
same rows of text cells, judged by one set of rules:

- a bad row (invalid dossier or opdrachtnummer, oversized cell, spreadsheet formula, duplicate
  dossier) is a `RejectedRow` with its line number and a reason naming the field and the value;
  the other rows still run;
- a bad *file* (unreadable, binary, no dossier column, an unknown column, too many rows) is an
  `InputFileError`: nothing runs, because a typo in a column name would otherwise silently drop
  an override for every row, and a runaway file would flood the insurers' portals.

Line numbers are what the office sees when it opens the file in Excel: the header is line 1 and
every record (also an empty one) counts one, so a bad row can be found and fixed by its number.
For JSON lines there is no header: line 1 is the first line of the file.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import io
import json
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from loguru import logger

from bot.domain.fields import ASSIGNMENT_NUMBER, FIELDS, SECOND_CIRCUIT, Kind
from bot.domain.models import DossierInput
from bot.domain.validation import ValidationRules, format_date, invalid, shown
from bot.errors import InputFileError, ValidationError

MAX_DATA_ROWS = 10_000
"""More rows than this is a mistake (a whole customer database exported), not a night's work."""

MAX_FILE_BYTES = 50 * 1024 * 1024
"""Far above 10,000 rows of 200-character cells; refuses a huge file before parsing it."""

MAX_CELL_CHARS = 200
SHOWN_DOSSIER_CHARS = 60

CSV_EXTENSIONS = frozenset({".csv", ".txt"})
XLSX_EXTENSIONS = frozenset({".xlsx"})
JSONL_EXTENSIONS = frozenset({".jsonl", ".ndjson"})

DOSSIER_COLUMNS: tuple[str, ...] = (
    "dossier",
    "dossiernummer",
    "dossier nummer",
    "dossiernr",
    "dossier nr",
    "planmanager dossier",
    "planmanager dossiernummer",
    "planmanager",
    "numero de dossier",
    "n dossier",
    "dossier planmanager",
)

PROFILE_COLUMNS: tuple[str, ...] = ("profile", "profiel", "profil", "shop")
"""The shop a row belongs to (a profile in BOT_PROFILES_DIR); empty: the installation's own."""

COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "dossier": DOSSIER_COLUMNS,
    "assignment": FIELDS[ASSIGNMENT_NUMBER].columns,
    "profile": PROFILE_COLUMNS,
    **{spec.name: spec.columns for spec in SECOND_CIRCUIT if spec.name != ASSIGNMENT_NUMBER},
}
"""Accepted column names per field, already normalised (lower case, `_`/`-`/punctuation → space).

`dossier` and `assignment` are the job's identifiers (the opdrachtnummer's columns, declared
with its field, fill the job's `assignment`), `profile` the shop it belongs to; the others are
the 2e circuit overrides, as `bot.domain.fields` declares them.
"""

OVERRIDE_FIELDS = tuple(
    name for name in COLUMN_ALIASES if name not in ("dossier", "assignment", "profile")
)
NUMERIC_FIELDS = frozenset(spec.name for spec in SECOND_CIRCUIT if spec.kind is Kind.NUMBER)
"""Where a plain negative number is data for validation to judge, not a formula."""

_IGNORED_COLUMN = re.compile(
    r"\b(?:opmerking|note|comment|commentaar|notitie|remark|remarque|memo)"
)
"""Free-text columns the office keeps for itself; never read, so never refused."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What makes Excel or LibreOffice treat a cell as a formula (OWASP CSV injection)."""

_NEGATIVE_NUMBER = re.compile(r"^-\s?\d[\d.,\u00a0\u2009\u202f ]*(?:\s*(?:km|kw|cc|g/km))?$", re.I)
_ALIAS_TO_FIELD = {alias: name for name, aliases in COLUMN_ALIASES.items() for alias in aliases}
_BINARY_SIGNATURES = (
    (b"PK\x03\x04", "a ZIP archive (an .xlsx saved with the wrong extension?)"),
    (b"\xd0\xcf\x11\xe0", "an old Excel .xls workbook (save it as .xlsx or CSV)"),
    (b"%PDF", "a PDF document"),
)
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class RejectedRow:
    """A row that will not run: its line, the dossier cell as given (cut), and why."""

    line: int
    dossier: str | None
    reason: str


@dataclass
class BatchInput:
    """The jobs to run (in file order), the rows refused, and the file's fingerprint.

    `digest` (sha256 of the file's bytes) lets a rerun of the same file resume its unfinished run.
    """

    jobs: list[DossierInput]
    rejected: list[RejectedRow]
    digest: str
    source: str
    warnings: list[str] = field(default_factory=list)


def read_batch_input(path: Path, rules: ValidationRules) -> BatchInput:
    """Read `path` (.csv/.txt, .xlsx, .jsonl/.ndjson) into jobs and rejected rows.

    Raises InputFileError when the file as a whole cannot be used.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    known = sorted(CSV_EXTENSIONS | XLSX_EXTENSIONS | JSONL_EXTENSIONS)
    if suffix not in CSV_EXTENSIONS | XLSX_EXTENSIONS | JSONL_EXTENSIONS:
        raise InputFileError(path, f"unsupported file type {suffix or '(none)'!r} ({known})")
    data = _read_bytes(path)
    rows = _RowCollector(path, rules)
    if suffix in CSV_EXTENSIONS:
        rows.take_table(_csv_records(data, path, rows.warnings))
    elif suffix in XLSX_EXTENSIONS:
        rows.take_table(_xlsx_records(data, path))
    else:
        _take_jsonl(data, path, rows)
    return BatchInput(
        jobs=rows.jobs,
        rejected=rows.rejected,
        digest=hashlib.sha256(data).hexdigest(),
        source=str(path),
        warnings=rows.warnings,
    )


def looks_like_formula(value: str, field: str | None = None) -> bool:
    """True when a spreadsheet would evaluate the cell (a plain negative number in a numeric
    field excepted: validation refuses it with a clearer reason). Leading whitespace does not
    hide a formula from a spreadsheet, so it does not hide one here either."""
    if value.startswith(("\t", "\r")):
        return True
    text = value.strip()
    if not text.startswith(FORMULA_STARTS):
        return False
    return not (field in NUMERIC_FIELDS and _NEGATIVE_NUMBER.match(text))


def normalize_column_name(name: str) -> str:
    """`Eerste_Inschrijving `, `eerste-inschrijving` and `Eerste inschrijving` are one column;
    so are `Cylindrée` and `cylindree` (a French header is matched without its accents)."""
    text = unicodedata.normalize("NFKD", name.replace("\ufeff", "").casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w]+|_", " ", text).split())


# --- reading the file ------------------------------------------------------------------------


def _read_bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InputFileError(path, f"is {size:,} bytes; at most {MAX_FILE_BYTES:,} are read")
        return path.read_bytes()
    except OSError as exc:
        raise InputFileError(path, f"cannot be read ({exc.strerror or exc})") from None


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _decode_text(data: bytes, path: Path, warnings: list[str], *, cp1252: bool) -> str:
    """The file's text: UTF-16 with BOM, UTF-8 (BOM or not), else Windows-1252 if allowed."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # Excel's "Unicode text"
        try:
            return _refuse_control_chars(data.decode("utf-16"), path)
        except UnicodeDecodeError as exc:
            raise InputFileError(path, f"is not valid UTF-16 (byte offset {exc.start})") from None
    for signature, what in _BINARY_SIGNATURES:
        if data.startswith(signature):
            raise InputFileError(path, f"is binary, not text: it looks like {what}")
    if b"\x00" in data:
        offset = data.index(b"\x00")
        where = f"byte offset {offset}, line {_line_of(data, offset)}"
        raise InputFileError(path, f"is binary, not text (NUL byte at {where})")
    start = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    try:
        return _refuse_control_chars(data[start:].decode("utf-8"), path)
    except UnicodeDecodeError as exc:
        offset = start + exc.start
        where = f"byte 0x{data[offset]:02x} at byte offset {offset}, line {_line_of(data, offset)}"
    if not cp1252:
        raise InputFileError(path, f"is not valid UTF-8 ({where})")
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as exc:
        there = f"byte 0x{data[exc.start]:02x} at byte offset {exc.start}, line "
        there += str(_line_of(data, exc.start))
        problem = f"{where}" if there == where else f"UTF-8: {where}; Windows-1252: {there}"
        raise InputFileError(
            path, f"is neither UTF-8 nor Windows-1252 ({problem}); save it as CSV UTF-8"
        ) from None
    message = f"{path}: not UTF-8 ({where}); read as Windows-1252, as Excel writes it in Belgium"
    logger.warning(message)
    warnings.append(message)
    return _refuse_control_chars(text, path)


def _refuse_control_chars(text: str, path: Path) -> str:
    """Text full of control characters is a binary file that happened to decode."""
    text = text.rstrip("\x1a")  # the DOS end-of-file mark some old tools still append
    controls = len(_CONTROL_CHARS.findall(text))
    if controls >= 4 and controls * 100 > len(text):
        raise InputFileError(path, f"is binary, not text ({controls} control characters)")
    return text


def _sniff_delimiter(line: str) -> str:
    """The separator the header uses most (outside quotes); `;` when it names one column."""
    counts = dict.fromkeys(";\t,", 0)
    quoted = False
    for char in line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(counts, key=lambda d: counts[d])  # ties keep the order ; tab ,
    return best if counts[best] else ";"


_SEP_HINT = re.compile(r"^sep=(.)\s*$", re.IGNORECASE)


def _csv_records(data: bytes, path: Path, warnings: list[str]) -> Iterator[tuple[int, list[str]]]:
    """(line, cells) for every record of a CSV, the header first; line 1 is the first record.

    An Excel `sep=;` first line chooses the separator and is not a record (Excel hides it too).
    """
    text = _decode_text(data, path, warnings, cp1252=True)
    first, _, rest = text.partition("\n")
    hint = _SEP_HINT.match(first.rstrip("\r"))
    if hint:
        text, delimiter = rest, hint.group(1)
    else:
        header = next((line for line in text.splitlines() if line.strip()), "")
        delimiter = _sniff_delimiter(header)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    index = 0
    try:
        for index, record in enumerate(reader, start=1):
            yield index, record
    except csv.Error as exc:
        raise InputFileError(
            path, f"malformed CSV in record {index + 1} (near line {reader.line_num}): {exc}"
        ) from None


def _xlsx_records(data: bytes, path: Path) -> Iterator[tuple[int, list[str]]]:
    """(row number, cells as text) of the workbook's first sheet."""
    import openpyxl  # only .xlsx needs it; keeps the CLI's start fast

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a broken workbook
        raise InputFileError(path, f"is not a readable .xlsx workbook ({exc})") from None
    try:
        if not workbook.worksheets:
            raise InputFileError(path, "has no sheet")
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # some programs write wrong dimensions; read every row
        rows = sheet.iter_rows(values_only=True)
        number = 0
        while True:
            try:
                row = next(rows)
            except StopIteration:
                return
            except Exception as exc:  # a corrupt sheet inside a valid zip
                raise InputFileError(path, f"sheet unreadable after row {number}: {exc}") from None
            number += 1
            yield number, [_cell_text(value) for value in row]
    finally:
        workbook.close()


def _cell_text(value: object) -> str:
    """A spreadsheet value as the text a person typed: dd/mm/yyyy dates, no `.0` on numbers."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return format_date(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _take_jsonl(data: bytes, path: Path, rows: _RowCollector) -> None:
    """One JSON object per line; the keys are the column names (with the same aliases)."""
    text = _decode_text(data, path, rows.warnings, cp1252=False)  # JSON is UTF-8 by definition
    parsed: list[tuple[int, Mapping[str, object] | str]] = []
    first_seen: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        rows.count_row()
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            reason = f"is not JSON ({exc.msg} at column {exc.colno})"
            parsed.append((number, f"line: {reason} (value {shown(line)!r})"))
            continue
        if not isinstance(value, dict):
            reason = f"is not a JSON object but {type(value).__name__}"
            parsed.append((number, f"line: {reason} (value {shown(line)!r})"))
            continue
        parsed.append((number, value))
        for key in value:
            first_seen.setdefault(str(key), number)
    columns = {key: _classify(key) for key in first_seen}
    unknown = [f"{key!r} (line {first_seen[key]})" for key, kind in columns.items() if kind is None]
    if unknown:
        raise InputFileError(path, f"unknown key(s) {', '.join(unknown)}; {_known_columns()}")
    if parsed and first_seen and "dossier" not in columns.values():
        found = ", ".join(repr(k) for k in first_seen)
        raise InputFileError(path, f"no object has a dossier key (keys found: {found})")
    for number, value in parsed:
        if isinstance(value, str):
            rows.reject(number, None, value)
            continue
        cells: list[tuple[_Column, str]] = []
        problem = None
        for key, raw in value.items():
            column = _Column(columns[str(key)], str(key))
            if isinstance(raw, (dict, list)):
                problem = problem or invalid(column.display, raw, "must be a single value")
            cells.append((column, _json_text(raw)))
        if problem is not None:
            rows.reject(number, _shown_dossier(cells), str(problem))
        else:
            rows.take(number, cells, counted=True)


def _json_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return _cell_text(value)


# --- columns and rows ------------------------------------------------------------------------

_IGNORED = "#ignored"


@dataclass(frozen=True)
class _Column:
    """A column of the file: the field it feeds (None when unnamed, `_IGNORED` for notes)."""

    field: str | None
    label: str

    @property
    def display(self) -> str:
        """How an error names the column: the field, and the header as written if it differs."""
        if self.field is None or self.field == _IGNORED:
            return f"column {self.label}"
        if normalize_column_name(self.label) == normalize_column_name(self.field):
            return self.field
        return f"{self.field} (column {self.label.strip()!r})"


def _classify(header: str) -> str | None:
    """The field a header names, `_IGNORED` for a notes column, None when unknown."""
    name = normalize_column_name(header)
    if name in _ALIAS_TO_FIELD:
        return _ALIAS_TO_FIELD[name]
    if _IGNORED_COLUMN.search(name):
        return _IGNORED
    return None


def _known_columns() -> str:
    names = ", ".join(COLUMN_ALIASES)
    return f"known columns: {names} (and their Dutch names); notes/opmerking columns are ignored"


def _column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA: how Excel names the column the office will look at."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def _header_columns(cells: list[str], path: Path) -> list[_Column]:
    columns: list[_Column] = []
    unknown: list[str] = []
    by_field: dict[str, list[str]] = {}
    for index, cell in enumerate(cells):
        letter = _column_letter(index)
        if not cell.strip():
            columns.append(_Column(None, letter))
            continue
        kind = _classify(cell)
        if kind is None:
            unknown.append(f"{cell.strip()!r} (column {letter})")
        elif kind != _IGNORED:
            by_field.setdefault(kind, []).append(repr(cell.strip()))
        columns.append(_Column(kind, cell))
    if unknown:
        raise InputFileError(path, f"unknown column(s) {', '.join(unknown)}; {_known_columns()}")
    twice = [
        f"{name}: {' and '.join(headers)}" for name, headers in by_field.items() if len(headers) > 1
    ]
    if twice:
        raise InputFileError(path, f"a field has several columns ({'; '.join(twice)})")
    if "dossier" not in by_field:
        found = ", ".join(repr(c.strip()) for c in cells if c.strip()) or "none"
        raise InputFileError(
            path,
            f"no dossier column (columns found: {found}); name it 'dossier' or 'dossiernummer'",
        )
    return columns


def _shown_dossier(cells: list[tuple[_Column, str]]) -> str | None:
    for column, value in cells:
        if column.field == "dossier" and value.strip():
            return value.strip()[:SHOWN_DOSSIER_CHARS]
    return None


class _RowCollector:
    """Turns rows of text cells into jobs and rejected rows, by one set of rules for all formats."""

    def __init__(self, path: Path, rules: ValidationRules) -> None:
        self.path = path
        self.rules = rules
        self.jobs: list[DossierInput] = []
        self.rejected: list[RejectedRow] = []
        self.warnings: list[str] = []
        self._first_line: dict[str, tuple[int, str]] = {}
        self._rows = 0

    def count_row(self) -> None:
        self._rows += 1
        if self._rows > MAX_DATA_ROWS:
            raise InputFileError(
                self.path,
                f"has more than {MAX_DATA_ROWS:,} data rows; split it (this protects the portals)",
            )

    def reject(self, line: int, dossier: str | None, reason: str) -> None:
        self.rejected.append(RejectedRow(line, dossier, reason))

    def take_table(self, records: Iterator[tuple[int, list[str]]]) -> None:
        """A header record (the first non-empty one), then the data records."""
        columns: list[_Column] | None = None
        for line, cells in records:
            if not any(cell.strip() for cell in cells):
                continue
            if columns is None:
                columns = _header_columns(cells, self.path)
                continue
            named = [
                (columns[i] if i < len(columns) else _Column(None, _column_letter(i)), cell)
                for i, cell in enumerate(cells)
            ]
            self.take(line, named)
        if columns is None:
            raise InputFileError(self.path, "is empty (no header line with a dossier column)")

    def take(self, line: int, cells: list[tuple[_Column, str]], *, counted: bool = False) -> None:
        """One non-empty row: a job, or a rejected row saying why."""
        if not counted:
            self.count_row()
        shown_dossier = _shown_dossier(cells)
        try:
            job = self._job(line, cells)
        except ValidationError as error:
            self.reject(line, shown_dossier, str(error))
            return
        key = job.dossier.casefold()  # PM-1 and pm-1 would be two workers on one dossier
        if key in self._first_line:
            first, shop = self._first_line[key]
            why = f"is a duplicate of line {first}, which runs"
            if shop != job.profile:  # a run holds a number once (its ledger, its evidence folder)
                why = (
                    f"is also line {first} (shop {shop or '(none)'}); one run holds a dossier "
                    "number once: give each shop's dossiers a run of their own"
                )
            self.reject(line, shown_dossier, str(invalid("dossier", job.dossier, why)))
            return
        self._first_line[key] = (line, job.profile)
        self.jobs.append(job)

    def _job(self, line: int, cells: list[tuple[_Column, str]]) -> DossierInput:
        values: dict[str, str] = {}
        for column, raw in cells:
            if column.field == _IGNORED or not raw.strip():
                continue
            if column.field is None:
                raise invalid(column.display, raw, "holds a value but has no column name")
            if len(raw) > MAX_CELL_CHARS:
                raise invalid(
                    column.display, raw, f"is longer than {MAX_CELL_CHARS} characters ({len(raw)})"
                )
            if looks_like_formula(raw, column.field):
                raise invalid(
                    column.display, raw, "starts like a spreadsheet formula (= + - @); refused"
                )
            if column.field in values:  # only JSON lines can repeat a field in one row
                raise invalid(column.display, raw, "is given twice in this row")
            values[column.field] = raw.strip()
        overrides = {name: values[name] for name in OVERRIDE_FIELDS if name in values}
        return DossierInput.create(
            values.get("dossier"),
            values.get("assignment"),
            overrides,
            self.rules,
            line=line,
            profile=values.get("profile"),
        )


__all__ = [
    "MAX_CELL_CHARS",
    "MAX_DATA_ROWS",
    "BatchInput",
    "InputFileError",
    "RejectedRow",
    "looks_like_formula",
    "read_batch_input",
]
