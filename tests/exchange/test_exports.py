"""Exports: what the user may see, HTCDS names, open data with small cells suppressed."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.core.management import call_command
from openpyxl import load_workbook

from enlace.audit.models import AuditEvent
from enlace.core.spreadsheet import csv_safe, write_csv
from enlace.exchange import exports
from enlace.registry.models import Person
from enlace.registry.services import identification_record, person_register
from tests.conftest import DAY, Cast


def test_csv_cells_cannot_be_formulas() -> None:
    for dangerous in ('=HYPERLINK("x")', "+1", "-1+2", "@SUM(A1)", "\t=1", "\r=1", "\n=1"):
        assert csv_safe(dangerous).startswith("'")
    assert csv_safe("María") == "María"
    text = write_csv(["a"], [["=1+1"]])
    assert list(csv.reader(io.StringIO(text)))[1] == ["'=1+1"]


def test_the_export_holds_what_the_user_may_see_and_no_names(cast: Cast, person: Person) -> None:
    other = person_register(actor=cast.charlie, identity={"given_names": "Rosa"}, sex="female")
    identification_record(actor=cast.charlie, person=other, identified_on=DAY, forms=[])
    alices = write_csv(exports.CASE_COLUMNS, exports.case_rows(cast.alice))
    assert person.public_id in alices and other.public_id not in alices
    assert "Guadalupe" not in alices and "Hernández" not in alices
    analysts = write_csv(exports.CASE_COLUMNS, exports.case_rows(cast.ana))
    assert person.public_id in analysts and other.public_id in analysts
    assert write_csv(exports.CASE_COLUMNS, exports.case_rows(cast.audrey)).count("\n") == 1


def test_htcds_keeps_forced_criminality_in_the_local_extension(cast: Cast, person: Person) -> None:
    identification_record(
        actor=cast.alice,
        person=person,
        identified_on=DAY,
        forms=["forced_criminality", "forced_begging"],
        status="identified",
    )
    rows = [
        dict(zip(exports.HTCDS_COLUMNS, r, strict=True)) for r in exports.htcds_rows(cast.alice)
    ]
    row = next(r for r in rows if r["enl_ForcedCriminality"] == "true")
    assert row["vic_TypeOfLabourExploitation"] == "Begging;IllicitActivities"
    assert row["enl_IdentificationStatus"] == "Actual"
    assert row["prs_Gender"] == "Female"


def test_htcds_country_at_home_is_the_profile_s(cast: Cast, person: Person, settings: Any) -> None:
    identification_record(
        actor=cast.alice, person=person, identified_on=DAY, forms=["forced_labour"]
    )

    def countries() -> set[str]:
        rows = [
            dict(zip(exports.HTCDS_COLUMNS, r, strict=True)) for r in exports.htcds_rows(cast.alice)
        ]
        return {r["hte_Country"] for r in rows}

    assert countries() == {"MX"}
    settings.COUNTRY_PROFILE = "GT"
    assert countries() == {"GT"}


def test_open_data_rows_never_show_a_small_count(cast: Cast, person: Person) -> None:
    identification_record(
        actor=cast.alice, person=person, identified_on=DAY, forms=[], status="identified"
    )
    rows = exports.open_data_rows(2017, threshold=5)
    total = next(r for r in rows if r[0] == "identified_total")
    assert total[2:] == ["", "true"]  # one person: suppressed
    assert all(r[2] == "" or r[2] == 0 or r[2] >= 5 for r in rows)
    shown = exports.open_data_rows(2017, threshold=1)
    assert next(r for r in shown if r[0] == "identified_total")[2:] == [1, "false"]


def test_the_command_writes_xlsx_and_the_template_round_trips(
    cast: Cast, person: Person, tmp_path: Any, run: Any
) -> None:
    out = tmp_path / "mine.xlsx"
    call_command("export", "identifications", user="alice", format="xlsx", output=out)
    sheet = load_workbook(out).active
    assert sheet is not None
    values = list(sheet.values)
    assert values[0][0] == "person_id" and values[1][0] == person.public_id
    template = tmp_path / "template.csv"
    call_command("export", "template", output=template)
    assert run(template.read_bytes()).summary() == "1 stored, 0 updated, 0 unchanged, 0 rejected"


def test_the_command_audits_each_person_it_exports(
    cast: Cast, person: Person, tmp_path: Any
) -> None:
    call_command("export", "identifications", user="alice", output=tmp_path / "out.csv")
    reads = AuditEvent.objects.filter(action="person.view", actor_name="alice")
    assert [(r.object_id, (r.after or {})["via"]) for r in reads] == [
        (person.public_id, "export.identifications")
    ]
