from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from enlace.audit.models import AuditEvent
from enlace.referrals.models import Referral
from enlace.referrals.services import referral_complete, referral_decline
from enlace.registry.models import Person
from enlace.registry.selectors import person_is_held_by
from tests.conftest import Cast


def test_the_receiving_agency_completes_an_accepted_referral(
    cast: Cast, accepted: Referral
) -> None:
    answered_at = accepted.answered_at

    referral_complete(actor=cast.fernanda, referral=accepted)

    accepted.refresh_from_db()
    assert accepted.status == Referral.Status.COMPLETED
    assert accepted.closed_at is not None
    # Completing is not answering: the time to answer stays what it was.
    assert accepted.answered_at == answered_at and accepted.answered_by == cast.fernanda


def test_it_writes_one_audit_row(cast: Cast, accepted: Referral) -> None:
    referral_complete(actor=cast.fernanda, referral=accepted)

    event = AuditEvent.objects.get(action="referral.complete")
    assert event.object_id == str(accepted.pk)
    assert event.actor_name == "fernanda" and event.agency_code == "FEVIMTRA"
    assert event.before is not None and event.before["status"] == "accepted"
    assert event.after is not None and event.after["status"] == "completed"


def test_the_receiver_keeps_the_person_it_served(
    cast: Cast, person: Person, accepted: Referral
) -> None:
    referral_complete(actor=cast.fernanda, referral=accepted)
    assert person_is_held_by(user=cast.fernanda, person=person)


def test_an_unanswered_referral_cannot_be_completed(cast: Cast, referral: Referral) -> None:
    with pytest.raises(ValidationError) as exc:
        referral_complete(actor=cast.fernanda, referral=referral)

    assert "status" in exc.value.message_dict
    referral.refresh_from_db()
    assert referral.status == Referral.Status.SENT and referral.closed_at is None
    assert not AuditEvent.objects.filter(action="referral.complete").exists()


def test_a_declined_referral_cannot_be_completed(cast: Cast, referral: Referral) -> None:
    referral_decline(actor=cast.fernanda, referral=referral, reason="No beds.")

    with pytest.raises(ValidationError):
        referral_complete(actor=cast.fernanda, referral=referral)

    referral.refresh_from_db()
    assert referral.status == Referral.Status.DECLINED


def test_a_referral_is_completed_once(cast: Cast, accepted: Referral) -> None:
    referral_complete(actor=cast.fernanda, referral=accepted)

    with pytest.raises(ValidationError):
        referral_complete(actor=cast.fernanda, referral=accepted)
    assert AuditEvent.objects.filter(action="referral.complete").count() == 1


@pytest.mark.parametrize("who", ["alice", "charlie", "ana", "nobody"])
def test_only_the_receiving_agency_completes(cast: Cast, accepted: Referral, who: str) -> None:
    with pytest.raises(PermissionDenied):
        referral_complete(actor=getattr(cast, who), referral=accepted)

    accepted.refresh_from_db()
    assert accepted.status == Referral.Status.ACCEPTED
    assert not AuditEvent.objects.filter(action="referral.complete").exists()
