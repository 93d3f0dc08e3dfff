from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from enlace.assistance.models import Shelter, Stay
from enlace.assistance.selectors import shelter_occupied_beds
from enlace.assistance.services import stay_admit
from enlace.audit.models import AuditEvent
from enlace.registry.models import Person
from tests.conftest import Cast

DAY = datetime.date(2017, 6, 2)


def _shrink(shelter: Shelter, capacity: int) -> Shelter:
    Shelter.objects.filter(pk=shelter.pk).update(capacity=capacity)
    shelter.refresh_from_db()
    return shelter


def test_the_operator_admits(cast: Cast, referred: Person, shelter: Shelter) -> None:
    stay = stay_admit(actor=cast.fernanda, person=referred, shelter=shelter, admitted_on=DAY)

    stay.refresh_from_db()
    assert stay.person == referred and stay.shelter == shelter
    assert stay.agency.code == "FEVIMTRA"
    assert stay.admitted_on == DAY and stay.discharged_on is None
    assert stay.recorded_by == cast.fernanda
    assert shelter_occupied_beds(shelter) == 1


def test_it_writes_one_audit_row(cast: Cast, referred: Person, shelter: Shelter) -> None:
    stay = stay_admit(actor=cast.fernanda, person=referred, shelter=shelter, admitted_on=DAY)

    event = AuditEvent.objects.get(action="stay.admit")
    assert event.object_id == str(stay.pk)
    assert event.actor_name == "fernanda" and event.agency_code == "FEVIMTRA"


def test_residents_of_fevimtra_may_not_leave_alone_by_default(
    cast: Cast, referred: Person, shelter: Shelter
) -> None:
    stay = stay_admit(actor=cast.fernanda, person=referred, shelter=shelter, admitted_on=DAY)
    assert stay.may_leave_alone is False


def test_the_default_follows_the_shelters_rule(
    cast: Cast, referred: Person, shelter: Shelter
) -> None:
    Shelter.objects.filter(pk=shelter.pk).update(residents_may_leave_alone=True)

    stay = stay_admit(actor=cast.fernanda, person=referred, shelter=shelter, admitted_on=DAY)

    assert stay.may_leave_alone is True


def test_a_stay_may_differ_from_the_shelters_rule(
    cast: Cast, referred: Person, shelter: Shelter
) -> None:
    stay = stay_admit(
        actor=cast.fernanda,
        person=referred,
        shelter=shelter,
        admitted_on=DAY,
        may_leave_alone=True,
    )
    stay.refresh_from_db()
    assert stay.may_leave_alone is True


@pytest.mark.parametrize("who", ["alice", "bob"])
def test_only_the_operating_agency_admits(
    cast: Cast, referred: Person, shelter: Shelter, who: str
) -> None:
    # Alice's agency holds the person but does not run the shelter.
    with pytest.raises(PermissionDenied):
        stay_admit(actor=getattr(cast, who), person=referred, shelter=shelter, admitted_on=DAY)

    assert not Stay.objects.exists()
    assert not AuditEvent.objects.filter(action="stay.admit").exists()


def test_the_operator_must_hold_the_person(cast: Cast, person: Person, shelter: Shelter) -> None:
    # Referred but not yet accepted is not enough: FEVIMTRA does not hold Alice's person.
    with pytest.raises(PermissionDenied):
        stay_admit(actor=cast.fernanda, person=person, shelter=shelter, admitted_on=DAY)
    assert not Stay.objects.exists()


@pytest.mark.parametrize("who", ["ana", "audrey", "nobody"])
def test_roles_that_do_not_work_cases_cannot_admit(
    cast: Cast, referred: Person, shelter: Shelter, who: str
) -> None:
    with pytest.raises(PermissionDenied):
        stay_admit(actor=getattr(cast, who), person=referred, shelter=shelter, admitted_on=DAY)
    assert not Stay.objects.exists()


def test_a_full_shelter_refuses(
    cast: Cast, shelter: Shelter, another: Callable[[], Person]
) -> None:
    shelter = _shrink(shelter, 2)
    for _ in range(2):
        stay_admit(actor=cast.fernanda, person=another(), shelter=shelter, admitted_on=DAY)
    third = another()
    events = AuditEvent.objects.count()

    with pytest.raises(ValidationError) as exc, translation.override("en"):
        stay_admit(actor=cast.fernanda, person=third, shelter=shelter, admitted_on=DAY)

    assert "shelter" in exc.value.message_dict
    assert "0 of 2" in exc.value.message_dict["shelter"][0]
    assert not Stay.objects.filter(person=third).exists()
    assert AuditEvent.objects.count() == events


def test_capacity_counts_accompanying_children(
    cast: Cast, shelter: Shelter, another: Callable[[], Person]
) -> None:
    shelter = _shrink(shelter, 4)
    stay_admit(
        actor=cast.fernanda,
        person=another(),
        shelter=shelter,
        admitted_on=DAY,
        accompanying_children=2,
    )
    assert shelter_occupied_beds(shelter) == 3
    mother = another()

    # One bed is left: a mother with a child needs two.
    with pytest.raises(ValidationError) as exc:
        stay_admit(
            actor=cast.fernanda,
            person=mother,
            shelter=shelter,
            admitted_on=DAY,
            accompanying_children=1,
        )
    assert "shelter" in exc.value.message_dict
    assert not Stay.objects.filter(person=mother).exists()

    stay_admit(actor=cast.fernanda, person=mother, shelter=shelter, admitted_on=DAY)
    assert shelter_occupied_beds(shelter) == 4


def test_children_are_refused_where_the_shelter_does_not_accept_them(
    cast: Cast, referred: Person, shelter: Shelter
) -> None:
    Shelter.objects.filter(pk=shelter.pk).update(accepts_children=False)

    with pytest.raises(ValidationError) as exc:
        stay_admit(
            actor=cast.fernanda,
            person=referred,
            shelter=shelter,
            admitted_on=DAY,
            accompanying_children=1,
        )
    assert "accompanying_children" in exc.value.message_dict
    assert not Stay.objects.exists()
    assert not AuditEvent.objects.filter(action="stay.admit").exists()

    stay = stay_admit(actor=cast.fernanda, person=referred, shelter=shelter, admitted_on=DAY)
    assert stay.accompanying_children == 0


def test_a_person_has_one_open_stay(cast: Cast, referred: Person, shelter: Shelter) -> None:
    stay_admit(actor=cast.fernanda, person=referred, shelter=shelter, admitted_on=DAY)

    with pytest.raises(ValidationError) as exc:
        stay_admit(
            actor=cast.fernanda,
            person=referred,
            shelter=shelter,
            admitted_on=DAY + datetime.timedelta(days=1),
        )

    assert "person" in exc.value.message_dict
    assert Stay.objects.filter(person=referred).count() == 1
    assert AuditEvent.objects.filter(action="stay.admit").count() == 1
