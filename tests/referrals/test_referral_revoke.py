from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from enlace.audit.models import AuditEvent
from enlace.referrals.models import Referral
from enlace.referrals.services import (
    referral_accept,
    referral_complete,
    referral_decline,
    referral_revoke,
    referral_send,
)
from enlace.registry.models import Person
from enlace.registry.selectors import identity_get_for_user, person_get_for_user
from tests.conftest import Cast


def test_the_sender_revokes_with_a_reason(cast: Cast, referral: Referral) -> None:
    referral_revoke(actor=cast.alice, referral=referral, reason=" Consent withdrawn. ")

    referral.refresh_from_db()
    assert referral.status == Referral.Status.REVOKED
    assert referral.reason == "Consent withdrawn."
    assert referral.closed_at is not None


def test_it_writes_one_audit_row(cast: Cast, accepted: Referral) -> None:
    referral_revoke(actor=cast.alice, referral=accepted, reason="Consent withdrawn.")

    event = AuditEvent.objects.get(action="referral.revoke")
    assert event.object_id == str(accepted.pk)
    assert event.actor_name == "alice" and event.agency_code == "FGE-PUE"
    assert event.before is not None and event.before["status"] == "accepted"
    assert event.after is not None and event.after["status"] == "revoked"


def test_a_colleague_of_the_sender_may_revoke(cast: Cast, referral: Referral) -> None:
    referral_revoke(actor=cast.bob, referral=referral, reason="Consent withdrawn.")
    referral.refresh_from_db()
    assert referral.status == Referral.Status.REVOKED


def test_a_revoked_referral_no_longer_gives_the_receiver_the_person(
    cast: Cast, person: Person, accepted: Referral
) -> None:
    assert person_get_for_user(user=cast.fernanda, public_id=person.public_id) == person

    referral_revoke(actor=cast.alice, referral=accepted, reason="Consent withdrawn.")

    with pytest.raises(Http404):
        person_get_for_user(user=cast.fernanda, public_id=person.public_id)


def test_a_revoked_referral_no_longer_shares_the_identity(cast: Cast, person: Person) -> None:
    referral = referral_send(
        actor=cast.alice,
        person=person,
        to_agency=cast.agency("FEVIMTRA"),
        services=["housing"],
        consent=True,
        shares_identity=True,
    )
    referral_accept(actor=cast.fernanda, referral=referral)
    assert identity_get_for_user(user=cast.fernanda, person=person).given_names

    referral_revoke(actor=cast.alice, referral=referral, reason="Consent withdrawn.")

    with pytest.raises(Http404):
        identity_get_for_user(user=cast.fernanda, person=person)


@pytest.mark.parametrize("reason", ["", "  "])
def test_revoking_needs_a_reason(cast: Cast, accepted: Referral, reason: str) -> None:
    with pytest.raises(ValidationError) as exc:
        referral_revoke(actor=cast.alice, referral=accepted, reason=reason)

    assert "reason" in exc.value.message_dict
    accepted.refresh_from_db()
    assert accepted.status == Referral.Status.ACCEPTED
    assert not AuditEvent.objects.filter(action="referral.revoke").exists()


@pytest.mark.parametrize("who", ["fernanda", "charlie", "ines"])
def test_only_the_sending_agency_revokes(cast: Cast, accepted: Referral, who: str) -> None:
    with pytest.raises(PermissionDenied):
        referral_revoke(actor=getattr(cast, who), referral=accepted, reason="Not needed.")

    accepted.refresh_from_db()
    assert accepted.status == Referral.Status.ACCEPTED
    assert not AuditEvent.objects.filter(action="referral.revoke").exists()


def test_a_closed_referral_cannot_be_revoked(cast: Cast, person: Person) -> None:
    fevimtra = cast.agency("FEVIMTRA")
    declined = referral_send(
        actor=cast.alice, person=person, to_agency=fevimtra, services=["housing"], consent=True
    )
    referral_decline(actor=cast.fernanda, referral=declined, reason="No beds.")
    completed = referral_send(
        actor=cast.alice, person=person, to_agency=fevimtra, services=["housing"], consent=True
    )
    referral_accept(actor=cast.fernanda, referral=completed)
    referral_complete(actor=cast.fernanda, referral=completed)

    for referral in (declined, completed):
        with pytest.raises(ValidationError):
            referral_revoke(actor=cast.alice, referral=referral, reason="Consent withdrawn.")
    assert not AuditEvent.objects.filter(action="referral.revoke").exists()


def test_a_referral_is_revoked_once(cast: Cast, referral: Referral) -> None:
    referral_revoke(actor=cast.alice, referral=referral, reason="Consent withdrawn.")

    with pytest.raises(ValidationError):
        referral_revoke(actor=cast.alice, referral=referral, reason="Again.")
    with pytest.raises(ValidationError):
        referral_accept(actor=cast.fernanda, referral=referral)

    referral.refresh_from_db()
    assert referral.reason == "Consent withdrawn."
    assert AuditEvent.objects.filter(action="referral.revoke").count() == 1


# Two requests at once: an answer prepared before the revocation must not land
# and give the receiver back a person who withdrew consent.
def test_an_answer_read_before_the_revocation_does_not_land(
    cast: Cast, person: Person, referral: Referral
) -> None:
    read_by_receiver = Referral.objects.get(pk=referral.pk)
    referral_revoke(actor=cast.alice, referral=referral, reason="Consent withdrawn.")

    with pytest.raises(ValidationError):
        referral_accept(actor=cast.fernanda, referral=read_by_receiver)

    assert Referral.objects.get(pk=referral.pk).status == Referral.Status.REVOKED
    with pytest.raises(Http404):
        person_get_for_user(user=cast.fernanda, public_id=person.public_id)
