from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from enlace.audit.models import AuditEvent
from enlace.funds.models import Disbursement, Fund
from enlace.funds.services import disbursement_record
from enlace.registry.models import Person
from tests.conftest import Cast

DAY = datetime.date(2017, 6, 2)


@pytest.fixture
def fund(cast: Cast) -> Fund:
    """CEAV's emergency fund, paying from 1 April 2017."""
    return Fund.objects.get(code="CEAV-EMERGENCIA")


def _pay(cast: Cast, fund: Fund, person: Person, **overrides: Any) -> Disbursement:
    kwargs: dict[str, Any] = {
        "actor": cast.cecilia,
        "fund": fund,
        "person": person,
        "amount": Decimal("1500.00"),
        "paid_on": DAY,
        "purpose": "food",
    }
    return disbursement_record(**{**kwargs, **overrides})


def test_the_administrator_pays(cast: Cast, fund: Fund, referred: Person) -> None:
    disbursement = _pay(cast, fund, referred)

    disbursement.refresh_from_db()
    assert disbursement.fund == fund and disbursement.person == referred
    assert disbursement.agency.code == "CEAV"
    assert disbursement.amount == Decimal("1500.00") and disbursement.paid_on == DAY
    assert disbursement.purpose == "food" and disbursement.recorded_by == cast.cecilia


def test_it_writes_one_audit_row(cast: Cast, fund: Fund, referred: Person) -> None:
    disbursement = _pay(cast, fund, referred)

    event = AuditEvent.objects.get(action="disbursement.record")
    assert event.object_id == str(disbursement.pk)
    assert event.actor_name == "cecilia" and event.agency_code == "CEAV"
    assert event.after is not None and event.after["amount"] == "1500.00"


def test_it_pays_from_the_first_day_the_fund_disburses(
    cast: Cast, fund: Fund, referred: Person
) -> None:
    disbursement = _pay(cast, fund, referred, paid_on=datetime.date(2017, 4, 1))
    assert disbursement.paid_on == datetime.date(2017, 4, 1)


def test_it_does_not_pay_before_the_fund_disburses(
    cast: Cast, fund: Fund, referred: Person
) -> None:
    with pytest.raises(ValidationError) as exc:
        _pay(cast, fund, referred, paid_on=datetime.date(2017, 3, 31))

    assert "paid_on" in exc.value.message_dict
    assert "2017-04-01" in exc.value.message_dict["paid_on"][0]
    assert not Disbursement.objects.exists()
    assert not AuditEvent.objects.filter(action="disbursement.record").exists()


@pytest.mark.parametrize("who", ["alice", "bob", "sam"])
def test_only_the_funds_administrator_pays(
    cast: Cast, fund: Fund, referred: Person, who: str
) -> None:
    # Alice's agency holds the person, but the fund is CEAV's.
    with pytest.raises(PermissionDenied):
        _pay(cast, fund, referred, actor=getattr(cast, who))
    assert not Disbursement.objects.exists()
    assert not AuditEvent.objects.filter(action="disbursement.record").exists()


def test_the_administrator_pays_only_from_its_own_funds(cast: Cast, referred: Person) -> None:
    with pytest.raises(PermissionDenied):
        _pay(cast, Fund.objects.get(code="INDESOL-PCS"), referred)
    assert not Disbursement.objects.exists()


def test_the_administrator_pays_only_people_it_holds(
    cast: Cast, fund: Fund, person: Person
) -> None:
    # Never referred to CEAV.
    with pytest.raises(PermissionDenied):
        _pay(cast, fund, person)
    assert not Disbursement.objects.exists()


@pytest.mark.parametrize("who", ["ana", "audrey", "nobody"])
def test_roles_that_do_not_work_cases_cannot_pay(
    cast: Cast, fund: Fund, referred: Person, who: str
) -> None:
    with pytest.raises(PermissionDenied):
        _pay(cast, fund, referred, actor=getattr(cast, who))
    assert not Disbursement.objects.exists()


@pytest.mark.parametrize(
    "overrides",
    [{"amount": Decimal(0)}, {"amount": Decimal("-10.00")}, {"purpose": "jewellery"}],
    ids=["zero", "negative", "unknown-purpose"],
)
def test_it_validates(cast: Cast, fund: Fund, referred: Person, overrides: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        _pay(cast, fund, referred, **overrides)
    assert not Disbursement.objects.exists()
    assert not AuditEvent.objects.filter(action="disbursement.record").exists()
