"""What the casework records look like in answers, and their read routes (api/casework.py)."""

# No "from __future__ import annotations" here: django-ninja reads the annotations of
# endpoint functions at run time, and those defined in a closure cannot be resolved
# from strings.

import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.pagination import paginate
from pydantic import Field

from enlace.api.common import ERRORS, PK, AuditedPagination, audit_read


class ReferralOut(Schema):
    id: int
    person: str = Field(validation_alias="person.public_id")
    from_agency: str = Field(validation_alias="from_agency.code")
    to_agency: str = Field(validation_alias="to_agency.code")
    services: list[str]
    consent: bool
    shares_identity: bool
    status: str
    sent_at: datetime.datetime
    answered_at: datetime.datetime | None
    closed_at: datetime.datetime | None


class ServiceOut(Schema):
    id: int
    person: str = Field(validation_alias="person.public_id")
    agency: str = Field(validation_alias="agency.code")
    category: str
    kind: str
    started_on: datetime.date
    ended_on: datetime.date | None


class StayOut(Schema):
    id: int
    person: str = Field(validation_alias="person.public_id")
    shelter: str = Field(validation_alias="shelter.code")
    admitted_on: datetime.date
    discharged_on: datetime.date | None
    discharge_reason: str
    accompanying_children: int
    may_leave_alone: bool


class VisaRequestOut(Schema):
    id: int
    person: str = Field(validation_alias="person.public_id")
    agency: str = Field(validation_alias="agency.code")
    requested_on: datetime.date
    outcome: str
    decided_on: datetime.date | None
    validity: str
    valid_until: datetime.date | None


class RepatriationOut(Schema):
    id: int
    person: str = Field(validation_alias="person.public_id")
    agency: str = Field(validation_alias="agency.code")
    repatriated_on: datetime.date
    country: str = Field(validation_alias="country.iso2")
    receiving_agency: str | None = None
    receiving_organisation: str

    @staticmethod
    def resolve_receiving_agency(obj: Any) -> str | None:
        return obj.receiving_agency.code if obj.receiving_agency else None


class DateFilter(Schema):
    since: datetime.date | None = None


def read_routes(router: Router, out: type[Schema], selector: Any, date_field: str) -> None:
    """A paginated list and a detail view of records from one scoped selector."""

    @router.get("", response={200: list[out], **ERRORS})  # type: ignore[valid-type]
    @paginate(AuditedPagination)
    def _list(request: HttpRequest, filters: Query[DateFilter]) -> QuerySet[Any]:
        qs = selector(user=request.user)
        if filters.since:
            qs = qs.filter(**{f"{date_field}__gte": filters.since})
        return qs.order_by("pk")

    @router.get("/{pk}", response={200: out, **ERRORS})
    def _get(request: HttpRequest, pk: PK) -> Any:
        found = get_object_or_404(selector(user=request.user), pk=pk)
        audit_read(request, [found])
        return found
