"""Cases: read as scoped, and opened, planned, followed up, closed, reopened and
transferred through the same services as the pages (permission, the profile's
approval rule, the identity rule of a transfer and the audit row are theirs).

A supervisor approves a closure on the case's page: the API has no approval
endpoint (an agency system's token normally acts as a caseworker account).
"""

# No "from __future__ import annotations": django-ninja reads the annotations at run time.

import datetime
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from pydantic import Field

from enlace.api.common import CODE, ERRORS, PK, PUBLIC_ID, TEXT, by_code, held_person
from enlace.api.records import read_routes
from enlace.assistance.models import ServiceKind
from enlace.cases import services as cases
from enlace.cases.models import Case, FollowUp, Goal
from enlace.cases.selectors import case_list_for_user, follow_up_get_for_user
from enlace.directory.models import Agency

NOTE = Field("", max_length=1000, pattern=TEXT, description="Optional; never names.")


class GoalOut(Schema):
    id: int
    category: str
    services: list[str]
    status: str
    set_on: datetime.date


class FollowUpOut(Schema):
    id: int
    kind: str
    due_on: datetime.date
    done_on: datetime.date | None


class CaseOut(Schema):
    id: int
    person: str = Field(validation_alias="person.public_id")
    agency: str = Field(validation_alias="agency.code")
    status: str
    opened_on: datetime.date
    closure_reason: str
    closure_requested_on: datetime.date | None
    closed_on: datetime.date | None
    reopened_on: datetime.date | None
    goals: list[GoalOut]
    follow_ups: list[FollowUpOut]

    @staticmethod
    def resolve_goals(obj: Any) -> list[Any]:
        return list(obj.goals.all())

    @staticmethod
    def resolve_follow_ups(obj: Any) -> list[Any]:
        return list(obj.follow_ups.all())


class CaseIn(Schema):
    person: str = Field(pattern=PUBLIC_ID, max_length=14)
    opened_on: datetime.date | None = None


class GoalIn(Schema):
    category: Goal.Category
    services: list[ServiceKind] = Field(default_factory=list, max_length=len(ServiceKind))
    note: str = NOTE


class FollowUpIn(Schema):
    kind: FollowUp.Kind
    due_on: datetime.date
    note: str = NOTE


class CloseIn(Schema):
    reason: Case.ClosureReason
    closed_on: datetime.date | None = None


class ReopenIn(Schema):
    reopened_on: datetime.date | None = None


class TransferIn(Schema):
    to_agency: str = Field(pattern=CODE, description="The receiving agency's code.")
    services: list[ServiceKind] = Field(min_length=1, max_length=len(ServiceKind))
    consent: bool = Field(description="The person consented to the transfer (required).")
    shares_identity: bool = False


class DoneIn(Schema):
    done_on: datetime.date | None = None


def _shown(request: HttpRequest, pk: int) -> Case:
    return get_object_or_404(case_list_for_user(user=request.user), pk=pk)


router = Router(tags=["cases"])
read_routes(router, CaseOut, case_list_for_user, "opened_on")


@router.post("", response={201: CaseOut, **ERRORS})
def case_create(request: HttpRequest, payload: CaseIn) -> Any:
    case = cases.case_open(
        actor=request.user,
        person=held_person(request, payload.person),
        opened_on=payload.opened_on,
    )
    return Status(201, _shown(request, case.pk))


@router.post("/{pk}/goals", response={200: CaseOut, **ERRORS})
def case_goal_add(request: HttpRequest, pk: PK, payload: GoalIn) -> Any:
    case = _shown(request, pk)
    cases.goal_add(
        actor=request.user,
        case=case,
        category=payload.category,
        services=payload.services,
        note=payload.note,
    )
    return _shown(request, pk)


@router.post("/{pk}/follow-ups", response={200: CaseOut, **ERRORS})
def case_follow_up_add(request: HttpRequest, pk: PK, payload: FollowUpIn) -> Any:
    cases.follow_up_schedule(
        actor=request.user,
        case=_shown(request, pk),
        kind=payload.kind,
        due_on=payload.due_on,
        note=payload.note,
    )
    return _shown(request, pk)


@router.post("/{pk}/close", response={200: CaseOut, **ERRORS})
def case_close_api(request: HttpRequest, pk: PK, payload: CloseIn) -> Any:
    """Close the case, or ask a supervisor to where the country profile says so."""
    cases.case_close(
        actor=request.user,
        case=_shown(request, pk),
        reason=payload.reason,
        closed_on=payload.closed_on,
    )
    return _shown(request, pk)


@router.post("/{pk}/reopen", response={200: CaseOut, **ERRORS})
def case_reopen_api(request: HttpRequest, pk: PK, payload: ReopenIn) -> Any:
    cases.case_reopen(actor=request.user, case=_shown(request, pk), reopened_on=payload.reopened_on)
    return _shown(request, pk)


@router.post("/{pk}/transfer", response={200: CaseOut, **ERRORS})
def case_transfer_api(request: HttpRequest, pk: PK, payload: TransferIn) -> Any:
    """Send the case to another agency as a referral; it moves when the receiver accepts."""
    case = _shown(request, pk)
    to_agency = by_code(Agency, payload.to_agency, "to_agency")
    cases.case_transfer(
        actor=request.user,
        case=case,
        to_agency=to_agency,
        services=payload.services,
        consent=payload.consent,
        shares_identity=payload.shares_identity,
    )
    return _shown(request, pk)


follow_ups = Router(tags=["cases"])


@follow_ups.post("/{pk}/done", response={200: CaseOut, **ERRORS})
def follow_up_done_api(request: HttpRequest, pk: PK, payload: DoneIn) -> Any:
    follow_up = follow_up_get_for_user(user=request.user, pk=pk)
    cases.follow_up_done(actor=request.user, follow_up=follow_up, done_on=payload.done_on)
    return _shown(request, follow_up.case_id)
