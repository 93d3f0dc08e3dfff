from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from enlace.accounts.permissions import case_agency
from enlace.capacity.models import ProtocolAdoption, TrainingSession


def training_list_for_user(*, user: Any) -> QuerySet[TrainingSession]:
    """The training sessions of the user's agency's officials; none for a user without one."""
    agency = case_agency(user)
    qs = TrainingSession.objects.select_related("agency", "trained_by")
    return qs.none() if agency is None else qs.filter(agency=agency)


def protocol_adoption_list() -> QuerySet[ProtocolAdoption]:
    """Every adoption: public facts about jurisdictions, no person's record."""
    return ProtocolAdoption.objects.select_related("jurisdiction", "protocol").order_by(
        "jurisdiction__code", "protocol__code"
    )
