"""Breakdowns of the people counts: who the people are, where and by whom they were counted.

A *measure* is a people count of the registry seen as the records that make a
person count in a year (identified, referred, assisted, sheltered); a
*dimension* splits it. The counting unit is the national person, as in
``indicators.py``: a person counts once in each category any of their records
puts them in, so a table by agency, state, level, country or form is not a
partition of the total, while one by sex, age band, nationality or indigenous
status is (each person falls in exactly one category). ``docs/counting-rules.md``
writes the rules out.

Two kinds of dimension:

- **where and by whom** (state, agency, level; and form for identifications):
  a property of the counting record itself; filtering by one keeps only the
  records that have it, so "Puebla, by agency" counts each agency's
  identifications made in Puebla;
- **who** (sex, age band, nationality, country, indigenous status; and form
  for the other measures): a property of the national person, read from all
  their records; filtering by one keeps the people who have it.

Every breakdown takes the same filters (any dimension and one category), so a
row of one table drills down to the next. Cells shown beyond the national
level pass through ``disclosure.py`` (:func:`disclosed`, and ``crosstab.py`` for
two-way tables).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, F, Min, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from enlace.directory.models import Agency, Country, Jurisdiction
from enlace.registry.models import ExploitationForm, Identification, Person, Sex
from enlace.statistics.disclosure import Cell, suppress_1d
from enlace.statistics.indicators import (
    NATIONAL,
    Text,
    domestic_identifications,
    services_started,
    stays_in_year,
    year_bounds,
)
from enlace.statistics.path import referrals_sent

# The category of a record or a person that says nothing for a dimension.
NONE = "none"
TOP_COUNTRIES = 10


@dataclass(frozen=True)
class Measure:
    """A people count: the records that make a person count in a year, and what they say."""

    label: Text
    records: Callable[[int], QuerySet[Any]]
    state: Any  # an expression giving the record's state code
    agency: str  # the path to the code of the agency that made the record
    form: str | None = None  # the path to the record's forms, when it names them


MEASURES: dict[str, Measure] = {
    "identified": Measure(
        _("Identified"),
        domestic_identifications,
        Coalesce("jurisdiction__code", "agency__jurisdiction__code"),
        "agency",
        form="forms__form",
    ),
    "referred": Measure(
        _("Referred"), referrals_sent, F("from_agency__jurisdiction__code"), "from_agency"
    ),
    "assisted": Measure(_("Assisted"), services_started, F("agency__jurisdiction__code"), "agency"),
    "sheltered": Measure(_("Sheltered"), stays_in_year, F("shelter__jurisdiction__code"), "agency"),
}

AGE_BANDS: dict[str, tuple[int, int | None]] = {
    "0_11": (0, 12),
    "12_17": (12, 18),
    "18_29": (18, 30),
    "30_49": (30, 50),
    "50_plus": (50, None),
}
CHILD_BANDS = ("0_11", "12_17")

# A dimension's name and its label; the order of the dashboard's choices.
DIMENSIONS: dict[str, Text] = {
    "state": pgettext_lazy("jurisdiction", "State"),
    "agency": _("Agency"),
    "level": _("Level of government"),
    "sex": _("Sex"),
    "age_band": _("Age band"),
    "nationality": _("National or foreign"),
    "country": _("Country of nationality"),
    "indigenous": _("Indigenous"),
    "form": _("Form of exploitation"),
}
PARTITIONS = frozenset({"sex", "age_band", "nationality", "indigenous"})


def record_categories(measure: Measure) -> dict[str, Any]:
    """The record's own categories: where and by whom, and its forms if it names them."""
    keys = {
        "state": measure.state,
        "agency": F(f"{measure.agency}__code"),
        "level": F(f"{measure.agency}__level"),
    }
    if measure.form:
        keys["form"] = F(measure.form)
    return keys


# --- who: categories of the national person ------------------------------------------------


def _end(year: int) -> datetime.date:
    return year_bounds(year)[1]


def _foreign() -> Q:
    return Q(nationality__isnull=False) & ~Q(nationality__iso2=settings.COUNTRY_PROFILE)


def _sex(year: int) -> QuerySet[Any]:
    return Person.objects.values("national_id").annotate(
        male=Count("pk", filter=Q(sex=Sex.MALE)), female=Count("pk", filter=Q(sex=Sex.FEMALE))
    )


