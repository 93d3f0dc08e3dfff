from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from enlace.audit.models import AuditEvent
from enlace.immigration.models import VisaRequest
from enlace.immigration.services import visa_decide, visa_request
from enlace.registry.models import Person
from tests.conftest import Cast

REQUESTED = datetime.date(2017, 12, 1)
DECIDED = datetime.date(2017, 12, 15)


@pytest.fixture
def request_(cast: Cast, foreigner: Person) -> VisaRequest:
    return visa_request(actor=cast.alice, person=foreigner, requested_on=REQUESTED)


def _pending(request: VisaRequest) -> bool:
    request.refresh_from_db()
    return (
        request.outcome == VisaRequest.Outcome.PENDING
        and request.decided_on is None
        and request.valid_until is None
    )


def test_inm_grants_for_sixty_working_days(cast: Cast, request_: VisaRequest) -> None:
    visa_decide(
        actor=cast.ines,
        request=request_,
        decided_on=DECIDED,
        granted=True,
        validity="working_days_60",
    )

    request_.refresh_from_db()
    assert request_.outcome == VisaRequest.Outcome.GRANTED
    assert request_.decided_on == DECIDED and request_.decided_by == cast.ines
    assert request_.validity == "working_days_60"
    # Weekends, Christmas, New Year and Constitution Day are skipped.
    assert request_.valid_until == datetime.date(2018, 3, 14)


def test_sixty_working_days_is_the_default(cast: Cast, request_: VisaRequest) -> None:
    visa_decide(actor=cast.ines, request=request_, decided_on=DECIDED, granted=True)
    request_.refresh_from_db()
    assert request_.valid_until == datetime.date(2018, 3, 14)


def test_inm_grants_for_ninety_calendar_days(cast: Cast, request_: VisaRequest) -> None:
    visa_decide(
        actor=cast.ines,
        request=request_,
        decided_on=DECIDED,
        granted=True,
        validity="calendar_days_90",
    )

    request_.refresh_from_db()
    assert request_.validity == "calendar_days_90"
    assert request_.valid_until == datetime.date(2018, 3, 15)


def test_it_writes_one_audit_row(cast: Cast, request_: VisaRequest) -> None:
    visa_decide(actor=cast.ines, request=request_, decided_on=DECIDED, granted=True)

    event = AuditEvent.objects.get(action="visa.decide")
    assert event.object_id == str(request_.pk)
    assert event.actor_name == "ines" and event.agency_code == "INM"
    assert event.before is not None and event.before["outcome"] == "pending"
    assert event.after is not None and event.after["valid_until"] == "2018-03-14"


def test_inm_refuses_with_a_reason(cast: Cast, request_: VisaRequest) -> None:
    visa_decide(
        actor=cast.ines,
        request=request_,
        decided_on=DECIDED,
        granted=False,
        refusal_reason="  Incomplete file.  ",
    )

    request_.refresh_from_db()
    assert request_.outcome == VisaRequest.Outcome.REFUSED
    assert request_.refusal_reason == "Incomplete file."
    assert request_.decided_on == DECIDED
    assert request_.valid_until is None and request_.validity == ""
    assert AuditEvent.objects.filter(action="visa.decide").count() == 1


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_refusal_needs_a_reason(cast: Cast, request_: VisaRequest, reason: str) -> None:
    with pytest.raises(ValidationError) as exc:
        visa_decide(
            actor=cast.ines,
            request=request_,
            decided_on=DECIDED,
            granted=False,
            refusal_reason=reason,
        )

    assert "refusal_reason" in exc.value.message_dict
    assert _pending(request_)
    assert not AuditEvent.objects.filter(action="visa.decide").exists()


@pytest.mark.parametrize("who", ["alice", "sam", "fernanda", "cecilia", "ana", "audrey", "nobody"])
def test_only_the_immigration_agency_decides(cast: Cast, request_: VisaRequest, who: str) -> None:
    # Alice's prosecutor's office holds the person and filed the request; still not hers.
    with pytest.raises(PermissionDenied):
        visa_decide(actor=getattr(cast, who), request=request_, decided_on=DECIDED, granted=True)

    assert _pending(request_)
    assert not AuditEvent.objects.filter(action="visa.decide").exists()


def test_inm_must_hold_the_person(cast: Cast, person: Person) -> None:
    # Alice's person was never referred to INM.
    request = visa_request(actor=cast.alice, person=person, requested_on=REQUESTED)

    with pytest.raises(PermissionDenied):
        visa_decide(actor=cast.ines, request=request, decided_on=DECIDED, granted=True)

    assert _pending(request)


def test_a_request_is_decided_once(cast: Cast, request_: VisaRequest) -> None:
    visa_decide(actor=cast.ines, request=request_, decided_on=DECIDED, granted=True)

    with pytest.raises(ValidationError) as exc:
        visa_decide(
            actor=cast.ines,
            request=request_,
            decided_on=DECIDED + datetime.timedelta(days=1),
            granted=False,
            refusal_reason="Second thoughts.",
        )

    assert "outcome" in exc.value.message_dict
    request_.refresh_from_db()
    assert request_.outcome == VisaRequest.Outcome.GRANTED and request_.decided_on == DECIDED
    assert AuditEvent.objects.filter(action="visa.decide").count() == 1


def test_a_decision_cannot_come_before_the_request(cast: Cast, request_: VisaRequest) -> None:
    with pytest.raises(ValidationError) as exc:
        visa_decide(
            actor=cast.ines,
            request=request_,
            decided_on=REQUESTED - datetime.timedelta(days=1),
            granted=True,
        )

    assert "decided_on" in exc.value.message_dict
    assert _pending(request_)


def test_a_grant_needs_a_known_validity(cast: Cast, request_: VisaRequest) -> None:
    with pytest.raises(ValidationError) as exc:
        visa_decide(
            actor=cast.ines, request=request_, decided_on=DECIDED, granted=True, validity="forever"
        )

    assert "validity" in exc.value.message_dict
    assert _pending(request_)
    assert not AuditEvent.objects.filter(action="visa.decide").exists()


# Two officers deciding at once: the second must see the first decision.
def test_a_request_read_before_the_decision_is_not_decided_again(
    cast: Cast, request_: VisaRequest
) -> None:
    read_earlier = VisaRequest.objects.get(pk=request_.pk)
    visa_decide(actor=cast.ines, request=request_, decided_on=DECIDED, granted=True)

    with pytest.raises(ValidationError):
        visa_decide(
            actor=cast.ines,
            request=read_earlier,
            decided_on=DECIDED,
            granted=False,
            refusal_reason="Incomplete file.",
        )

    assert VisaRequest.objects.get(pk=request_.pk).outcome == VisaRequest.Outcome.GRANTED
    assert AuditEvent.objects.filter(action="visa.decide").count() == 1
