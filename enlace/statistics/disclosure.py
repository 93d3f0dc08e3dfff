"""Disclosure control: the one place every public or open-data figure passes through.

Two protections, both pure functions on plain data (no ORM):

- **Small-cell suppression** with complementary suppression. A count from 1 to
  ``threshold - 1`` is hidden (primary suppression). Zero is not sensitive:
  it says that nobody is in a category, which identifies nobody, and hiding
  zeros would hide most of a sparse table without protecting anyone. Then,
  because a table's cells add up to its totals, more cells are hidden
  (complementary suppression) until no hidden cell can be worked out from the
  visible cells and totals.
- **Differentially private counts** with OpenDP: each count of a table gets
  discrete Laplace noise of scale ``sensitivity / epsilon``.

The internal annual report (``enlace report``) is for authorised analysts and
does not pass through here; see docs/disclosure.md.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

# --- small-cell and complementary suppression ---------------------------------------------


def is_small(count: int, threshold: int) -> bool:
    """Whether a count must be hidden: 1 to ``threshold - 1`` people (zero is not sensitive)."""
    return 0 < count < threshold


@dataclass(frozen=True)
class Constraint:
    """Published arithmetic an attacker can use: the parts add up to the total."""

    parts: tuple[Hashable, ...]
    total: Hashable


def suppress_entries(
    values: Mapping[Hashable, int],
    constraints: Sequence[Constraint],
    *,
    threshold: int,
    protected: frozenset[Hashable] = frozenset(),
) -> set[Hashable]:
    """The entries to hide so that no hidden entry can be recovered exactly.

    ``values`` holds every entry of the table, totals included; ``constraints``
    says which entries add up to which. Small entries are hidden first (totals
    too). Then, to a fixed point:

    1. a constraint with exactly one hidden entry gets a second one: of its
       visible entries, ``protected`` ones last, then totals after cells, then
       preferring one that also gives a second hidden entry to another such
       constraint, a non-zero count before a zero, and the smallest count;
    2. a hidden entry that the constraints together still fix (hidden cells
       that link rows and columns without forming a cycle) gets a complement
       the same way in one of its constraints, or anywhere if all of those are
       hidden already.
    """
    hidden = {k for k, v in values.items() if is_small(v, threshold)}
    totals = {c.total for c in constraints}
    lines = [(*c.parts, c.total) for c in constraints]

    def cost(key: Hashable) -> tuple[bool, bool, bool, bool, int, str]:
        # An entry whose other line also holds a single hidden entry settles both at
        # once: choosing it first keeps the suppression from cascading across the table.
        singles = sum(key in m and sum(k in hidden for k in m) == 1 for m in lines)
        value = values[key]
        return (key in protected, key in totals, singles < 2, value == 0, value, repr(key))

    def hide_one_more(members: Sequence[Hashable]) -> bool:
        visible = [k for k in members if k not in hidden]
        if not visible:
            return False
        hidden.add(min(visible, key=cost))
        return True

    while True:
        changed = False
        for members in lines:
            if sum(k in hidden for k in members) == 1:
                changed |= hide_one_more(members)
        if changed:
            continue
        fixed = sorted(determined(hidden, constraints), key=repr)
        for key in fixed:
            if any(hide_one_more(m) for m in lines if key in m):
                changed = True
                break
        if fixed and not changed:
            changed = hide_one_more(list(values))
        if not changed:
            return hidden


def determined(hidden: set[Hashable], constraints: Sequence[Constraint]) -> set[Hashable]:
    """The hidden entries the constraints fix exactly, whatever the other hidden values.

    A hidden entry is determined when no change to the hidden entries that
    keeps every constraint true can change it, that is, when the null space
    of the constraint matrix over the hidden entries is zero in its column.
    """
    import numpy as np

    keys = sorted(hidden, key=repr)
    if not keys:
        return set()
    index = {k: i for i, k in enumerate(keys)}
    rows = []
    for c in constraints:
        row = np.zeros(len(keys))
        for k in c.parts:
            if k in index:
                row[index[k]] += 1
        if c.total in index:
            row[index[c.total]] -= 1
        if row.any():
            rows.append(row)
    if not rows:
        return set()
    matrix = np.array(rows)
    _u, s, vt = np.linalg.svd(matrix)
    rank = int((s > 1e-9).sum())
    null = vt[rank:]
    if len(null) == 0:
        return set(keys)
    return {k for k in keys if np.abs(null[:, index[k]]).max() < 1e-9}


@dataclass(frozen=True)
class Cell:
    """One published figure: the count, and whether it is hidden."""

    count: int
    hidden: bool

    @property
    def shown(self) -> int | None:
        return None if self.hidden else self.count


TOTAL = "total"


def suppress_1d(
    cells: Mapping[str, int], *, threshold: int, total: int | None = None
) -> tuple[dict[str, Cell], Cell]:
    """A one-way table and its total, with small and complementary cells hidden.

    The total is the sum of the cells unless given (a table whose categories
    are not a partition, or whose total is published elsewhere); it is then
    taken to be public, the worst case. The total is hidden only when small.
    """
    values: dict[Hashable, int] = {("cell", k): v for k, v in cells.items()}
    values[TOTAL] = sum(cells.values()) if total is None else total
    constraint = Constraint(tuple(("cell", k) for k in cells), TOTAL)
    hidden = suppress_entries(
        values, [constraint], threshold=threshold, protected=frozenset({TOTAL})
    )
    shown = {k: Cell(v, ("cell", k) in hidden) for k, v in cells.items()}
    return shown, Cell(values[TOTAL], TOTAL in hidden)


@dataclass(frozen=True)
class Table2D:
    """A two-way table with its margins, each figure a `Cell`."""

    cells: list[list[Cell]]
    row_totals: list[Cell]
    column_totals: list[Cell]
    total: Cell


def suppress_2d(cells: Sequence[Sequence[int]], *, threshold: int) -> Table2D:
    """A two-way table of counts with its row, column and grand totals, suppressed.

    Each row of cells adds up to its row total, each column to its column
    total, and the row totals and the column totals each add up to the grand
    total: after suppression every one of those sums has no hidden entry or at
    least two, and no hidden entry is fixed by the sums together.
    """
    n_rows = len(cells)
    n_cols = len(cells[0]) if cells else 0
    if any(len(r) != n_cols for r in cells):
        raise ValueError("Every row of the table must have the same number of cells.")
    values: dict[Hashable, int] = {}
    for i, row in enumerate(cells):
        for j, v in enumerate(row):
            values[(i, j)] = v
        values[("row", i)] = sum(row)
    for j in range(n_cols):
        values[("col", j)] = sum(cells[i][j] for i in range(n_rows))
    values[TOTAL] = sum(values[("row", i)] for i in range(n_rows))
    constraints = [
        *(Constraint(tuple((i, j) for j in range(n_cols)), ("row", i)) for i in range(n_rows)),
        *(Constraint(tuple((i, j) for i in range(n_rows)), ("col", j)) for j in range(n_cols)),
        Constraint(tuple(("row", i) for i in range(n_rows)), TOTAL),
        Constraint(tuple(("col", j) for j in range(n_cols)), TOTAL),
    ]
    hidden = suppress_entries(
        values, constraints, threshold=threshold, protected=frozenset({TOTAL})
    )

    def cell(key: Hashable) -> Cell:
        return Cell(values[key], key in hidden)

    return Table2D(
        cells=[[cell((i, j)) for j in range(n_cols)] for i in range(n_rows)],
        row_totals=[cell(("row", i)) for i in range(n_rows)],
        column_totals=[cell(("col", j)) for j in range(n_cols)],
        total=cell(TOTAL),
    )


# --- differential privacy -------------------------------------------------------------------

MECHANISMS = ("laplace", "geometric")


@cache
def _opendp() -> Any:
    """OpenDP, with its contributed (not yet formally vetted) measurements enabled once."""
    import opendp.prelude as dp

    dp.enable_features("contrib")
    return dp


@dataclass(frozen=True)
class NoisyTable:
    """A differentially private release of one count table."""

    counts: dict[str, int]
    mechanism: str
    epsilon: float
    sensitivity: int
    scale: float


def noise_scale(*, epsilon: float, sensitivity: int) -> float:
    """The discrete Laplace scale that makes a table ``epsilon``-DP: sensitivity / epsilon."""
    if not (math.isfinite(epsilon) and epsilon > 0):
        raise ValueError(f"epsilon must be a positive number, not {epsilon!r}.")
    if sensitivity < 1:
        raise ValueError(f"sensitivity must be at least 1, not {sensitivity!r}.")
    return sensitivity / epsilon


def noisy_vector(
    counts: Sequence[int], *, epsilon: float, sensitivity: int, mechanism: str
) -> tuple[list[int], float]:
    """Counts with OpenDP noise, as drawn (negative values possible), and the scale.

    ``sensitivity`` is the L1 sensitivity of the vector: how much adding or
    removing one person can change the sum of absolute differences. OpenDP
    checks that the measurement is ``epsilon``-DP for it before sampling.
    """
    if mechanism not in MECHANISMS:
        raise ValueError(f"mechanism must be one of {', '.join(MECHANISMS)}, not {mechanism!r}.")
    scale = noise_scale(epsilon=epsilon, sensitivity=sensitivity)
    dp = _opendp()
    space = dp.vector_domain(dp.atom_domain(T=int)), dp.l1_distance(T=int)
    make = dp.m.make_laplace if mechanism == "laplace" else dp.m.make_geometric
    measurement = make(*space, scale=scale)
    # The privacy map is OpenDP's own accounting; it never exceeds the budget asked for.
    spent = measurement.map(sensitivity)
    if spent > epsilon * (1 + 1e-9):
        raise ValueError(f"OpenDP accounts {spent} for this table, more than epsilon {epsilon}.")
    return [int(v) for v in measurement([int(c) for c in counts])], scale


def dp_release(
    cells: Mapping[str, int], *, epsilon: float, sensitivity: int, mechanism: str
) -> NoisyTable:
    """A table of counts released with differential privacy.

    The noisy counts are post-processed (clamped at zero: a count of people
    is never negative), which costs no privacy. The category list must be
    fixed in advance (all the sexes, all the forms), never taken from the
    data: a category that appears only when someone is in it would give that
    person away whatever the noise.
    """
    keys = list(cells)
    noisy, scale = noisy_vector(
        [cells[k] for k in keys], epsilon=epsilon, sensitivity=sensitivity, mechanism=mechanism
    )
    return NoisyTable(
        counts={k: max(0, v) for k, v in zip(keys, noisy, strict=True)},
        mechanism=mechanism,
        epsilon=epsilon,
        sensitivity=sensitivity,
        scale=scale,
    )


def discrete_laplace_variance(scale: float) -> float:
    """Variance of the discrete Laplace distribution P(x) ∝ exp(-|x| / scale)."""
    q = math.exp(-1 / scale)
    return 2 * q / (1 - q) ** 2