def _nationality(year: int) -> QuerySet[Any]:
    return Person.objects.values("national_id").annotate(
        foreign=Count("pk", filter=_foreign()),
        national=Count("pk", filter=Q(nationality__iso2=settings.COUNTRY_PROFILE)),
    )


def _indigenous(year: int) -> QuerySet[Any]:
    return Person.objects.values("national_id").annotate(
        yes=Count("pk", filter=Q(indigenous=True)), no=Count("pk", filter=Q(indigenous=False))
    )


def _age(year: int) -> QuerySet[Any]:
    return Person.objects.values("national_id").annotate(
        age=Min(
            "identifications__age_at_identification",
            filter=Q(identifications__identified_on__lte=_end(year)),
        )
    )


def _band(low: int, high: int | None) -> Q:
    return Q(age__gte=low) if high is None else Q(age__gte=low, age__lt=high)


# Each person falls in exactly one category: the rows grouped by national person, and the
# condition on their annotations that puts a person in each category.
PERSON_PARTITIONS: dict[str, tuple[Callable[[int], QuerySet[Any]], dict[str, Q]]] = {
    "sex": (
        _sex,
        {
            Sex.MALE.value: Q(male__gt=0, female=0),
            Sex.FEMALE.value: Q(female__gt=0, male=0),
            Sex.UNSPECIFIED.value: Q(male=0, female=0) | Q(male__gt=0, female__gt=0),
        },
    ),
    "age_band": (
        _age,
        {**{k: _band(*bounds) for k, bounds in AGE_BANDS.items()}, NONE: Q(age__isnull=True)},
    ),
    "nationality": (
        _nationality,
        {
            "national": Q(foreign=0, national__gt=0),
            "foreign": Q(foreign__gt=0),
            NONE: Q(foreign=0, national=0),
        },
    ),
    "indigenous": (
        _indigenous,
        {"yes": Q(yes__gt=0), "no": Q(yes=0, no__gt=0), NONE: Q(yes=0, no=0)},
    ),
}


def person_tags(dimension: str, year: int) -> tuple[QuerySet[Any], str, str]:
    """Records that give a person a category (several may apply): rows, national path, key."""
    if dimension == "country":
        return Person.objects.filter(nationality__isnull=False), "national_id", "nationality__iso2"
    identified = Identification.objects.filter(
        status=Identification.Status.IDENTIFIED, identified_on__lte=_end(year)
    )
    return identified, NATIONAL, "forms__form"


def _people_in(dimension: str, key: str, year: int) -> QuerySet[Any]:
    """The national ids of the people in a category of a ``who`` dimension."""
    if dimension in PERSON_PARTITIONS:
        grouped, categories = PERSON_PARTITIONS[dimension]
        return grouped(year).filter(categories[key]).values("national_id")
    records, national, path = person_tags(dimension, year)
    return records.filter(**{path: key}).values(national)


# --- breakdowns ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Breakdown:
    """People of a measure in a year, in all and per category of one dimension."""

    measure: str
    dimension: str
    year: int
    filters: Mapping[str, str]
    total: int
    counts: dict[str, int]
    partition: bool = False


def filtered(measure: str, year: int, filters: Mapping[str, str] | None = None) -> QuerySet[Any]:
    """The measure's records of ``year`` with every filter applied (dimension → category)."""
    spec = MEASURES[measure]
    records = spec.records(year)
    where = record_categories(spec)
    for dimension, key in (filters or {}).items():
        if dimension in where:
            name = f"by_{dimension}"
            matches = {f"{name}__isnull": True} if key == NONE else {name: key}
            records = records.annotate(**{name: where[dimension]}).filter(**matches)
        elif dimension in DIMENSIONS:
            records = records.filter(**{f"{NATIONAL}__in": _people_in(dimension, key, year)})
        else:
            raise ValueError(f"no dimension {dimension!r}")
    return records


def people(records: QuerySet[Any]) -> int:
    """The national people the records count, each once."""
    return int(records.aggregate(n=Count(NATIONAL, distinct=True))["n"])


