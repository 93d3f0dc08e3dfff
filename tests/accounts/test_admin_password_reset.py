"""An administrator who sets a caseworker's password, or resets their second factor,
suspends the caseworker's role until a supervisor of the agency confirms it.

Otherwise the administrator, who may not read identities, would set a password
they know and sign in as the caseworker.
"""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import User
from django.http import Http404
from django.test import Client

from enlace.accounts.models import Membership
from enlace.accounts.permissions import membership_of
from enlace.accounts.services import OPERATOR, password_set
from enlace.audit.models import AuditEvent
from enlace.registry.models import Person
from enlace.registry.selectors import identity_get_for_user
from tests.accounts.conftest import NEW_PASSWORD, admin_password_set
from tests.conftest import Cast
from tests.web.conftest import signed_in

pytestmark = pytest.mark.django_db


def _alice(cast: Cast) -> User:
    return User.objects.get(pk=cast.alice.pk)


def test_it_suspends_the_role_until_the_supervisor_confirms(
    cast: Cast, person: Person, admin_site: Client, root: User
) -> None:
    admin_password_set(admin_site, cast.alice)

    # The password is Root's to type: the account now reaches nothing.
    alice = _alice(cast)
    assert alice.check_password(NEW_PASSWORD)
    assert membership_of(alice) is None
    with pytest.raises(Http404):
        identity_get_for_user(user=alice, person=person)
    suspended = AuditEvent.objects.get(action="membership.suspend")
    assert (suspended.actor, suspended.object_id) == (root, str(alice.pk))
    assert suspended.after == {
        "username": "alice",
        "role": "caseworker",
        "agency": "FGE-PUE",
        "pending": True,
        "reason": "user.password_set",
    }
    row = AuditEvent.objects.get(action="user.password_set")
    assert row.after == {"username": "alice", "usable_password": True}
    assert NEW_PASSWORD not in json.dumps([row.before, row.after, suspended.after])
    assert alice.password not in json.dumps([row.before, row.after, suspended.after])

    # Sam, her supervisor, confirms: she is a caseworker again.
    membership = Membership.objects.get(user=alice)
    response = signed_in(cast.sam).post(f"/accounts/pending/{membership.pk}/confirm/")
    assert response.status_code == 302
    assert identity_get_for_user(user=_alice(cast), person=person).paternal_surname == "Hernández"


def test_a_second_factor_reset_suspends_the_role_too(cast: Cast, admin_site: Client) -> None:
    response = admin_site.post(
        "/admin/auth/user/",
        {"action": "reset_second_factor", "_selected_action": [cast.alice.pk]},
    )

    assert response.status_code == 302
    assert membership_of(_alice(cast)) is None
    suspended = AuditEvent.objects.get(action="membership.suspend")
    assert suspended.after is not None and suspended.after["reason"] == "second_factor.reset"


def test_a_role_outside_the_agencies_is_not_suspended(cast: Cast, admin_site: Client) -> None:
    # An analyst reads no identity: there is nothing for a supervisor to guard.
    admin_password_set(admin_site, cast.ana)

    assert membership_of(User.objects.get(pk=cast.ana.pk)) is not None
    assert not AuditEvent.objects.filter(action="membership.suspend").exists()


def test_an_operator_or_the_user_themself_suspends_nothing(cast: Cast) -> None:
    password_set(actor=OPERATOR, user=cast.alice, password=NEW_PASSWORD)
    password_set(actor=cast.bob, user=cast.bob, password=NEW_PASSWORD)

    assert membership_of(_alice(cast)) is not None
    assert membership_of(User.objects.get(pk=cast.bob.pk)) is not None
    rows = AuditEvent.objects.filter(action="user.password_set").order_by("id")
    assert list(rows.values_list("actor_name", "object_id")) == [
        ("operator", str(cast.alice.pk)),
        ("bob", str(cast.bob.pk)),
    ]
    assert not AuditEvent.objects.filter(action="membership.suspend").exists()


def test_a_mistyped_password_changes_nothing(cast: Cast, admin_site: Client) -> None:
    url = f"/admin/auth/user/{cast.alice.pk}/password/"
    assert admin_site.get(url).status_code == 200

    response = admin_site.post(
        url, {"password1": NEW_PASSWORD, "password2": "otra", "usable_password": "true"}
    )

    assert response.status_code == 200  # the page again, with the error
    assert _alice(cast).check_password("password")
    assert membership_of(_alice(cast)) is not None
    assert not AuditEvent.objects.filter(action="user.password_set").exists()
