from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from enlace.audit.models import AuditEvent
from enlace.referrals.models import Referral
from enlace.referrals.services import referral_accept, referral_decline
from enlace.registry.models import Person
from enlace.registry.selectors import person_get_for_user, person_is_held_by
from tests.conftest import Cast


def test_the_receiving_agency_accepts(cast: Cast, referral: Referral) -> None:
    referral_accept(actor=cast.fernanda, referral=referral)

    referral.refresh_from_db()
    assert referral.status == Referral.Status.ACCEPTED
    assert referral.answered_by == cast.fernanda
    assert referral.answered_at is not None
    assert referral.closed_at is None


def test_an_accepted_referral_gives_the_receiver_the_person(
    cast: Cast, person: Person, referral: Referral
) -> None:
    with pytest.raises(Http404):
        person_get_for_user(user=cast.fernanda, public_id=person.public_id)

    referral_accept(actor=cast.fernanda, referral=referral)

    assert person_get_for_user(user=cast.fernanda, public_id=person.public_id) == person


def test_it_measures_the_time_to_answer(cast: Cast, referral: Referral) -> None:
    Referral.objects.filter(pk=referral.pk).update(
        sent_at=timezone.now() - datetime.timedelta(hours=3)
    )
    referral.refresh_from_db()

    referral_accept(actor=cast.fernanda, referral=referral)

    referral.refresh_from_db()
    assert referral.time_to_answer is not None
    assert (
        datetime.timedelta(hours=3)
        <= referral.time_to_answer
        < datetime.timedelta(hours=3, minutes=1)
    )


def test_accepting_writes_one_audit_row(cast: Cast, referral: Referral) -> None:
    referral_accept(actor=cast.fernanda, referral=referral)

    event = AuditEvent.objects.get(action="referral.accept")
    assert event.object_id == str(referral.pk)
    assert event.actor_name == "fernanda" and event.agency_code == "FEVIMTRA"
    assert event.before is not None and event.before["status"] == "sent"
    assert event.after is not None and event.after["status"] == "accepted"


def test_the_receiving_agency_declines_with_a_reason(
    cast: Cast, person: Person, referral: Referral
) -> None:
    referral_decline(actor=cast.fernanda, referral=referral, reason="  No beds for adults.  ")

    referral.refresh_from_db()
    assert referral.status == Referral.Status.DECLINED
    assert referral.reason == "No beds for adults."
    assert referral.answered_by == cast.fernanda
    assert referral.time_to_answer is not None
    assert referral.closed_at is not None
    assert not person_is_held_by(user=cast.fernanda, person=person)
    assert AuditEvent.objects.filter(action="referral.decline").count() == 1


@pytest.mark.parametrize("reason", ["", "   "])
def test_declining_needs_a_reason(cast: Cast, referral: Referral, reason: str) -> None:
    with pytest.raises(ValidationError) as exc:
        referral_decline(actor=cast.fernanda, referral=referral, reason=reason)

    assert "reason" in exc.value.message_dict
    referral.refresh_from_db()
    assert referral.status == Referral.Status.SENT and referral.answered_at is None
    assert not AuditEvent.objects.filter(action="referral.decline").exists()


@pytest.mark.parametrize("who", ["alice", "bob", "charlie", "ines"])
def test_only_the_receiving_agency_answers(cast: Cast, referral: Referral, who: str) -> None:
    user = getattr(cast, who)

    with pytest.raises(PermissionDenied):
        referral_accept(actor=user, referral=referral)
    with pytest.raises(PermissionDenied):
        referral_decline(actor=user, referral=referral, reason="Not ours.")

    referral.refresh_from_db()
    assert referral.status == Referral.Status.SENT
    assert not AuditEvent.objects.filter(
        action__in=["referral.accept", "referral.decline"]
    ).exists()


@pytest.mark.parametrize("who", ["ana", "audrey", "nobody"])
def test_roles_that_do_not_work_cases_cannot_answer(
    cast: Cast, referral: Referral, who: str
) -> None:
    with pytest.raises(PermissionDenied):
        referral_accept(actor=getattr(cast, who), referral=referral)
    referral.refresh_from_db()
    assert referral.status == Referral.Status.SENT


def test_a_referral_is_answered_once(cast: Cast, referral: Referral) -> None:
    referral_accept(actor=cast.fernanda, referral=referral)

    with pytest.raises(ValidationError) as exc:
        referral_decline(actor=cast.fernanda, referral=referral, reason="Changed our mind.")
    assert "status" in exc.value.message_dict
    with pytest.raises(ValidationError):
        referral_accept(actor=cast.fernanda, referral=referral)

    referral.refresh_from_db()
    assert referral.status == Referral.Status.ACCEPTED
    assert AuditEvent.objects.filter(action="referral.accept").count() == 1
    assert not AuditEvent.objects.filter(action="referral.decline").exists()


def test_a_declined_referral_cannot_be_accepted(cast: Cast, referral: Referral) -> None:
    referral_decline(actor=cast.fernanda, referral=referral, reason="No beds.")

    with pytest.raises(ValidationError):
        referral_accept(actor=cast.fernanda, referral=referral)

    referral.refresh_from_db()
    assert referral.status == Referral.Status.DECLINED
