from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404

from enlace.funds.models import Disbursement, Grant
from enlace.registry.selectors import PersonScope, records_for_user


def disbursement_list_for_user(
    *, user: Any, person: PersonScope | None = None
) -> QuerySet[Disbursement]:
    return records_for_user(
        Disbursement.objects.select_related("fund", "person"), user=user, person=person
    )


def disbursement_get_for_user(*, user: Any, pk: int) -> Disbursement:
    return get_object_or_404(disbursement_list_for_user(user=user), pk=pk)


def grant_list_with_victims_served() -> QuerySet[Grant]:
    """Grants with the number of distinct people a service paid from each one reached.

    Grants name agencies, not people, so they are not scoped by user.
    """
    return Grant.objects.select_related("grantor", "grantee").annotate(
        victims_served=Count("services__person", distinct=True)
    )
