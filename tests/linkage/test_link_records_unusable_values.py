"""``enlace link-records`` links a file with unusable values, and reports them without values."""

from __future__ import annotations

import csv
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

HEADER = [
    "record_id",
    "given_names",
    "paternal_surname",
    "maternal_surname",
    "sex",
    "birth_date",
    "age",
    "recorded_on",
    "curp",
]
ROWS = [
    # One person by CURP; the second record's birth date is impossible.
    ["ana-1", "Ana María", "Cruz", "López", "F", "2001-07-03", "", "", "CULA010703MDFRPN01"],
    ["ana-2", "Ana Maria", "Cruz", "Lopez", "F", "2001-07-37", "", "", "CULA010703MDFRPN01"],
    # One person by names and birth date, in two date formats.
    ["jose-1", "José Luis", "Hernández", "Gómez", "M", "1985-11-20", "", "", ""],
    ["jose-2", "Jose Luis", "Hernandez", "Gomez", "M", "20/11/1985", "", "", ""],
    # An age with the date it was stated, and one without.
    ["lupe-1", "Guadalupe", "Ramírez", "Torres", "F", "", "30", "2020-05-01", ""],
    ["carlos-1", "Carlos", "Mendoza", "Silva", "M", "", "40", "", ""],
    # Different people, with an impossible date, a nonsense date, an empty value.
    ["pedro-1", "Pedro", "Sánchez", "Ruiz", "M", "31/02/1999", "", "", ""],
    ["fernanda-1", "María Fernanda", "Ortiz", "Vega", "F", "abc", "", "", ""],
    ["empty-1", "Rosa", "Flores", "", "", "", "", "", ""],
    # A name pasted from a note.
    ["long-1", "Luisa" * 2_000, "Navarro", "Reyes", "F", "1970-01-09", "", "", ""],
    # Skipped: an id already used, and no id at all.
    ["ana-1", "Beatriz", "Morales", "Castro", "F", "1995-06-12", "", "", ""],
    ["", "Teresa", "Aguilar", "Rojas", "F", "1960-02-28", "", "", ""],
]
VALID_IDS = {row[0] for row in ROWS[:10]}


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, str], str]:
    # One run for the module: linking trains a model, a few seconds each time.
    tmp_path = tmp_path_factory.mktemp("link-records")
    source = tmp_path / "in.csv"
    with source.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(ROWS)
    output = tmp_path / "out.csv"
    stdout, stderr = StringIO(), StringIO()

    call_command(
        "link-records", str(source), output=output, mode="clear", stdout=stdout, stderr=stderr
    )

    with output.open(newline="", encoding="utf-8") as handle:
        clusters = {r["record_id"]: r["cluster_id"] for r in csv.DictReader(handle)}
    return clusters, stdout.getvalue() + stderr.getvalue()


def test_it_links_every_usable_record(run: tuple[dict[str, str], str]) -> None:
    clusters, _printed = run

    assert set(clusters) == VALID_IDS
    assert clusters["ana-1"] == clusters["ana-2"]
    assert clusters["jose-1"] == clusters["jose-2"]
    others = VALID_IDS - {"ana-1", "ana-2", "jose-1", "jose-2"}
    assert len({clusters[i] for i in others} | {clusters["ana-1"], clusters["jose-1"]}) == 8


def test_it_reports_unusable_values_by_column_and_row(run: tuple[dict[str, str], str]) -> None:
    _clusters, printed = run

    assert "10 records" in printed
    for line in (
        "record_id: 1 missing, row skipped (row 13)",
        "record_id: 1 repeats an earlier row, row skipped (row 12)",
        "given_names: 1 too long (row 11)",
        "birth_date: 3 unusable (rows 3, 8, 9)",
        "age: 1 without recorded_on (row 7)",
    ):
        assert line in printed


def test_it_prints_no_value_from_the_file(run: tuple[dict[str, str], str]) -> None:
    _clusters, printed = run

    values = {cell for row in ROWS for cell in row if len(cell) >= 4}
    assert [v for v in values if v in printed] == []


def test_it_refuses_a_file_without_a_header(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text("ana-1,Ana,Cruz\n", encoding="utf-8")

    with pytest.raises(CommandError) as caught:
        call_command("link-records", str(source), output=tmp_path / "out.csv", mode="clear")

    assert "Ana" not in str(caught.value)


def test_it_finishes_when_no_row_is_usable(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text("record_id,given_names\n,Ana\n", encoding="utf-8")
    output = tmp_path / "out.csv"
    stdout = StringIO()

    call_command("link-records", str(source), output=output, mode="clear", stdout=stdout)

    assert output.read_text(encoding="utf-8").splitlines() == [
        "record_id,cluster_id,match_probability"
    ]
    assert "record_id: 1 missing, row skipped (row 2)" in stdout.getvalue()
