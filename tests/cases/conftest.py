"""Cases fixtures: Alice's agency's case of the shared person."""

from __future__ import annotations

import datetime

import pytest

from enlace.cases.models import Case
from enlace.cases.services import case_open
from enlace.registry.models import Person
from tests.conftest import DAY, Cast


@pytest.fixture
def case(cast: Cast, person: Person) -> Case:
    return case_open(actor=cast.alice, person=person, opened_on=DAY)


def later(days: int) -> datetime.date:
    return DAY + datetime.timedelta(days=days)
