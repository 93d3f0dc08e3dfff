"""An outsider agency gets 404 for another agency's records, through every selector."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.http import Http404

from enlace.assistance.models import Shelter
from enlace.assistance.selectors import service_get_for_user, stay_get_for_user
from enlace.assistance.services import service_record, stay_admit
from enlace.funds.models import Fund
from enlace.funds.selectors import disbursement_get_for_user
from enlace.funds.services import disbursement_record
from enlace.immigration.selectors import visa_request_get_for_user
from enlace.immigration.services import visa_request
from enlace.justice.selectors import (
    alert_get_for_user,
    detention_event_get_for_user,
    participation_get_for_user,
)
from enlace.justice.services import detention_record, participation_record
from enlace.referrals.selectors import referral_get_for_user
from enlace.referrals.services import referral_accept, referral_send
from enlace.registry.models import Person
from enlace.registry.selectors import (
    identification_get_for_user,
    identity_get_for_user,
    person_get_for_user,
)
from enlace.registry.services import person_register
from tests.conftest import IDENTITY, Cast

DAY = datetime.date(2017, 6, 2)


@pytest.fixture
def records(cast: Cast, person: Person) -> dict[str, Any]:
    """One record of every kind about Alice's person."""
    referral = referral_send(
        actor=cast.alice,
        person=person,
        to_agency=cast.agency("FEVIMTRA"),
        services=["housing"],
        consent=True,
    )
    referral_accept(actor=cast.fernanda, referral=referral)
    ceav = cast.agency("CEAV")
    fund = Fund.objects.get(code="CEAV-EMERGENCIA")
    referral_ceav = referral_send(
        actor=cast.alice, person=person, to_agency=ceav, services=["medical"], consent=True
    )
    referral_accept(actor=cast.cecilia, referral=referral_ceav)
    return {
        "identification": person.identifications.get(),
        "referral": referral,
        "service": service_record(
            actor=cast.alice, person=person, category="emergency", kind="legal", started_on=DAY
        ),
        "stay": stay_admit(
            actor=cast.fernanda,
            person=person,
            shelter=Shelter.objects.get(code="REF-FEVIMTRA"),
            admitted_on=DAY,
        ),
        "visa": visa_request(actor=cast.alice, person=person, requested_on=DAY),
        "disbursement": disbursement_record(
            actor=cast.cecilia,
            fund=fund,
            person=person,
            amount=Decimal("1500.00"),
            paid_on=DAY,
            purpose="food",
        ),
        "participation": participation_record(
            actor=cast.alice, person=person, role="complainant", started_on=DAY
        ),
        "detention": detention_record(
            actor=cast.alice, person=person, kind="detention", occurred_on=DAY
        ),
    }


SELECTORS: dict[str, Callable[..., Any]] = {
    "identification": identification_get_for_user,
    "referral": referral_get_for_user,
    "service": service_get_for_user,
    "stay": stay_get_for_user,
    "visa": visa_request_get_for_user,
    "disbursement": disbursement_get_for_user,
    "participation": participation_get_for_user,
    "detention": detention_event_get_for_user,
}


@pytest.mark.parametrize("kind", SELECTORS)
def test_the_owner_reads_it(cast: Cast, records: dict[str, Any], kind: str) -> None:
    assert SELECTORS[kind](user=cast.alice, pk=records[kind].pk) == records[kind]


@pytest.mark.parametrize("kind", SELECTORS)
@pytest.mark.parametrize("who", ["charlie", "audrey", "nobody"])
def test_an_outsider_gets_404(cast: Cast, records: dict[str, Any], kind: str, who: str) -> None:
    with pytest.raises(Http404):
        SELECTORS[kind](user=getattr(cast, who), pk=records[kind].pk)


@pytest.mark.parametrize("who", ["charlie", "audrey", "nobody"])
def test_an_outsider_gets_404_for_the_person_and_identity(
    cast: Cast, person: Person, who: str
) -> None:
    user = getattr(cast, who)
    with pytest.raises(Http404):
        person_get_for_user(user=user, public_id=person.public_id)
    with pytest.raises(Http404):
        identity_get_for_user(user=user, person=person)


def test_an_outsider_gets_404_for_the_alert(cast: Cast, records: dict[str, Any]) -> None:
    alert = records["detention"].alerts.get()
    assert alert_get_for_user(user=cast.alice, pk=alert.pk) == alert
    for who in ("charlie", "fernanda", "ana", "nobody"):
        with pytest.raises(Http404):
            alert_get_for_user(user=getattr(cast, who), pk=alert.pk)


def test_a_colleague_sees_the_agencys_people(cast: Cast, person: Person) -> None:
    assert person_get_for_user(user=cast.bob, public_id=person.public_id) == person


def test_the_analyst_sees_pseudonymous_records_but_never_an_identity(
    cast: Cast, records: dict[str, Any], person: Person
) -> None:
    assert person_get_for_user(user=cast.ana, public_id=person.public_id) == person
    assert identification_get_for_user(user=cast.ana, pk=records["identification"].pk)
    with pytest.raises(Http404):
        identity_get_for_user(user=cast.ana, person=person)


def test_a_receiving_agency_sees_the_identity_only_when_shared(cast: Cast, person: Person) -> None:
    # Fernanda's agency accepted a referral that did not share the identity.
    referral = referral_send(
        actor=cast.alice,
        person=person,
        to_agency=cast.agency("FEVIMTRA"),
        services=["housing"],
        consent=True,
    )
    with pytest.raises(Http404):
        person_get_for_user(user=cast.fernanda, public_id=person.public_id)
    referral_accept(actor=cast.fernanda, referral=referral)
    assert person_get_for_user(user=cast.fernanda, public_id=person.public_id) == person
    with pytest.raises(Http404):
        identity_get_for_user(user=cast.fernanda, person=person)

    shared = person_register(actor=cast.alice, identity=IDENTITY)
    referral = referral_send(
        actor=cast.alice,
        person=shared,
        to_agency=cast.agency("FEVIMTRA"),
        services=["housing"],
        consent=True,
        shares_identity=True,
    )
    referral_accept(actor=cast.fernanda, referral=referral)
    assert identity_get_for_user(user=cast.fernanda, person=shared).paternal_surname == "Hernández"


def test_a_receiving_agency_sees_its_own_records_only(cast: Cast, records: dict[str, Any]) -> None:
    # FEVIMTRA holds the person on referral: its stay yes, the prosecutor's proceedings no.
    assert stay_get_for_user(user=cast.fernanda, pk=records["stay"].pk)
    with pytest.raises(Http404):
        participation_get_for_user(user=cast.fernanda, pk=records["participation"].pk)
