from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from enlace.accounts.permissions import scope_to_user
from enlace.exchange.models import Submission


def submission_list_for_user(*, user: Any) -> QuerySet[Submission]:
    """Submissions of the user's agency; no one else's, not even for a national analyst."""
    return scope_to_user(
        Submission.objects.select_related("agency").defer("content"),
        user=user,
        agency_filter=lambda agency: Q(agency=agency),
        analyst_sees_all=False,
    )
