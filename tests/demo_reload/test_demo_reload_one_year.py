"""Reloading the demo gives the same data and keeps real cases: proven on one year.

Apart from tests/demo, whose whole demo (built once for that package) would
otherwise be there. Loading a year twice through the services takes minutes:
`make test-slow` runs it, beside tests/demo and its full reload.
"""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from enlace.demo.seed import demo_load
from enlace.registry.models import Identification, Person
from tests.demo.test_demo_data import _counts, _report


@pytest.mark.slow
@pytest.mark.django_db
def test_reloading_one_year_gives_the_same_data_and_keeps_real_cases(person: Person) -> None:
    call_command("demo", "load", "--year", "2017", stdout=StringIO())
    first = _counts()
    report = _report()
    first_ids = set(Person.objects.values_list("pk", flat=True))
    loaded = Identification.objects.exclude(person=person).dates("identified_on", "year")
    assert [day.year for day in loaded] == [2017]

    demo_load(years=[2017])

    assert _counts() == first
    assert _report() == report
    assert set(Person.objects.values_list("pk", flat=True)) & first_ids == {person.pk}
