"""Differentially private releases of open-data tables, recorded in the budget ledger."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from enlace.accounts.permissions import Action, require
from enlace.audit.services import audit_record, snapshot
from enlace.registry.models import ExploitationForm, Sex
from enlace.statistics import disclosure
from enlace.statistics.indicators import GOVERNMENT_LEVELS, REGISTRY
from enlace.statistics.models import PrivateRelease


@dataclass(frozen=True)
class PrivateTable:
    """A table that may be released with differential privacy.

    ``categories`` is fixed in advance (``None`` for a single count), never
    read from the data; ``sensitivity`` is how many of its counts one person
    can change, by one each: the L1 sensitivity under adding or removing a
    person.
    """

    categories: tuple[str, ...] | None
    sensitivity: int


# Tables whose people can be in a bounded number of cells. Per agency, shelter
# and country a person can count in any number of cells, so those tables are
# published only with suppression (docs/disclosure.md).
PRIVATE_TABLES: dict[str, PrivateTable] = {
    "identified_total": PrivateTable(None, 1),
    # A partition: each person is in exactly one sex.
    "identified_by_sex": PrivateTable(tuple(Sex.values), 1),
    # A person counts once in each form they suffered, so in up to all of them.
    "identified_by_form": PrivateTable(tuple(ExploitationForm.values), len(ExploitationForm)),
    "identified_by_level": PrivateTable(
        tuple(str(level) for level in GOVERNMENT_LEVELS), len(GOVERNMENT_LEVELS)
    ),
    "identified_abroad_total": PrivateTable(None, 1),
    "visas_granted": PrivateTable(None, 1),
}


def _true_counts(name: str, year: int) -> dict[str, int]:
    table = PRIVATE_TABLES[name]
    value = REGISTRY[name].compute(year)
    if table.categories is None:
        return {disclosure.TOTAL: int(value)}
    return {c: int(value.get(c, 0)) for c in table.categories}


@transaction.atomic
def open_data_release(
    *,
    actor: Any,
    year: int,
    epsilon: float | None = None,
    mechanism: str | None = None,
    tables: Sequence[str] | None = None,
) -> list[PrivateRelease]:
    """Release the private tables of ``year`` with noise, and record the budget each spent.

    ``epsilon`` (per table) and ``mechanism`` default to ``ENLACE_DP_EPSILON``
    and ``ENLACE_DP_MECHANISM``. The tables of one call share a batch; tables
    about the same people compose, so the budget spent on a year is the sum
    of the epsilons of its releases (`privacy_budget_spent`), and a release
    that would take it past ``ENLACE_DP_YEAR_BUDGET`` is refused.
    """
    require(actor, Action.STATISTICS_RELEASE)
    epsilon = settings.DP_EPSILON if epsilon is None else epsilon
    mechanism = settings.DP_MECHANISM if mechanism is None else mechanism
    if mechanism not in disclosure.MECHANISMS:
        raise ValidationError(
            {
                "mechanism": _("Unknown mechanism %(name)s: use one of %(known)s.")
                % {"name": mechanism, "known": ", ".join(disclosure.MECHANISMS)}
            }
        )
    if not epsilon > 0:
        raise ValidationError({"epsilon": _("Epsilon must be a positive number.")})
    names = list(PRIVATE_TABLES) if tables is None else list(tables)
    unknown = [n for n in names if n not in PRIVATE_TABLES]
    if unknown:
        raise ValidationError(
            {"tables": _("Not releasable with noise: %(names)s.") % {"names": ", ".join(unknown)}}
        )
    spent = privacy_budget_spent(year)
    if spent + epsilon * len(names) > settings.DP_YEAR_BUDGET * (1 + 1e-9):
        raise ValidationError(
            {
                "epsilon": _(
                    "This release would spend %(asked)g, and %(spent)g of the %(budget)g allowed "
                    "for %(year)s is spent already."
                )
                % {
                    "asked": epsilon * len(names),
                    "spent": spent,
                    "budget": settings.DP_YEAR_BUDGET,
                    "year": year,
                }
            }
        )
    batch = secrets.token_hex(8)
    released = []
    for name in names:
        noisy = disclosure.dp_release(
            _true_counts(name, year),
            epsilon=epsilon,
            sensitivity=PRIVATE_TABLES[name].sensitivity,
            mechanism=mechanism,
        )
        row = PrivateRelease(
            released_by=actor,
            batch=batch,
            year=year,
            table=name,
            mechanism=noisy.mechanism,
            epsilon=noisy.epsilon,
            sensitivity=noisy.sensitivity,
            scale=noisy.scale,
            counts=noisy.counts,
        )
        row.full_clean()
        row.save()
        audit_record(actor=actor, action="statistics.release", obj=row, after=snapshot(row))
        released.append(row)
    return released


def privacy_budget_spent(year: int) -> float:
    """The total epsilon spent on releases about ``year`` (sequential composition)."""
    spent = PrivateRelease.objects.filter(year=year).aggregate(e=Sum("epsilon"))["e"]
    return float(spent or 0.0)
