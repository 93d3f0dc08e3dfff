"""Reading what agencies really send: encodings, delimiters, dates, Spanish values. Pure."""

from __future__ import annotations

import datetime

import pytest

from enlace.exchange.reading import SubmissionError, read_table
from enlace.exchange.report import RowError, shown
from enlace.exchange.rows import ParsedRow, parse_row
from enlace.exchange.template import COLUMN_NAMES
from enlace.exchange.values import Lookups, key, parse_date

LOOKUPS = Lookups(
    jurisdictions={key("21"): 21, key("Puebla"): 21, key("Nuevo León"): 19},
    countries={key("MX"): 1, key("GT"): 2, key("Guatemala"): 2},
    protocols={key("PROTOCOLO-FGR"): 7},
)
TODAY = datetime.date(2018, 1, 1)


def parse(**values: str) -> tuple[ParsedRow | None, list[RowError]]:
    base = {"agency_record_id": "A1", "identified_on": "2017-06-01"}
    base.update(values)
    return parse_row(5, base, lookups=LOOKUPS, agency_code="FGE-PUE", today=TODAY)


def test_it_reads_utf8_with_and_without_bom_and_cp1252() -> None:
    text = "agency_record_id,identified_on,jurisdiction\nA1,2017-06-01,Nuevo León\n"
    for data in (text.encode(), b"\xef\xbb\xbf" + text.encode(), text.encode("cp1252")):
        header, rows = read_table(data)
        assert header == ["agency_record_id", "identified_on", "jurisdiction"]
        assert list(rows) == [(2, ["A1", "2017-06-01", "Nuevo León"])]


def test_it_reads_semicolons_and_forgives_header_case() -> None:
    data = b"Agency_Record_ID;Identified On;exploitation_forms\nA1;01/06/2017;a;b\n"
    header, rows = read_table(data)
    assert header == ["agency_record_id", "identified_on", "exploitation_forms"]
    assert next(rows)[1][:2] == ["A1", "01/06/2017"]


def test_it_refuses_a_file_without_the_required_columns() -> None:
    with pytest.raises(SubmissionError, match="agency_record_id") as info:
        read_table(b"identified_on,surname_typo\n2017-06-01,x\n")
    assert "surname_typo" in str(info.value)


def test_it_reads_iso_and_day_first_dates() -> None:
    assert parse_date("2017-06-01") == datetime.date(2017, 6, 1)
    assert parse_date("01/06/2017") == datetime.date(2017, 6, 1)
    assert parse_date("1/6/2017") == datetime.date(2017, 6, 1)
    with pytest.raises(ValueError):
        parse_date("06/31/2017")


def test_it_understands_spanish_values_and_state_names_without_accents() -> None:
    row, errors = parse(
        sex="Mujer",
        consent_to_share="Sí",
        identification_status="Identificada",
        jurisdiction="nuevo leon",
        nationality="guatemala",
        exploitation_forms="Explotación sexual; mendicidad forzada",
    )
    assert errors == []
    assert row is not None
    assert (row.sex, row.consent_to_share, row.status) == ("female", True, "identified")
    assert row.jurisdiction_id == 19 and row.nationality_id == 2
    assert row.forms == ["forced_begging", "sex_trafficking"]


def test_it_names_the_row_column_and_reason() -> None:
    row, errors = parse(identified_on="31/02/2017", sex="desconocido", jurisdiction="Atlantis")
    assert row is None
    assert {(e.row, e.agency_record_id, e.column) for e in errors} == {
        (5, "A1", "identified_on"),
        (5, "A1", "sex"),
        (5, "A1", "jurisdiction"),
    }
    assert all(e.reason for e in errors)


def test_it_never_echoes_identity_values() -> None:
    _row, errors = parse(curp="HERNANDEZ-MARIA", birth_date="ayer", given_names="x" * 300)
    assert {e.column: e.value for e in errors} == {
        "curp": "[withheld]",
        "birth_date": "[withheld]",
        "given_names": "[withheld]",
    }
    assert shown("given_names", "María", LOOKUPS) == "[withheld]"
    assert shown("sex", "mujer", LOOKUPS) == "mujer"


def test_it_refuses_future_dates_and_both_places() -> None:
    _row, errors = parse(identified_on="2018-01-02", jurisdiction="21", country_abroad="GT")
    assert {e.column for e in errors} == {"identified_on", "country_abroad"}


def test_it_refuses_another_agencys_code() -> None:
    _row, errors = parse(agency_code="FGE-JAL")
    assert [e.column for e in errors] == ["agency_code"]


def test_the_template_has_the_issues_columns() -> None:
    assert COLUMN_NAMES[0] == "agency_record_id"
    # 19 of the identification, 4 lists and 3 places of 3 columns of trafficking detail.
    assert len(COLUMN_NAMES) == 19 + 4 + 9
