"""Batch input files: what the office exports becomes jobs, rejected rows, or a refusal."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import openpyxl
import pytest

from bot.domain.batch_input import (
    MAX_DATA_ROWS,
    BatchInput,
    InputFileError,
    RejectedRow,
    looks_like_formula,
    read_batch_input,
)
from bot.domain.validation import ValidationRules
from bot.errors import ConfigError

RULES = ValidationRules(today=dt.date(2026, 3, 1))
VIN = "WVWZZZ1JZXW000001"


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def read(path: Path) -> BatchInput:
    return read_batch_input(path, RULES)


def rejected_by_line(batch: BatchInput) -> dict[int, RejectedRow]:
    return {row.line: row for row in batch.rejected}


def write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


# --- CSV: separators, encodings --------------------------------------------------------------


def test_semicolon_csv_with_dutch_headers_becomes_jobs_with_their_lines(tmp_path: Path) -> None:
    path = write(
        tmp_path / "nacht.csv",
        "Dossiernummer;Opdrachtnummer;Kilometerstand;Eerste inschrijving;Chassis\r\n"
        "PM-2026-0101;IX-2026-004711;84.512;14/03/2019;\r\n"
        "PM-2026-0102;;;;" + VIN + "\r\n",
    )

    batch = read(path)

    assert batch.rejected == []
    first, second = batch.jobs
    assert (first.dossier, first.assignment, first.line) == ("PM-2026-0101", "IX-2026-004711", 2)
    assert first.overrides == {"mileage_km": "84.512", "first_registration": "14/03/2019"}
    assert (second.dossier, second.assignment, second.line) == ("PM-2026-0102", None, 3)
    assert second.overrides == {"vin": VIN}


def test_comma_csv_with_field_names_as_headers_is_read(tmp_path: Path) -> None:
    path = write(
        tmp_path / "input.csv",
        "dossier,assignment,power_kw,Engine_Type,particle-filter\n"
        'PM-2026-0101,IX-2026-004711,110,diesel,"ja"\n',
    )

    (job,) = read(path).jobs

    assert job.overrides == {"power_kw": "110", "engine_type": "diesel", "particle_filter": "ja"}


def test_tab_separated_text_export_is_read(tmp_path: Path) -> None:
    path = write(tmp_path / "export.txt", "Dossier\tOpdracht\nPM-2026-0101\tix-2026-004711\n")

    (job,) = read(path).jobs

    assert (job.dossier, job.assignment) == ("PM-2026-0101", "IX-2026-004711")


def test_utf8_bom_does_not_hide_the_dossier_column(tmp_path: Path) -> None:
    path = write(tmp_path / "bom.csv", "\ufeffdossier;opdrachtnummer\nPM-2026-0101;\n")

    assert [job.dossier for job in read(path).jobs] == ["PM-2026-0101"]


def test_cp1252_file_from_belgian_excel_is_read_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = write(
        tmp_path / "excel.csv",
        "dossier;motortype;opmerking\nPM-2026-0101;électrique;reçu, à vérifier\n",
        encoding="cp1252",
    )

    batch = read(path)

    assert batch.jobs[0].overrides == {"engine_type": "électrique"}
    assert "Windows-1252" in batch.warnings[0] and "line 2" in batch.warnings[0]
    assert "Windows-1252" in caplog.text


def test_utf16_unicode_text_export_from_excel_is_read(tmp_path: Path) -> None:
    path = tmp_path / "unicode.txt"
    path.write_bytes("dossier\tvin\nPM-2026-0101\tWVWZZZ1JZXW000001\n".encode("utf-16"))

    (job,) = read(path).jobs

    assert job.overrides == {"vin": VIN}


def test_excel_sep_hint_line_chooses_the_separator_and_is_not_a_row(tmp_path: Path) -> None:
    path = write(tmp_path / "hint.csv", "sep=,\ndossier,opmerking\nPM-2026-0101,a; b; c\n")

    (job,) = read(path).jobs

    assert (job.dossier, job.line) == ("PM-2026-0101", 2)


def test_quoted_cells_keep_separators_and_line_breaks(tmp_path: Path) -> None:
    path = write(
        tmp_path / "quoted.csv",
        'dossier;opmerking\nPM-2026-0101;"two\nlines; one cell"\nPM-2026-0102;\n',
    )

    assert [(j.dossier, j.line) for j in read(path).jobs] == [
        ("PM-2026-0101", 2),
        ("PM-2026-0102", 3),
    ]


def test_empty_rows_are_skipped_but_keep_the_numbering(tmp_path: Path) -> None:
    path = write(tmp_path / "gaps.csv", "dossier;vin\n\nPM-2026-0101;\n;\n  ;  \nPM-2026-0102;\n")

    assert [(j.dossier, j.line) for j in read(path).jobs] == [
        ("PM-2026-0101", 3),
        ("PM-2026-0102", 6),
    ]


def test_digest_and_source_identify_the_file(tmp_path: Path) -> None:
    path = write(tmp_path / "nacht.csv", "dossier\nPM-2026-0101\n")

    batch = read(path)

    assert batch.digest == hashlib.sha256(path.read_bytes()).hexdigest()
    assert batch.source == str(path)


def test_same_rows_with_other_bytes_have_another_digest(tmp_path: Path) -> None:
    a = read(write(tmp_path / "a.csv", "dossier\nPM-2026-0101\n"))
    b = read(write(tmp_path / "b.csv", "dossier\r\nPM-2026-0101\r\n"))

    assert a.jobs == b.jobs
    assert a.digest != b.digest


# --- bad files -------------------------------------------------------------------------------


def test_binary_file_with_nul_bytes_is_refused_with_its_offset(tmp_path: Path) -> None:
    path = tmp_path / "photo.csv"
    path.write_bytes(b"dossier\nPM-1\x00\x01\x02\xff")

    with pytest.raises(InputFileError, match=r"binary.*offset 12, line 2") as caught:
        read(path)
    assert str(path) in str(caught.value)
    assert isinstance(caught.value, ConfigError)


def test_xlsx_saved_as_csv_is_refused_as_a_zip(tmp_path: Path) -> None:
    workbook = write_xlsx(tmp_path / "real.xlsx", [["dossier"], ["PM-2026-0101"]])
    path = tmp_path / "renamed.csv"
    path.write_bytes(workbook.read_bytes())

    with pytest.raises(InputFileError, match=r"ZIP archive \(an \.xlsx"):
        read(path)


def test_text_neither_utf8_nor_cp1252_is_refused_naming_the_bytes(tmp_path: Path) -> None:
    path = tmp_path / "broken.csv"
    path.write_bytes(b"dossier\nPM-2026-0101\n\x81\x8d\n")

    with pytest.raises(InputFileError, match=r"neither UTF-8 nor .*0x81 at byte offset 21, line 3"):
        read(path)


def test_cp1252_text_with_an_undefined_byte_names_both_places(tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    path.write_bytes("dossier;motortype\nPM-1;électrique\n".encode("cp1252") + b"PM-2;\x90\n")

    with pytest.raises(InputFileError, match=r"UTF-8: byte 0xe9 .*line 2; Windows-1252: .*line 3"):
        read(path)


def test_jsonl_that_is_not_utf8_is_refused_without_guessing(tmp_path: Path) -> None:
    path = tmp_path / "rows.jsonl"
    path.write_bytes('{"dossier": "PM-2026-0101", "motortype": "électrique"}\n'.encode("cp1252"))

    with pytest.raises(InputFileError, match=r"not valid UTF-8 .*line 1"):
        read(path)


def test_control_character_soup_is_refused_as_binary(tmp_path: Path) -> None:
    path = tmp_path / "noise.txt"
    path.write_bytes(bytes(range(1, 9)) * 20)

    with pytest.raises(InputFileError, match="binary"):
        read(path)


def test_unknown_column_is_refused_so_no_override_is_dropped(tmp_path: Path) -> None:
    path = write(tmp_path / "typo.csv", "dossier;kilometrstand;vermogen;merk\nPM-2026-0101;1;2;3\n")

    with pytest.raises(InputFileError) as caught:
        read(path)
    message = str(caught.value)
    assert "'kilometrstand' (column B)" in message and "'merk' (column D)" in message
    assert "vermogen" not in message.split(";")[0]


def test_notes_columns_are_ignored_whatever_they_hold(tmp_path: Path) -> None:
    path = write(
        tmp_path / "notes.csv",
        "dossier;Opmerking klant;Notes;comment\nPM-2026-0101;=1+1;" + "x" * 500 + ";@here\n",
    )

    batch = read(path)

    assert [job.overrides for job in batch.jobs] == [{}]
    assert batch.rejected == []


def test_missing_dossier_column_names_the_columns_found(tmp_path: Path) -> None:
    path = write(tmp_path / "nodossier.csv", "opdrachtnummer;vin\nIX-2026-004711;\n")

    with pytest.raises(
        InputFileError, match=r"no dossier column \(columns found: 'opdrachtnummer'"
    ):
        read(path)


def test_two_columns_for_one_field_are_refused(tmp_path: Path) -> None:
    path = write(tmp_path / "twice.csv", "dossier;dossiernummer\nPM-1;PM-2\n")

    with pytest.raises(InputFileError, match=r"dossier: 'dossier' and 'dossiernummer'"):
        read(path)


def test_empty_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="empty"):
        read(write(tmp_path / "empty.csv", "\n\n"))


def test_header_only_file_has_no_jobs(tmp_path: Path) -> None:
    batch = read(write(tmp_path / "header.csv", "dossier;opdrachtnummer\n"))

    assert (batch.jobs, batch.rejected) == ([], [])


def test_unsupported_extension_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match=r"unsupported file type '\.xls'"):
        read(write(tmp_path / "old.xls", "dossier\n"))


def test_unterminated_quote_is_refused_rather_than_swallowing_rows(tmp_path: Path) -> None:
    path = write(tmp_path / "quote.csv", 'dossier;vin\nPM-2026-0101;"WVW\nPM-2026-0102;\n')

    with pytest.raises(InputFileError, match="malformed CSV in record 2"):
        read(path)


def test_more_than_the_row_limit_is_refused(tmp_path: Path) -> None:
    rows = "".join(f"PM-{i}\n" for i in range(MAX_DATA_ROWS + 1))
    path = write(tmp_path / "huge.csv", "dossier\n" + rows)

    with pytest.raises(InputFileError, match="more than 10,000 data rows"):
        read(path)


def test_exactly_the_row_limit_is_accepted(tmp_path: Path) -> None:
    rows = "".join(f"PM-{i}\n" for i in range(MAX_DATA_ROWS))
    path = write(tmp_path / "full.csv", "dossier\n" + rows + "\n\n")

    assert len(read(path).jobs) == MAX_DATA_ROWS


def test_missing_file_is_an_input_file_error(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="cannot be read"):
        read(tmp_path / "absent.csv")


# --- bad rows --------------------------------------------------------------------------------


def test_malformed_rows_are_rejected_by_line_and_the_rest_still_runs(tmp_path: Path) -> None:
    path = write(
        tmp_path / "rows.csv",
        "dossier;opdrachtnummer\n"
        "PM-2026-0101;\n"
        "PM-2026-0102;12345\n"
        ";IX-2026-004711\n"
        "PM 2026 0104;\n"
        "PM-2026-0105;IX-2026-004712\n",
    )

    batch = read(path)

    assert [(j.dossier, j.line) for j in batch.jobs] == [("PM-2026-0101", 2), ("PM-2026-0105", 6)]
    bad = rejected_by_line(batch)
    assert sorted(bad) == [3, 4, 5]
    assert bad[3].dossier == "PM-2026-0102"
    assert "assignment_number" in bad[3].reason and "'12345'" in bad[3].reason
    assert bad[4].dossier is None and "dossier: is missing" in bad[4].reason
    assert "'PM 2026 0104'" in bad[5].reason


def test_formula_injection_is_refused_naming_the_column_and_value(tmp_path: Path) -> None:
    path = write(
        tmp_path / "evil.csv",
        "dossier;opdrachtnummer;chassis\n"
        "=cmd|' /C calc'!A0;;\n"
        "PM-2026-0102;+IX-2026-004711;\n"
        "PM-2026-0103;;@SUM(A1)\n"
        'PM-2026-0104;;"\t=1+1"\n'
        "PM-2026-0105;; =HYPERLINK(x)\n",
    )

    bad = rejected_by_line(read(path))

    assert sorted(bad) == [2, 3, 4, 5, 6]
    assert bad[2].dossier == "=cmd|' /C calc'!A0"
    assert bad[2].reason.startswith("dossier: starts like a spreadsheet formula")
    assert "=cmd|' /C calc'!A0" in bad[2].reason
    assert bad[3].reason.startswith("assignment (column 'opdrachtnummer')")
    assert "vin (column 'chassis')" in bad[4].reason and "@SUM(A1)" in bad[4].reason
    assert "vin (column 'chassis')" in bad[5].reason
    assert "HYPERLINK" in bad[6].reason


def test_plain_negative_number_in_a_numeric_column_is_left_to_validation(
    tmp_path: Path,
) -> None:
    path = write(
        tmp_path / "neg.csv",
        "dossier;kilometerstand;vermogen;vin\nPM-2026-0101;-84.512;-5 kW;\nPM-2026-0102;;;-5\n",
    )

    batch = read(path)

    assert batch.jobs[0].overrides == {"mileage_km": "-84.512", "power_kw": "-5 kW"}
    assert [row.line for row in batch.rejected] == [3]


def test_formula_in_a_numeric_column_is_still_refused(tmp_path: Path) -> None:
    path = write(tmp_path / "num.csv", "dossier;co2\nPM-2026-0101;-2+3+cmd|' /C calc'!A0\n")

    (bad,) = read(path).rejected

    assert bad.reason.startswith("co2: starts like a spreadsheet formula")


def test_html_in_a_dossier_cell_is_judged_by_dossier_validation(tmp_path: Path) -> None:
    path = write(tmp_path / "html.csv", "dossier\n<script>alert(1)</script>\n")

    (bad,) = read(path).rejected

    assert bad.dossier == "<script>alert(1)</script>"
    assert bad.reason.startswith("dossier: may only contain letters")


def test_oversized_cell_is_refused_naming_the_column(tmp_path: Path) -> None:
    path = write(
        tmp_path / "big.csv",
        "dossier;motortype\n" + "PM-2026-0101;" + "d" * 201 + "\nPM-2026-0102;" + "d" * 200 + "\n",
    )

    batch = read(path)

    (bad,) = batch.rejected
    assert (bad.line, bad.dossier) == (2, "PM-2026-0101")
    assert bad.reason.startswith("engine_type (column 'motortype'): is longer than 200 characters")
    assert len(bad.reason) < 200  # the value is quoted cut
    assert [job.dossier for job in batch.jobs] == ["PM-2026-0102"]


def test_rejected_dossier_cell_is_cut_to_60_characters(tmp_path: Path) -> None:
    path = write(tmp_path / "long.csv", "dossier\n" + "P" * 150 + "\n")

    (bad,) = read(path).rejected

    assert bad.dossier == "P" * 60
    assert "longer than 40" in bad.reason


def test_value_in_a_column_without_header_is_refused(tmp_path: Path) -> None:
    path = write(
        tmp_path / "extra.csv", "dossier;vin;;\nPM-2026-0101;;;\nPM-2026-0102;;;surprise\n"
    )

    batch = read(path)

    assert [job.dossier for job in batch.jobs] == ["PM-2026-0101"]
    (bad,) = batch.rejected
    assert bad.line == 3 and bad.reason.startswith("column D: holds a value but has no column name")


def test_duplicate_dossier_runs_once_and_later_rows_name_the_first(tmp_path: Path) -> None:
    path = write(
        tmp_path / "dup.csv",
        "dossier;opdrachtnummer\n"
        "PM-2026-0101;\n"
        "PM-2026-0102;\n"
        "PM-2026-0101;IX-2026-004711\n"
        "pm-2026-0102;\n",
    )

    batch = read(path)

    assert [j.line for j in batch.jobs] == [2, 3]
    bad = rejected_by_line(batch)
    assert "duplicate of line 2" in bad[4].reason and "'PM-2026-0101'" in bad[4].reason
    assert "duplicate of line 3" in bad[5].reason


def test_rejected_row_does_not_make_a_later_good_row_a_duplicate(tmp_path: Path) -> None:
    path = write(
        tmp_path / "fixed.csv",
        "dossier;opdrachtnummer\nPM-2026-1002;12345\nPM-2026-1002;\n",
    )

    batch = read(path)

    assert [(j.dossier, j.line) for j in batch.jobs] == [("PM-2026-1002", 3)]
    assert [r.line for r in batch.rejected] == [2]


# --- xlsx ------------------------------------------------------------------------------------


def test_xlsx_first_sheet_dates_and_numbers_read_as_typed(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Dossiernummer", "Eerste inschrijving", "Kilometerstand", "kW", "Inbraak"])
    sheet.append(["PM-2026-0101", dt.datetime(2019, 3, 14), 84512.0, 110, True])
    sheet.append([None, None, None, None, None])
    sheet.append(["PM-2026-0102", dt.date(2020, 1, 2), 12.5, None, False])
    other = workbook.create_sheet("Blad2")
    other.append(["niet", "lezen"])
    workbook.active = 1  # the active sheet is not the first one
    path = tmp_path / "nacht.xlsx"
    workbook.save(path)

    batch = read(path)

    first, second = batch.jobs
    assert first.line == 2
    assert first.overrides == {
        "first_registration": "14/03/2019",
        "mileage_km": "84512",
        "power_kw": "110",
        "burglary": "ja",
    }
    assert second.line == 4
    assert second.overrides == {
        "first_registration": "02/01/2020",
        "mileage_km": "12.5",
        "burglary": "nee",
    }


def test_xlsx_rows_are_judged_like_csv_rows(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "bad.xlsx",
        [["dossier", "vin"], ["PM-2026-0101", "@evil"], ["PM-2026-0102", None]],
    )

    batch = read(path)

    assert [j.dossier for j in batch.jobs] == ["PM-2026-0102"]
    assert batch.rejected[0].line == 2 and "@evil" in batch.rejected[0].reason


def test_xlsx_with_unknown_column_is_refused(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "typo.xlsx", [["dossier", "kilomterstand"], ["PM-1", 1]])

    with pytest.raises(InputFileError, match=r"'kilomterstand' \(column B\)"):
        read(path)


def test_text_file_named_xlsx_is_refused_as_unreadable(tmp_path: Path) -> None:
    path = write(tmp_path / "fake.xlsx", "dossier\nPM-2026-0101\n")

    with pytest.raises(InputFileError, match=r"not a readable \.xlsx"):
        read(path)


# --- JSON lines ------------------------------------------------------------------------------


def test_jsonl_objects_become_jobs_and_bad_lines_are_rejected(tmp_path: Path) -> None:
    lines = [
        json.dumps({"dossier": "PM-2026-0101", "opdrachtnummer": "IX-2026-004711"}),
        "",
        json.dumps({"Dossier": "PM-2026-0102", "mileage_km": 84512, "burglary": False}),
        '["PM-2026-0103"]',
        "{not json",
        json.dumps({"dossier": "PM-2026-0104", "vin": {"nested": 1}}),
        json.dumps({"dossier": "PM-2026-0105", "vin": None, "note": "x"}),
    ]
    path = write(tmp_path / "rows.ndjson", "\n".join(lines) + "\n")

    batch = read(path)

    assert [(j.dossier, j.line) for j in batch.jobs] == [
        ("PM-2026-0101", 1),
        ("PM-2026-0102", 3),
        ("PM-2026-0105", 7),
    ]
    assert batch.jobs[1].overrides == {"mileage_km": "84512", "burglary": "nee"}
    bad = rejected_by_line(batch)
    assert sorted(bad) == [4, 5, 6]
    assert "not a JSON object but list" in bad[4].reason and bad[4].dossier is None
    assert "is not JSON" in bad[5].reason and "{not json" in bad[5].reason
    assert bad[6].dossier == "PM-2026-0104" and bad[6].reason.startswith("vin: must be a single")


def test_jsonl_unknown_key_is_refused_naming_its_line(tmp_path: Path) -> None:
    lines = [json.dumps({"dossier": "PM-1"}), json.dumps({"dossier": "PM-2", "vni": "X"})]
    path = write(tmp_path / "rows.jsonl", "\n".join(lines))

    with pytest.raises(InputFileError, match=r"unknown key\(s\) 'vni' \(line 2\)"):
        read(path)


def test_jsonl_two_keys_for_one_field_reject_the_row(tmp_path: Path) -> None:
    path = write(
        tmp_path / "rows.jsonl", json.dumps({"dossier": "PM-1", "vin": VIN, "chassis": VIN})
    )

    (bad,) = read(path).rejected

    assert "given twice" in bad.reason


# --- what counts as a formula ----------------------------------------------------------------


@pytest.mark.parametrize(
    "value", ["=1+1", " =1+1", "\u00a0=1+1", "\n@SUM(1)", "\t1", "\r1", "-2+3"]
)
def test_a_formula_is_seen_whatever_pads_it(value: str) -> None:
    assert looks_like_formula(value)


@pytest.mark.parametrize("value", ["PM-2026-0101", "a=b", "", "text"])
def test_ordinary_cells_are_not_formulas(value: str) -> None:
    assert not looks_like_formula(value)