def breakdown(
    measure: str, dimension: str, year: int, filters: Mapping[str, str] | None = None
) -> Breakdown:
    """People of ``measure`` in ``year`` per category of ``dimension``, filtered."""
    filters = dict(filters or {})
    records = filtered(measure, year, filters)
    where = record_categories(MEASURES[measure])
    if dimension in where:
        rows = (
            records.annotate(breakdown_key=where[dimension])
            .values("breakdown_key")
            .annotate(n=Count(NATIONAL, distinct=True))
            .order_by()
        )
        counts = {row["breakdown_key"] or NONE: int(row["n"]) for row in rows}
    elif dimension in PERSON_PARTITIONS:
        grouped, categories = PERSON_PARTITIONS[dimension]
        grouped_people = grouped(year).filter(national_id__in=records.values(NATIONAL))
        aliases = {f"c{i}": key for i, key in enumerate(categories)}
        totals = grouped_people.aggregate(
            **{
                alias: Count("national_id", filter=categories[key])
                for alias, key in aliases.items()
            }
        )
        counts = {key: int(totals[alias]) for alias, key in aliases.items()}
    elif dimension in DIMENSIONS:
        tagged, national, path = person_tags(dimension, year)
        rows = (
            tagged.filter(**{f"{national}__in": records.values(NATIONAL)})
            .values(path)
            .annotate(n=Count(national, distinct=True))
            .order_by()
        )
        counts = {row[path]: int(row["n"]) for row in rows if row[path]}
    else:
        raise ValueError(f"no dimension {dimension!r}")
    return Breakdown(
        measure,
        dimension,
        year,
        filters,
        total=people(records),
        counts=_ordered(dimension, counts),
        partition=dimension in PARTITIONS,
    )


def _ordered(dimension: str, counts: dict[str, int]) -> dict[str, int]:
    """Fixed categories in their order, zeros kept; the others by count, largest first."""
    fixed: dict[str, list[str]] = {
        "sex": list(Sex.values),
        "age_band": [*AGE_BANDS, NONE],
        "nationality": ["national", "foreign", NONE],
        "indigenous": ["yes", "no", NONE],
        "form": list(ExploitationForm.values),
        "level": list(Agency.Level.values),
    }
    if dimension in fixed:
        order = fixed[dimension]
        keys = [k for k in order if k in counts or dimension in PARTITIONS]
        keys += sorted(k for k in counts if k not in order)
        return {k: counts.get(k, 0) for k in keys}
    ranked = sorted(counts, key=lambda k: (k == NONE, -counts[k], k))
    if dimension == "country":
        ranked = ranked[:TOP_COUNTRIES]
    return {k: counts[k] for k in ranked}


def disclosed(table: Breakdown, *, threshold: int) -> tuple[dict[str, Cell], Cell]:
    """The table's cells and total as they may be shown: small ones hidden, and their complements.

    The total is passed as published: for a table that is not a partition
    (forms, agencies) the cells do not add up to it.
    """
    return suppress_1d(table.counts, threshold=threshold, total=table.total)


# --- labels ----------------------------------------------------------------------------------


def labels(dimension: str, keys: list[str]) -> dict[str, str]:
    """What each category is called, in the active language."""
    spanish = (get_language() or "").startswith("es")
    names: dict[str, Any] = {
        NONE: {
            "state": _("No state recorded"),
            "age_band": _("Age not recorded"),
            "nationality": _("Nationality not recorded"),
            "indigenous": _("Not recorded"),
            "form": _("Form not recorded"),
        }.get(dimension, _("Not recorded"))
    }
    if dimension == "sex":
        names.update(Sex.choices)
    elif dimension == "form":
        names.update(ExploitationForm.choices)
    elif dimension == "level":
        names.update(Agency.Level.choices)
    elif dimension == "age_band":
        names.update(AGE_LABELS)
    elif dimension == "nationality":
        names.update({"national": _("National"), "foreign": _("Foreign")})
    elif dimension == "indigenous":
        names.update({"yes": _("Indigenous"), "no": _("Not indigenous")})
    elif dimension == "state":
        for j in Jurisdiction.objects.filter(code__in=keys):
            names[j.code] = j.name if spanish else (j.name_en or j.name)
    elif dimension == "agency":
        for a in Agency.objects.filter(code__in=keys):
            names[a.code] = f"{a.code} · {a.name if spanish else a.name_en or a.name}"
    elif dimension == "country":
        for c in Country.objects.filter(iso2__in=keys):
            names[c.iso2] = c.name_es if spanish else c.name
    return {k: str(names.get(k, k)) for k in keys}


AGE_LABELS = {
    "0_11": _("Children 0–11"),
    "12_17": _("Children 12–17"),
    "18_29": _("Adults 18–29"),
    "30_49": _("Adults 30–49"),
    "50_plus": _("Adults 50 and over"),
}
