"""Beside the shared cast: Root, the administrator, and Fabiola, FEVIMTRA's supervisor.

Root works only through the Django admin; Fabiola is the one who must confirm
an account Root proposes at FEVIMTRA before it reads anything there.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from enlace.accounts.models import Membership, Role
from tests.conftest import Cast, _user

# What an administrator types as a new password: the validators refuse weak ones.
NEW_PASSWORD = "un-caso-seguro-2017"


@pytest.fixture
def root(cast: Cast) -> User:
    user = User.objects.create_superuser("root", password="password")
    Membership.objects.create(user=user, role=Role.ADMIN)
    return user


@pytest.fixture
def fabiola(cast: Cast) -> User:
    return _user("fabiola", Role.SUPERVISOR, "FEVIMTRA")


@pytest.fixture
def admin_site(root: User) -> Client:
    client = Client(headers={"accept-language": "en"})
    client.force_login(root)
    return client


def membership_form(
    role: str, agency_pk: Any, *, membership_pk: Any = "", initial: int = 0
) -> dict[str, Any]:
    """The user form's inline membership, as the admin page posts it."""
    return {
        "membership-TOTAL_FORMS": "1",
        "membership-INITIAL_FORMS": str(initial),
        "membership-MIN_NUM_FORMS": "0",
        "membership-MAX_NUM_FORMS": "1",
        "membership-0-id": str(membership_pk),
        "membership-0-role": role,
        "membership-0-agency": str(agency_pk),
    }


def admin_user_add(client: Client, username: str, role: str, agency_pk: Any) -> User:
    """Create an account through the admin's "Add user" page with its membership."""
    response = client.post(
        "/admin/auth/user/add/",
        {
            "username": username,
            "usable_password": "true",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            **membership_form(role, agency_pk),
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    return User.objects.get(username=username)


def admin_user_change(
    client: Client,
    user: User,
    *,
    role: str | None = None,
    agency_pk: Any = None,
    delete_membership: bool = False,
    **flags: bool,
) -> Any:
    """Post the admin's change page of ``user`` as it stands, with ``flags`` and the
    membership's role or agency changed (or the membership removed)."""
    user.refresh_from_db()
    data: dict[str, Any] = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
    }
    values = {name: getattr(user, name) for name in ("is_active", "is_staff", "is_superuser")}
    data.update({name: "on" for name, on in {**values, **flags}.items() if on})
    membership = Membership.objects.filter(user=user).first()
    if membership is None:
        data.update(membership_form(role or "", agency_pk or ""))
    else:
        data.update(
            membership_form(
                role or membership.role,
                agency_pk or membership.agency_id or "",
                membership_pk=membership.pk,
                initial=1,
            )
        )
        data["membership-0-user"] = str(user.pk)
        if delete_membership:
            data["membership-0-DELETE"] = "on"
    response = client.post(f"/admin/auth/user/{user.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    return response


def admin_password_set(client: Client, user: User, password: str = NEW_PASSWORD) -> Any:
    """Set the user's password on the admin's "Change password" page."""
    response = client.post(
        f"/admin/auth/user/{user.pk}/password/",
        {"password1": password, "password2": password, "usable_password": "true"},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    return response
