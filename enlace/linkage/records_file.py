"""Reading and writing the files of ``enlace link-records``.

Every readable record is linked: a value that cannot be used is treated as
unknown and counted in a :class:`Problems` summary (column, count, first row
numbers; never the value). Only a file that cannot be read as CSV with a
header is refused.
"""

from __future__ import annotations

import csv
import datetime
from dataclasses import dataclass, field
from pathlib import Path

from enlace.linkage.clusters import Membership
from enlace.linkage.features import Record

COLUMNS = (
    "record_id",
    "source",
    "given_names",
    "paternal_surname",
    "maternal_surname",
    "sex",
    "birth_date",
    "age",
    "recorded_on",
    "nationality",
    "curp",
    "jurisdiction",
)
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%Y%m%d")
# Longest usable value per text column. Real values are far shorter (a CURP is
# 18 characters); anything longer is a pasted note or a broken export, and
# would only slow the name comparisons down.
LIMITS = {
    "record_id": 200,
    "source": 200,
    "given_names": 200,
    "paternal_surname": 200,
    "maternal_surname": 200,
    "sex": 20,
    "nationality": 100,
    "curp": 40,
    "jurisdiction": 200,
}
EARLIEST = datetime.date(1900, 1, 1)
# Row numbers kept per problem: enough to find the rows, short enough to print.
FIRST_ROWS = 5

UNUSABLE = "unusable"
TOO_LONG = "too long"
NO_DATE = "without recorded_on"
MISSING_ID = "missing, row skipped"
REPEATED_ID = "repeats an earlier row, row skipped"


class RecordsFileError(ValueError):
    """A file that cannot be read at all, naming a position but never a value."""


@dataclass
class Problem:
    count: int = 0
    rows: list[int] = field(default_factory=list)


@dataclass
class Problems:
    """Values that could not be used, by column and kind: counts and first row numbers."""

    found: dict[tuple[str, str], Problem] = field(default_factory=dict)

    def add(self, column: str, kind: str, number: int) -> None:
        problem = self.found.setdefault((column, kind), Problem())
        problem.count += 1
        if len(problem.rows) < FIRST_ROWS:
            problem.rows.append(number)

    def count(self, column: str, kind: str) -> int:
        problem = self.found.get((column, kind))
        return problem.count if problem else 0

    def lines(self) -> list[str]:
        """One line per column and kind, in file column order.

        For example ``birth_date: 3 unusable (rows 5, 9, 12)``.
        """
        out = []
        for (column, kind), problem in sorted(
            self.found.items(), key=lambda item: (COLUMNS.index(item[0][0]), item[0][1])
        ):
            rows = ", ".join(str(n) for n in problem.rows)
            more = ", ..." if problem.count > len(problem.rows) else ""
            label = "row" if problem.count == 1 else "rows"
            out.append(f"{column}: {problem.count} {kind} ({label} {rows}{more})")
        return out


def read_records(path: Path) -> tuple[list[Record], Problems]:
    """The file's records, and what in it could not be used.

    Raises:
        RecordsFileError: no header, an unknown column, or not CSV.
        UnicodeDecodeError: not UTF-8 text.
    """
    problems = Problems()
    records: list[Record] = []
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        try:
            header = reader.fieldnames or []
            unknown = [i for i, c in enumerate(header, start=1) if c not in COLUMNS]
            if unknown:
                # Positions, not cells: a file without a header would show a person's names.
                where = ", ".join(str(i) for i in unknown[:5])
                raise RecordsFileError(f"header: column {where} is not one of {', '.join(COLUMNS)}")
            if "record_id" not in header:
                raise RecordsFileError("header: the record_id column is required")
            seen: set[str] = set()
            for number, raw in enumerate(reader, start=2):
                record = _record(raw, number, seen, problems)
                if record is not None:
                    records.append(record)
        except csv.Error as error:
            # The csv module's messages name no value, only what went wrong.
            raise RecordsFileError(f"line {reader.line_num}: not CSV ({error})") from error
    return records, problems


def _record(
    raw: dict[str | None, str | None], number: int, seen: set[str], problems: Problems
) -> Record | None:
    values = {k: (v or "").strip() for k, v in raw.items() if k}
    for column, limit in LIMITS.items():
        if len(values.get(column, "")) > limit:
            problems.add(column, TOO_LONG, number)
            values[column] = ""
    record_id = values.get("record_id", "")
    # The output has one row per record id, so a row without its own id cannot be reported.
    if not record_id:
        problems.add("record_id", MISSING_ID, number)
        return None
    if record_id in seen:
        problems.add("record_id", REPEATED_ID, number)
        return None
    seen.add(record_id)
    birth_date = _date(values.get("birth_date", ""))
    if values.get("birth_date") and birth_date is None:
        problems.add("birth_date", UNUSABLE, number)
    recorded_on = _date(values.get("recorded_on", ""))
    if values.get("recorded_on") and recorded_on is None:
        problems.add("recorded_on", UNUSABLE, number)
    age = _age(values.get("age", ""))
    if values.get("age") and age is None:
        problems.add("age", UNUSABLE, number)
    if age is not None and recorded_on is None:
        problems.add("age", NO_DATE, number)
        # An age without its date could be years old: a birth year taken as of
        # today would be confidently wrong and score the pair as different. The
        # widest band is no year at all, compared as unknown and blocked on names.
        age = None
    return Record(
        record_id=record_id,
        source=values.get("source", ""),
        given_names=values.get("given_names", ""),
        paternal_surname=values.get("paternal_surname", ""),
        maternal_surname=values.get("maternal_surname", ""),
        sex=values.get("sex", ""),
        birth_date=birth_date,
        age=age,
        age_on=recorded_on if age is not None else None,
        nationality=values.get("nationality", ""),
        curp=values.get("curp", ""),
        jurisdiction=values.get("jurisdiction", ""),
    )


def _date(text: str) -> datetime.date | None:
    """The date, or None when it is empty, impossible (``2001-07-37``) or not a plausible day."""
    if not text or len(text) > 10:
        return None
    for pattern in DATE_FORMATS:
        try:
            day = datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
        return day if EARLIEST <= day <= datetime.date.today() else None
    return None


def _age(text: str) -> int | None:
    """Whole years from 0 to 120, or None."""
    # ASCII only: str.isdigit() accepts "²", which int() refuses.
    if not (text.isascii() and text.isdigit()) or len(text) > 3 or int(text) > 120:
        return None
    return int(text)


def write_clusters(path: Path, records: list[Record], clusters: dict[str, Membership]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["record_id", "cluster_id", "match_probability"])
        for record in records:
            m = clusters[record.record_id]
            probability = "" if m.probability is None else f"{m.probability:.6f}"
            writer.writerow([record.record_id, m.cluster_id, probability])
