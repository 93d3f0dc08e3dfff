"""The REST API, version 1: thin over the same selectors and services as the web.

Every request carries ``Authorization: Bearer <key>``; the key acts as one
agency system's account, so a token sees and writes what that agency may.
"""

# No "from __future__ import annotations" here: django-ninja reads the annotations of
# endpoint functions at run time, and those defined in a closure cannot be resolved
# from strings.

import datetime
from typing import Annotated, Any

from django.conf import settings
from django.core.exceptions import (
    BadRequest,
    PermissionDenied,
    SuspiciousOperation,
    ValidationError,
)
from django.core.signals import got_request_exception
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import get_object_or_404
from django.utils.log import log_response
from ninja import File, Form, NinjaAPI, Path, Query, Router, Schema, Status
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.files import UploadedFile
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.security import HttpBearer
from pydantic import Field

from enlace.accounts.permissions import Action, can, case_agency
from enlace.api.services import api_token_authenticate
from enlace.assistance.selectors import service_list_for_user, stay_list_for_user
from enlace.directory.models import Country, Jurisdiction, Protocol
from enlace.exchange import exports
from enlace.exchange.reading import limits_from_settings, too_large
from enlace.exchange.selectors import submission_list_for_user
from enlace.exchange.services import submission_create, submission_start
from enlace.immigration.selectors import visa_request_list_for_user
from enlace.referrals.selectors import referral_list_for_user
from enlace.registry.access import person_read_audit
from enlace.registry.models import (
    ExploitationForm,
    Gender,
    Identification,
    Person,
    Sex,
    identity_max_length,
)
from enlace.registry.selectors import identification_list_for_user, person_list_for_user
from enlace.registry.services import identification_record, person_register

MAX_ID = 2**63 - 1
# Printable text only: control characters (NUL above all) are refused with a 422.
TEXT = r"^[^\x00-\x1f\x7f]*$"
CODE = r"^[A-Za-z0-9._-]{1,20}$"
PUBLIC_ID = r"^[A-Z]-[0-9A-Z.]{1,12}$"

PK = Annotated[int, Path(ge=1, le=MAX_ID)]
PublicId = Annotated[str, Path(pattern=PUBLIC_ID, max_length=14)]


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = api_token_authenticate(token)
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(
    title="Enlace API",
    version="1",
    description=__doc__ or "",
    urls_namespace="api-v1",
    auth=TokenAuth(),
)


class ErrorOut(Schema):
    detail: str | dict[str, list[str]] | list[dict[str, Any]]


ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class Pagination(LimitOffsetPagination):
    """``limit`` up to 1,000 rows, from ``offset``; the answer has ``items`` and ``count``."""

    class Input(Schema):
        limit: int = Field(100, ge=1, le=1000)
        # Bounded so that the database never sees an offset past its integer type.
        offset: int = Field(0, ge=0, le=10**9)


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    detail = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return api.create_response(request, {"detail": detail}, status=422)


@api.exception_handler(NinjaValidationError)
def _invalid_request(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors = [
        {"loc": [str(x) for x in e.get("loc", ())], "msg": str(e.get("msg", ""))}
        for e in exc.errors
    ]
    return api.create_response(request, {"detail": errors}, status=422)


@api.exception_handler(PermissionDenied)
def _denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or "Forbidden."}, status=403)


