"""Reading a submission file: CSV or XLSX, within the size limits, refusing control characters.

Files arrive as UTF-8 (with or without a byte-order mark) or Windows-1252,
comma- or semicolon-separated, or as an Excel workbook. Pure: no database.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import zipfile
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import openpyxl
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from enlace.exchange.template import COLUMNS, Column
from enlace.exchange.values import key


class SubmissionError(Exception):
    """The file as a whole cannot be read: wrong format, missing columns, over a limit."""


@dataclass(frozen=True)
class Limits:
    """How large a submission may be; each is a setting (``ENLACE_IMPORT_*``).

    Checked while reading, before the cost they bound is paid: a file over
    them is refused as a whole, with the limit and its setting named.
    """

    max_bytes: int = 50 * 1024 * 1024
    max_unzipped_bytes: int = 200 * 1024 * 1024
    max_rows: int = 1_000_000
    max_columns: int = 200
    max_field: int = 10_000


def limits_from_settings() -> Limits:
    default = Limits()
    return Limits(
        max_bytes=getattr(settings, "IMPORT_MAX_BYTES", default.max_bytes),
        max_unzipped_bytes=getattr(
            settings, "IMPORT_MAX_UNZIPPED_BYTES", default.max_unzipped_bytes
        ),
        max_rows=getattr(settings, "IMPORT_MAX_ROWS", default.max_rows),
        max_columns=getattr(settings, "IMPORT_MAX_COLUMNS", default.max_columns),
        max_field=getattr(settings, "IMPORT_MAX_FIELD", default.max_field),
    )


def _over(what: Any, limit: int, setting: str) -> SubmissionError:
    return SubmissionError(
        _("%(what)s: the limit is %(limit)s (%(setting)s).")
        % {"what": what, "limit": f"{limit:,}", "setting": setting}
    )


def too_large(size: int, limits: Limits) -> SubmissionError | None:
    """The error for a file of ``size`` bytes, or None when it is within the limit."""
    if size <= limits.max_bytes:
        return None
    return _over(_("The file is too large"), limits.max_bytes, "ENLACE_IMPORT_MAX_BYTES")


# Tab, line feed and carriage return are a CSV's own structure (and a note may
# hold them); every other C0 control character and DEL is refused, NUL above
# all, as the web forms and the API refuse them.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

# A header cell after folding (``_header_key``): digits would let a date, a CURP,
# a passport number or an age through.
HEADER_SHAPE = re.compile(r"[a-z]+(?:_[a-z]+)*")
MAX_HEADER = 40


def decode(data: bytes) -> str:
    """UTF-8 (a byte-order mark dropped), or Windows-1252 when it is not UTF-8."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise SubmissionError(
            _("The file is neither UTF-8 nor Windows-1252 text, nor an Excel workbook.")
        ) from None


def _header_key(name: Any) -> str:
    return key(str(name or "")).replace(" ", "_")


def read_table(
    data: bytes, limits: Limits | None = None, columns: tuple[Column, ...] = COLUMNS
) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """The header and the data rows (with their spreadsheet row numbers) of a CSV or XLSX file.

    Raises ``SubmissionError`` for a file that cannot be read or is over a
    limit (``Limits``), whether found at the header or at any later row: the
    rows iterator raises it too, naming the row.
    """
    limits = limits or limits_from_settings()
    by_name = {c.name: c for c in columns}
    if error := too_large(len(data), limits):
        raise error
    if data[:4] == b"PK\x03\x04":
        raw, rows = _read_xlsx(data, limits, by_name)
    else:
        raw, rows = _read_csv(data, limits, by_name)
    while raw and not str(raw[-1] or "").strip():
        raw.pop()
    # Before folding the cells: a header of 32,000 columns is refused, not checked.
    if len(raw) > limits.max_columns:
        raise _over(_("Row 1 (header) has too many columns"), limits.max_columns, MAX_COLUMNS)
    for column, cell in enumerate(raw, start=1):
        _refuse_control(1, column, str(cell or ""), [], by_name)
    header = [_header_key(h) for h in raw]
    while header and not header[-1]:
        header.pop()
    names = set(header)
    missing = [c.name for c in columns if c.required and c.name not in names]
    unknown = [h for h in header if h not in by_name]
    # A column name is the template's vocabulary; any other cell may be data
    # (a name, a date), so it is named only when shaped like a column name.
    named = list(dict.fromkeys(h for h in unknown if header_shaped(h)))
    unnamed = sum(1 for h in unknown if not header_shaped(h))
    counts = Counter(header)
    duplicated = sorted(h for h, n in counts.items() if h in by_name and n > 1)
    if header and len(unknown) == len(header):
        # No cell is a column name: the first row is data, whose values (names,
        # CURPs) must not be echoed into the report, the audit trail or a log.
        raise SubmissionError(
            _("Row 1 must be the header: none of its cells is a column name of the template.")
        )
    problems = []
    if missing:
        problems.append(_("missing required columns: %s") % ", ".join(missing))
    if named:
        problems.append(_("unknown columns: %s") % ", ".join(named))
    if unnamed:
        problems.append(
            ngettext(
                "%d unknown column whose name is withheld",
                "%d unknown columns whose names are withheld",
                unnamed,
            )
            % unnamed
        )
    if duplicated:
        problems.append(_("repeated columns: %s") % ", ".join(duplicated))
    if problems:
        raise SubmissionError(_("Row 1 (header): %s.") % "; ".join(problems))
    return header, rows


