"""Every service refuses a user whose role or agency may not do it, and writes nothing."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied

from enlace.assistance.models import Shelter
from enlace.assistance.services import service_record, stay_admit
from enlace.audit.models import AuditEvent
from enlace.directory.models import Protocol
from enlace.funds.models import Fund
from enlace.funds.services import disbursement_record, grant_record
from enlace.immigration.services import visa_decide, visa_request
from enlace.justice.services import detention_record, participation_record
from enlace.referrals.services import referral_accept, referral_send
from enlace.registry.models import Person
from enlace.registry.services import (
    identification_confirm,
    identification_record,
    identity_update,
    person_register,
    screening_record,
)
from tests.conftest import IDENTITY, Cast

DAY = datetime.date(2017, 7, 3)

Call = Callable[[User, Cast, Person], Any]

SERVICES: dict[str, Call] = {
    "person_register": lambda u, c, p: person_register(actor=u, identity=IDENTITY),
    "identity_update": lambda u, c, p: identity_update(actor=u, person=p, contact="x"),
    "screening_record": lambda u, c, p: screening_record(
        actor=u,
        person=p,
        protocol=Protocol.objects.get(code="FED-RESCATE"),
        answers={},
        screened_on=DAY,
    ),
    "identification_record": lambda u, c, p: identification_record(
        actor=u, person=p, identified_on=DAY, forms=["forced_labour"]
    ),
    "identification_confirm": lambda u, c, p: identification_confirm(
        actor=u, identification=p.identifications.get()
    ),
    "referral_send": lambda u, c, p: referral_send(
        actor=u, person=p, to_agency=c.agency("DIF"), services=["legal"], consent=True
    ),
    "referral_accept": lambda u, c, p: referral_accept(
        actor=u,
        referral=referral_send(
            actor=c.alice,
            person=p,
            to_agency=c.agency("FEVIMTRA"),
            services=["housing"],
            consent=True,
        ),
    ),
    "service_record": lambda u, c, p: service_record(
        actor=u, person=p, category="emergency", kind="food", started_on=DAY
    ),
    "stay_admit": lambda u, c, p: stay_admit(
        actor=u, person=p, shelter=Shelter.objects.get(code="REF-FEVIMTRA"), admitted_on=DAY
    ),
    "visa_request": lambda u, c, p: visa_request(actor=u, person=p, requested_on=DAY),
    "visa_decide": lambda u, c, p: visa_decide(
        actor=u,
        request=visa_request(actor=c.alice, person=p, requested_on=DAY),
        decided_on=DAY,
        granted=True,
    ),
    "disbursement_record": lambda u, c, p: disbursement_record(
        actor=u,
        fund=Fund.objects.get(code="CEAV-EMERGENCIA"),
        person=p,
        amount=Decimal("100"),
        paid_on=DAY,
        purpose="food",
    ),
    "grant_record": lambda u, c, p: grant_record(
        actor=u, grantee=c.agency("ONG-PUE"), amount=Decimal("1000"), awarded_on=DAY
    ),
    "participation_record": lambda u, c, p: participation_record(
        actor=u, person=p, role="witness", started_on=DAY
    ),
    "detention_record": lambda u, c, p: detention_record(
        actor=u, person=p, kind="detention", occurred_on=DAY
    ),
}

# Who is refused for each service besides the roles that never work cases.
REFUSED_TOO: dict[str, list[str]] = {
    "person_register": [],
    "identity_update": ["charlie"],
    "screening_record": ["charlie"],
    "identification_record": ["charlie"],
    "identification_confirm": ["alice", "charlie"],  # only a supervisor confirms
    "referral_send": ["charlie"],
    "referral_accept": ["alice", "charlie"],  # only the receiving agency
    "service_record": ["charlie"],
    "stay_admit": ["alice", "charlie"],  # only the shelter's operator
    "visa_request": ["charlie"],
    "visa_decide": ["alice", "charlie"],  # only immigration decides
    "disbursement_record": ["alice", "charlie"],  # only the fund's administrator
    "grant_record": ["alice", "charlie"],  # only a supervisor
    "participation_record": ["charlie"],
    "detention_record": ["charlie"],
}

SETUP_ACTIONS = {"referral_accept": ["referral.send"], "visa_decide": ["visa.request"]}

CASES = [
    (name, who) for name in SERVICES for who in ["ana", "audrey", "nobody", *REFUSED_TOO[name]]
]


@pytest.mark.parametrize(("service", "who"), CASES)
def test_it_rejects_a_user_without_permission(
    cast: Cast, person: Person, service: str, who: str
) -> None:
    last = AuditEvent.objects.order_by("id").last()
    with pytest.raises(PermissionDenied):
        SERVICES[service](getattr(cast, who), cast, person)
    written = AuditEvent.objects.filter(id__gt=last.id if last else 0)
    # The set-up inside the call (Alice sends a referral) audits; the refused call must not.
    assert list(written.values_list("action", flat=True)) == SETUP_ACTIONS.get(service, [])


def test_every_service_is_covered() -> None:
    assert set(SERVICES) == set(REFUSED_TOO)
