from __future__ import annotations

import datetime

import pytest

from enlace.directory.calendar import add_working_days, add_working_days_in, public_holidays

D = datetime.date


def test_it_skips_weekends() -> None:
    # Friday + 1 working day is Monday.
    assert add_working_days(D(2017, 12, 15), 1, closed=set()) == D(2017, 12, 18)


def test_it_skips_given_holidays() -> None:
    assert add_working_days(D(2017, 12, 22), 1, closed={D(2017, 12, 25)}) == D(2017, 12, 26)


def test_it_knows_mexican_holidays() -> None:
    closed = public_holidays("MX", (2017, 2018))
    # Christmas, New Year, Constitution Day (first Monday of February) and
    # Benito Juárez's birthday (third Monday of March).
    assert {D(2017, 12, 25), D(2018, 1, 1), D(2018, 2, 5), D(2018, 3, 19)} <= closed


def test_sixty_working_days_from_a_decision_on_2017_12_15() -> None:
    # Counting from Monday 18 December: 60 weekdays would end on 9 March 2018;
    # three holidays fall in between (25 Dec, 1 Jan, 5 Feb), so it ends on 14 March.
    assert add_working_days(D(2017, 12, 15), 60, closed=set()) == D(2018, 3, 9)
    assert add_working_days_in("MX", D(2017, 12, 15), 60) == D(2018, 3, 14)


def test_it_refuses_zero_days() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        add_working_days(D(2017, 1, 1), 0, closed=set())
