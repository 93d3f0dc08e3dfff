from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from enlace.accounts.models import Role
from enlace.accounts.permissions import membership_of
from enlace.referrals.models import Referral


def referral_list_for_user(*, user: Any) -> QuerySet[Referral]:
    """Referrals the user's agency sent or received; all of them for a national analyst."""
    qs = Referral.objects.select_related("person", "from_agency", "to_agency")
    membership = membership_of(user)
    if membership is None:
        return qs.none()
    if membership.role == Role.NATIONAL_ANALYST:
        return qs
    if membership.role not in (Role.CASEWORKER, Role.SUPERVISOR) or membership.agency is None:
        return qs.none()
    return qs.filter(Q(from_agency=membership.agency) | Q(to_agency=membership.agency))


def referral_inbox_for(*, user: Any) -> QuerySet[Referral]:
    """Referrals waiting for the user's agency to answer."""
    membership = membership_of(user)
    agency = membership.agency if membership else None
    return referral_list_for_user(user=user).filter(to_agency=agency, status=Referral.Status.SENT)


def referral_get_for_user(*, user: Any, pk: int) -> Referral:
    return get_object_or_404(referral_list_for_user(user=user), pk=pk)
