from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from enlace.assistance.models import ServiceDelivery
from enlace.assistance.services import service_record
from enlace.audit.models import AuditEvent
from enlace.registry.models import Person
from tests.conftest import Cast

DAY = datetime.date(2017, 6, 2)


def test_it_records_for_the_caseworkers_agency(cast: Cast, person: Person) -> None:
    service = service_record(
        actor=cast.alice,
        person=person,
        category="emergency",
        kind="legal",
        started_on=DAY,
        ended_on=DAY + datetime.timedelta(days=30),
    )

    service.refresh_from_db()
    assert service.person == person and service.agency.code == "FGE-PUE"
    assert (service.category, service.kind) == ("emergency", "legal")
    assert service.ended_on == datetime.date(2017, 7, 2)
    assert service.recorded_by == cast.alice


def test_it_writes_one_audit_row(cast: Cast, person: Person) -> None:
    service = service_record(
        actor=cast.alice, person=person, category="emergency", kind="legal", started_on=DAY
    )

    event = AuditEvent.objects.get(action="service.record")
    assert event.object_id == str(service.pk)
    assert event.actor_name == "alice" and event.agency_code == "FGE-PUE"


def test_a_receiving_agency_records_once_it_holds_the_person(
    cast: Cast, person: Person, referred: Person
) -> None:
    service = service_record(
        actor=cast.fernanda, person=referred, category="long_term", kind="housing", started_on=DAY
    )
    assert service.agency.code == "FEVIMTRA"


@pytest.mark.parametrize("who", ["charlie", "fernanda", "ana", "audrey", "nobody"])
def test_an_agency_that_does_not_hold_the_person_cannot_record(
    cast: Cast, person: Person, who: str
) -> None:
    with pytest.raises(PermissionDenied):
        service_record(
            actor=getattr(cast, who),
            person=person,
            category="emergency",
            kind="medical",
            started_on=DAY,
        )
    assert not ServiceDelivery.objects.exists()
    assert not AuditEvent.objects.filter(action="service.record").exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"kind": "massage"}, "kind"),
        ({"category": "forever"}, "category"),
        ({"ended_on": DAY - datetime.timedelta(days=1)}, "__all__"),
    ],
    ids=["unknown-kind", "unknown-category", "ends-before-it-starts"],
)
def test_it_validates(cast: Cast, person: Person, changes: dict[str, Any], field: str) -> None:
    kwargs: dict[str, Any] = {"category": "emergency", "kind": "medical", "started_on": DAY}

    with pytest.raises(ValidationError) as exc:
        service_record(actor=cast.alice, person=person, **{**kwargs, **changes})

    assert field in exc.value.message_dict
    assert not ServiceDelivery.objects.exists()
    assert not AuditEvent.objects.filter(action="service.record").exists()
