"""Reads of published statistics: nothing here is about a person."""

from __future__ import annotations

from django.db.models import QuerySet

from enlace.statistics.models import PrivateRelease


def private_release_latest(*, year: int) -> QuerySet[PrivateRelease]:
    """The tables of the latest differentially private release about ``year``, as published.

    Public: the counts are noisy already. Served from the ledger, never drawn
    again, so asking many times reveals nothing more than asking once.
    """
    latest = PrivateRelease.objects.filter(year=year).order_by("-released_at", "-pk").first()
    if latest is None:
        return PrivateRelease.objects.none()
    return PrivateRelease.objects.filter(batch=latest.batch).order_by("pk")
