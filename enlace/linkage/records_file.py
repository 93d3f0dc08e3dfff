"""Reading and writing the files of ``enlace link-records``."""

from __future__ import annotations

import csv
import datetime
from collections.abc import Iterator
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
    "nationality",
    "curp",
    "jurisdiction",
)
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%Y%m%d")


class RecordsFileError(ValueError):
    """A problem in the input file, naming the row and the column but never the value."""


def read_records(path: Path) -> Iterator[Record]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
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
            values = {k: (v or "").strip() for k, v in raw.items() if k}
            record_id = values.get("record_id", "")
            if not record_id:
                raise RecordsFileError(f"row {number}, record_id: missing")
            if record_id in seen:
                raise RecordsFileError(f"row {number}, record_id: repeats an earlier row")
            seen.add(record_id)
            yield Record(
                record_id=record_id,
                source=values.get("source", ""),
                given_names=values.get("given_names", ""),
                paternal_surname=values.get("paternal_surname", ""),
                maternal_surname=values.get("maternal_surname", ""),
                sex=values.get("sex", ""),
                birth_date=_date(values.get("birth_date", ""), number),
                age=_age(values.get("age", ""), number),
                nationality=values.get("nationality", ""),
                curp=values.get("curp", ""),
                jurisdiction=values.get("jurisdiction", ""),
            )


def _date(text: str, number: int) -> datetime.date | None:
    if not text:
        return None
    for pattern in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise RecordsFileError(
        f"row {number}, birth_date: not a date (use YYYY-MM-DD, DD/MM/YYYY or YYYYMMDD)"
    )


def _age(text: str, number: int) -> int | None:
    if not text:
        return None
    if not text.isdigit() or int(text) > 120:
        raise RecordsFileError(f"row {number}, age: not a whole number of years from 0 to 120")
    return int(text)


def write_clusters(path: Path, records: list[Record], clusters: dict[str, Membership]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["record_id", "cluster_id", "match_probability"])
        for record in records:
            m = clusters[record.record_id]
            probability = "" if m.probability is None else f"{m.probability:.6f}"
            writer.writerow([record.record_id, m.cluster_id, probability])