def header_shaped(cell: str) -> bool:
    """Whether a folded header cell may be named in a report: letters and underscores."""
    return len(cell) <= MAX_HEADER and bool(HEADER_SHAPE.fullmatch(cell))


MAX_COLUMNS = "ENLACE_IMPORT_MAX_COLUMNS"


def _column_name(column: int, header: list[str], by_name: Mapping[str, Column]) -> str:
    # A template column is named; any other header cell may be data, so it is numbered.
    name = _header_key(header[column - 1]) if column <= len(header) else ""
    return name if name in by_name else _("column %d") % column


def _refuse_control(
    number: int, column: int, value: str, header: list[str], by_name: Mapping[str, Column]
) -> None:
    if CONTROL.search(value):
        # The value is not quoted: it may hold an identity.
        raise SubmissionError(
            _("Row %(row)d, %(column)s: a control character (such as NUL) is not allowed.")
            % {"row": number, "column": _column_name(column, header, by_name)}
        )


def _check_row(
    number: int,
    values: list[str],
    header: list[str],
    limits: Limits,
    by_name: Mapping[str, Column],
) -> None:
    """Refuse a row over the limits or holding a control character, naming row and column."""
    if len(values) > limits.max_columns:
        raise _over(_("Row %d has too many columns") % number, limits.max_columns, MAX_COLUMNS)
    joined = "".join(values)
    if len(joined) > limits.max_field or CONTROL.search(joined):
        for column, value in enumerate(values, start=1):
            if len(value) > limits.max_field:
                raise _over(
                    _("Row %(row)d, %(column)s: the value is too long")
                    % {"row": number, "column": _column_name(column, header, by_name)},
                    limits.max_field,
                    "ENLACE_IMPORT_MAX_FIELD",
                )
            _refuse_control(number, column, value, header, by_name)


def _too_many_rows(limits: Limits) -> SubmissionError:
    return _over(_("The file has too many rows"), limits.max_rows, "ENLACE_IMPORT_MAX_ROWS")


def _read_csv(
    data: bytes, limits: Limits, by_name: Mapping[str, Column]
) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    text = decode(data)
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)

    def next_record() -> list[str]:
        # csv's own limit is checked on each field as it is read, and is
        # process-wide: set to the configured maximum (one more, so that the
        # error below names it) for this file's reading only.
        previous = csv.field_size_limit(limits.max_field + 1)
        try:
            return next(reader)
        finally:
            csv.field_size_limit(previous)

    def unreadable(exc: csv.Error, number: int) -> SubmissionError:
        if "field larger than field limit" in str(exc):
            return _over(
                _("Row %d: a value is too long") % number,
                limits.max_field,
                "ENLACE_IMPORT_MAX_FIELD",
            )
        return SubmissionError(_("Row %d cannot be read as CSV.") % number)

    try:
        header = next_record()
    except StopIteration:
        raise SubmissionError(_("The file is empty.")) from None
    except csv.Error as exc:
        raise unreadable(exc, 1) from None

    def rows() -> Iterator[tuple[int, list[str]]]:
        read = 0
        while True:
            try:
                values = next_record()
            except StopIteration:
                return
            except csv.Error as exc:
                raise unreadable(exc, reader.line_num) from None
            read += 1
            if read > limits.max_rows:
                raise _too_many_rows(limits)
            _check_row(reader.line_num, values, header, limits, by_name)
            if any(v.strip() for v in values):
                yield reader.line_num, values

    return header, rows()


def _read_xlsx(
    data: bytes, limits: Limits, by_name: Mapping[str, Column]
) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    unreadable = _("The file looks like an Excel workbook but cannot be read.")
    # The sizes the archive declares bound what reading it inflates (zipfile
    # stops at them), so a bomb is refused before openpyxl opens it.
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            inflated = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise SubmissionError(unreadable) from None
    if inflated > limits.max_unzipped_bytes:
        raise _over(
            _("The workbook is too large once uncompressed"),
            limits.max_unzipped_bytes,
            "ENLACE_IMPORT_MAX_UNZIPPED_BYTES",
        )
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = book.worksheets[0]
        # One column more than the limit: enough to tell a header over it.
        it = sheet.iter_rows(max_col=limits.max_columns + 1, values_only=True)
        first = next(it)
    except StopIteration:
        raise SubmissionError(_("The file is empty.")) from None
    except Exception:  # any unreadable workbook is one error for the clerk
        raise SubmissionError(unreadable) from None
    header = [str(v) if v is not None else "" for v in first]

    def rows() -> Iterator[tuple[int, list[str]]]:
        number = 1
        while True:
            number += 1
            try:
                values = next(it)
            except StopIteration:
                return
            except Exception:  # a cell that is not what its type says, a broken sheet
                # The exception's own words may quote the cell: they are not kept.
                raise SubmissionError(_("Row %d cannot be read.") % number) from None
            # Empty rows count: a sheet may jump to row 1,048,576, and each is yielded.
            if number - 1 > limits.max_rows:
                raise _too_many_rows(limits)
            cells = [_cell(v) for v in values]
            while cells and not cells[-1]:
                cells.pop()  # the padding to max_col above
            _check_row(number, cells, header, limits, by_name)
            if any(c.strip() for c in cells):
                yield number, cells

    return header, rows()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
