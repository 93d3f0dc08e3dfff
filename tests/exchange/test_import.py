"""Importing submissions: row-by-row report, idempotent re-imports, dry runs, all or nothing."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command
from django.db.models import Q

from enlace.audit.models import AuditEvent
from enlace.exchange.generate import submission_generate
from enlace.linkage.models import Encoding
from enlace.registry.models import Identification, Identity, Person
from enlace.registry.services import person_register
from tests.conftest import Cast
from tests.exchange.conftest import csv_file, row


def counts() -> tuple[int, ...]:
    return (
        Person.objects.count(),
        Identity.objects.count(),
        Identification.objects.count(),
        Encoding.objects.count(),
        AuditEvent.objects.count(),
    )


@pytest.mark.slow
def test_it_imports_ten_thousand_rows_with_a_report_and_again_changes_nothing(
    cast: Cast, run: Any
) -> None:
    data, bad = submission_generate(10_000, agency_code="FGE-PUE", bad_every=33)
    assert len(bad) == 303  # 3 %
    empty = counts()

    dry = run(data, dry_run=True)
    assert (dry.stored, dry.rejected, dry.nothing_stored) == (9697, 303, True)
    assert counts() == empty

    first = run(data)
    assert first.summary() == "9697 stored, 0 updated, 0 unchanged, 303 rejected"
    assert sorted({e.row for e in first.errors}) == bad
    assert all(e.agency_record_id or e.column == "agency_record_id" for e in first.errors)
    assert all(e.column and e.reason for e in first.errors)
    assert Identification.objects.filter(agency=cast.agency("FGE-PUE")).count() == 9697
    # Three audit rows per stored row: person, identity, identification.
    assert AuditEvent.objects.filter(actor=cast.alice).count() == 3 * 9697
    before = counts()

    again = run(data)
    assert again.summary() == "0 stored, 0 updated, 9697 unchanged, 303 rejected"
    assert counts() == before


def test_a_changed_row_updates_its_record_with_an_audit_row(cast: Cast, run: Any) -> None:
    run(csv_file(row(agency_record_id="A1", given_names="Ana", exploitation_forms="forced_labour")))
    result = run(
        csv_file(
            row(
                agency_record_id="A1",
                given_names="Ana María",
                sex="mujer",
                exploitation_forms="forced_labour;forced_criminality",
                identification_status="identified",
            )
        )
    )
    assert result.summary() == "0 stored, 1 updated, 0 unchanged, 0 rejected"
    identification = Identification.objects.get(agency_record_id="A1")
    assert identification.status == "identified"
    assert sorted(f.form for f in identification.forms.all()) == [
        "forced_criminality",
        "forced_labour",
    ]
    assert identification.person.identity.given_names == "Ana María"
    update = AuditEvent.objects.get(action="identification.update")
    assert update.before is not None and update.after is not None
    assert update.before["forms"] == ["forced_labour"]
    assert update.after["forms"] == ["forced_criminality", "forced_labour"]
    assert AuditEvent.objects.filter(action="identity.update").count() == 1


def test_all_or_nothing_stores_nothing_when_a_row_is_bad(run: Any) -> None:
    data = csv_file(row(agency_record_id="A1"), row(agency_record_id="A2", sex="?"))
    empty = counts()
    result = run(data, all_or_nothing=True)
    assert result.nothing_stored and result.rejected == 1
    assert counts() == empty
    assert run(csv_file(row(agency_record_id="A1")), all_or_nothing=True).stored == 1


def test_it_reports_a_repeated_record_id_in_the_same_file(run: Any) -> None:
    result = run(csv_file(row(agency_record_id="A1"), row(agency_record_id="A1")))
    assert result.summary() == "1 stored, 0 updated, 0 unchanged, 1 rejected"
    assert result.errors[0].row == 3 and "2" in result.errors[0].reason


def test_record_ids_belong_to_their_agency(cast: Cast, run: Any) -> None:
    run(csv_file(row(agency_record_id="A1")))
    result = run(csv_file(row(agency_record_id="A1", jurisdiction="14")), actor=cast.charlie)
    assert result.stored == 1  # Jalisco's A1 is another record
    assert Identification.objects.filter(agency_record_id="A1").count() == 2
    puebla = Identification.objects.get(agency=cast.agency("FGE-PUE"))
    assert puebla.jurisdiction is not None and puebla.jurisdiction.code == "21"


def test_linkage_joins_rows_naming_the_same_person(run: Any) -> None:
    same = {
        "given_names": "María Guadalupe",
        "paternal_surname": "Hernández",
        "maternal_surname": "Zárate",
        "birth_date": "14/03/1999",
    }
    run(csv_file(row(agency_record_id="A1", **same), row(agency_record_id="A2", **same)))
    assert Person.objects.values("national_id").distinct().count() == 1


def test_it_imports_an_excel_workbook(run: Any) -> None:
    from openpyxl import Workbook

    from enlace.exchange.template import COLUMN_NAMES

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(COLUMN_NAMES))
    import datetime

    values = dict.fromkeys(COLUMN_NAMES, None)
    values.update(agency_record_id="X1", identified_on=datetime.datetime(2017, 6, 1), sex="hombre")
    values.update(age_at_identification=17, jurisdiction="Puebla")
    sheet.append(list(values.values()))
    buffer = io.BytesIO()
    book.save(buffer)
    result = run(buffer.getvalue())
    assert result.summary() == "1 stored, 0 updated, 0 unchanged, 0 rejected"
    identification = Identification.objects.get()
    assert identification.age_at_identification == 17
    assert identification.person.sex == "male"


def test_the_command_reports_rows_and_ends_with_the_summary(cast: Cast, tmp_path: Any) -> None:
    path = tmp_path / "envio.csv"
    path.write_bytes(
        csv_file(row(agency_record_id="A1"), row(agency_record_id="A2", identified_on="31/02/2017"))
    )
    out, err = io.StringIO(), io.StringIO()
    report = tmp_path / "report.json"
    call_command("import", str(path), agency="fge-pue", report=report, stdout=out, stderr=err)
    lines = out.getvalue().splitlines()
    assert lines[-1] == "1 stored, 0 updated, 0 unchanged, 1 rejected"
    assert lines[0].startswith("row 3 [A2] identified_on (31/02/2017): ")
    assert '"column": "identified_on"' in report.read_text()
    assert "storing" in err.getvalue()
    # It acts as the agency's import account, audited under that name.
    assert AuditEvent.objects.filter(actor_name="import@FGE-PUE").count() == 3


def test_the_command_dry_run_stores_nothing(cast: Cast, tmp_path: Any) -> None:
    path = tmp_path / "envio.csv"
    path.write_bytes(csv_file(row(agency_record_id="A1")))
    out = io.StringIO()
    call_command("import", str(path), agency="FGE-PUE", dry_run=True, stdout=out, stderr=out)
    assert out.getvalue().splitlines()[-1] == "1 stored, 0 updated, 0 unchanged, 0 rejected"
    assert Identification.objects.count() == 0


def test_an_imported_person_is_built_and_audited_as_a_registered_one(cast: Cast, run: Any) -> None:
    registered = person_register(actor=cast.alice, identity={"given_names": "Rosa"})
    run(csv_file(row(agency_record_id="A1", given_names="Rosa")))
    imported = Person.objects.exclude(pk=registered.pk).get()

    def audited(person: Person) -> list[dict[str, Any]]:
        events = AuditEvent.objects.filter(
            Q(action="person.register", object_id=person.public_id)
            | Q(action="identity.create", after__person_id=person.pk)
        )
        return [e.after or {} for e in events.order_by("pk")]

    mine, theirs = audited(imported), audited(registered)
    assert [list(after) for after in mine] == [list(after) for after in theirs]
    vault = mine[1]
    assert vault["given_names"] == "[encrypted]" and vault["contact"] is None
    assert vault["erased_at"] is None and vault["erasure_reference"] is None
