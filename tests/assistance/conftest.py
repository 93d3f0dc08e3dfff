from __future__ import annotations

from collections.abc import Callable

import pytest

from enlace.assistance.models import Shelter
from enlace.referrals.services import referral_accept, referral_send
from enlace.registry.models import Person
from enlace.registry.services import person_register
from tests.conftest import Cast


@pytest.fixture
def shelter(cast: Cast) -> Shelter:
    """FEVIMTRA's high-security shelter: 30 beds, children welcome, no leaving alone."""
    return Shelter.objects.get(code="REF-FEVIMTRA")


@pytest.fixture
def referred(cast: Cast, person: Person) -> Person:
    """Alice's person, referred to FEVIMTRA for housing and accepted."""
    referral = referral_send(
        actor=cast.alice,
        person=person,
        to_agency=cast.agency("FEVIMTRA"),
        services=["housing"],
        consent=True,
    )
    referral_accept(actor=cast.fernanda, referral=referral)
    return person


@pytest.fixture
def another(cast: Cast) -> Callable[[], Person]:
    """Another person FEVIMTRA holds, registered by Fernanda herself."""
    return lambda: person_register(actor=cast.fernanda, identity={}, sex="female")
