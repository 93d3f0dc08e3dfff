"""Working-day arithmetic on a country's public holidays. Pure functions."""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Container
from functools import cache

import holidays


@cache
def public_holidays(country: str, years: tuple[int, ...]) -> frozenset[datetime.date]:
    return frozenset(holidays.country_holidays(country, years=years).keys())


def is_working_day(day: datetime.date, closed: Container[datetime.date]) -> bool:
    return day.weekday() < 5 and day not in closed


def add_working_days(
    start: datetime.date, days: int, closed: Container[datetime.date]
) -> datetime.date:
    """The ``days``-th working day after ``start`` (``start`` itself does not count).

    Mexican administrative terms run from the day after notification and
    count only working days: weekends and public holidays are skipped.
    """
    if days < 1:
        raise ValueError("days must be at least 1")
    day, counted = start, 0
    while counted < days:
        day += datetime.timedelta(days=1)
        if is_working_day(day, closed):
            counted += 1
    return day


def add_working_days_in(country: str, start: datetime.date, days: int) -> datetime.date:
    # A year has fewer than 250 working days: enough years of calendar for any term.
    closed = public_holidays(country, tuple(range(start.year, start.year + days // 200 + 3)))
    return add_working_days(start, days, closed)


def add_months(start: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later, or the month's last day when it is shorter
    (31 January + 1 month is 28 or 29 February)."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return datetime.date(year, month, min(start.day, calendar.monthrange(year, month)[1]))
