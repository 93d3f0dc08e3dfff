from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from enlace.audit.models import AuditEvent
from enlace.immigration.models import VisaExtension, VisaRequest
from enlace.immigration.services import visa_decide, visa_extend, visa_request
from enlace.registry.models import Person
from tests.conftest import Cast

DECIDED = datetime.date(2017, 12, 15)


@pytest.fixture
def granted(cast: Cast, foreigner: Person) -> VisaRequest:
    """A visa granted on 15 December 2017 for 90 calendar days, until 15 March 2018."""
    request = visa_request(actor=cast.alice, person=foreigner, requested_on=DECIDED)
    return visa_decide(
        actor=cast.ines,
        request=request,
        decided_on=DECIDED,
        granted=True,
        validity="calendar_days_90",
    )


def test_an_extension_runs_from_the_current_end(cast: Cast, granted: VisaRequest) -> None:
    # Extended two weeks early: the new term still starts on 15 March, not 1 March.
    extension = visa_extend(
        actor=cast.ines,
        request=granted,
        extended_on=datetime.date(2018, 3, 1),
        validity="calendar_days_90",
    )

    extension.refresh_from_db()
    assert extension.valid_until == datetime.date(2018, 6, 13)
    assert extension.decided_by == cast.ines
    granted.refresh_from_db()
    assert granted.valid_until == datetime.date(2018, 3, 15)


def test_a_second_extension_runs_from_the_first(cast: Cast, granted: VisaRequest) -> None:
    visa_extend(
        actor=cast.ines,
        request=granted,
        extended_on=datetime.date(2018, 3, 1),
        validity="calendar_days_90",
    )

    second = visa_extend(
        actor=cast.ines,
        request=granted,
        extended_on=datetime.date(2018, 6, 1),
        validity="calendar_days_90",
    )

    assert second.valid_until == datetime.date(2018, 9, 11)


def test_an_extension_in_working_days_skips_holidays(cast: Cast, foreigner: Person) -> None:
    request = visa_request(actor=cast.alice, person=foreigner, requested_on=DECIDED)
    visa_decide(actor=cast.ines, request=request, decided_on=DECIDED, granted=True)

    extension = visa_extend(
        actor=cast.ines,
        request=request,
        extended_on=datetime.date(2018, 3, 1),
        validity="working_days_60",
    )

    # From 14 March 2018, skipping Benito Juárez's birthday (19 March) and 1 May.
    assert extension.valid_until == datetime.date(2018, 6, 8)


def test_it_writes_one_audit_row(cast: Cast, granted: VisaRequest) -> None:
    extension = visa_extend(
        actor=cast.ines,
        request=granted,
        extended_on=datetime.date(2018, 3, 1),
        validity="calendar_days_90",
    )

    event = AuditEvent.objects.get(action="visa.extend")
    assert event.object_id == str(extension.pk)
    assert event.actor_name == "ines" and event.agency_code == "INM"
    assert event.after is not None and event.after["valid_until"] == "2018-06-13"


def test_only_a_granted_visa_is_extended(cast: Cast, foreigner: Person) -> None:
    pending = visa_request(actor=cast.alice, person=foreigner, requested_on=DECIDED)
    refused = visa_request(actor=cast.alice, person=foreigner, requested_on=DECIDED)
    visa_decide(
        actor=cast.ines,
        request=refused,
        decided_on=DECIDED,
        granted=False,
        refusal_reason="Incomplete file.",
    )

    for request in (pending, refused):
        with pytest.raises(ValidationError) as exc:
            visa_extend(
                actor=cast.ines,
                request=request,
                extended_on=datetime.date(2018, 3, 1),
                validity="calendar_days_90",
            )
        assert "outcome" in exc.value.message_dict
    assert not VisaExtension.objects.exists()
    assert not AuditEvent.objects.filter(action="visa.extend").exists()


@pytest.mark.parametrize("who", ["alice", "fernanda", "ana", "nobody"])
def test_only_the_immigration_agency_extends(cast: Cast, granted: VisaRequest, who: str) -> None:
    with pytest.raises(PermissionDenied):
        visa_extend(
            actor=getattr(cast, who),
            request=granted,
            extended_on=datetime.date(2018, 3, 1),
            validity="calendar_days_90",
        )
    assert not VisaExtension.objects.exists()
    assert not AuditEvent.objects.filter(action="visa.extend").exists()


def test_an_extension_needs_a_known_validity(cast: Cast, granted: VisaRequest) -> None:
    with pytest.raises(ValidationError):
        visa_extend(
            actor=cast.ines,
            request=granted,
            extended_on=datetime.date(2018, 3, 1),
            validity="forever",
        )
    assert not VisaExtension.objects.exists()
