from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from enlace.assistance.models import ServiceDelivery, Shelter, Stay
from enlace.registry.selectors import PersonScope, records_for_user


def service_list_for_user(
    *, user: Any, person: PersonScope | None = None
) -> QuerySet[ServiceDelivery]:
    return records_for_user(
        ServiceDelivery.objects.select_related("agency", "person"), user=user, person=person
    )


def service_get_for_user(*, user: Any, pk: int) -> ServiceDelivery:
    return get_object_or_404(service_list_for_user(user=user), pk=pk)


def stay_list_for_user(*, user: Any, person: PersonScope | None = None) -> QuerySet[Stay]:
    return records_for_user(
        Stay.objects.select_related("shelter", "person"), user=user, person=person
    )


def stay_get_for_user(*, user: Any, pk: int) -> Stay:
    return get_object_or_404(stay_list_for_user(user=user), pk=pk)


def shelter_list_with_occupancy() -> QuerySet[Shelter]:
    """Shelters with ``occupied`` beds: open stays plus the children accompanying them.

    Occupancy is a count of people, not of anyone's identity, so every role may see it.
    """
    open_stays = Q(stays__discharged_on__isnull=True)
    return Shelter.objects.select_related("operator", "jurisdiction").annotate(
        open_stays=Count("stays", filter=open_stays),
        open_children=Coalesce(Sum("stays__accompanying_children", filter=open_stays), 0),
    )


def shelter_occupied_beds(shelter: Shelter) -> int:
    row = shelter_list_with_occupancy().get(pk=shelter.pk)
    return int(row.open_stays + row.open_children)  # type: ignore[attr-defined]
