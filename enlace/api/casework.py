"""Referrals, services, stays, visa requests and repatriations: read as scoped, written through the
same services as the pages (permission, the identity rule and the audit row are theirs).

A record another agency holds is a 404 here, as on every endpoint: the
token's selectors never show it, so an answer cannot tell it exists.
"""

# No "from __future__ import annotations": django-ninja reads the annotations at run time.

import datetime
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from pydantic import Field

from enlace.api.common import CODE, ERRORS, PK, PUBLIC_ID, TEXT, by_code, held_person
from enlace.api.records import (
    ReferralOut,
    RepatriationOut,
    ServiceOut,
    StayOut,
    VisaRequestOut,
    read_routes,
)
from enlace.assistance.models import ServiceCategory, ServiceKind, Shelter, Stay
from enlace.assistance.selectors import service_list_for_user, stay_list_for_user
from enlace.assistance.services import service_record, stay_admit, stay_discharge
from enlace.directory.models import Agency, Country
from enlace.immigration.selectors import repatriation_list_for_user, visa_request_list_for_user
from enlace.immigration.services import (
    repatriation_record,
    visa_decide,
    visa_extend,
    visa_request,
)
from enlace.referrals.models import Referral
from enlace.referrals.selectors import referral_list_for_user
from enlace.referrals.services import (
    referral_accept,
    referral_complete,
    referral_decline,
    referral_revoke,
    referral_send,
)

REASON = Field(min_length=1, max_length=500, pattern=TEXT)


class ReferralIn(Schema):
    person: str = Field(pattern=PUBLIC_ID, max_length=14)
    to_agency: str = Field(pattern=CODE, description="The receiving agency's code.")
    services: list[ServiceKind] = Field(min_length=1, max_length=len(ServiceKind))
    consent: bool = Field(description="The person consented to the referral (required).")
    shares_identity: bool = False


class ReasonIn(Schema):
    reason: str = REASON


class ServiceIn(Schema):
    person: str = Field(pattern=PUBLIC_ID, max_length=14)
    category: ServiceCategory
    kind: ServiceKind
    started_on: datetime.date
    ended_on: datetime.date | None = None
    referral: int | None = Field(None, ge=1, description="The referral it answers, if any.")


class StayIn(Schema):
    person: str = Field(pattern=PUBLIC_ID, max_length=14)
    shelter: str = Field(pattern=CODE, description="The shelter's code.")
    admitted_on: datetime.date
    accompanying_children: int = Field(0, ge=0, le=30)
    may_leave_alone: bool | None = None
    referral: int | None = Field(None, ge=1)


class DischargeIn(Schema):
    discharged_on: datetime.date
    reason: Stay.DischargeReason


class VisaRequestIn(Schema):
    person: str = Field(pattern=PUBLIC_ID, max_length=14)
    requested_on: datetime.date


class VisaDecisionIn(Schema):
    decided_on: datetime.date
    granted: bool
    validity: str = Field(
        "", max_length=20, description="A permit code of the country profile; empty: its first."
    )
    refusal_reason: str = Field("", max_length=500, pattern=TEXT)


class VisaExtensionIn(Schema):
    extended_on: datetime.date
    validity: str = Field(max_length=20, description="A permit code of the country profile.")


class RepatriationIn(Schema):
    person: str = Field(pattern=PUBLIC_ID, max_length=14)
    repatriated_on: datetime.date
    country: str = Field(pattern=r"^[A-Z]{2}$", description="ISO 3166-1 alpha-2 code.")
    receiving_agency: str | None = Field(None, pattern=CODE, max_length=20)
    receiving_organisation: str = Field("", max_length=200, pattern=TEXT)


def _shown(selector: Any, request: HttpRequest, pk: int) -> Any:
    """The record as the token's agency now reads it (its selector's joins)."""
    return get_object_or_404(selector(user=request.user), pk=pk)


def _shown_referral(request: HttpRequest, pk: int) -> Referral:
    return _shown(referral_list_for_user, request, pk)


def _answering(request: HttpRequest, pk: int | None) -> Referral | None:
    """The referral a service or a stay answers, if one is named."""
    return None if pk is None else _shown_referral(request, pk)


referrals = Router(tags=["referrals"])
read_routes(referrals, ReferralOut, referral_list_for_user, "sent_at__date")


@referrals.post("", response={201: ReferralOut, **ERRORS})
def referral_create(request: HttpRequest, payload: ReferralIn) -> Any:
    to_agency = by_code(Agency, payload.to_agency, "to_agency")
    referral = referral_send(
        actor=request.user,
        person=held_person(request, payload.person),
        to_agency=to_agency,
        services=payload.services,
        consent=payload.consent,
        shares_identity=payload.shares_identity,
    )
    return Status(201, _shown(referral_list_for_user, request, referral.pk))


@referrals.post("/{pk}/accept", response={200: ReferralOut, **ERRORS})
def referral_accept_api(request: HttpRequest, pk: PK) -> Any:
    referral = referral_accept(actor=request.user, referral=_shown_referral(request, pk))
    return _shown_referral(request, referral.pk)


