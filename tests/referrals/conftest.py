from __future__ import annotations

import pytest

from enlace.referrals.models import Referral
from enlace.referrals.services import referral_accept, referral_send
from enlace.registry.models import Person
from tests.conftest import Cast


@pytest.fixture
def referral(cast: Cast, person: Person) -> Referral:
    """Alice's agency asks FEVIMTRA to house her person."""
    return referral_send(
        actor=cast.alice,
        person=person,
        to_agency=cast.agency("FEVIMTRA"),
        services=["housing"],
        consent=True,
    )


@pytest.fixture
def accepted(cast: Cast, referral: Referral) -> Referral:
    return referral_accept(actor=cast.fernanda, referral=referral)
