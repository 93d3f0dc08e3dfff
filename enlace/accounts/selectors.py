"""Reads about accounts: the memberships waiting for a supervisor's confirmation."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from enlace.accounts.models import Membership
from enlace.accounts.permissions import Action, can, membership_of


def membership_pending_for_user(*, user: Any) -> QuerySet[Membership]:
    """The memberships of the supervisor's agency that wait for them to confirm, oldest first.

    Not their own, not one they proposed, and none for an administrator's account
    (``accounts.services.membership_confirm`` refuses those too).
    """
    mine = membership_of(user)
    if (
        mine is None
        or not can(user, Action.MEMBERSHIP_CONFIRM)
        or getattr(user, "is_staff", False)
        or getattr(user, "is_superuser", False)
    ):
        return Membership.objects.none()
    return (
        Membership.objects.filter(pending=True, agency=mine.agency)
        .exclude(user=user)
        .exclude(proposed_by=user)
        .select_related("user", "agency", "proposed_by")
        .order_by("pk")
    )


def membership_get_pending_for_user(*, user: Any, pk: int) -> Membership:
    """One membership waiting for this supervisor; a 404 for any other."""
    return get_object_or_404(membership_pending_for_user(user=user), pk=pk)
