from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from enlace.audit.models import AuditEvent
from enlace.directory.models import Country
from enlace.immigration.models import VisaRequest
from enlace.immigration.services import visa_request
from enlace.registry.models import Person
from enlace.registry.services import person_register
from tests.conftest import Cast

DAY = datetime.date(2017, 12, 1)


def test_the_holding_agency_requests(cast: Cast, foreigner: Person) -> None:
    request = visa_request(actor=cast.alice, person=foreigner, requested_on=DAY)

    request.refresh_from_db()
    assert request.person == foreigner and request.agency.code == "FGE-PUE"
    assert request.requested_on == DAY and request.requested_by == cast.alice
    assert request.outcome == VisaRequest.Outcome.PENDING
    assert request.decided_on is None and request.valid_until is None


def test_it_writes_one_audit_row(cast: Cast, foreigner: Person) -> None:
    request = visa_request(actor=cast.alice, person=foreigner, requested_on=DAY)

    event = AuditEvent.objects.get(action="visa.request")
    assert event.object_id == str(request.pk)
    assert event.actor_name == "alice" and event.agency_code == "FGE-PUE"


def test_inm_may_request_for_a_person_it_holds(cast: Cast, foreigner: Person) -> None:
    request = visa_request(actor=cast.ines, person=foreigner, requested_on=DAY)
    assert request.agency.code == "INM"


def test_mexican_nationals_are_refused(cast: Cast) -> None:
    mexican = person_register(
        actor=cast.alice, identity={}, nationality=Country.objects.get(iso2="MX")
    )
    events = AuditEvent.objects.count()

    with pytest.raises(ValidationError) as exc:
        visa_request(actor=cast.alice, person=mexican, requested_on=DAY)

    assert "person" in exc.value.message_dict
    assert not VisaRequest.objects.exists()
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize("who", ["charlie", "fernanda", "cecilia", "ana", "audrey", "nobody"])
def test_an_agency_that_does_not_hold_the_person_cannot_request(
    cast: Cast, foreigner: Person, who: str
) -> None:
    with pytest.raises(PermissionDenied):
        visa_request(actor=getattr(cast, who), person=foreigner, requested_on=DAY)
    assert not VisaRequest.objects.exists()
    assert not AuditEvent.objects.filter(action="visa.request").exists()
