"""The HTCDS export gives the identifying agency's case status (cas_Status) and closure reason."""

from __future__ import annotations

import pytest

from enlace.cases import services as cases
from enlace.cases.models import Case
from enlace.exchange import exports
from tests.conftest import Cast

pytestmark = pytest.mark.django_db


def _row(cast: Cast) -> dict[str, str]:
    (row,) = exports.htcds_rows(cast.alice)
    return dict(zip(exports.HTCDS_COLUMNS, row, strict=True))


def test_it_exports_the_case_status_and_reason(cast: Cast, case: Case) -> None:
    assert (_row(cast)["cas_Status"], _row(cast)["enl_CaseClosureReason"]) == ("Open", "")
    cases.case_close(actor=cast.sam, case=case, reason="returned")
    assert (_row(cast)["cas_Status"], _row(cast)["enl_CaseClosureReason"]) == (
        "Closed",
        "returned",
    )


def test_it_leaves_it_empty_without_a_case(cast: Cast, person: object) -> None:
    assert _row(cast)["cas_Status"] == ""
