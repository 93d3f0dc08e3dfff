from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from enlace.immigration.models import Repatriation, VisaRequest
from enlace.registry.selectors import PersonScope, records_for_user


def visa_request_list_for_user(
    *, user: Any, person: PersonScope | None = None
) -> QuerySet[VisaRequest]:
    qs = VisaRequest.objects.select_related("agency", "person").prefetch_related("extensions")
    return records_for_user(qs, user=user, person=person)


def visa_request_get_for_user(*, user: Any, pk: int) -> VisaRequest:
    return get_object_or_404(visa_request_list_for_user(user=user), pk=pk)


def repatriation_list_for_user(
    *, user: Any, person: PersonScope | None = None
) -> QuerySet[Repatriation]:
    qs = Repatriation.objects.select_related("agency", "country", "receiving_agency")
    return records_for_user(qs, user=user, person=person)
