"""Identifications: recorded by the token's agency about a person it can see."""

import datetime
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from enlace.accounts.permissions import case_agency
from enlace.api.common import (
    CODE,
    ERRORS,
    PK,
    PUBLIC_ID,
    TEXT,
    AuditedPagination,
    audit_read,
    by_code,
    country,
    held_person,
    jurisdiction,
)
from enlace.directory.models import Protocol
from enlace.registry.models import (
    ExploitationForm,
    Identification,
    TraffickingDetail,
    TraffickingPlace,
)
from enlace.registry.selectors import identification_list_for_user
from enlace.registry.services import (
    MUNICIPALITY_MAX_LENGTH,
    PlaceIn,
    identification_detail_set,
    identification_record,
    trafficking_detail_of,
)

TermCode = Annotated[str, Field(pattern=r"^[A-Za-z0-9_]{1,40}$")]


class PlaceSchema(Schema):
    stage: TraffickingPlace.Stage
    country: str = Field(pattern=r"^[A-Z]{2}$", description="ISO 3166-1 alpha-2.")
    jurisdiction: str | None = Field(
        None, pattern=r"^[0-9]{1,5}$", description="The state's code, for a place in the country."
    )
    municipality: str = Field("", max_length=MUNICIPALITY_MAX_LENGTH, pattern=TEXT)


class TraffickingDetailSchema(Schema):
    """How the person was trafficked: codes of the country profile's vocabularies, and places."""

    recruitment_methods: list[TermCode] = Field(default_factory=list, max_length=50)
    control_methods: list[TermCode] = Field(default_factory=list, max_length=50)
    sex_exploitation_types: list[TermCode] = Field(default_factory=list, max_length=50)
    labour_industries: list[TermCode] = Field(default_factory=list, max_length=50)
    places: list[PlaceSchema] = Field(default_factory=list, max_length=30)


class IdentificationOut(Schema):
    id: int
    person: str = Field(validation_alias="person.public_id")
    agency: str = Field(validation_alias="agency.code")
    agency_record_id: str | None
    identified_on: datetime.date
    status: str
    jurisdiction: str | None
    country_abroad: str | None
    protocol: str | None
    age_at_identification: int | None
    consent_to_share: bool
    forms: list[str]
    detail: TraffickingDetailSchema

    @staticmethod
    def resolve_jurisdiction(obj: Any) -> str | None:
        return obj.jurisdiction.code if obj.jurisdiction_id else None

    @staticmethod
    def resolve_country_abroad(obj: Any) -> str | None:
        return obj.country_abroad.iso2 if obj.country_abroad_id else None

    @staticmethod
    def resolve_protocol(obj: Any) -> str | None:
        return obj.protocol.code if obj.protocol_id else None

    @staticmethod
    def resolve_forms(obj: Any) -> list[str]:
        return sorted(f.form for f in obj.forms.all())

    @staticmethod
    def resolve_detail(obj: Any) -> dict[str, Any]:
        return trafficking_detail_of(obj)


class IdentificationIn(Schema):
    person: str = Field(pattern=PUBLIC_ID, max_length=14)
    identified_on: datetime.date
    status: Identification.Status = Identification.Status.POTENTIAL
    forms: list[ExploitationForm] = Field(default_factory=list, max_length=6)
    jurisdiction: str | None = Field(None, pattern=r"^[0-9]{1,5}$")
    country_abroad: str | None = Field(None, pattern=r"^[A-Z]{2}$")
    protocol: str | None = Field(None, pattern=CODE)
    age_at_identification: int | None = Field(None, ge=0, le=120)
    consent_to_share: bool = False
    agency_record_id: str | None = Field(None, min_length=1, max_length=64, pattern=TEXT)


class IdentificationFilter(Schema):
    status: Identification.Status | None = None
    identified_from: datetime.date | None = None
    identified_to: datetime.date | None = None
    agency_record_id: str | None = Field(None, max_length=64, pattern=TEXT)


router = Router(tags=["identifications"])


def _identifications(user: Any) -> QuerySet[Identification]:
    places = TraffickingPlace.objects.select_related("country", "jurisdiction")
    return (
        identification_list_for_user(user=user)
        .select_related("person")
        .prefetch_related("trafficking_details", Prefetch("trafficking_places", queryset=places))
    )


@router.get("", response={200: list[IdentificationOut], **ERRORS})
@paginate(AuditedPagination)
def identification_list(
    request: HttpRequest, filters: Query[IdentificationFilter]
) -> QuerySet[Any]:
    qs = _identifications(request.user)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.identified_from:
        qs = qs.filter(identified_on__gte=filters.identified_from)
    if filters.identified_to:
        qs = qs.filter(identified_on__lte=filters.identified_to)
    if filters.agency_record_id:
        qs = qs.filter(agency_record_id=filters.agency_record_id)
    return qs.order_by("pk")


@router.get("/{pk}", response={200: IdentificationOut, **ERRORS})
def identification_get(request: HttpRequest, pk: PK) -> Any:
    found = get_object_or_404(_identifications(request.user), pk=pk)
    audit_read(request, [found])
    return found


@router.post("", response={201: IdentificationOut, **ERRORS})
def identification_create(request: HttpRequest, payload: IdentificationIn) -> Any:
    person = held_person(request, payload.person)
    protocol = None
    if payload.protocol:
        protocol = by_code(Protocol, payload.protocol, "protocol")
    agency = case_agency(request.user)
    if (
        payload.agency_record_id
        and agency
        and Identification.objects.filter(
            agency=agency, agency_record_id=payload.agency_record_id
        ).exists()
    ):
        raise ValidationError({"agency_record_id": "Already used by your agency."})
    identification = identification_record(
        actor=request.user,
        person=person,
        identified_on=payload.identified_on,
        forms=[str(f) for f in payload.forms],
        status=payload.status,
        jurisdiction=jurisdiction(payload.jurisdiction),
        country_abroad=country(payload.country_abroad, "country_abroad"),
        protocol=protocol,
        age_at_identification=payload.age_at_identification,
        consent_to_share=payload.consent_to_share,
        agency_record_id=payload.agency_record_id,
    )
    return Status(201, get_object_or_404(_identifications(request.user), pk=identification.pk))


@router.post("/{pk}/detail", response={200: IdentificationOut, **ERRORS})
def identification_detail_set_api(
    request: HttpRequest, pk: PK, payload: TraffickingDetailSchema
) -> Any:
    """Replace how the person was trafficked; only the identifying agency may."""
    identification = get_object_or_404(_identifications(request.user), pk=pk)
    places = []
    for i, p in enumerate(payload.places):
        place_country = country(p.country, f"places.{i}.country")
        assert place_country is not None
        places.append(
            PlaceIn(str(p.stage), place_country, jurisdiction(p.jurisdiction), p.municipality)
        )
    identification_detail_set(
        actor=request.user,
        identification=identification,
        codes={v: getattr(payload, v) for v in TraffickingDetail.Vocabulary.values},
        places=places,
    )
    return get_object_or_404(_identifications(request.user), pk=pk)