@api.exception_handler(Http404)
def _missing(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": "Not found."}, status=404)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(request, {"detail": "Unauthorized."}, status=401)


@api.exception_handler(Exception)
def _server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    """A JSON 500 for what nothing above handles, whatever DEBUG says.

    django-ninja's own handler answers with the traceback when DEBUG is on and
    leaves Django to answer an HTML page otherwise; an API client gets neither.
    The traceback goes to the log, as Django logs a page's, and the signal
    tells whatever listens for failed requests (the test client among them).
    """
    if isinstance(exc, BadRequest | SuspiciousOperation | MultiPartParserError):
        raise exc  # a client's fault: Django answers 400 (and logs a suspicious one)
    got_request_exception.send(sender=None, request=request)
    response = api.create_response(request, {"detail": "Internal server error."}, status=500)
    log_response(
        "%s: %s",
        "Internal Server Error",
        request.path,
        response=response,
        request=request,
        exception=exc,
    )
    return response


# Persons ------------------------------------------------------------------


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


persons = Router(tags=["persons"])


def _audit_read(request: HttpRequest, items: list[Any]) -> None:
    """One ``person.view`` row per person whose record the answer holds (see docs/security.md)."""
    ids = sorted({item.pk if isinstance(item, Person) else item.person_id for item in items})
    people = [i for i in items if isinstance(i, Person)] or Person.objects.filter(pk__in=ids)
    person_read_audit(actor=request.user, people=people, via="api")


class AuditedPagination(Pagination):
    """A page of records about people: each person on it is audited as read."""

    def paginate_queryset(
        self, queryset: QuerySet[Any], pagination: Any, request: HttpRequest, **params: Any
    ) -> Any:
        page = super().paginate_queryset(queryset, pagination, request, **params)
        page["items"] = list(page["items"])
        _audit_read(request, page["items"])
        return page


@persons.get("", response={200: list[PersonOut], **ERRORS})
@paginate(AuditedPagination)
def person_list(request: HttpRequest, filters: Query[PersonFilter]) -> QuerySet[Any]:
    qs = person_list_for_user(user=request.user).select_related("registered_by", "nationality")
    if filters.sex:
        qs = qs.filter(sex=filters.sex)
    if filters.nationality:
        qs = qs.filter(nationality__iso2=filters.nationality)
    return qs.order_by("pk")


@persons.get("/{public_id}", response={200: PersonOut, **ERRORS})
def person_get(request: HttpRequest, public_id: PublicId) -> Any:
    qs = person_list_for_user(user=request.user).select_related("registered_by", "nationality")
    person = get_object_or_404(qs, public_id=public_id)
    _audit_read(request, [person])
    return person


@persons.post("", response={201: PersonOut, **ERRORS})
def person_create(request: HttpRequest, payload: PersonIn) -> Any:
    nationality = _country(payload.nationality, "nationality")
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


def _country(code: str | None, field: str) -> Country | None:
    if not code:
        return None
    found = Country.objects.filter(iso2=code).first()
    if found is None:
        raise ValidationError({field: "Unknown country."})
    return found


# Identifications ------------------------------------------------------------


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


identifications = Router(tags=["identifications"])


def _identifications(user: Any) -> QuerySet[Identification]:
    return identification_list_for_user(user=user).select_related("person")


@identifications.get("", response={200: list[IdentificationOut], **ERRORS})
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


@identifications.get("/{pk}", response={200: IdentificationOut, **ERRORS})
def identification_get(request: HttpRequest, pk: PK) -> Any:
    found = get_object_or_404(_identifications(request.user), pk=pk)
    _audit_read(request, [found])
    return found


@identifications.post("", response={201: IdentificationOut, **ERRORS})
def identification_create(request: HttpRequest, payload: IdentificationIn) -> Any:
    person = get_object_or_404(person_list_for_user(user=request.user), public_id=payload.person)
    jurisdiction = None
    if payload.jurisdiction:
        jurisdiction = Jurisdiction.objects.filter(code=payload.jurisdiction.zfill(2)).first()
        if jurisdiction is None:
            raise ValidationError({"jurisdiction": "Unknown jurisdiction."})
    protocol = None
    if payload.protocol:
        protocol = Protocol.objects.filter(code=payload.protocol).first()
        if protocol is None:
            raise ValidationError({"protocol": "Unknown protocol."})
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
        jurisdiction=jurisdiction,
        country_abroad=_country(payload.country_abroad, "country_abroad"),
        protocol=protocol,
        age_at_identification=payload.age_at_identification,
        consent_to_share=payload.consent_to_share,
        agency_record_id=payload.agency_record_id,
    )
    return Status(201, get_object_or_404(_identifications(request.user), pk=identification.pk))


# Referrals, services, stays, visa requests: reads ---------------------------


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


class DateFilter(Schema):
    since: datetime.date | None = None


