"""Persons: registered by the token's agency, listed and read as its scope allows; an
identity corrected by the agency that registered it."""

import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from enlace.accounts.permissions import Action, can
from enlace.api.common import (
    ERRORS,
    TEXT,
    AuditedPagination,
    PublicId,
    audit_read,
    country,
    inline_enum,
)
from enlace.registry.models import Gender, IdentityCorrection, Sex, identity_max_length
from enlace.registry.selectors import person_list_for_user
from enlace.registry.services import identity_correct, person_register


class PersonOut(Schema):
    public_id: str
    # National level only: to an agency it would tell that another agency's
    # record is the same person.
    national_id: str | None
    registered_by: str = Field(validation_alias="registered_by.code")
    sex: str
    gender: str
    nationality: str | None
    indigenous: bool | None
    disability: bool | None

    @staticmethod
    def resolve_nationality(obj: Any) -> str | None:
        return obj.nationality.iso2 if obj.nationality_id else None

    @staticmethod
    def resolve_national_id(obj: Any, context: Any) -> str | None:
        national = can(context["request"].user, Action.PSEUDONYMOUS_READ)
        return obj.national_id if national else None


class IdentityIn(Schema):
    given_names: str = Field("", max_length=identity_max_length("given_names"), pattern=TEXT)
    paternal_surname: str = Field(
        "", max_length=identity_max_length("paternal_surname"), pattern=TEXT
    )
    maternal_surname: str = Field(
        "", max_length=identity_max_length("maternal_surname"), pattern=TEXT
    )
    birth_date: datetime.date | None = None
    curp: str = Field("", max_length=identity_max_length("curp"), pattern=r"^[A-Za-z0-9]*$")
    passport_number: str = Field(
        "", max_length=identity_max_length("passport_number"), pattern=TEXT
    )
    contact: str = Field("", max_length=identity_max_length("contact"), pattern=TEXT)


class PersonIn(Schema):
    identity: IdentityIn
    sex: Sex = Sex.UNSPECIFIED
    gender: Gender = Gender.UNKNOWN
    nationality: str | None = Field(None, pattern=r"^[A-Z]{2}$")
    indigenous: bool | None = None
    disability: bool | None = None


class PersonFilter(Schema):
    sex: Sex | None = None
    nationality: str | None = Field(None, pattern=r"^[A-Z]{2}$")


router = Router(tags=["persons"])


@router.get("", response={200: list[PersonOut], **ERRORS})
@paginate(AuditedPagination)
def person_list(request: HttpRequest, filters: Query[PersonFilter]) -> QuerySet[Any]:
    qs = person_list_for_user(user=request.user).select_related("registered_by", "nationality")
    if filters.sex:
        qs = qs.filter(sex=filters.sex)
    if filters.nationality:
        qs = qs.filter(nationality__iso2=filters.nationality)
    return qs.order_by("pk")


@router.get("/{public_id}", response={200: PersonOut, **ERRORS})
def person_get(request: HttpRequest, public_id: PublicId) -> Any:
    qs = person_list_for_user(user=request.user).select_related("registered_by", "nationality")
    person = get_object_or_404(qs, public_id=public_id)
    audit_read(request, [person])
    return person


@router.post("", response={201: PersonOut, **ERRORS})
def person_create(request: HttpRequest, payload: PersonIn) -> Any:
    nationality = country(payload.nationality, "nationality")
    identity = payload.identity.dict()
    person = person_register(
        actor=request.user,
        identity={k: v for k, v in identity.items() if v not in ("", None)},
        sex=payload.sex,
        gender=payload.gender,
        nationality=nationality,
        indigenous=payload.indigenous,
        disability=payload.disability,
    )
    return Status(201, person)


class IdentityCorrectionIn(Schema):
    """The identity as it should read: a field left out (or null) keeps its stored value."""

    reason: inline_enum(IdentityCorrection.Reason)  # type: ignore[valid-type]
    corrected_on: datetime.date
    given_names: str | None = Field(
        None, max_length=identity_max_length("given_names"), pattern=TEXT
    )
    paternal_surname: str | None = Field(
        None, max_length=identity_max_length("paternal_surname"), pattern=TEXT
    )
    maternal_surname: str | None = Field(
        None, max_length=identity_max_length("maternal_surname"), pattern=TEXT
    )
    birth_date: datetime.date | None = None
    curp: str | None = Field(
        None, max_length=identity_max_length("curp"), pattern=r"^[A-Za-z0-9]*$"
    )
    passport_number: str | None = Field(
        None, max_length=identity_max_length("passport_number"), pattern=TEXT
    )
    contact: str | None = Field(None, max_length=identity_max_length("contact"), pattern=TEXT)


class IdentityCorrectionOut(Schema):
    """A correction names the fields it changed, never a value, old or new."""

    id: int
    person: str = Field(validation_alias="person.public_id")
    agency: str = Field(validation_alias="agency.code")
    corrected_on: datetime.date
    reason: str
    fields: list[str]


@router.post("/{public_id}/identity-corrections", response={201: IdentityCorrectionOut, **ERRORS})
def identity_correct_api(
    request: HttpRequest, public_id: PublicId, payload: IdentityCorrectionIn
) -> Any:
    """Correct the identity the token's agency registered (``identity_correct``)."""
    person = get_object_or_404(person_list_for_user(user=request.user), public_id=public_id)
    values = payload.dict(exclude={"reason", "corrected_on"})
    correction = identity_correct(
        actor=request.user,
        person=person,
        reason=payload.reason,
        corrected_on=payload.corrected_on,
        **{k: v.strip() if isinstance(v, str) else v for k, v in values.items() if v is not None},
    )
    return Status(201, correction)
