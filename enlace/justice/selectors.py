from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from enlace.accounts.permissions import scope_to_user
from enlace.justice.models import Alert, DetentionEvent, Participation
from enlace.registry.selectors import PersonScope, records_for_user


def participation_list_for_user(
    *, user: Any, person: PersonScope | None = None
) -> QuerySet[Participation]:
    qs = Participation.objects.select_related("agency", "person").prefetch_related(
        "protection_measures", "restitution_orders__payments"
    )
    return records_for_user(qs, user=user, person=person)


def participation_get_for_user(*, user: Any, pk: int) -> Participation:
    return get_object_or_404(participation_list_for_user(user=user), pk=pk)


def detention_event_list_for_user(
    *, user: Any, person: PersonScope | None = None
) -> QuerySet[DetentionEvent]:
    return records_for_user(
        DetentionEvent.objects.select_related("agency", "person", "jurisdiction"),
        user=user,
        person=person,
    )


def detention_event_get_for_user(*, user: Any, pk: int) -> DetentionEvent:
    return get_object_or_404(detention_event_list_for_user(user=user), pk=pk)


def alert_list_for_user(*, user: Any) -> QuerySet[Alert]:
    """Alerts addressed to the user's agency: each alert goes to the agencies that must act."""
    return scope_to_user(
        Alert.objects.select_related("person", "event", "agency"),
        user=user,
        agency_filter=lambda agency: Q(agency=agency),
        analyst_sees_all=False,
    )


def alert_get_for_user(*, user: Any, pk: int) -> Alert:
    return get_object_or_404(alert_list_for_user(user=user), pk=pk)