@referrals.post("/{pk}/decline", response={200: ReferralOut, **ERRORS})
def referral_decline_api(request: HttpRequest, pk: PK, payload: ReasonIn) -> Any:
    referral = referral_decline(
        actor=request.user,
        referral=_shown_referral(request, pk),
        reason=payload.reason,
    )
    return _shown_referral(request, referral.pk)


@referrals.post("/{pk}/complete", response={200: ReferralOut, **ERRORS})
def referral_complete_api(request: HttpRequest, pk: PK) -> Any:
    referral = referral_complete(actor=request.user, referral=_shown_referral(request, pk))
    return _shown_referral(request, referral.pk)


@referrals.post("/{pk}/revoke", response={200: ReferralOut, **ERRORS})
def referral_revoke_api(request: HttpRequest, pk: PK, payload: ReasonIn) -> Any:
    referral = referral_revoke(
        actor=request.user,
        referral=_shown_referral(request, pk),
        reason=payload.reason,
    )
    return _shown_referral(request, referral.pk)


services = Router(tags=["services"])
read_routes(services, ServiceOut, service_list_for_user, "started_on")


@services.post("", response={201: ServiceOut, **ERRORS})
def service_create(request: HttpRequest, payload: ServiceIn) -> Any:
    service = service_record(
        actor=request.user,
        person=held_person(request, payload.person),
        category=payload.category,
        kind=payload.kind,
        started_on=payload.started_on,
        ended_on=payload.ended_on,
        referral=_answering(request, payload.referral),
    )
    return Status(201, _shown(service_list_for_user, request, service.pk))


def _stays(user: Any) -> Any:
    return stay_list_for_user(user=user)


stays = Router(tags=["stays"])
read_routes(stays, StayOut, _stays, "admitted_on")


@stays.post("", response={201: StayOut, **ERRORS})
def stay_create(request: HttpRequest, payload: StayIn) -> Any:
    shelter = by_code(Shelter, payload.shelter, "shelter")
    stay = stay_admit(
        actor=request.user,
        person=held_person(request, payload.person),
        shelter=shelter,
        admitted_on=payload.admitted_on,
        accompanying_children=payload.accompanying_children,
        may_leave_alone=payload.may_leave_alone,
        referral=_answering(request, payload.referral),
    )
    return Status(201, _shown(_stays, request, stay.pk))


@stays.post("/{pk}/discharge", response={200: StayOut, **ERRORS})
def stay_discharge_api(request: HttpRequest, pk: PK, payload: DischargeIn) -> Any:
    stay = stay_discharge(
        actor=request.user,
        stay=_shown(_stays, request, pk),
        discharged_on=payload.discharged_on,
        reason=payload.reason,
    )
    return _shown(_stays, request, stay.pk)


visa_requests = Router(tags=["visa requests"])
read_routes(visa_requests, VisaRequestOut, visa_request_list_for_user, "requested_on")


@visa_requests.post("", response={201: VisaRequestOut, **ERRORS})
def visa_request_create(request: HttpRequest, payload: VisaRequestIn) -> Any:
    made = visa_request(
        actor=request.user,
        person=held_person(request, payload.person),
        requested_on=payload.requested_on,
    )
    return Status(201, _shown(visa_request_list_for_user, request, made.pk))


@visa_requests.post("/{pk}/decision", response={200: VisaRequestOut, **ERRORS})
def visa_decide_api(request: HttpRequest, pk: PK, payload: VisaDecisionIn) -> Any:
    decided = visa_decide(
        actor=request.user,
        request=_shown(visa_request_list_for_user, request, pk),
        decided_on=payload.decided_on,
        granted=payload.granted,
        validity=payload.validity,
        refusal_reason=payload.refusal_reason,
    )
    return _shown(visa_request_list_for_user, request, decided.pk)


@visa_requests.post("/{pk}/extensions", response={200: VisaRequestOut, **ERRORS})
def visa_extend_api(request: HttpRequest, pk: PK, payload: VisaExtensionIn) -> Any:
    found = _shown(visa_request_list_for_user, request, pk)
    visa_extend(
        actor=request.user,
        request=found,
        extended_on=payload.extended_on,
        validity=payload.validity,
    )
    return _shown(visa_request_list_for_user, request, found.pk)


repatriations = Router(tags=["repatriations"])
read_routes(repatriations, RepatriationOut, repatriation_list_for_user, "repatriated_on")


@repatriations.post("", response={201: RepatriationOut, **ERRORS})
def repatriation_create(request: HttpRequest, payload: RepatriationIn) -> Any:
    country = by_code(Country, payload.country, "country", key="iso2")
    receiving = None
    if payload.receiving_agency:
        receiving = by_code(Agency, payload.receiving_agency, "receiving_agency")
    made = repatriation_record(
        actor=request.user,
        person=held_person(request, payload.person),
        repatriated_on=payload.repatriated_on,
        country=country,
        receiving_agency=receiving,
        receiving_organisation=payload.receiving_organisation,
    )
    return Status(201, _shown(repatriation_list_for_user, request, made.pk))
