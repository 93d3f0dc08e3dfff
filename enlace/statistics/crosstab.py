"""Two-way tables of a people count: one dimension by another, suppressed.

A cell (r, c) is the breakdown by the column dimension of the people in row
category r (``breakdowns.breakdown`` with the row's filter); all the cells
come from one grouped query rather than one breakdown per row, so a table of
32 states by sex costs about what one breakdown costs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Case, Count, F, QuerySet, Value, When

from enlace.statistics.breakdowns import (
    DIMENSIONS,
    MEASURES,
    NONE,
    PARTITIONS,
    PERSON_PARTITIONS,
    breakdown,
    filtered,
    person_tags,
    record_categories,
)
from enlace.statistics.disclosure import Table2D, suppress_2d
from enlace.statistics.indicators import NATIONAL


@dataclass(frozen=True)
class CrossTab:
    """A two-way table: people per row category and column category, suppressed."""

    rows: list[str]
    columns: list[str]
    table: Table2D
    # Whether the margins are people (both dimensions partitions) or only sums of cells.
    margins_are_people: bool


def crosstab(
    measure: str,
    rows: str,
    columns: str,
    year: int,
    filters: Mapping[str, str] | None = None,
    *,
    threshold: int,
) -> CrossTab:
    """``rows`` by ``columns``: each row is the breakdown by ``columns`` of one row category.

    The rows and columns are those of the two one-way breakdowns; the cells
    come from one grouped query (:func:`crosstab_counts`), the same numbers as
    a breakdown by ``columns`` filtered to each row category.
    """
    filters = dict(filters or {})
    outer = breakdown(measure, rows, year, filters)
    overall = breakdown(measure, columns, year, filters).counts
    counts = crosstab_counts(measure, rows, columns, year, filters)
    column_keys = list(overall)
    cells = [[counts.get((r, c), 0) for c in column_keys] for r in outer.counts]
    return CrossTab(
        list(outer.counts),
        column_keys,
        suppress_2d(cells, threshold=threshold),
        margins_are_people=rows in PARTITIONS and columns in PARTITIONS,
    )


def crosstab_counts(
    measure: str, rows: str, columns: str, year: int, filters: Mapping[str, str] | None = None
) -> dict[tuple[str, str], int]:
    """People per (row category, column category), in one grouped query.

    Cell (r, c) is the count in category c of ``breakdown(measure, columns,
    year, {**filters, rows: r})``: the measure's records, filtered as asked
    but with the row dimension's filter replaced by r. A record's own
    category (where and by whom) is read on the record; a person's (who) from
    all their records, joined on the national id.
    """
    base = {k: v for k, v in (filters or {}).items() if k != rows}
    records = filtered(measure, year, base)
    where = record_categories(MEASURES[measure])
    if rows in where and columns in where:
        grouped = (
            records.annotate(bk_row=where[rows], bk_col=where[columns])
            .values("bk_row", "bk_col")
            .annotate(n=Count(NATIONAL, distinct=True))
            .order_by()
        )
        return {(row["bk_row"] or NONE, row["bk_col"] or NONE): int(row["n"]) for row in grouped}
    parts = [_keyed(records, dimension, where, year) for dimension in (rows, columns)]
    sql_params = [part.query.sql_with_params() for part in parts]
    joins = f"({sql_params[0][0]}) a JOIN ({sql_params[1][0]}) b ON b.bk_nid = a.bk_nid"
    params: list[Any] = [*sql_params[0][1], *sql_params[1][1]]
    if rows not in where and columns not in where:
        # Both categories belong to the person: keep the people the records count.
        counted = records.annotate(bk_nid=F(NATIONAL)).values("bk_nid").distinct().order_by()
        people_sql, people_params = counted.query.sql_with_params()
        joins += f" JOIN ({people_sql}) r ON r.bk_nid = a.bk_nid"
        params += people_params
    sql = (
        f"SELECT a.bk_key, b.bk_key, COUNT(DISTINCT a.bk_nid) FROM {joins} "  # noqa: S608
        "GROUP BY a.bk_key, b.bk_key"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {(r or NONE, c or NONE): int(n) for r, c, n in cursor.fetchall()}


def _keyed(
    records: QuerySet[Any], dimension: str, where: dict[str, Any], year: int
) -> QuerySet[Any]:
    """Rows (bk_nid, bk_key): each national person and each category of ``dimension`` they have."""
    if dimension in where:
        keyed = records.annotate(bk_key=where[dimension], bk_nid=F(NATIONAL))
    elif dimension in PERSON_PARTITIONS:
        grouped, categories = PERSON_PARTITIONS[dimension]
        category = Case(*(When(q, then=Value(key)) for key, q in categories.items()))
        # Only the people the records count, each one row already (grouped by person).
        people = grouped(year).filter(national_id__in=records.values(NATIONAL))
        return people.annotate(bk_key=category, bk_nid=F("national_id")).values("bk_nid", "bk_key")
    elif dimension in DIMENSIONS:
        tagged, national, path = person_tags(dimension, year)
        keyed = (
            tagged.filter(**{f"{path}__isnull": False})
            .exclude(**{path: ""})
            .annotate(bk_key=F(path), bk_nid=F(national))
        )
    else:
        raise ValueError(f"no dimension {dimension!r}")
    return keyed.values("bk_nid", "bk_key").distinct().order_by()
