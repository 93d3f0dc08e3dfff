"""Working-day arithmetic on a country's public holidays. Pure functions."""

from __future__ import annotations

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
    # Two years of calendar cover any term the system computes (60 working days).
    closed = public_holidays(country, (start.year, start.year + 1, start.year + 2))
    return add_working_days(start, days, closed)
