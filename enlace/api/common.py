"""What every endpoint of the API shares: path types, the error schema, pagination, read audit."""

from typing import Annotated, Any, TypeVar

from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet, TextChoices
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Path, Schema
from ninja.pagination import LimitOffsetPagination
from pydantic import Field, WithJsonSchema

from enlace.directory.models import Country, Jurisdiction
from enlace.registry.access import person_read_audit
from enlace.registry.models import Person
from enlace.registry.selectors import person_list_for_user

M = TypeVar("M", bound=Model)

MAX_ID = 2**63 - 1
# Printable text only: control characters (NUL above all) are refused with a 422.
TEXT = r"^[^\x00-\x1f\x7f]*$"
CODE = r"^[A-Za-z0-9._-]{1,20}$"
PUBLIC_ID = r"^[A-Z]-[0-9A-Z.]{1,12}$"

PK = Annotated[int, Path(ge=1, le=MAX_ID)]
PublicId = Annotated[str, Path(pattern=PUBLIC_ID, max_length=14)]


class ErrorOut(Schema):
    detail: str | dict[str, list[str]] | list[dict[str, Any]]


ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class Pagination(LimitOffsetPagination):
    """``limit`` up to 1,000 rows, from ``offset``; the answer has ``items`` and ``count``."""

    class Input(Schema):
        limit: int = Field(100, ge=1, le=1000)
        # Bounded so that the database never sees an offset past its integer type.
        offset: int = Field(0, ge=0, le=10**9)


def audit_read(request: HttpRequest, items: list[Any]) -> None:
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
        audit_read(request, page["items"])
        return page


def inline_enum(choices: type[TextChoices]) -> Any:
    """A model's choices in a schema, listed where used: many are named ``Kind`` or
    ``Reason``, and the OpenAPI document keeps one schema of each name."""
    return Annotated[choices, WithJsonSchema({"type": "string", "enum": list(choices.values)})]


def held_person(request: HttpRequest, public_id: str) -> Person:
    """A person the token's agency may see, or a 404 that says no more."""
    return get_object_or_404(person_list_for_user(user=request.user), public_id=public_id)


def by_code(model: type[M], code: str | None, field: str, *, key: str = "code") -> M:
    """The row of ``model`` whose ``key`` is ``code``, or a 422 naming ``field`` ("Unknown
    agency.", "Unknown fund."...)."""
    found = model._default_manager.filter(**{key: code}).first() if code else None
    if found is None:
        raise ValidationError({field: f"Unknown {model.__name__.lower()}."})
    return found


def country(code: str | None, field: str) -> Country | None:
    return by_code(Country, code, field, key="iso2") if code else None


def jurisdiction(code: str | None) -> Jurisdiction | None:
    """The federative entity of a statistical code ("9" or "09"), or none when not given."""
    if not code:
        return None
    found = Jurisdiction.objects.filter(code=code.zfill(2)).first()
    if found is None:
        raise ValidationError({"jurisdiction": "Unknown jurisdiction."})
    return found
