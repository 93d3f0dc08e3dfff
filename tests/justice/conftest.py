from __future__ import annotations

from collections.abc import Callable

import pytest

from enlace.referrals.services import referral_accept, referral_send
from enlace.registry.models import Person
from enlace.registry.services import person_register
from tests.conftest import IDENTITY, Cast

Refer = Callable[[Person, str], Person]


@pytest.fixture
def refer(cast: Cast) -> Refer:
    """Alice refers a person to another agency, whose caseworker accepts."""
    answering = {"INM": cast.ines, "FGE-JAL": cast.charlie, "FEVIMTRA": cast.fernanda}

    def refer(person: Person, code: str) -> Person:
        referral = referral_send(
            actor=cast.alice,
            person=person,
            to_agency=cast.agency(code),
            services=["legal"],
            consent=True,
        )
        referral_accept(actor=answering[code], referral=referral)
        return person

    return refer


@pytest.fixture
def unidentified(cast: Cast) -> Person:
    """A person Alice's agency registered but has not identified."""
    return person_register(actor=cast.alice, identity=IDENTITY)
