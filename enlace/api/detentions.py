"""Detention, transfer and deportation events: recorded by the token's agency, read as scoped.

Recording one of a person known as a trafficking victim raises the
non-punishment alert (``justice.services.detention_record``); the answer
tells the detaining agency only that, never who identified the person.
"""

# No "from __future__ import annotations": django-ninja reads the annotations at run time.

import datetime
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from pydantic import Field

from enlace.accounts.permissions import case_agency
from enlace.api.common import ERRORS, PUBLIC_ID, held_person, jurisdiction
from enlace.api.records import read_routes
from enlace.justice.models import DetentionEvent
from enlace.justice.selectors import detention_event_list_for_user
from enlace.justice.services import detention_record

NON_PUNISHMENT = "Known as a potential trafficking victim — apply the non-punishment protocol."


class DetentionOut(Schema):
    id: int
    person: str = Field(validation_alias="person.public_id")
    agency: str = Field(validation_alias="agency.code")
    kind: str
    occurred_on: datetime.date
    jurisdiction: str | None

    @staticmethod
    def resolve_jurisdiction(obj: Any) -> str | None:
        return obj.jurisdiction.code if obj.jurisdiction_id else None


class DetentionRecorded(DetentionOut):
    alert: str | None = Field(
        None, description="Set when the person is known as a potential trafficking victim."
    )

    @staticmethod
    def resolve_alert(obj: Any, context: dict[str, Any]) -> str | None:
        # All the detaining agency learns of the alert: never who identified the person.
        agency = case_agency(context["request"].user)
        return NON_PUNISHMENT if obj.alerts.filter(agency=agency).exists() else None


class DetentionIn(Schema):
    person: str = Field(pattern=PUBLIC_ID, max_length=14)
    kind: DetentionEvent.Kind
    occurred_on: datetime.date
    jurisdiction: str | None = Field(None, pattern=r"^[0-9]{1,5}$")


router = Router(tags=["detentions"])
read_routes(router, DetentionOut, detention_event_list_for_user, "occurred_on")


@router.post("", response={201: DetentionRecorded, **ERRORS})
def detention_create(request: HttpRequest, payload: DetentionIn) -> Any:
    person = held_person(request, payload.person)
    event = detention_record(
        actor=request.user,
        person=person,
        kind=payload.kind,
        occurred_on=payload.occurred_on,
        jurisdiction=jurisdiction(payload.jurisdiction),
    )
    return Status(
        201, get_object_or_404(detention_event_list_for_user(user=request.user), pk=event.pk)
    )
