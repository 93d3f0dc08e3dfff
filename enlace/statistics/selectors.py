"""Reads of published statistics: nothing here is about a person."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet, Sum

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


def privacy_budget_by_year() -> list[dict[str, Any]]:
    """Per year with a private release: how many tables were released and the epsilon spent."""
    rows = (
        PrivateRelease.objects.values("year")
        .annotate(tables=Count("pk"), releases=Count("batch", distinct=True), spent=Sum("epsilon"))
        .order_by("year")
    )
    return [{**r, "spent": float(r["spent"])} for r in rows]
