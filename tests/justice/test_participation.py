from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from enlace.audit.models import AuditEvent
from enlace.justice.models import Participation, ProtectionMeasure
from enlace.justice.services import (
    participation_conclude,
    participation_record,
    protection_measure_record,
)
from enlace.registry.models import Person
from tests.conftest import Cast
from tests.justice.conftest import Refer

STARTED = datetime.date(2017, 6, 2)


@pytest.fixture
def participation(cast: Cast, person: Person) -> Participation:
    return participation_record(
        actor=cast.alice,
        person=person,
        role="complainant",
        started_on=STARTED,
        case_reference="CI/PUE/1234/2017",
    )


def test_it_records_the_prosecuting_agency(cast: Cast, person: Person) -> None:
    participation = participation_record(
        actor=cast.bob, person=person, role="witness", started_on=STARTED, testified=True
    )

    participation.refresh_from_db()
    assert participation.person == person and participation.agency.code == "FGE-PUE"
    assert participation.role == "witness" and participation.testified
    assert participation.concluded_on is None and participation.recorded_by == cast.bob
    event = AuditEvent.objects.get(action="proceeding.record")
    assert event.object_id == str(participation.pk) and event.agency_code == "FGE-PUE"


@pytest.mark.parametrize("who", ["charlie", "ines", "ana", "audrey", "nobody"])
def test_an_agency_that_does_not_hold_the_person_cannot_record(
    cast: Cast, person: Person, who: str
) -> None:
    with pytest.raises(PermissionDenied):
        participation_record(
            actor=getattr(cast, who), person=person, role="complainant", started_on=STARTED
        )
    assert not Participation.objects.exists()
    assert not AuditEvent.objects.filter(action="proceeding.record").exists()


def test_an_unknown_role_is_refused(cast: Cast, person: Person) -> None:
    with pytest.raises(ValidationError) as exc:
        participation_record(actor=cast.alice, person=person, role="accused", started_on=STARTED)
    assert "role" in exc.value.message_dict
    assert not Participation.objects.exists()
    assert not AuditEvent.objects.filter(action="proceeding.record").exists()


def test_the_prosecuting_agency_concludes(cast: Cast, participation: Participation) -> None:
    participation_conclude(
        actor=cast.alice, participation=participation, concluded_on=datetime.date(2018, 5, 4)
    )

    participation.refresh_from_db()
    assert participation.concluded_on == datetime.date(2018, 5, 4)
    event = AuditEvent.objects.get(action="proceeding.conclude")
    assert event.before is not None and event.before["concluded_on"] is None
    assert event.after is not None and event.after["concluded_on"] == "2018-05-04"


def test_a_case_cannot_end_before_it_starts(cast: Cast, participation: Participation) -> None:
    with pytest.raises(ValidationError) as exc:
        participation_conclude(
            actor=cast.alice,
            participation=participation,
            concluded_on=STARTED - datetime.timedelta(days=1),
        )

    assert "concluded_on" in exc.value.message_dict
    participation.refresh_from_db()
    assert participation.concluded_on is None
    assert not AuditEvent.objects.filter(action="proceeding.conclude").exists()


def test_the_prosecuting_agency_orders_protection(cast: Cast, participation: Participation) -> None:
    measure = protection_measure_record(
        actor=cast.alice,
        participation=participation,
        kind="identity_reserved",
        ordered_on=STARTED,
    )

    assert list(participation.protection_measures.all()) == [measure]
    event = AuditEvent.objects.get(action="protection.record")
    assert event.object_id == str(measure.pk)


def test_an_unknown_protection_measure_is_refused(cast: Cast, participation: Participation) -> None:
    with pytest.raises(ValidationError):
        protection_measure_record(
            actor=cast.alice, participation=participation, kind="bodyguard", ordered_on=STARTED
        )
    assert not ProtectionMeasure.objects.exists()
    assert not AuditEvent.objects.filter(action="protection.record").exists()


@pytest.mark.parametrize("who", ["ines", "charlie", "ana", "nobody"])
def test_only_the_prosecuting_agency_changes_its_proceedings(
    cast: Cast, person: Person, participation: Participation, refer: Refer, who: str
) -> None:
    # INM holds the person on referral; the proceedings are not its.
    refer(person, "INM")
    user = getattr(cast, who)

    with pytest.raises(PermissionDenied):
        participation_conclude(
            actor=user, participation=participation, concluded_on=datetime.date(2018, 5, 4)
        )
    with pytest.raises(PermissionDenied):
        protection_measure_record(
            actor=user, participation=participation, kind="relocation", ordered_on=STARTED
        )

    participation.refresh_from_db()
    assert participation.concluded_on is None
    assert not ProtectionMeasure.objects.exists()
    assert not AuditEvent.objects.filter(
        action__in=["proceeding.conclude", "protection.record"]
    ).exists()
