"""Small-cell and complementary suppression: no hidden cell can be worked out from the rest.

The attacker here is independent of the code under test: a linear program
(scipy) that knows every visible cell and total, and finds the smallest and
largest value a hidden cell can take. A cell is protected when they differ.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

import pytest
from scipy.optimize import linprog

from enlace.statistics.disclosure import Table2D, suppress_1d, suppress_2d


def _range_2d(table: Table2D, target: tuple[int, int]) -> tuple[float, float]:
    """The least and greatest value of a hidden interior cell consistent with what is shown."""
    n_rows, n_cols = len(table.cells), len(table.cells[0])
    # Unknowns: every interior cell (visible ones are fixed by bounds).
    index = {(i, j): i * n_cols + j for i in range(n_rows) for j in range(n_cols)}
    bounds = [
        (0, None) if table.cells[i][j].hidden else (table.cells[i][j].count,) * 2
        for i in range(n_rows)
        for j in range(n_cols)
    ]
    a_eq, b_eq = [], []
    for i, t in enumerate(table.row_totals):
        if not t.hidden:
            a_eq.append([1.0 if k[0] == i else 0.0 for k in index])
            b_eq.append(t.count)
    for j, t in enumerate(table.column_totals):
        if not t.hidden:
            a_eq.append([1.0 if k[1] == j else 0.0 for k in index])
            b_eq.append(t.count)
    if not table.total.hidden:
        a_eq.append([1.0] * len(index))
        b_eq.append(table.total.count)
    c = [1.0 if k == target else 0.0 for k in index]
    low = linprog(c, A_eq=a_eq or None, b_eq=b_eq or None, bounds=bounds)
    high = linprog([-x for x in c], A_eq=a_eq or None, b_eq=b_eq or None, bounds=bounds)
    assert low.status == 0 and high.status in (0, 3)
    # Unbounded above (status 3): nothing published limits the cell at all.
    return low.fun, float("inf") if high.status == 3 else -high.fun


def _hidden_per_line(table: Table2D) -> list[int]:
    """How many entries are hidden in each published sum (rows and columns with their totals)."""
    lines = [[*row, total] for row, total in zip(table.cells, table.row_totals, strict=True)]
    lines += [
        [*(row[j] for row in table.cells), total] for j, total in enumerate(table.column_totals)
    ]
    lines.append([*table.row_totals, table.total])
    lines.append([*table.column_totals, table.total])
    return [sum(cell.hidden for cell in line) for line in lines]


def test_it_hides_small_counts_and_not_zero() -> None:
    cells, total = suppress_1d({"a": 0, "b": 9, "c": 12}, threshold=5)
    assert [c.hidden for c in cells.values()] == [False, False, False]
    assert total.count == 21 and not total.hidden


def test_it_hides_a_complement_so_the_total_does_not_give_a_cell_away() -> None:
    cells, total = suppress_1d({"male": 3, "female": 40, "unspecified": 12}, threshold=5)
    # Without the complement, male = 55 - 40 - 12.
    assert {k: c.hidden for k, c in cells.items()} == {
        "male": True,
        "female": False,
        "unspecified": True,  # the smallest other count
    }
    assert total.shown == 55
    assert cells["female"].shown == 40 and cells["male"].shown is None


def test_it_prefers_a_non_zero_complement() -> None:
    # Hiding the zero would only tell the reader that the small cell is the whole remainder.
    cells, _total = suppress_1d({"a": 2, "b": 0, "c": 8, "d": 30}, threshold=5)
    assert {k for k, c in cells.items() if c.hidden} == {"a", "c"}


def test_it_uses_the_published_total_of_a_table_that_is_not_a_partition() -> None:
    # Forms of exploitation overlap: their total (people) is not their sum.
    cells, total = suppress_1d({"sex": 30, "labour": 2}, threshold=5, total=31)
    assert cells["labour"].hidden and cells["sex"].hidden
    assert total.shown == 31


def test_a_small_total_is_hidden_with_its_cells() -> None:
    cells, total = suppress_1d({"a": 1, "b": 2}, threshold=5)
    assert total.hidden and all(c.hidden for c in cells.values())


def test_a_two_way_table_hides_a_second_cell_in_the_row_and_the_column() -> None:
    table = suppress_2d([[2, 8, 9], [7, 30, 12], [60, 11, 15]], threshold=5)
    assert table.cells[0][0].hidden
    assert table.cells[0][1].hidden  # row 0's smallest other cell
    assert table.cells[1][0].hidden  # column 0's smallest other cell
    assert 1 not in _hidden_per_line(table)
    low, high = _range_2d(table, (0, 0))
    assert low < high


def test_a_complement_that_leaves_another_line_with_one_hidden_cell_is_complemented_too() -> None:
    # Hiding (0, 0) takes (0, 1) as row 0's complement and (1, 0) as column 0's; then
    # column 1 and row 1 each hold one hidden cell, so (1, 1) must go too.
    table = suppress_2d([[3, 6, 40], [7, 50, 40], [40, 40, 40]], threshold=5)
    hidden = {(i, j) for i, row in enumerate(table.cells) for j, c in enumerate(row) if c.hidden}
    assert hidden == {(0, 0), (0, 1), (1, 0), (1, 1)}
    assert not (table.row_totals[0].hidden or table.column_totals[0].hidden)
    for cell in hidden:
        low, high = _range_2d(table, cell)
        assert low < high, cell


def test_two_hidden_cells_per_line_are_not_always_enough() -> None:
    # The small cells form two hidden rectangles joined by (1, 2): every row and column
    # holds two or three hidden cells, yet rows 0-1 minus columns 0-1 leave exactly (1, 2).
    cells = [[2, 3, 40, 50], [4, 2, 3, 60], [70, 80, 2, 4], [90, 30, 3, 1]]
    small = {(i, j) for i, row in enumerate(cells) for j, v in enumerate(row) if v < 5}
    table = suppress_2d(cells, threshold=5)
    hidden = {(i, j) for i, row in enumerate(table.cells) for j, c in enumerate(row) if c.hidden}
    assert hidden > small  # more than the small cells, though no line had a single one
    for cell in hidden:
        low, high = _range_2d(table, cell)
        assert high - low > 0.5, cell


def test_a_row_of_one_cell_hides_its_total() -> None:
    table = suppress_2d([[3], [40], [50]], threshold=5)
    assert table.cells[0][0].hidden
    assert table.row_totals[0].hidden  # otherwise it is the cell
    assert 1 not in _hidden_per_line(table)


def _random_table(rng: random.Random) -> list[list[int]]:
    n_rows, n_cols = rng.randint(1, 5), rng.randint(1, 5)
    return [
        [rng.choice((0, 1, 2, 3, 4, 5, 8, 13, 40, 100)) for _ in range(n_cols)]
        for _ in range(n_rows)
    ]


def _check(cells: Sequence[Sequence[int]], table: Table2D, threshold: int) -> None:
    for i, counts in enumerate(cells):
        for j, count in enumerate(counts):
            assert table.cells[i][j].hidden or not 0 < count < threshold, (cells, i, j)
    assert 1 not in _hidden_per_line(table), cells
    for i, row in enumerate(table.cells):
        for j, cell in enumerate(row):
            if cell.hidden:
                low, high = _range_2d(table, (i, j))
                assert high - low > 0.5, (cells, i, j, low, high)


@pytest.mark.parametrize(
    "tables", [pytest.param(80, id="80"), pytest.param(600, id="600", marks=pytest.mark.slow)]
)
def test_no_random_table_has_a_cell_that_can_be_recovered(tables: int) -> None:
    """Tables drawn with a fixed seed: a failure reproduces, and the draw covers many shapes."""
    rng = random.Random(20171231)  # noqa: S311 - repeatable test tables, not a secret
    for _ in range(tables):
        cells = _random_table(rng)
        _check(cells, suppress_2d(cells, threshold=5), 5)
