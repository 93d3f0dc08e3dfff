from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User

from enlace.accounts.models import Membership, Role
from enlace.referrals.services import referral_accept, referral_send
from enlace.registry.models import Person
from tests.conftest import Cast


@pytest.fixture
def member(cast: Cast) -> Callable[[str, Role, str], User]:
    """Someone beyond the shared cast, e.g. a supervisor at CEAV or a caseworker at an NGO."""

    def make(username: str, role: Role, agency: str) -> User:
        user = User.objects.create_user(username, password="password")
        Membership.objects.create(user=user, role=role, agency=cast.agency(agency))
        return user

    return make


@pytest.fixture
def referred(cast: Cast, person: Person) -> Person:
    """Alice's person, referred to CEAV for help and accepted by Cecilia."""
    referral = referral_send(
        actor=cast.alice,
        person=person,
        to_agency=cast.agency("CEAV"),
        services=["food", "medical"],
        consent=True,
    )
    referral_accept(actor=cast.cecilia, referral=referral)
    return person
