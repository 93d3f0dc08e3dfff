"""Trends: each people count over the years with data, with the change from the year before."""

from __future__ import annotations

import datetime

import pytest
from django.utils import translation

from enlace.registry.services import identification_record, person_register
from enlace.statistics.indicators import REGISTRY
from enlace.statistics.narrative import trend_sentence
from enlace.statistics.trends import BY_CATEGORY, TOTALS, Point, series, trend, trend_by_category
from tests.conftest import Cast


def test_the_change_is_from_the_year_before_and_only_from_it() -> None:
    assert series({2015: 1814, 2016: 740, 2017: 667}) == [
        Point(2015, 1814, None, None),
        Point(2016, 740, -1074, -59.2),
        Point(2017, 667, -73, -9.9),
    ]
    # A year without data breaks the comparison; a year of zero has no percent.
    assert series({2014: 3, 2016: 0, 2017: 4}) == [
        Point(2014, 3, None, None),
        Point(2016, 0, None, None),
        Point(2017, 4, 4, None),
    ]


def test_the_narrative_states_a_fall_as_the_seed_does() -> None:
    points = series({2015: 1814, 2016: 740, 2017: 667})
    assert trend_sentence("Identified", points) == (
        "Identified: 667 in 2017, a decrease from 740 in 2016; fewer for the second "
        "consecutive year."
    )
    assert trend_sentence("Identificadas", points, lang="es") == (
        "Identificadas: 667 en 2017, una disminución respecto de 740 en 2016; menos por "
        "segundo año consecutivo."
    )
    rise = series({2016: 4, 2017: 25})
    assert trend_sentence("Visas", rise) == "Visas: 25 in 2017, an increase from four in 2016."
    assert trend_sentence("Visas", rise, lang="es") == (
        "Visas: 25 en 2017, un aumento respecto de cuatro en 2016."
    )
    assert trend_sentence("Visas", series({2016: 4, 2017: 4})) == (
        "Visas: four in 2017, the same as in 2016."
    )
    # Nothing to compare: one year, or a gap before the last.
    assert trend_sentence("Visas", series({2017: 4})) is None
    assert trend_sentence("Visas", series({2015: 4, 2017: 5})) is None


def test_every_people_count_of_the_registry_has_a_trend() -> None:
    # Those three count people too, but as a range, a cohort's path, or a pair of counts.
    others = {"identified_total_range", "path_funnel", "foreign_without_visa_request"}
    with translation.override("en"):
        people_counts = {
            name for name, indicator in REGISTRY.items() if str(indicator.unit) == "national person"
        }
    measures = {"referred", "assisted", "sheltered"}
    assert people_counts - others == (set(TOTALS) | set(BY_CATEGORY)) - measures


def _identified(cast: Cast, day: datetime.date, n: int) -> None:
    for i in range(n):
        person = person_register(
            actor=cast.alice, identity={"given_names": f"P{day.year}-{i}"}, sex="female"
        )
        identification_record(
            actor=cast.alice, person=person, identified_on=day, forms=["other"], status="identified"
        )


@pytest.mark.django_db
def test_each_year_moves_by_one_record(cast: Cast) -> None:
    _identified(cast, datetime.date(2015, 3, 1), 3)
    _identified(cast, datetime.date(2016, 3, 1), 2)
    assert trend("identified_total") == [Point(2015, 3, None, None), Point(2016, 2, -1, -33.3)]
    _identified(cast, datetime.date(2016, 5, 1), 1)
    assert trend("identified_total")[-1] == Point(2016, 3, 0, 0.0)
    assert trend_by_category("identified_by_sex")["female"][-1] == Point(2016, 3, 0, 0.0)
    assert trend_by_category("identified_by_sex")["male"][-1] == Point(2016, 0, 0, None)
    # Referred, assisted and sheltered have no record in any year: no trend, not zeros.
    assert trend("assisted") == []
