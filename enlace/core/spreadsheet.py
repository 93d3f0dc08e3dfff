"""Cells a spreadsheet program opens safely, written as CSV or as an XLSX workbook.

Every export (identifications, open data, import reports, the audit trail)
writes through here, so the formula guard is written once.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from typing import IO, Any

from openpyxl import Workbook

# A cell starting with one of these is a formula to a spreadsheet program
# (tab, carriage return and line feed too: some programs skip them first).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")

Rows = Iterable[Sequence[Any]]


def csv_safe(value: Any) -> str:
    """The value as CSV text that no spreadsheet program runs as a formula."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def cell_safe(value: Any) -> Any:
    """The value as a workbook cell: text as ``csv_safe`` gives it, other types as they are."""
    return csv_safe(value) if isinstance(value, str) else value


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(columns: Sequence[str], rows: Rows) -> Iterator[str]:
    """The header and each row as a CSV line, one at a time (for a streamed answer)."""
    writer = csv.writer(_Echo())
    yield writer.writerow(columns)
    for row in rows:
        yield writer.writerow([csv_safe(v) for v in row])


def write_csv(columns: Sequence[str], rows: Rows) -> str:
    return "".join(csv_lines(columns, rows))


def xlsx_save(file: IO[bytes], sheets: Iterable[tuple[str, Sequence[str], Rows]]) -> None:
    """Write a workbook of ``(title, header, rows)`` sheets to ``file``, row by row.

    Text is stored as text: openpyxl writes a string starting with "=" as a
    formula, so such cells get the same apostrophe as in CSV.
    """
    book = Workbook(write_only=True)
    for title, columns, rows in sheets:
        sheet = book.create_sheet(title)
        sheet.append(list(columns))
        for row in rows:
            sheet.append([cell_safe(v) for v in row])
    book.save(file)


def write_xlsx(columns: Sequence[str], rows: Rows, *, title: str = "data") -> bytes:
    buffer = io.BytesIO()
    xlsx_save(buffer, [(title, columns, rows)])
    return buffer.getvalue()
