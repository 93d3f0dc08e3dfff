from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from enlace.audit.context import set_request_id
from enlace.audit.models import AuditEvent
from enlace.referrals.services import referral_send
from enlace.registry.models import Person
from tests.conftest import Cast


def test_a_change_writes_one_row_naming_actor_agency_request_and_object(
    cast: Cast, person: Person
) -> None:
    set_request_id("req-0001-test")
    referral = referral_send(
        actor=cast.alice,
        person=person,
        to_agency=cast.agency("DIF"),
        services=["legal"],
        consent=True,
    )

    row = AuditEvent.objects.get(action="referral.send")
    assert (row.actor, row.actor_name, row.agency_code) == (cast.alice, "alice", "FGE-PUE")
    assert row.request_id == "req-0001-test"
    assert (row.object_type, row.object_id) == ("referrals.referral", str(referral.pk))
    assert row.after is not None and row.after["status"] == "sent"
    assert row.after["person_id"] == person.pk


def test_a_refused_change_leaves_no_row(cast: Cast, person: Person) -> None:
    with pytest.raises(ValidationError):
        referral_send(
            actor=cast.alice, person=person, to_agency=cast.agency("DIF"), services=[], consent=True
        )
    assert not AuditEvent.objects.filter(action="referral.send").exists()


def test_identity_values_are_masked_in_audit_rows(cast: Cast, person: Person) -> None:
    row = AuditEvent.objects.get(action="identity.create")
    assert row.after is not None
    assert row.after["paternal_surname"] == "[encrypted]"
    assert row.after["passport_number"] is None or row.after["passport_number"] == ""