def _read_routes(router: Router, out: type[Schema], selector: Any, date_field: str) -> None:
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
        _audit_read(request, [found])
        return found


referrals = Router(tags=["referrals"])
_read_routes(referrals, ReferralOut, referral_list_for_user, "sent_at__date")
services = Router(tags=["services"])
_read_routes(services, ServiceOut, service_list_for_user, "started_on")
stays = Router(tags=["stays"])
_read_routes(stays, StayOut, lambda user: stay_list_for_user(user=user), "admitted_on")
visa_requests = Router(tags=["visa requests"])
_read_routes(visa_requests, VisaRequestOut, visa_request_list_for_user, "requested_on")


# Submissions -----------------------------------------------------------------


class SubmissionOut(Schema):
    public_id: str
    agency: str = Field(validation_alias="agency.code")
    filename: str
    dry_run: bool
    all_or_nothing: bool
    status: str
    total_rows: int
    processed_rows: int
    stored: int
    updated: int
    unchanged: int
    rejected: int
    failure: str
    created_at: datetime.datetime
    finished_at: datetime.datetime | None


class RowErrorOut(Schema):
    row: int
    agency_record_id: str
    column: str
    value: str
    reason: str


submissions = Router(tags=["submissions"])


@submissions.post("", response={201: SubmissionOut, 413: ErrorOut, **ERRORS})
def submission_upload(
    request: HttpRequest,
    file: File[UploadedFile],
    dry_run: Form[bool] = False,
    all_or_nothing: Form[bool] = False,
) -> Any:
    """Upload a CSV or XLSX file; small files are imported at once, large ones queued.

    A file over a size limit answers 413, a file refused as a whole (unreadable,
    over another limit, a control character, a wrong header) 422, with the reason.
    """
    # The size Django measured while receiving it: the file is not read into memory.
    if error := too_large(file.size or 0, limits_from_settings()):
        return Status(413, {"detail": str(error)})
    submission = submission_create(
        actor=request.user,
        filename=file.name or "submission",
        content=file.read(),
        dry_run=dry_run,
        all_or_nothing=all_or_nothing,
    )
    submission_start(submission=submission)
    if submission.status == submission.Status.FAILED:
        return Status(422, {"detail": submission.failure})
    return Status(201, submission)


@submissions.get("", response={200: list[SubmissionOut], **ERRORS})
@paginate(Pagination)
def submission_list(request: HttpRequest) -> QuerySet[Any]:
    return submission_list_for_user(user=request.user).order_by("-pk")


@submissions.get("/{public_id}", response={200: SubmissionOut, **ERRORS})
def submission_get(request: HttpRequest, public_id: PublicId) -> Any:
    return get_object_or_404(submission_list_for_user(user=request.user), public_id=public_id)


@submissions.get("/{public_id}/report", response={200: list[RowErrorOut], **ERRORS})
def submission_report(request: HttpRequest, public_id: PublicId) -> Any:
    """The rejected rows: row, agency_record_id, column, value shown, reason."""
    found = get_object_or_404(submission_list_for_user(user=request.user), public_id=public_id)
    return found.errors


# Statistics ------------------------------------------------------------------


class StatisticOut(Schema):
    indicator: str
    category: str
    people: int | None
    suppressed: bool


statistics = Router(tags=["statistics"])


@statistics.get("/{year}", response={200: list[StatisticOut], **ERRORS})
def statistics_year(request: HttpRequest, year: Annotated[int, Path(ge=1990, le=2100)]) -> Any:
    """National aggregates of a year, small cells suppressed as in the open data."""
    return [
        {
            "indicator": indicator,
            "category": str(category),
            "people": None if people == "" else people,
            "suppressed": suppressed == "true",
        }
        for indicator, category, people, suppressed in exports.open_data_rows(
            year, threshold=settings.OPEN_DATA_MIN_CELL
        )
    ]


api.add_router("/persons", persons)
api.add_router("/identifications", identifications)
api.add_router("/referrals", referrals)
api.add_router("/services", services)
api.add_router("/stays", stays)
api.add_router("/visa-requests", visa_requests)
api.add_router("/submissions", submissions)
api.add_router("/statistics", statistics)
