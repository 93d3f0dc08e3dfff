from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError

from enlace.accounts.models import Role
from enlace.assistance.services import service_record
from enlace.audit.models import AuditEvent
from enlace.funds.models import Fund, Grant
from enlace.funds.selectors import grant_list_with_victims_served
from enlace.funds.services import grant_record
from enlace.registry.services import person_register
from tests.conftest import Cast

AWARDED = datetime.date(2017, 3, 1)
Member = Callable[[str, Role, str], User]


def test_a_supervisor_grants_to_an_ngo(cast: Cast) -> None:
    grant = grant_record(
        actor=cast.sam,
        grantee=cast.agency("ONG-PUE"),
        amount=Decimal(598500),
        awarded_on=AWARDED,
        purpose="Shelter running costs",
    )

    grant.refresh_from_db()
    assert grant.grantor.code == "FGE-PUE" and grant.grantee.code == "ONG-PUE"
    assert grant.amount == Decimal("598500.00") and grant.awarded_on == AWARDED
    assert grant.fund is None and grant.recorded_by == cast.sam


def test_it_writes_one_audit_row(cast: Cast) -> None:
    grant = grant_record(
        actor=cast.sam, grantee=cast.agency("ONG-PUE"), amount=Decimal(1000), awarded_on=AWARDED
    )

    event = AuditEvent.objects.get(action="grant.record")
    assert event.object_id == str(grant.pk)
    assert event.actor_name == "sam" and event.agency_code == "FGE-PUE"


@pytest.mark.parametrize("who", ["alice", "cecilia", "ana", "audrey", "nobody"])
def test_only_a_supervisor_grants(cast: Cast, who: str) -> None:
    with pytest.raises(PermissionDenied):
        grant_record(
            actor=getattr(cast, who),
            grantee=cast.agency("ONG-PUE"),
            amount=Decimal(1000),
            awarded_on=AWARDED,
        )
    assert not Grant.objects.exists()
    assert not AuditEvent.objects.filter(action="grant.record").exists()


@pytest.mark.parametrize("grantee", ["FEVIMTRA", "CEAV", "FGE-JAL"])
def test_the_grantee_must_be_an_ngo(cast: Cast, grantee: str) -> None:
    with pytest.raises(ValidationError) as exc:
        grant_record(
            actor=cast.sam, grantee=cast.agency(grantee), amount=Decimal(1000), awarded_on=AWARDED
        )

    assert "grantee" in exc.value.message_dict
    assert not Grant.objects.exists()
    assert not AuditEvent.objects.filter(action="grant.record").exists()


def test_a_grant_comes_only_from_a_fund_the_grantor_administers(cast: Cast, member: Member) -> None:
    fund = Fund.objects.get(code="CEAV-EMERGENCIA")
    with pytest.raises(PermissionDenied):
        grant_record(
            actor=cast.sam,
            grantee=cast.agency("ONG-PUE"),
            amount=Decimal(1000),
            awarded_on=AWARDED,
            fund=fund,
        )
    assert not Grant.objects.exists()

    ceav_supervisor = member("carmen", Role.SUPERVISOR, "CEAV")
    grant = grant_record(
        actor=ceav_supervisor,
        grantee=cast.agency("ONG-PUE"),
        amount=Decimal(1000),
        awarded_on=AWARDED,
        fund=fund,
    )
    assert grant.fund == fund and grant.grantor.code == "CEAV"


@pytest.mark.parametrize("amount", [Decimal(0), Decimal(-1)])
def test_the_amount_must_be_positive(cast: Cast, amount: Decimal) -> None:
    with pytest.raises(ValidationError):
        grant_record(
            actor=cast.sam, grantee=cast.agency("ONG-PUE"), amount=amount, awarded_on=AWARDED
        )
    assert not Grant.objects.exists()


def test_it_counts_the_distinct_people_a_grant_served(cast: Cast, member: Member) -> None:
    ngo = cast.agency("ONG-PUE")
    grant = grant_record(actor=cast.sam, grantee=ngo, amount=Decimal(300000), awarded_on=AWARDED)
    other = grant_record(actor=cast.sam, grantee=ngo, amount=Decimal(298500), awarded_on=AWARDED)
    unused = grant_record(actor=cast.sam, grantee=ngo, amount=Decimal(1000), awarded_on=AWARDED)
    olga = member("olga", Role.CASEWORKER, "ONG-PUE")
    first = person_register(actor=olga, identity={})
    second = person_register(actor=olga, identity={})
    day = datetime.date(2017, 5, 2)

    # The first person is served twice from the grant: she counts once.
    for person, kind, paid_from in [
        (first, "housing", grant),
        (first, "psychological", grant),
        (second, "food", grant),
        (second, "medical", other),
    ]:
        service_record(
            actor=olga,
            person=person,
            category="long_term",
            kind=kind,
            started_on=day,
            grant=paid_from,
        )
    service_record(actor=olga, person=first, category="emergency", kind="legal", started_on=day)

    served = {g.pk: g.victims_served for g in grant_list_with_victims_served()}  # type: ignore[attr-defined]
    assert served == {grant.pk: 2, other.pk: 1, unused.pk: 0}
