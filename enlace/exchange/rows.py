"""One data row of a submission, normalised, or the errors that name its columns and reasons."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from enlace.exchange.report import RowError, record_id_shown, shown
from enlace.exchange.template import COLUMN_NAMES, DETAIL_COLUMNS, STAGES
from enlace.exchange.values import (
    BOOLEANS,
    FORMS,
    SEXES,
    STATUSES,
    Lookups,
    choose,
    key,
    parse_date,
    terms_parse,
)
from enlace.linkage.normalise import CURP_PATTERN
from enlace.registry.models import identity_max_length
from enlace.registry.services import place_problem

# Notes are an import's own column (checked, never stored); identity lengths are the model's.
MAX_NOTES = 2000

UNKNOWN_COUNTRY = gettext_lazy("Unknown country.")
UNKNOWN_JURISDICTION = gettext_lazy("Unknown jurisdiction.")
UNKNOWN_PROTOCOL = gettext_lazy("Unknown protocol.")


@dataclass(frozen=True)
class Place:
    """A place of recruitment, transit or exploitation as a row gives it."""

    country_id: int
    jurisdiction_id: int | None
    municipality: str


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
    # How the person was trafficked: the lists and stages the row fills; an
    # empty cell is absent here, and keeps what is stored.
    codes: dict[str, list[str]] = field(default_factory=dict)
    places: dict[str, Place] = field(default_factory=dict)

    def identification_values(self) -> dict[str, Any]:
        """The row's values of ``Identification`` fields."""
        return {
            "identified_on": self.identified_on,
            "status": self.status,
            "jurisdiction_id": self.jurisdiction_id,
            "country_abroad_id": self.country_abroad_id,
            "protocol_id": self.protocol_id,
            "age_at_identification": self.age_at_identification,
            "consent_to_share": self.consent_to_share,
        }


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
    codes = _codes(v, lookups, fail)
    places = _places(v, lookups, fail)
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
            codes=codes,
            places=places,
        ),
        [],
    )


def _codes(v: Mapping[str, str], lookups: Lookups, fail: Any) -> dict[str, list[str]]:
    """The terms of each trafficking vocabulary the row fills, as the profile's codes."""
    codes: dict[str, list[str]] = {}
    for column in (c.name for c in DETAIL_COLUMNS):
        if not v[column]:
            continue
        table = lookups.vocabularies.get(column, {})
        found, bad, parts = terms_parse(v[column], table)
        listed = ", ".join(sorted(set(table.values())))
        for place in bad:
            if parts == 1:
                reason = _("Not in the country profile's list (%(codes)s).") % {"codes": listed}
            else:
                reason = _(
                    "Part %(place)d of %(parts)d is not in the country profile's list (%(codes)s)."
                ) % {"place": place, "parts": parts, "codes": listed}
            fail(column, reason)
        if found:
            codes[column] = sorted(found)
    return codes


def _places(v: Mapping[str, str], lookups: Lookups, fail: Any) -> dict[str, Place]:
    """The places the row gives, by stage, checked as ``identification_detail_set`` checks them."""
    places: dict[str, Place] = {}
    for stage, _label, _example in STAGES:
        columns = f"{stage}_country", f"{stage}_jurisdiction", f"{stage}_municipality"
        country_column, state_column, municipality_column = columns
        if not any(v[c] for c in columns):
            continue
        country = _lookup(v, country_column, lookups.countries, fail, UNKNOWN_COUNTRY)
        state = _lookup(v, state_column, lookups.jurisdictions, fail, UNKNOWN_JURISDICTION)
        if (v[country_column] and country is None) or (v[state_column] and state is None):
            continue
        # As on the page: a state or municipality without a country is in this country.
        country = country if country is not None else lookups.home_country
        if country is None:
            fail(country_column, _("Required with a state: the country profile is not loaded."))
            continue
        problem = place_problem(
            at_home=country == lookups.home_country,
            state=state is not None,
            municipality=v[municipality_column],
        )
        if problem is not None:
            part, reason = problem
            fail(f"{stage}_{part}", capfirst(reason) + ".")
            continue
        places[stage] = Place(country, state, v[municipality_column])
    return places


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
    found = choose(v[column], choices)
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
