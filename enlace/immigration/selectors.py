from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from enlace.immigration.models import Repatriation, VisaRequest
from enlace.registry.selectors import records_for_user


def visa_request_list_for_user(*, user: Any) -> QuerySet[VisaRequest]:
    qs = VisaRequest.objects.select_related("agency", "person").prefetch_related("extensions")
    return records_for_user(qs, user=user)


def visa_request_get_for_user(*, user: Any, pk: int) -> VisaRequest:
    return get_object_or_404(visa_request_list_for_user(user=user), pk=pk)


def repatriation_list_for_user(*, user: Any) -> QuerySet[Repatriation]:
    qs = Repatriation.objects.select_related("agency", "country", "receiving_agency")
    return records_for_user(qs, user=user)
