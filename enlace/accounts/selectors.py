"""Reads about accounts: the break-glass grants a user holds now."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from enlace.accounts.models import BreakGlass
from enlace.accounts.permissions import Action, Relation, allows


def break_glass_active_for_user(*, user: Any) -> QuerySet[BreakGlass]:
    """The user's grants that have not expired; none for a role the matrix gives no break-glass."""
    if not allows(user, Action.PERSON_VIEW, Relation.BREAK_GLASS):
        return BreakGlass.objects.none()
    return BreakGlass.objects.filter(user=user, expires_at__gt=timezone.now())
