"""The home page: a caseworker's open work, or an analyst's national figures."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from enlace.accounts.models import Role
from enlace.accounts.permissions import Action, can, case_agency, membership_of
from enlace.accounts.routes import Who, door
from enlace.web.figures import figures_context
from enlace.web.selectors import open_work_for_user


@door(Who.SIGNED_IN)
def home(request: HttpRequest) -> HttpResponse:
    membership = membership_of(request.user)
    context: dict[str, Any] = {}
    if case_agency(request.user) is not None:
        assert membership is not None
        context["work"] = open_work_for_user(
            user=request.user, supervisor=membership.role == Role.SUPERVISOR
        )
        context["today"] = timezone.localdate()  # a follow-up due before it is overdue
    elif can(request.user, Action.PSEUDONYMOUS_READ):
        context.update(figures_context(request))
    return render(request, "web/home.html", context)
