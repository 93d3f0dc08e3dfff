"""Trends: every people count across the years with data, with the change from the year before.

A year without any record of a count's kind is missing, not zero (as the
annual report leaves it out), and the change is only measured between two
consecutive years that both have data. The values are the registry's own
indicators and the breakdowns' measures, computed for each year.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Max, Min
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enlace.assistance.models import ServiceDelivery, Stay
from enlace.immigration.models import VisaRequest
from enlace.referrals.models import Referral
from enlace.registry.models import Identification
from enlace.statistics.breakdowns import MEASURES, filtered, people
from enlace.statistics.indicators import REGISTRY, Text, years_with_data


@dataclass(frozen=True)
class Point:
    """One year of a trend: the value, and its change from the year before (if it has data)."""

    year: int
    value: int
    change: int | None
    change_percent: float | None


def series(values: Mapping[int, int]) -> list[Point]:
    """Values by year as points in year order, each compared with the year before it.

    The percent is of the year before, to one decimal with halves up; there is
    none from a year of zero.
    """
    points = []
    for year in sorted(values):
        before = values.get(year - 1)
        change = None if before is None else values[year] - before
        percent = None
        if change is not None and before:
            percent = float(
                (Decimal(100 * change) / before).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
            )
        points.append(Point(year, values[year], change, percent))
    return points


def data_years() -> list[int]:
    """From the first year any record is dated in to the last, never past the current year."""
    spans = [
        Identification.objects.aggregate(a=Min("identified_on"), b=Max("identified_on")),
        ServiceDelivery.objects.aggregate(a=Min("started_on"), b=Max("started_on")),
        Stay.objects.aggregate(a=Min("admitted_on"), b=Max("admitted_on")),
        VisaRequest.objects.aggregate(a=Min("decided_on"), b=Max("decided_on")),
        Referral.objects.annotate(y=ExtractYear("sent_at")).aggregate(a=Min("y"), b=Max("y")),
    ]
    firsts = [_year(s["a"]) for s in spans if s["a"] is not None]
    lasts = [_year(s["b"]) for s in spans if s["b"] is not None]
    if not firsts:
        return []
    return list(range(min(firsts), min(max(lasts), timezone.localdate().year) + 1))


def _year(value: datetime.date | int) -> int:
    return value if isinstance(value, int) else value.year


@dataclass(frozen=True)
class Trend:
    """A people count that has a trend: how to compute a year, and whether a year has data."""

    label: Text
    compute: Callable[[int], Any]
    has_data: Callable[[int], bool]


def _kind(kind: str) -> Callable[[int], bool]:
    return lambda year: bool(years_with_data(kind, [year]))


def _measure(name: str) -> Trend:
    def compute(year: int) -> int:
        return people(filtered(name, year))

    return Trend(MEASURES[name].label, compute, lambda y: MEASURES[name].records(y).exists())


def _registered(name: str, label: Text, has_data: Callable[[int], bool]) -> Trend:
    return Trend(label, REGISTRY[name].compute, has_data)


# Every people count of the registry: totals (an int a year) and breakdowns (a count per
# category), and the measures of the breakdowns. The money, referral and duration
# indicators count something else and have no place here.
TOTALS: dict[str, Trend] = {
    "identified_total": _registered(
        "identified_total", _("Identified in the country"), _kind("domestic")
    ),
    "identified_abroad_total": _registered(
        "identified_abroad_total", _("Identified abroad"), _kind("abroad")
    ),
    "visas_granted": _registered("visas_granted", _("Humanitarian visas granted"), _kind("visas")),
    **{name: _measure(name) for name in ("referred", "assisted", "sheltered")},
}
BY_CATEGORY: dict[str, Trend] = {
    "identified_by_form": _registered(
        "identified_by_form", _("Identified, by form of exploitation"), _kind("domestic")
    ),
    "identified_by_sex": _registered(
        "identified_by_sex", _("Identified, by sex"), _kind("domestic")
    ),
    "identified_by_level": _registered(
        "identified_by_level", _("Identified, by level of government"), _kind("domestic")
    ),
    "identified_abroad_by_country": _registered(
        "identified_abroad_by_country", _("Identified abroad, by country"), _kind("abroad")
    ),
    "identified_abroad_by_form": _registered(
        "identified_abroad_by_form", _("Identified abroad, by form"), _kind("abroad")
    ),
    "assisted_by_agency": _registered(
        "assisted_by_agency", _("Assisted, by agency"), _measure("assisted").has_data
    ),
    "sheltered_by_shelter": _registered(
        "sheltered_by_shelter", _("Sheltered, by shelter"), _measure("sheltered").has_data
    ),
}


def trend(name: str, years: list[int] | None = None) -> list[Point]:
    """A total's points over the years with data."""
    spec = TOTALS[name]
    years = data_years() if years is None else years
    return series({y: int(spec.compute(y)) for y in years if spec.has_data(y)})


def trend_by_category(name: str, years: list[int] | None = None) -> dict[str, list[Point]]:
    """A breakdown's points per category, over the years the breakdown has data.

    A category absent from a year with data is zero that year: nobody was in it.
    """
    spec = BY_CATEGORY[name]
    years = data_years() if years is None else years
    by_year = {y: spec.compute(y) for y in years if spec.has_data(y)}
    keys = sorted({k for counts in by_year.values() for k in counts})
    return {k: series({y: int(counts.get(k, 0)) for y, counts in by_year.items()}) for k in keys}


def measure_trend(
    measure: str, filters: Mapping[str, str] | None = None, years: list[int] | None = None
) -> list[Point]:
    """The people of a measure over the years with data, with the breakdowns' filters."""
    years = data_years() if years is None else years
    spec = MEASURES[measure]
    return series(
        {y: people(filtered(measure, y, filters)) for y in years if spec.records(y).exists()}
    )
