from __future__ import annotations

import contextlib
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from enlace.audit.models import AuditEvent
from enlace.referrals.models import Referral
from enlace.referrals.services import referral_accept, referral_send
from enlace.registry.models import Person
from enlace.registry.selectors import identity_get_for_user, person_is_held_by
from tests.conftest import Cast


def _send(cast: Cast, person: Person, **overrides: Any) -> Referral:
    kwargs: dict[str, Any] = {
        "actor": cast.alice,
        "person": person,
        "to_agency": cast.agency("FEVIMTRA"),
        "services": ["housing"],
        "consent": True,
    }
    return referral_send(**{**kwargs, **overrides})


def test_it_sends_from_the_senders_agency(cast: Cast, person: Person) -> None:
    referral = _send(cast, person, services=["medical", "housing", "medical"])

    referral.refresh_from_db()
    assert referral.status == Referral.Status.SENT
    assert referral.from_agency.code == "FGE-PUE"
    assert referral.to_agency.code == "FEVIMTRA"
    assert referral.services == ["housing", "medical"]
    assert referral.sent_by == cast.alice
    assert referral.answered_at is None and referral.time_to_answer is None
    assert not referral.shares_identity


def test_it_writes_one_audit_row(cast: Cast, person: Person) -> None:
    referral = _send(cast, person)

    event = AuditEvent.objects.get(action="referral.send")
    assert event.object_id == str(referral.pk)
    assert event.actor_name == "alice" and event.agency_code == "FGE-PUE"
    assert event.after is not None and event.after["status"] == "sent"


def test_a_colleague_may_send(cast: Cast, person: Person) -> None:
    referral = _send(cast, person, actor=cast.bob)
    assert referral.from_agency.code == "FGE-PUE" and referral.sent_by == cast.bob


def test_it_does_not_give_the_receiver_the_person_before_it_accepts(
    cast: Cast, person: Person
) -> None:
    _send(cast, person)
    assert not person_is_held_by(user=cast.fernanda, person=person)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"consent": False}, "consent"),
        ({"services": []}, "services"),
        ({"services": ["housing", "massage"]}, "services"),
        ({"to_agency": "FGE-PUE"}, "to_agency"),
    ],
    ids=["without-consent", "no-service", "unknown-service", "to-itself"],
)
def test_it_validates(cast: Cast, person: Person, overrides: dict[str, Any], field: str) -> None:
    if "to_agency" in overrides:
        overrides = {**overrides, "to_agency": cast.agency(overrides["to_agency"])}
    events = AuditEvent.objects.count()

    with pytest.raises(ValidationError) as exc:
        _send(cast, person, **overrides)

    assert field in exc.value.message_dict
    assert not Referral.objects.exists()
    assert AuditEvent.objects.count() == events


def test_it_names_the_unknown_service(cast: Cast, person: Person) -> None:
    with pytest.raises(ValidationError) as exc:
        _send(cast, person, services=["housing", "massage"])
    assert "massage" in exc.value.message_dict["services"][0]


@pytest.mark.parametrize("who", ["charlie", "fernanda"])
def test_an_agency_cannot_refer_a_person_it_does_not_hold(
    cast: Cast, person: Person, who: str
) -> None:
    with pytest.raises(PermissionDenied):
        _send(cast, person, actor=getattr(cast, who), to_agency=cast.agency("CEAV"))
    assert not Referral.objects.exists()
    assert not AuditEvent.objects.filter(action="referral.send").exists()


@pytest.mark.parametrize("who", ["ana", "audrey", "nobody"])
def test_roles_that_do_not_work_cases_cannot_send(cast: Cast, person: Person, who: str) -> None:
    with pytest.raises(PermissionDenied):
        _send(cast, person, actor=getattr(cast, who))
    assert not Referral.objects.exists()
    assert not AuditEvent.objects.filter(action="referral.send").exists()


# An agency holding the person on a referral that did not share the identity
# must not be able to share it onward.
def test_an_agency_cannot_share_an_identity_it_cannot_read(cast: Cast, person: Person) -> None:
    referral_accept(actor=cast.fernanda, referral=_send(cast, person))
    with pytest.raises(Http404):
        identity_get_for_user(user=cast.fernanda, person=person)

    with contextlib.suppress(PermissionDenied, ValidationError):
        onward = _send(
            cast, person, actor=cast.fernanda, to_agency=cast.agency("CEAV"), shares_identity=True
        )
        referral_accept(actor=cast.cecilia, referral=onward)

    with pytest.raises(Http404):
        identity_get_for_user(user=cast.cecilia, person=person)
