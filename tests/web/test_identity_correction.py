"""Correcting an identity: the registering agency only, for a reason, the old values kept
encrypted and emptied with the identity on erasure; no value in the audit trail."""

from __future__ import annotations

import json

import pytest

from enlace.audit.models import AuditEvent
from enlace.referrals.services import referral_accept, referral_send
from enlace.registry.models import IdentityCorrection, Person
from enlace.registry.services import person_erase
from tests.conftest import IDENTITY, Cast
from tests.web.conftest import signed_in

pytestmark = pytest.mark.django_db


def _form(**changes: str) -> dict[str, str]:
    values = {k: str(v) for k, v in IDENTITY.items()}
    return {**values, "reason": "typing", "corrected_on": "2017-07-01", **changes}


def test_the_registering_agency_corrects_and_the_old_value_is_kept_encrypted(
    cast: Cast, person: Person
) -> None:
    url = f"/people/{person.public_id}/identity/"
    client = signed_in(cast.alice)
    assert f'href="{url}"' in client.get(f"/people/{person.public_id}/").content.decode()
    unchanged = client.post(url, _form())
    assert "Nothing to correct" in unchanged.content.decode()

    response = client.post(url, _form(given_names="María Isabel"), follow=True)

    page = response.content.decode()
    assert "Identity corrected." in page and "María Isabel" in page
    assert "A typing or spelling error" in page and "1 field changed" in page
    correction = IdentityCorrection.objects.get(person=person)
    assert correction.fields == ["given_names"]
    assert json.loads(correction.previous) == {"given_names": "María Guadalupe"}
    # The trail names the fields, never a value, old or new.
    trail = json.dumps(list(AuditEvent.objects.values("before", "after")), ensure_ascii=False)
    assert "Guadalupe" not in trail and "Isabel" not in trail
    assert AuditEvent.objects.filter(action="identity.correct").exists()

    # Erasure empties the kept values with the identity.
    person_erase(actor=cast.sam, person=person, legal_reference="Oficio 12/2017")
    correction.refresh_from_db()
    assert correction.previous == ""


def test_no_one_else_corrects_it(cast: Cast, person: Person) -> None:
    referral = referral_send(
        actor=cast.alice,
        person=person,
        to_agency=cast.agency("FEVIMTRA"),
        services=["housing"],
        consent=True,
        shares_identity=True,
    )
    referral_accept(actor=cast.fernanda, referral=referral)
    url = f"/people/{person.public_id}/identity/"
    # The receiver reads the shared identity but may not rewrite it; others never see it.
    receiver = signed_in(cast.fernanda)
    assert f'href="{url}"' not in receiver.get(f"/people/{person.public_id}/").content.decode()
    assert receiver.post(url, _form(given_names="Otra")).status_code == 403
    assert signed_in(cast.charlie).post(url, _form(given_names="Otra")).status_code == 404
    assert not IdentityCorrection.objects.exists()
