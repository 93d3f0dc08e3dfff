"""No service stores a date before 1900: one rule in ``core.services.validate``,
checked through services of three apps, each refusing with the field and writing nothing."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import models

from enlace.assistance.models import ServiceDelivery
from enlace.assistance.services import service_record
from enlace.audit.models import AuditEvent
from enlace.justice.models import DetentionEvent, Participation
from enlace.justice.services import detention_record, participation_record
from enlace.registry.models import Identification, Person
from enlace.registry.services import identification_record
from tests.conftest import Cast

TYPED = datetime.date(1017, 3, 2)  # "2017" with one wrong key


def _refused(write: Callable[[], Any], field: str, model: type[models.Model]) -> None:
    before = model._default_manager.count(), AuditEvent.objects.count()
    with pytest.raises(ValidationError) as exc:
        write()
    assert "1900" in exc.value.message_dict[field][0]
    assert (model._default_manager.count(), AuditEvent.objects.count()) == before


@pytest.mark.parametrize("day", [datetime.date(1, 1, 1), TYPED, datetime.date(1899, 12, 31)])
def test_an_identification_before_1900_is_refused(cast: Cast, person: Person, day: Any) -> None:
    _refused(
        lambda: identification_record(
            actor=cast.alice, person=person, identified_on=day, forms=["forced_labour"]
        ),
        "identified_on",
        Identification,
    )


def test_a_detention_a_proceeding_and_a_service_before_1900_are_refused(
    cast: Cast, person: Person
) -> None:
    _refused(
        lambda: detention_record(
            actor=cast.alice, person=person, kind="detention", occurred_on=TYPED
        ),
        "occurred_on",
        DetentionEvent,
    )
    _refused(
        lambda: participation_record(
            actor=cast.alice, person=person, role="witness", started_on=TYPED
        ),
        "started_on",
        Participation,
    )
    _refused(
        lambda: service_record(
            actor=cast.alice,
            person=person,
            category="emergency",
            kind="legal",
            started_on=TYPED,
        ),
        "started_on",
        ServiceDelivery,
    )


def test_the_first_day_of_1900_is_accepted(cast: Cast, person: Person) -> None:
    participation_record(
        actor=cast.alice, person=person, role="witness", started_on=datetime.date(1900, 1, 1)
    )
    assert Participation.objects.filter(person=person).exists()
