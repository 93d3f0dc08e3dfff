from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from enlace.accounts.permissions import case_agency, scope_to_user
from enlace.referrals.models import Referral


def referral_list_for_user(*, user: Any) -> QuerySet[Referral]:
    """Referrals the user's agency sent or received; all of them for a national analyst."""
    return scope_to_user(
        Referral.objects.select_related("person", "from_agency", "to_agency"),
        user=user,
        agency_filter=lambda agency: Q(from_agency=agency) | Q(to_agency=agency),
    )


def referral_inbox_for(*, user: Any) -> QuerySet[Referral]:
    """Referrals waiting for the user's agency to answer."""
    return referral_list_for_user(user=user).filter(
        to_agency=case_agency(user), status=Referral.Status.SENT
    )


def referral_get_for_user(*, user: Any, pk: int) -> Referral:
    return get_object_or_404(referral_list_for_user(user=user), pk=pk)
