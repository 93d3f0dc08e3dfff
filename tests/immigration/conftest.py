from __future__ import annotations

import datetime

import pytest

from enlace.directory.models import Country
from enlace.referrals.services import referral_accept, referral_send
from enlace.registry.models import Person
from enlace.registry.services import identification_record, person_register
from tests.conftest import Cast


@pytest.fixture
def foreigner(cast: Cast) -> Person:
    """A Guatemalan woman Alice's agency identified and referred to INM, which accepted."""
    person = person_register(
        actor=cast.alice,
        identity={"given_names": "Rosa", "passport_number": "G12345678"},
        sex="female",
        nationality=Country.objects.get(iso2="GT"),
    )
    identification_record(
        actor=cast.alice,
        person=person,
        identified_on=datetime.date(2017, 11, 20),
        forms=["forced_labour"],
        jurisdiction=cast.agency("FGE-PUE").jurisdiction,
    )
    referral = referral_send(
        actor=cast.alice,
        person=person,
        to_agency=cast.agency("INM"),
        services=["legal"],
        consent=True,
    )
    referral_accept(actor=cast.ines, referral=referral)
    return person
