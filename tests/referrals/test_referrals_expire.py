from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.http import Http404
from django.utils import timezone

from enlace.audit.models import AuditEvent
from enlace.referrals.models import Referral
from enlace.referrals.services import referral_accept, referral_send
from enlace.registry.models import Person
from enlace.registry.selectors import person_get_for_user
from tests.conftest import Cast


def _send(cast: Cast, person: Person, days_ago: int) -> Referral:
    return referral_send(
        actor=cast.alice,
        person=person,
        to_agency=cast.agency("FEVIMTRA"),
        services=["housing"],
        consent=True,
        at=timezone.now() - datetime.timedelta(days=days_ago),
    )


def test_it_expires_only_unanswered_referrals_past_the_limit(cast: Cast, person: Person) -> None:
    old = _send(cast, person, days_ago=20)
    recent = _send(cast, person, days_ago=3)
    answered = _send(cast, person, days_ago=30)
    referral_accept(actor=cast.fernanda, referral=answered)
    out = StringIO()

    call_command("referrals_expire", "--days", "15", stdout=out)

    assert "1 referrals expired." in out.getvalue()
    statuses = {r.pk: r.status for r in Referral.objects.all()}
    assert statuses == {old.pk: "expired", recent.pk: "sent", answered.pk: "accepted"}
    row = AuditEvent.objects.get(action="referral.expire")
    assert (row.actor_name, row.object_id) == ("system", str(old.pk))


def test_an_expired_referral_cannot_be_accepted(cast: Cast, person: Person) -> None:
    old = _send(cast, person, days_ago=20)
    call_command("referrals_expire", stdout=StringIO())

    with pytest.raises(ValidationError) as refused:
        referral_accept(actor=cast.fernanda, referral=old)
    assert "status" in refused.value.message_dict
    with pytest.raises(Http404):
        person_get_for_user(user=cast.fernanda, public_id=person.public_id)


def test_a_referral_cannot_be_dated_in_the_future(cast: Cast, person: Person) -> None:
    with pytest.raises(ValidationError) as refused:
        _send(cast, person, days_ago=-1)
    assert "at" in refused.value.message_dict
    assert not Referral.objects.exists()
