"""The national run's blocking rules as database filters: the records a new one is scored against.

Write-time matching (``services.match_new``) looks its candidates up with the
rules the national run joins on (``rules.RULES``), so both pair the same records.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Mapping
from typing import Any

from django.db.models import Q

from enlace.linkage.models import Encoding
from enlace.linkage.rules import RULES, Rule


def candidate_ids(me: Mapping[str, Any]) -> set[int]:
    """The people whose encodings some rule pairs with the record ``me``.

    Every rule's filter is served by an index (``Encoding.Meta.indexes``: a
    pair of names has its own, since a common surname alone matches thousands
    of records), so the database answers from its indexes whatever the
    registry's size: about 25 ms a record at 100,000 encodings on SQLite,
    against 350 ms with single-name indexes.
    """
    arms = [arm for rule in RULES if rule.stored for arm in candidate_filters(rule, me)]
    if not arms:
        return set()
    either = functools.reduce(operator.or_, arms)
    return set(Encoding.objects.filter(either).values_list("person_id", flat=True))


def candidate_filters(rule: Rule, me: Mapping[str, Any]) -> list[Q]:
    """The encodings ``rule`` pairs with the record ``me``: a filter per direction.

    A rule with different left and right columns pairs in both directions, as
    the national run joins it (``engine._block``).
    """
    sides = [(rule.left, rule.right or rule.left)]
    if rule.right:
        sides.append((rule.right, rule.left))
    arms = []
    for mine, theirs in sides:
        if any(me[c] is None for c in mine):
            continue
        lookups: dict[str, Any] = {}
        for c, column in zip(mine, theirs, strict=True):
            lookups.update(_lookup(column, me[c]))
        arm = Q(**lookups)
        if rule.estimated and me["birth_year_exact"]:
            arm &= Q(birth_year_exact=False)
        if rule.missing and me[rule.missing] is not None:
            arm &= Q(**{f"{rule.missing}__isnull": True})
        if rule.years is not None and me["birth_year"] is not None:
            year = me["birth_year"]
            arm &= Q(birth_year__range=(year - rule.years, year + rule.years)) | Q(birth_year=None)
        arms.append(arm)
    return arms


def _lookup(column: str, value: Any) -> dict[str, Any]:
    """A blocking column as a filter on encodings, which store the year, not its bands."""
    if column == "birth_year_even":
        return {"birth_year__in": (2 * value, 2 * value + 1)}
    if column == "birth_year_odd":
        return {"birth_year__in": (2 * value - 1, 2 * value)}
    if column == "birth_year_4":
        return {"birth_year__range": (4 * value, 4 * value + 3)}
    if column == "birth_year_4b":
        return {"birth_year__range": (4 * value - 2, 4 * value + 1)}
    return {column: value}
