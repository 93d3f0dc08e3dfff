from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum

from enlace.audit.models import AuditEvent
from enlace.funds.models import Fund
from enlace.justice.models import Participation, RestitutionOrder, RestitutionPayment
from enlace.justice.services import (
    participation_record,
    restitution_order_record,
    restitution_payment_record,
)
from enlace.registry.models import Person
from tests.conftest import Cast
from tests.justice.conftest import Refer

AWARDED = datetime.date(2018, 2, 1)
PAID = datetime.date(2018, 3, 1)


@pytest.fixture
def participation(cast: Cast, person: Person) -> Participation:
    return participation_record(
        actor=cast.alice, person=person, role="complainant", started_on=datetime.date(2017, 6, 2)
    )


@pytest.fixture
def order(cast: Cast, participation: Participation) -> RestitutionOrder:
    return restitution_order_record(
        actor=cast.alice, participation=participation, awarded_on=AWARDED, amount=Decimal(50000)
    )


def _paid(order: RestitutionOrder) -> Decimal:
    return order.payments.aggregate(total=Sum("amount"))["total"] or Decimal(0)


def test_the_prosecuting_agency_records_an_award(cast: Cast, participation: Participation) -> None:
    order = restitution_order_record(
        actor=cast.bob, participation=participation, awarded_on=AWARDED, amount=Decimal(50000)
    )

    order.refresh_from_db()
    assert order.participation == participation
    assert order.amount == Decimal("50000.00") and order.awarded_on == AWARDED
    event = AuditEvent.objects.get(action="restitution.order")
    assert event.object_id == str(order.pk) and event.actor_name == "bob"


def test_payments_add_up_to_the_award(cast: Cast, order: RestitutionOrder) -> None:
    first = restitution_payment_record(
        actor=cast.alice, order=order, paid_on=PAID, amount=Decimal(30000)
    )
    restitution_payment_record(
        actor=cast.alice,
        order=order,
        paid_on=PAID,
        amount=Decimal(20000),
        fund=Fund.objects.get(code="FAARI"),
    )

    assert _paid(order) == Decimal(50000)
    assert order.payments.get(fund__code="FAARI").amount == Decimal(20000)
    events = AuditEvent.objects.filter(action="restitution.pay")
    assert events.count() == 2
    assert events.filter(object_id=str(first.pk)).exists()


def test_payments_cannot_exceed_the_award(cast: Cast, order: RestitutionOrder) -> None:
    restitution_payment_record(actor=cast.alice, order=order, paid_on=PAID, amount=Decimal(30000))

    with pytest.raises(ValidationError) as exc:
        restitution_payment_record(
            actor=cast.alice, order=order, paid_on=PAID, amount=Decimal("20000.01")
        )

    assert "amount" in exc.value.message_dict
    assert _paid(order) == Decimal(30000)
    assert AuditEvent.objects.filter(action="restitution.pay").count() == 1


def test_a_single_payment_cannot_exceed_the_award(cast: Cast, order: RestitutionOrder) -> None:
    with pytest.raises(ValidationError):
        restitution_payment_record(
            actor=cast.alice, order=order, paid_on=PAID, amount=Decimal(50001)
        )
    assert not RestitutionPayment.objects.exists()


@pytest.mark.parametrize("amount", [Decimal(0), Decimal(-100)])
def test_a_payment_must_be_positive(cast: Cast, order: RestitutionOrder, amount: Decimal) -> None:
    with pytest.raises(ValidationError):
        restitution_payment_record(actor=cast.alice, order=order, paid_on=PAID, amount=amount)
    assert not RestitutionPayment.objects.exists()
    assert not AuditEvent.objects.filter(action="restitution.pay").exists()


@pytest.mark.parametrize("amount", [Decimal(0), Decimal(-100)])
def test_an_award_must_be_positive(
    cast: Cast, participation: Participation, amount: Decimal
) -> None:
    with pytest.raises(ValidationError):
        restitution_order_record(
            actor=cast.alice, participation=participation, awarded_on=AWARDED, amount=amount
        )
    assert not RestitutionOrder.objects.exists()
    assert not AuditEvent.objects.filter(action="restitution.order").exists()


@pytest.mark.parametrize("who", ["ines", "charlie", "cecilia", "ana", "nobody"])
def test_only_the_prosecuting_agency_records(
    cast: Cast, person: Person, participation: Participation, refer: Refer, who: str
) -> None:
    # INM holds the person too, on referral; the proceedings are still Alice's agency's.
    refer(person, "INM")
    order = restitution_order_record(
        actor=cast.alice, participation=participation, awarded_on=AWARDED, amount=Decimal(50000)
    )
    user = getattr(cast, who)

    with pytest.raises(PermissionDenied):
        restitution_order_record(
            actor=user, participation=participation, awarded_on=AWARDED, amount=Decimal(1)
        )
    with pytest.raises(PermissionDenied):
        restitution_payment_record(actor=user, order=order, paid_on=PAID, amount=Decimal(1))

    assert RestitutionOrder.objects.count() == 1
    assert not RestitutionPayment.objects.exists()
    assert AuditEvent.objects.filter(action="restitution.order").count() == 1
    assert not AuditEvent.objects.filter(action="restitution.pay").exists()
