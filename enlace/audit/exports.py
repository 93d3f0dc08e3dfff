"""The audit trail as CSV or XLSX: the auditor's export, written through ``core.spreadsheet``."""

from __future__ import annotations

import datetime
import json
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from typing import IO, Any

from django.utils import timezone

from enlace.audit import chain
from enlace.core.spreadsheet import csv_lines, xlsx_save

# The chain's content (the user's name, not their key), with the row's id, its place
# in the chain (seal number, empty until sealed) and hashes.
EXPORT_COLUMNS = (
    "id",
    *(f for f in chain.CONTENT_FIELDS if f != "actor_id"),
    "seq",
    "prev_hash",
    "hash",
)


def _cell(value: Any) -> Any:
    """A value as a spreadsheet cell: local time for moments, JSON for snapshots."""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat()
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return value


def _cells(rows: Iterable[Sequence[Any]]) -> Iterator[list[Any]]:
    for row in rows:
        yield [_cell(v) for v in row]


def audit_csv_lines(rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """Rows of ``EXPORT_COLUMNS`` as CSV lines, streamed; no cell is ever a formula."""
    return csv_lines(EXPORT_COLUMNS, _cells(rows))


def audit_xlsx(rows: Iterable[Sequence[Any]]) -> IO[bytes]:
    """The rows as a workbook in a temporary file (a large one stays out of memory)."""
    file = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    xlsx_save(file, [("audit", EXPORT_COLUMNS, _cells(rows))])
    file.seek(0)
    return file
