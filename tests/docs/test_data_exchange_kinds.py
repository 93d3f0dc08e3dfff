"""docs/data-exchange.md lists every column of the identifications template, and every
kind of record file with every one of its columns."""

from __future__ import annotations

import pytest
from django.conf import settings

from enlace.exchange.kinds import KINDS, PERSON_COLUMNS
from enlace.exchange.template import COLUMN_NAMES

DOC = (settings.BASE_DIR / "docs" / "data-exchange.md").read_text()


@pytest.mark.parametrize("kind", KINDS)
def test_the_kind_and_each_of_its_columns_are_in_its_line_of_the_table(kind: str) -> None:
    lines = [line for line in DOC.splitlines() if line.startswith(f"| `{kind}` |")]
    assert len(lines) == 1, f"docs/data-exchange.md: no line for the kind {kind}"
    own = [c.name for c in KINDS[kind].columns if c not in PERSON_COLUMNS]
    assert [c for c in own if f"`{c}`" not in lines[0]] == []


def test_each_column_of_the_identifications_template_has_its_line() -> None:
    start = DOC.index("## The submission template")
    table = DOC[start : DOC.index("\n## ", start + 1)]
    lines = [line for line in table.splitlines() if line.startswith("| `")]
    assert [c for c in COLUMN_NAMES if not any(f"`{c}`" in line for line in lines)] == []
