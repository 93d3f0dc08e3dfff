"""What an import report may show of a rejected row: a value only when it has the shape
of what its column holds, so that no identity is echoed whichever column it landed in."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from enlace.exchange.template import IDENTITY_COLUMNS, STAGES
from enlace.exchange.values import (
    BOOLEANS,
    DATE_PATTERNS,
    FORMS,
    SEXES,
    STATUSES,
    Lookups,
    choose,
    key,
    terms_parse,
)
from enlace.linkage.normalise import CURP_PATTERN

WITHHELD = "[withheld]"


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
    # The places of recruitment, transit and exploitation.
    **{f"{stage}_country": "countries" for stage, *_rest in STAGES},
    **{f"{stage}_jurisdiction": "jurisdictions" for stage, *_rest in STAGES},
}
AGE_SHAPE = re.compile(r"[0-9]{1,3}")
# Names hold no digits; dates and CURPs hold digits but have shapes of their own.
RECORD_ID_SHAPE = re.compile(r"(?=.*[0-9])[A-Za-z0-9._/:#-]{1,64}")
MAX_SHOWN = 60


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
        return bool(parts) and all(choose(p.strip(), FORMS) is not None for p in parts)
    if column in lookups.vocabularies:
        found, bad, _parts = terms_parse(value, lookups.vocabularies[column])
        return bool(found) and not bad
    if column in CHOICES:
        return choose(value, CHOICES[column]) is not None
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
