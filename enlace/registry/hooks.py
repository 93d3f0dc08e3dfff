"""registry's hooks: how long screenings that led nowhere are kept."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet

from enlace.core.retention import Rule, retention_rule
from enlace.registry.models import Identification, Screening


def _screenings(cutoff: datetime.datetime) -> QuerySet[Any]:
    # A screening that led nowhere: its person has no identification as a
    # (potential) victim. Screenings of identified victims are part of the case.
    identified = Identification.objects.filter(person=OuterRef("person")).exclude(
        status=Identification.Status.NOT_A_VICTIM
    )
    return Screening.objects.filter(created_at__lt=cutoff).exclude(Exists(identified))


retention_rule(
    Rule(
        "screenings",
        "Screenings of people never identified as victims",
        _screenings,
        lambda qs: [f"{pid}/{pk}" for pk, pid in qs.values_list("pk", "person__public_id")],
    )
)
