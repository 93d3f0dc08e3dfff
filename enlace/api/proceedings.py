"""Proceedings and what they order (protection measures, restitution and its payments, the
conclusion), and grants to NGOs: read as scoped, written through the pages' services.

A proceeding another agency holds is a 404 here, as on every endpoint.
"""

# No "from __future__ import annotations": django-ninja reads the annotations at run time.

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from pydantic import Field

from enlace.accounts.permissions import Action, require
from enlace.api.common import CODE, ERRORS, PK, PUBLIC_ID, TEXT, by_code, held_person, inline_enum
from enlace.api.records import read_routes
from enlace.directory.models import Agency
from enlace.funds.models import Fund
from enlace.funds.services import grant_record
from enlace.justice.models import Participation, ProtectionMeasure
from enlace.justice.selectors import participation_list_for_user
from enlace.justice.services import (
    participation_conclude,
    participation_record,
    protection_measure_record,
    restitution_order_record,
    restitution_payment_record,
)

AMOUNT = Field(gt=0, lt=10**12, max_digits=14, decimal_places=2)


class ProtectionOut(Schema):
    id: int
    kind: str
    ordered_on: datetime.date
    ended_on: datetime.date | None


class PaymentOut(Schema):
    id: int
    paid_on: datetime.date
    amount: Decimal
    fund: str | None = None

    @staticmethod
    def resolve_fund(obj: Any) -> str | None:
        return obj.fund.code if obj.fund_id else None


class RestitutionOut(Schema):
    id: int
    awarded_on: datetime.date
    amount: Decimal
    payments: list[PaymentOut]

    @staticmethod
    def resolve_payments(obj: Any) -> list[Any]:
        return list(obj.payments.all())


class ProceedingOut(Schema):
    id: int
    person: str = Field(validation_alias="person.public_id")
    agency: str = Field(validation_alias="agency.code")
    role: str
    case_reference: str
    testified: bool
    started_on: datetime.date
    concluded_on: datetime.date | None
    protection_measures: list[ProtectionOut]
    restitution_orders: list[RestitutionOut]

    @staticmethod
    def resolve_protection_measures(obj: Any) -> list[Any]:
        return list(obj.protection_measures.all())

    @staticmethod
    def resolve_restitution_orders(obj: Any) -> list[Any]:
        return list(obj.restitution_orders.all())


class ProceedingIn(Schema):
    person: str = Field(pattern=PUBLIC_ID, max_length=14)
    role: inline_enum(Participation.Role)  # type: ignore[valid-type]
    started_on: datetime.date
    case_reference: str = Field("", max_length=60, pattern=TEXT)
    testified: bool = False


class ProtectionIn(Schema):
    kind: inline_enum(ProtectionMeasure.Kind)  # type: ignore[valid-type]
    ordered_on: datetime.date


class RestitutionIn(Schema):
    awarded_on: datetime.date
    amount: Decimal = AMOUNT


class PaymentIn(Schema):
    order: int = Field(
        ge=1, description="The restitution order paid (an id of restitution_orders)."
    )
    paid_on: datetime.date
    amount: Decimal = AMOUNT
    fund: str | None = Field(None, pattern=CODE, description="The code of the fund paid from.")


class ConclusionIn(Schema):
    concluded_on: datetime.date


def _fund(code: str | None) -> Fund | None:
    return by_code(Fund, code, "fund") if code else None


def _proceeding(request: HttpRequest, pk: int) -> Participation:
    return get_object_or_404(participation_list_for_user(user=request.user), pk=pk)


proceedings = Router(tags=["proceedings"])
read_routes(proceedings, ProceedingOut, participation_list_for_user, "started_on")


@proceedings.post("", response={201: ProceedingOut, **ERRORS})
def proceeding_create(request: HttpRequest, payload: ProceedingIn) -> Any:
    made = participation_record(
        actor=request.user,
        person=held_person(request, payload.person),
        role=payload.role,
        started_on=payload.started_on,
        case_reference=payload.case_reference,
        testified=payload.testified,
    )
    return Status(201, _proceeding(request, made.pk))


@proceedings.post("/{pk}/protection-measures", response={201: ProceedingOut, **ERRORS})
def protection_create(request: HttpRequest, pk: PK, payload: ProtectionIn) -> Any:
    found = _proceeding(request, pk)
    protection_measure_record(
        actor=request.user, participation=found, kind=payload.kind, ordered_on=payload.ordered_on
    )
    return Status(201, _proceeding(request, found.pk))


@proceedings.post("/{pk}/restitution-orders", response={201: ProceedingOut, **ERRORS})
def restitution_create(request: HttpRequest, pk: PK, payload: RestitutionIn) -> Any:
    found = _proceeding(request, pk)
    restitution_order_record(
        actor=request.user,
        participation=found,
        awarded_on=payload.awarded_on,
        amount=payload.amount,
    )
    return Status(201, _proceeding(request, found.pk))


@proceedings.post("/{pk}/restitution-payments", response={201: ProceedingOut, **ERRORS})
def restitution_payment_create(request: HttpRequest, pk: PK, payload: PaymentIn) -> Any:
    found = _proceeding(request, pk)
    order = found.restitution_orders.filter(pk=payload.order).first()
    if order is None:
        raise ValidationError({"order": "Not a restitution order of this proceeding."})
    restitution_payment_record(
        actor=request.user,
        order=order,
        paid_on=payload.paid_on,
        amount=payload.amount,
        fund=_fund(payload.fund),
    )
    return Status(201, _proceeding(request, found.pk))


@proceedings.post("/{pk}/conclusion", response={200: ProceedingOut, **ERRORS})
def proceeding_conclude(request: HttpRequest, pk: PK, payload: ConclusionIn) -> Any:
    found = _proceeding(request, pk)
    participation_conclude(
        actor=request.user, participation=found, concluded_on=payload.concluded_on
    )
    return _proceeding(request, found.pk)


class GrantIn(Schema):
    grantee: str = Field(pattern=CODE, description="The NGO's agency code.")
    amount: Decimal = AMOUNT
    awarded_on: datetime.date
    fund: str | None = Field(None, pattern=CODE, description="The code of the fund paid from.")
    purpose: str = Field("", max_length=200, pattern=TEXT)


class GrantOut(Schema):
    id: int
    grantor: str = Field(validation_alias="grantor.code")
    grantee: str = Field(validation_alias="grantee.code")
    fund: str | None = None
    amount: Decimal
    awarded_on: datetime.date
    purpose: str

    @staticmethod
    def resolve_fund(obj: Any) -> str | None:
        return obj.fund.code if obj.fund_id else None


grants = Router(tags=["grants"])


@grants.post("", response={201: GrantOut, **ERRORS})
def grant_create(request: HttpRequest, payload: GrantIn) -> Any:
    """A grant from the token's agency to an NGO: a supervisor's token only (``grant_record``)."""
    # Refused before the codes are looked up: a refusal tells nothing of them.
    require(request.user, Action.GRANT_RECORD)
    grantee = by_code(Agency, payload.grantee, "grantee")
    made = grant_record(
        actor=request.user,
        grantee=grantee,
        amount=payload.amount,
        awarded_on=payload.awarded_on,
        fund=_fund(payload.fund),
        purpose=payload.purpose,
    )
    return Status(201, made)
