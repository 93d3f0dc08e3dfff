"""Reading a ``link-records`` file takes every usable record and counts the rest, without values."""

from __future__ import annotations

import csv
import datetime
from pathlib import Path

import pytest

from enlace.linkage.features import birth_year
from enlace.linkage.records_file import (
    COLUMNS,
    RecordsFileError,
    read_records,
)

HEADER = ["record_id", "given_names", "paternal_surname", "birth_date", "age", "recorded_on"]


def _write(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def test_it_treats_unusable_values_as_unknown_and_counts_them(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "in.csv",
        HEADER,
        [
            ["a", "Ana", "Cruz", "2001-07-37", "", ""],  # row 2
            ["b", "Ana", "Cruz", "31/02/1999", "", ""],  # row 3
            ["c", "Ana", "Cruz", "abc", "", ""],  # row 4
            ["d", "Ana", "Cruz", "", "30", "2020-05-01"],  # row 5
            ["e", "Ana", "Cruz", "", "30", ""],  # row 6
            ["f", "Ana", "Cruz", "", "300", "2020-05-01"],  # row 7
            ["g", "Ana", "Cruz", "", "31", "2020-13-01"],  # row 8
            ["h", "A" * 10_000, "Cruz", "1990-01-02", "", ""],  # row 9
            ["", "Ana", "Cruz", "", "", ""],  # row 10
            ["a", "Ana", "Cruz", "", "", ""],  # row 11
            ["i", "Ana", "Cruz", "", "²", "2020-05-01"],  # row 12
        ],
    )

    records, problems = read_records(path)

    by_id = {r.record_id: r for r in records}
    assert sorted(by_id) == ["a", "b", "c", "d", "e", "f", "g", "h", "i"]
    assert all(by_id[i].birth_date is None for i in "abc")
    # Aged 30 on 1 May 2020: born between May 1989 and April 1990, mostly in 1989.
    assert birth_year(by_id["d"]) == (1989, False)
    # Without its date an age gives no year: compared as unknown, blocked on names.
    assert birth_year(by_id["e"]) == (None, False)
    assert birth_year(by_id["g"]) == (None, False)
    assert by_id["f"].age is None
    assert by_id["h"].given_names == ""
    assert by_id["h"].birth_date == datetime.date(1990, 1, 2)
    assert problems.lines() == [
        "record_id: 1 missing, row skipped (row 10)",
        "record_id: 1 repeats an earlier row, row skipped (row 11)",
        "given_names: 1 too long (row 9)",
        "birth_date: 3 unusable (rows 2, 3, 4)",
        "age: 2 unusable (rows 7, 12)",
        "age: 2 without recorded_on (rows 6, 8)",
        "recorded_on: 1 unusable (row 8)",
    ]


def test_it_keeps_the_first_row_numbers_only(tmp_path: Path) -> None:
    rows = [[str(i), "Ana", "Cruz", "abc", "", ""] for i in range(8)]

    _records, problems = read_records(_write(tmp_path / "in.csv", HEADER, rows))

    assert problems.count("birth_date", "unusable") == 8
    assert problems.lines() == ["birth_date: 8 unusable (rows 2, 3, 4, 5, 6, ...)"]


def test_it_refuses_a_date_in_the_future(tmp_path: Path) -> None:
    tomorrow = (datetime.date.today() + datetime.timedelta(days=1)).isoformat()

    records, problems = read_records(
        _write(tmp_path / "in.csv", HEADER, [["a", "Ana", "Cruz", tomorrow, "", ""]])
    )

    assert records[0].birth_date is None
    assert problems.count("birth_date", "unusable") == 1


def test_it_accepts_every_column(tmp_path: Path) -> None:
    records, problems = read_records(_write(tmp_path / "in.csv", list(COLUMNS), []))

    assert records == []
    assert problems.lines() == []


def test_it_refuses_a_file_without_a_header(tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_text("1,Ana,Cruz\n", encoding="utf-8")

    with pytest.raises(RecordsFileError) as caught:
        read_records(path)

    # Positions only: the first row of a headerless file is a person.
    assert "Ana" not in str(caught.value)
    assert "column 1, 2, 3" in str(caught.value)


def test_it_refuses_an_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_text("", encoding="utf-8")

    with pytest.raises(RecordsFileError, match="record_id column is required"):
        read_records(path)


def test_it_refuses_a_file_that_is_not_csv(tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_text('record_id,given_names\n1,"Ana' + "a" * 200_000 + "\n", encoding="utf-8")

    with pytest.raises(RecordsFileError, match="not CSV") as caught:
        read_records(path)

    assert "Ana" not in str(caught.value)
