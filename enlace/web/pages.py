"""What the pages of every domain share: a form, a service call, a template.

Each domain's module (``people``, ``referrals``, ``assistance``, ``immigration``,
``funds``, ``justice``, ``figures``) holds its forms and its views, each view
behind the ``door`` that says who may enter. People are read only through the
scoped selectors (another agency's record is a 404) and changed only through
services (which check permission and write the audit row).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from enlace.accounts.permissions import case_agency
from enlace.core.http import next_path
from enlace.directory.models import Agency
from enlace.registry.models import Person

PAGE_SIZE = 25
RECORD = _("Record")


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def agency_of(request: HttpRequest) -> Agency:
    """The agency whose cases the user works: a casework door let them in."""
    agency = case_agency(request.user)
    assert agency is not None
    return agency


def call(
    form: forms.Form,
    service: Callable[..., Any],
    *,
    aliases: dict[str, str] | None = None,
    **kwargs: Any,
) -> Any:
    """Run a service; its validation errors go beside the form's fields. None if it refused."""
    try:
        return service(**kwargs)
    except ValidationError as exc:
        if not hasattr(exc, "error_dict"):
            form.add_error(None, exc.messages)
            return None
        for name, errors in exc.message_dict.items():
            name = (aliases or {}).get(name, name)
            form.add_error(name if name in form.fields else None, errors)
        return None


def back(request: HttpRequest, default: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(next_path(request, default))


def page(request: HttpRequest, queryset: QuerySet[Any]) -> Page:
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def form_context(
    person: Person, form: forms.Form, title: Promise, button: Promise, **extra: Any
) -> dict[str, Any]:
    """The context of ``web/person_form.html``: a form about a person."""
    return {"person": person, "form": form, "title": title, "button": button, **extra}


def record_for_person(
    request: HttpRequest,
    person: Person,
    form: forms.Form,
    service: Callable[..., Any],
    *,
    done: str,
    title: Promise,
    button: Promise = RECORD,
) -> HttpResponse:
    """The form page of a record about a person: on a valid POST the service writes it."""
    if (
        request.method == "POST"
        and form.is_valid()
        and call(form, service, actor=request.user, person=person, **form.cleaned_data)
    ):
        messages.success(request, done)
        return redirect("person-detail", public_id=person.public_id)
    return render(request, "web/person_form.html", form_context(person, form, title, button))


# Form fields -----------------------------------------------------------------------------------


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def today() -> Any:
    return timezone.localdate()


def yes_no_unknown() -> list[tuple[str, Any]]:
    return [("", _("Unknown")), ("true", _("Yes")), ("false", _("No"))]


def to_bool(value: str) -> bool | None:
    return {"true": True, "false": False}.get(value)
