"""Reading a submission and normalising what agencies really send. Pure: no database.

Files arrive as UTF-8 (with or without a byte-order mark) or Windows-1252,
comma- or semicolon-separated, or as an Excel workbook. Values arrive in
English or Spanish, with or without accents, dates as ISO or dd/mm/yyyy.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import zipfile
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from enlace.directory.names import fold, jurisdiction_keys
from enlace.exchange.template import BY_NAME, COLUMN_NAMES, IDENTITY_COLUMNS
from enlace.linkage.normalise import CURP_PATTERN
from enlace.registry.models import identity_max_length

# Notes are an import's own column (checked, never stored); identity lengths are the model's.
MAX_NOTES = 2000
WITHHELD = "[withheld]"


UNKNOWN_COUNTRY = gettext_lazy("Unknown country.")
UNKNOWN_JURISDICTION = gettext_lazy("Unknown jurisdiction.")
UNKNOWN_PROTOCOL = gettext_lazy("Unknown protocol.")


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
    from django.conf import settings

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


@dataclass(frozen=True)
class RowError:
    row: int
    agency_record_id: str
    column: str
    value: str
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "agency_record_id": self.agency_record_id,
            "column": self.column,
            "value": self.value,
            "reason": self.reason,
        }


@dataclass
class Lookups:
    """Reference lists, keyed by every spelling a row may use (folded)."""

    jurisdictions: dict[str, int] = field(default_factory=dict)
    countries: dict[str, int] = field(default_factory=dict)
    protocols: dict[str, int] = field(default_factory=dict)
    # Upper case. Only to decide whether a report may show an agency_code.
    agencies: frozenset[str] = frozenset()


JURISDICTION_FIELDS = ("pk", "code", "name", "name_en", "abbreviation")
COUNTRY_FIELDS = ("pk", "iso2", "iso3", "name", "name_es")


def lookups_build(
    *,
    jurisdictions: Iterable[tuple[Any, ...]],
    countries: Iterable[tuple[Any, ...]],
    protocols: Iterable[tuple[Any, ...]],
    agencies: Iterable[str],
) -> Lookups:
    """The lookups from plain rows: jurisdictions as values of
    ``JURISDICTION_FIELDS`` followed by their aliases (a list), countries as
    values of ``COUNTRY_FIELDS``, protocols as (pk, code), agencies as codes.

    Plain rows, so that a migration builds them from its historical models;
    one from before jurisdictions had aliases gives the five fields alone.
    Every way of writing a jurisdiction comes from the country profile, which
    has made sure that none names two (``enlace.directory.profile``).
    """
    lookups = Lookups(agencies=frozenset(code.upper() for code in agencies))
    for pk, code, name, name_en, abbreviation, *rest in jurisdictions:
        aliases = rest[0] if rest else []
        for spelling in (code, name, name_en, abbreviation, *aliases):
            for folded in jurisdiction_keys(spelling or ""):
                lookups.jurisdictions.setdefault(key(folded), pk)
    for pk, iso2, iso3, name, name_es in countries:
        for spelling in (iso2, iso3, name, name_es):
            if spelling:
                lookups.countries.setdefault(key(spelling), pk)
    for pk, code in protocols:
        lookups.protocols[key(code)] = pk
    return lookups


@dataclass
class ParsedRow:
    row: int
    agency_record_id: str
    identified_on: datetime.date
    status: str
    sex: str
    nationality_id: int | None
    age_at_identification: int | None
    jurisdiction_id: int | None
    country_abroad_id: int | None
    forms: list[str]
    protocol_id: int | None
    consent_to_share: bool
    identity: dict[str, Any]


def key(text: str) -> str:
    """How reference values are compared: lower case, no accents, single spaces."""
    return fold(text)


STATUSES = {
    "potential": "potential",
    "potencial": "potential",
    "victima potencial": "potential",
    "posible": "potential",
    "possible": "potential",
    "identified": "identified",
    "identificada": "identified",
    "identificado": "identified",
    "victima identificada": "identified",
    "actual": "identified",
    "not a victim": "not_a_victim",
    "not_a_victim": "not_a_victim",
    "no es victima": "not_a_victim",
    "no victima": "not_a_victim",
}
SEXES = {
    "male": "male",
    "m": "male",
    "man": "male",
    "hombre": "male",
    "h": "male",
    "masculino": "male",
    "female": "female",
    "f": "female",
    "woman": "female",
    "mujer": "female",
    "femenino": "female",
    "unspecified": "unspecified",
    "no especificado": "unspecified",
    "sin especificar": "unspecified",
    "x": "unspecified",
}
BOOLEANS = {
    "yes": True,
    "y": True,
    "si": True,
    "s": True,
    "true": True,
    "1": True,
    "no": False,
    "n": False,
    "false": False,
    "0": False,
}
FORMS = {
    "sex trafficking": "sex_trafficking",
    "explotacion sexual": "sex_trafficking",
    "trata con fines de explotacion sexual": "sex_trafficking",
    "forced labour": "forced_labour",
    "forced labor": "forced_labour",
    "trabajo forzoso": "forced_labour",
    "trabajos forzados": "forced_labour",
    "forced begging": "forced_begging",
    "mendicidad forzada": "forced_begging",
    "mendicidad forzosa": "forced_begging",
    "forced criminality": "forced_criminality",
    "criminalidad forzada": "forced_criminality",
    "actividades delictivas": "forced_criminality",
    "other": "other",
    "otro": "other",
    "otros": "other",
    "otros fines": "other",
    "unspecified": "unspecified",
    "no especificado": "unspecified",
    "sin especificar": "unspecified",
}
DATE_PATTERNS = (
    re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})$"),
    re.compile(r"^(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})$"),
    re.compile(r"^(?P<d>\d{1,2})-(?P<m>\d{1,2})-(?P<y>\d{4})$"),
)

# The shapes a report may show. A rejected row's cells may not be in their
# columns (one unquoted comma in a name shifts every cell after it), so a
# column's name says nothing of what its cell holds: a value is shown only
# when it has its column's own shape, which no name, birth date or CURP has.
CHOICES: dict[str, Mapping[str, Any]] = {
    "identification_status": STATUSES,
    "sex": SEXES,
    "consent_to_share": BOOLEANS,
}
LOOKUP_TABLES = {
    "nationality": "countries",
    "country_abroad": "countries",
    "jurisdiction": "jurisdictions",
    "protocol": "protocols",
}
AGE_SHAPE = re.compile(r"[0-9]{1,3}")
# Names hold no digits; dates and CURPs hold digits but have shapes of their own.
RECORD_ID_SHAPE = re.compile(r"(?=.*[0-9])[A-Za-z0-9._/:#-]{1,64}")
# A header cell after folding (``_header_key``): digits would let a date, a CURP,
# a passport number or an age through.
HEADER_SHAPE = re.compile(r"[a-z]+(?:_[a-z]+)*")
MAX_HEADER = 40
MAX_SHOWN = 60


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
    data: bytes, limits: Limits | None = None
) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """The header and the data rows (with their spreadsheet row numbers) of a CSV or XLSX file.

    Raises ``SubmissionError`` for a file that cannot be read or is over a
    limit (``Limits``), whether found at the header or at any later row: the
    rows iterator raises it too, naming the row.
    """
    limits = limits or limits_from_settings()
    if error := too_large(len(data), limits):
        raise error
    if data[:4] == b"PK\x03\x04":
        raw, rows = _read_xlsx(data, limits)
    else:
        raw, rows = _read_csv(data, limits)
    while raw and not str(raw[-1] or "").strip():
        raw.pop()
    # Before folding the cells: a header of 32,000 columns is refused, not checked.
    if len(raw) > limits.max_columns:
        raise _over(_("Row 1 (header) has too many columns"), limits.max_columns, MAX_COLUMNS)
    for column, cell in enumerate(raw, start=1):
        _refuse_control(1, column, str(cell or ""), [])
    header = [_header_key(h) for h in raw]
    while header and not header[-1]:
        header.pop()
    names = set(header)
    missing = [c for c in COLUMN_NAMES if BY_NAME[c].required and c not in names]
    unknown = [h for h in header if h not in BY_NAME]
    # A column name is the template's vocabulary; any other cell may be data
    # (a name, a date), so it is named only when shaped like a column name.
    named = list(dict.fromkeys(h for h in unknown if header_shaped(h)))
    unnamed = sum(1 for h in unknown if not header_shaped(h))
    counts = Counter(header)
    duplicated = sorted(h for h, n in counts.items() if h in BY_NAME and n > 1)
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


def _column_name(column: int, header: list[str]) -> str:
    # A template column is named; any other header cell may be data, so it is numbered.
    name = _header_key(header[column - 1]) if column <= len(header) else ""
    return name if name in BY_NAME else _("column %d") % column


def _refuse_control(number: int, column: int, value: str, header: list[str]) -> None:
    if CONTROL.search(value):
        # The value is not quoted: it may hold an identity.
        raise SubmissionError(
            _("Row %(row)d, %(column)s: a control character (such as NUL) is not allowed.")
            % {"row": number, "column": _column_name(column, header)}
        )


def _check_row(number: int, values: list[str], header: list[str], limits: Limits) -> None:
    """Refuse a row over the limits or holding a control character, naming row and column."""
    if len(values) > limits.max_columns:
        raise _over(_("Row %d has too many columns") % number, limits.max_columns, MAX_COLUMNS)
    joined = "".join(values)
    if len(joined) > limits.max_field or CONTROL.search(joined):
        for column, value in enumerate(values, start=1):
            if len(value) > limits.max_field:
                raise _over(
                    _("Row %(row)d, %(column)s: the value is too long")
                    % {"row": number, "column": _column_name(column, header)},
                    limits.max_field,
                    "ENLACE_IMPORT_MAX_FIELD",
                )
            _refuse_control(number, column, value, header)


def _too_many_rows(limits: Limits) -> SubmissionError:
    return _over(_("The file has too many rows"), limits.max_rows, "ENLACE_IMPORT_MAX_ROWS")


def _read_csv(data: bytes, limits: Limits) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
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
            _check_row(reader.line_num, values, header, limits)
            if any(v.strip() for v in values):
                yield reader.line_num, values

    return header, rows()


def _read_xlsx(data: bytes, limits: Limits) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    import openpyxl

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
            _check_row(number, cells, header, limits)
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


def parse_date(text: str) -> datetime.date:
    for pattern in DATE_PATTERNS:
        if match := pattern.match(text):
            return datetime.date(int(match["y"]), int(match["m"]), int(match["d"]))
    raise ValueError(text)


def _choose(value: str, choices: Mapping[str, Any]) -> Any:
    found = choices.get(key(value))
    return choices.get(value.lower()) if found is None else found


def _date_shaped(value: str) -> bool:
    return any(pattern.fullmatch(value) for pattern in DATE_PATTERNS)


def record_id_shown(value: str) -> str:
    """What a report may show of an agency_record_id: a reference, never a name, date or CURP."""
    if not value:
        return ""
    if (
        RECORD_ID_SHAPE.fullmatch(value)
        and not _date_shaped(value)
        and not CURP_PATTERN.match(value.upper())
    ):
        return value
    return WITHHELD


def well_shaped(column: str, value: str, lookups: Lookups) -> bool:
    """Whether ``value`` has the shape of what ``column`` holds, so that showing it
    cannot echo an identity whichever column it came from.

    Dates are judged by their form only (2017-02-30 is shaped like a date), so a
    birth date shifted into ``identified_on`` passes: it is shown only when that
    column has an error of its own, as a birth date written month first has
    (03/14/1999 is shaped like a date and is not one). The docs state this risk.
    """
    if column in IDENTITY_COLUMNS:
        return False
    if column == "agency_record_id":
        return record_id_shown(value) == value
    if column == "agency_code":
        return value.strip().upper() in lookups.agencies
    if column == "identified_on":
        return _date_shaped(value)
    if column == "age_at_identification":
        return bool(AGE_SHAPE.fullmatch(value))
    if column == "exploitation_forms":
        parts = [p for p in value.split(";") if p.strip()]
        return bool(parts) and all(_choose(p.strip(), FORMS) is not None for p in parts)
    if column in CHOICES:
        return _choose(value, CHOICES[column]) is not None
    if column in LOOKUP_TABLES:
        return key(value) in getattr(lookups, LOOKUP_TABLES[column])
    # Identity and free-text columns, and anything else.
    return False


def shown(column: str, value: str, lookups: Lookups) -> str:
    """What an error report may show of a value: the value when it is shaped like
    what its column holds (``well_shaped``), otherwise ``[withheld]``."""
    if not value:
        return ""
    if well_shaped(column, value, lookups):
        return value[:MAX_SHOWN]
    return WITHHELD


# "Unknown form of exploitation: piracy", in the languages reports were stored in.
OLD_FORM_REASON = re.compile(
    r"^(?P<head>Unknown form of exploitation|Forma de explotación desconocida): .*$", re.S
)


def report_scrub(errors: Iterable[Mapping[str, Any]], lookups: Lookups) -> list[dict[str, Any]]:
    """A stored report passed through the rule of ``shown``.

    Reports stored before the rule showed values by column name, and one reason
    named the rejected value: both are withheld here. Values already withheld
    or empty stay as they are.
    """
    scrubbed = []
    for error in errors:
        error = dict(error)
        column = str(error.get("column") or "")
        value = str(error.get("value") or "")
        if value != WITHHELD:
            error["value"] = shown(column, value, lookups)
        record_id = str(error.get("agency_record_id") or "")
        if record_id != WITHHELD:
            error["agency_record_id"] = record_id_shown(record_id)
        reason = str(error.get("reason") or "")
        if column == "exploitation_forms" and (match := OLD_FORM_REASON.match(reason)):
            error["reason"] = match["head"] + "."
        scrubbed.append(error)
    return scrubbed


def parse_row(
    number: int,
    values: Mapping[str, str],
    *,
    lookups: Lookups,
    agency_code: str,
    today: datetime.date,
) -> tuple[ParsedRow | None, list[RowError]]:
    """One data row, normalised, or the errors that name its columns and reasons."""
    v = {name: (values.get(name) or "").strip() for name in COLUMN_NAMES}
    record_id = v["agency_record_id"]
    record_id_report = record_id_shown(record_id)
    errors: list[RowError] = []

    def fail(column: str, reason: Any) -> None:
        value = shown(column, v[column], lookups)
        errors.append(RowError(number, record_id_report, column, value, str(reason)))

    if not record_id:
        fail("agency_record_id", _("Required."))
    elif len(record_id) > 64:
        fail("agency_record_id", _("At most 64 characters."))
    if v["agency_code"] and v["agency_code"].upper() != agency_code.upper():
        fail("agency_code", _("Not the agency of this submission (%s).") % agency_code)

    identified_on = _date(v, "identified_on", fail, required=True)
    if identified_on and identified_on > today:
        fail("identified_on", _("An identification cannot be in the future."))
    status = _choice(v, "identification_status", STATUSES, fail, default="potential")
    sex = _choice(v, "sex", SEXES, fail, default="unspecified")
    birth_date = _date(v, "birth_date", fail)
    if birth_date and birth_date > today:
        fail("birth_date", _("A birth date cannot be in the future."))
    if birth_date and identified_on and birth_date > identified_on:
        fail("birth_date", _("The birth date is after the identification."))
    age = None
    if v["age_at_identification"]:
        try:
            age = int(v["age_at_identification"])
            if not 0 <= age <= 120:
                raise ValueError
        except ValueError:
            fail("age_at_identification", _("Not a whole number of years from 0 to 120."))
            age = None
    nationality = _lookup(v, "nationality", lookups.countries, fail, UNKNOWN_COUNTRY)
    jurisdiction = _lookup(v, "jurisdiction", lookups.jurisdictions, fail, UNKNOWN_JURISDICTION)
    abroad = _lookup(v, "country_abroad", lookups.countries, fail, UNKNOWN_COUNTRY)
    if v["jurisdiction"] and v["country_abroad"]:
        fail("country_abroad", _("Give a jurisdiction or a country abroad, not both."))
    protocol = _lookup(v, "protocol", lookups.protocols, fail, UNKNOWN_PROTOCOL)
    consent = _choice(v, "consent_to_share", BOOLEANS, fail, default=False)
    forms: set[str] = set()
    parts = [part for part in v["exploitation_forms"].split(";") if part.strip()]
    for place, part in enumerate(parts, start=1):
        form = FORMS.get(key(part)) or (key(part).replace(" ", "_") if key(part) else "")
        if form in FORMS.values():
            forms.add(form)
        # The part is not quoted: it is no form of exploitation, so it may be anything.
        elif len(parts) == 1:
            fail("exploitation_forms", _("Unknown form of exploitation."))
        else:
            fail(
                "exploitation_forms",
                _("Unknown form of exploitation (part %(place)d of %(parts)d).")
                % {"place": place, "parts": len(parts)},
            )
    if status != "not_a_victim" and not forms:
        forms = {"unspecified"}
    curp = v["curp"].replace(" ", "").upper()
    if curp and not CURP_PATTERN.match(curp):
        fail("curp", _("Not a well-formed CURP (18 letters and digits)."))
    for name in ("given_names", "paternal_surname", "maternal_surname", "passport_number"):
        if len(v[name]) > (limit := identity_max_length(name)):
            fail(name, _("At most %d characters.") % limit)
    if len(v["notes"]) > MAX_NOTES:
        fail("notes", _("At most %d characters.") % MAX_NOTES)
    if errors or identified_on is None:
        return None, errors
    return (
        ParsedRow(
            row=number,
            agency_record_id=record_id,
            identified_on=identified_on,
            status=str(status),
            sex=str(sex),
            nationality_id=nationality,
            age_at_identification=age,
            jurisdiction_id=jurisdiction,
            country_abroad_id=abroad,
            forms=sorted(forms),
            protocol_id=protocol,
            consent_to_share=bool(consent),
            identity={
                "given_names": v["given_names"],
                "paternal_surname": v["paternal_surname"],
                "maternal_surname": v["maternal_surname"],
                "birth_date": birth_date,
                "curp": curp,
                "passport_number": v["passport_number"],
            },
        ),
        [],
    )


def _date(v: Mapping[str, str], column: str, fail: Any, *, required: bool = False) -> Any:
    if not v[column]:
        if required:
            fail(column, _("Required."))
        return None
    try:
        return parse_date(v[column])
    except ValueError:
        fail(column, _("Not a date: use YYYY-MM-DD or DD/MM/YYYY."))
        return None


def _choice(
    v: Mapping[str, str], column: str, choices: Mapping[str, Any], fail: Any, *, default: Any
) -> Any:
    if not v[column]:
        return default
    found = _choose(v[column], choices)
    if found is None:
        allowed = (
            "yes, no"
            if choices is BOOLEANS
            else ", ".join(sorted({str(c) for c in choices.values()}))
        )
        fail(column, _("Not one of: %s.") % allowed)
        return default
    return found


def _lookup(
    v: Mapping[str, str], column: str, table: Mapping[str, int], fail: Any, reason: Any
) -> int | None:
    if not v[column]:
        return None
    found = table.get(key(v[column]))
    if found is None:
        fail(column, reason)
    return found
