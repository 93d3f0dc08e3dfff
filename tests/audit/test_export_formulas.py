"""The audit export never hands a spreadsheet program a formula, whatever a row holds."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from enlace.audit.services import audit_record
from tests.conftest import Cast
from tests.web.conftest import signed_in

# Each is a formula (or becomes one once a program strips the leading blank).
STARTS = ("\t", "\r", "\n", "=", "+", "-", "@")


@pytest.mark.parametrize("start", STARTS)
def test_a_cell_starting_with_a_formula_character_is_neutralised(cast: Cast, start: str) -> None:
    value = f'{start}HYPERLINK("http://example.org")'
    audit_record(actor=None, action="test.formula", object_type="t", object_id=value)
    client = signed_in(cast.audrey)

    response = client.get("/audit/export/csv/?action=test.formula")
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    rows = [r for r in csv.DictReader(io.StringIO(text)) if r["action"] == "test.formula"]
    assert [r["object_id"] for r in rows] == ["'" + value]

    response = client.get("/audit/export/xlsx/?action=test.formula")
    assert response.status_code == 200
    content = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    header, *cells = list(sheet.iter_rows(values_only=True))
    column = header.index("object_id")
    found = [str(r[column]) for r in cells if r[header.index("action")] == "test.formula"]
    # XML reads a carriage return back as a line feed; the apostrophe is what counts.
    assert [(f[0], f[2:]) for f in found] == [("'", value[1:])]
