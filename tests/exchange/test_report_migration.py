"""Reports stored before the rule held names and birth dates in clear: the migration
withholds them, by the same rule new reports follow."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = ("exchange", "0002_alter_submission_content")
AFTER = ("exchange", "0003_report_values_withheld")
LEAKED = [
    {
        "row": 3,
        "agency_record_id": "PUE-2017-0002",
        "column": "sex",
        "value": "Zárate",
        "reason": "Not one of: female, male, unspecified.",
    },
    {
        "row": 3,
        "agency_record_id": "PUE-2017-0002",
        "column": "age_at_identification",
        "value": "1999-03-14",
        "reason": "Not a whole number of years from 0 to 120.",
    },
    {
        "row": 3,
        "agency_record_id": "PUE-2017-0002",
        "column": "birth_date",
        "value": "[withheld]",
        "reason": "Not a date: use YYYY-MM-DD or DD/MM/YYYY.",
    },
    {
        "row": 4,
        "agency_record_id": "Guadalupe Hernández",
        "column": "jurisdiction",
        "value": "Atlantis",
        "reason": "Unknown jurisdiction.",
    },
    {
        "row": 5,
        "agency_record_id": "A5",
        "column": "exploitation_forms",
        "value": "María",
        "reason": "Forma de explotación desconocida: María",
    },
    {
        "row": 6,
        "agency_record_id": "A6",
        "column": "identified_on",
        "value": "2999-01-01",
        "reason": "An identification cannot be in the future.",
    },
    {
        "row": 7,
        "agency_record_id": "A7",
        "column": "jurisdiction",
        "value": "Puebla",
        "reason": "Give a jurisdiction or a country abroad, not both.",
    },
]


def _migrate(target: tuple[str, str]) -> Any:
    executor = MigrationExecutor(connection)
    executor.migrate([target])
    return executor.loader.project_state([target]).apps


@pytest.fixture
def latest_after() -> Iterator[None]:
    """The schema of every app's latest migration again afterwards: the later tests of the
    session share this database (a migration added after AFTER would otherwise be missing)."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_the_migration_withholds_what_stored_reports_leaked(mx: None, latest_after: None) -> None:
    try:
        old = _migrate(BEFORE)
        agency = old.get_model("directory", "Agency").objects.get(code="FGE-PUE")
        submission = old.get_model("exchange", "Submission").objects.create(
            public_id="S-LEAKED01", agency=agency, filename="envio.csv", errors=LEAKED
        )
        clean = old.get_model("exchange", "Submission").objects.create(
            public_id="S-CLEAN001", agency=agency, filename="ok.csv", errors=[]
        )
    finally:
        new = _migrate(AFTER)
    model = new.get_model("exchange", "Submission")
    errors = model.objects.get(pk=submission.pk).errors
    assert [(e["row"], e["agency_record_id"], e["column"], e["value"]) for e in errors] == [
        (3, "PUE-2017-0002", "sex", "[withheld]"),
        (3, "PUE-2017-0002", "age_at_identification", "[withheld]"),
        (3, "PUE-2017-0002", "birth_date", "[withheld]"),
        (4, "[withheld]", "jurisdiction", "[withheld]"),
        (5, "A5", "exploitation_forms", "[withheld]"),
        (6, "A6", "identified_on", "2999-01-01"),
        (7, "A7", "jurisdiction", "Puebla"),
    ]
    assert [e["reason"] for e in errors] == [e["reason"] for e in LEAKED[:4]] + [
        "Forma de explotación desconocida.",
        *(e["reason"] for e in LEAKED[5:]),
    ]
    text = str(errors)
    for part in ("Zárate", "1999", "Guadalupe", "Hernández", "María", "Atlantis"):
        assert part not in text
    assert model.objects.get(pk=clean.pk).errors == []
