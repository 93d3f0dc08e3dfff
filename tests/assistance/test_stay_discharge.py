from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from enlace.assistance.models import Shelter, Stay
from enlace.assistance.selectors import shelter_occupied_beds
from enlace.assistance.services import stay_admit, stay_discharge
from enlace.audit.models import AuditEvent
from enlace.registry.models import Person
from tests.conftest import Cast

ADMITTED = datetime.date(2017, 6, 2)
LEFT = datetime.date(2017, 9, 15)


@pytest.fixture
def stay(cast: Cast, referred: Person, shelter: Shelter) -> Stay:
    return stay_admit(
        actor=cast.fernanda,
        person=referred,
        shelter=shelter,
        admitted_on=ADMITTED,
        accompanying_children=1,
    )


def test_the_operator_discharges(cast: Cast, stay: Stay, shelter: Shelter) -> None:
    assert shelter_occupied_beds(shelter) == 2

    stay_discharge(actor=cast.fernanda, stay=stay, discharged_on=LEFT, reason="reintegrated")

    stay.refresh_from_db()
    assert stay.discharged_on == LEFT
    assert stay.discharge_reason == Stay.DischargeReason.REINTEGRATED
    # The resident's bed and her child's are free again.
    assert shelter_occupied_beds(shelter) == 0


def test_it_writes_one_audit_row(cast: Cast, stay: Stay) -> None:
    stay_discharge(actor=cast.fernanda, stay=stay, discharged_on=LEFT, reason="reintegrated")

    event = AuditEvent.objects.get(action="stay.discharge")
    assert event.object_id == str(stay.pk) and event.agency_code == "FEVIMTRA"
    assert event.before is not None and event.before["discharged_on"] is None
    assert event.after is not None and event.after["discharged_on"] == "2017-09-15"


def test_a_discharge_frees_a_bed_for_the_next_person(
    cast: Cast, shelter: Shelter, another: Callable[[], Person]
) -> None:
    Shelter.objects.filter(pk=shelter.pk).update(capacity=1)
    first, second = another(), another()
    stay = stay_admit(actor=cast.fernanda, person=first, shelter=shelter, admitted_on=ADMITTED)
    with pytest.raises(ValidationError):
        stay_admit(actor=cast.fernanda, person=second, shelter=shelter, admitted_on=ADMITTED)

    stay_discharge(actor=cast.fernanda, stay=stay, discharged_on=LEFT, reason="transferred")

    stay_admit(actor=cast.fernanda, person=second, shelter=shelter, admitted_on=LEFT)
    assert shelter_occupied_beds(shelter) == 1


def test_a_discharged_person_may_be_admitted_again(
    cast: Cast, stay: Stay, referred: Person, shelter: Shelter
) -> None:
    stay_discharge(actor=cast.fernanda, stay=stay, discharged_on=LEFT, reason="left_voluntarily")

    again = stay_admit(actor=cast.fernanda, person=referred, shelter=shelter, admitted_on=LEFT)

    assert again.pk != stay.pk
    assert Stay.objects.filter(person=referred).count() == 2


@pytest.mark.parametrize("who", ["alice", "charlie", "ana", "nobody"])
def test_only_the_operating_agency_discharges(cast: Cast, stay: Stay, who: str) -> None:
    with pytest.raises(PermissionDenied):
        stay_discharge(actor=getattr(cast, who), stay=stay, discharged_on=LEFT, reason="other")

    stay.refresh_from_db()
    assert stay.discharged_on is None
    assert not AuditEvent.objects.filter(action="stay.discharge").exists()


@pytest.mark.parametrize(
    ("discharged_on", "reason"),
    [
        (LEFT, ""),
        (LEFT, "got bored"),
        (ADMITTED - datetime.timedelta(days=1), "reintegrated"),
    ],
    ids=["no-reason", "unknown-reason", "before-admission"],
)
def test_it_validates(
    cast: Cast, referred: Person, shelter: Shelter, discharged_on: datetime.date, reason: str
) -> None:
    stay = stay_admit(actor=cast.fernanda, person=referred, shelter=shelter, admitted_on=ADMITTED)

    with pytest.raises(ValidationError):
        stay_discharge(actor=cast.fernanda, stay=stay, discharged_on=discharged_on, reason=reason)

    assert Stay.objects.get(pk=stay.pk).discharged_on is None
    assert shelter_occupied_beds(shelter) == 1
    assert not AuditEvent.objects.filter(action="stay.discharge").exists()


def test_a_stay_ends_once(cast: Cast, stay: Stay) -> None:
    stay_discharge(actor=cast.fernanda, stay=stay, discharged_on=LEFT, reason="reintegrated")

    with pytest.raises(ValidationError) as exc:
        stay_discharge(
            actor=cast.fernanda,
            stay=stay,
            discharged_on=LEFT + datetime.timedelta(days=1),
            reason="other",
        )

    assert "discharged_on" in exc.value.message_dict
    stay.refresh_from_db()
    assert stay.discharged_on == LEFT and stay.discharge_reason == "reintegrated"
    assert AuditEvent.objects.filter(action="stay.discharge").count() == 1


# Two discharges prepared at once: the second must see the first.
def test_a_stay_read_before_the_discharge_is_not_discharged_again(cast: Cast, stay: Stay) -> None:
    read_earlier = Stay.objects.get(pk=stay.pk)
    stay_discharge(actor=cast.fernanda, stay=stay, discharged_on=LEFT, reason="reintegrated")

    with pytest.raises(ValidationError):
        stay_discharge(
            actor=cast.fernanda,
            stay=read_earlier,
            discharged_on=LEFT + datetime.timedelta(days=3),
            reason="other",
        )

    assert Stay.objects.get(pk=stay.pk).discharged_on == LEFT
    assert AuditEvent.objects.filter(action="stay.discharge").count() == 1
