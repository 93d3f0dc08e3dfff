"""A dump of the database names no one: `sqlite3 .dump` and `pg_dump` alike.

People are registered through the services, the web pages and an agency's
spreadsheet and CSV file through the importer, with every write that may
carry a name (reasons, rejected rows, audit rows), then linked; the dump of
the committed database is searched for every name part and CURP, as text and
as the hex that binary columns are dumped as.
"""

from __future__ import annotations

import io
import os
import shutil
import sqlite3
import subprocess
import unicodedata
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from openpyxl import Workbook

from enlace.audit.models import AuditEvent
from enlace.exchange.models import Submission
from enlace.exchange.services import submission_create, submission_start
from enlace.exchange.template import COLUMN_NAMES
from enlace.linkage import synthetic
from enlace.linkage.models import MatchPair
from enlace.linkage.review import match_decide
from enlace.linkage.services import linkage_run
from enlace.registry.models import Identity, Person
from enlace.registry.services import identification_record, identity_update, person_register
from tests.conftest import DAY, Cast

# Real Mexican names, rare enough that no other text in the database contains them.
PEOPLE = [
    ("Xóchitl Citlali", "Tecuapetla", "Ahuactzin", "TEAX950412MPLCHC07", "1995-04-12"),
    ("Tonatiuh", "Cuautle", "Tlatelpa", "CUTT880930HPLTLN02", "1988-09-30"),
    ("Itzel Yaretzi", "Xicoténcatl", "Coyotzi", "XICI010105MTLCYT09", "2001-01-05"),
]
# Imported from the agency's files, never through a form.
IMPORTED = [
    ("Nayeli Anayansi", "Tepoxteco", "Zempoalteca", "TEZN970218MPLPMY05", "1997-02-18"),
    ("Cuauhtémoc", "Ixtlilxóchitl", "Tezozómoc", "IITC930611HPLXZH01", "1993-06-11"),
]
# The same human as PEOPLE[0], sent by the agency with a spelling of its own.
RESENT = ("Xochitl", "Tecuapetla", "Ahuactzin", "TEAX950412MPLCHC07", "1995-04-12")
BACKGROUND = 300
REJECTED = ("Yoloxóchitl", "Tlacomulco", "Huitzilihuitl", "TLHY9X", "1990-13-40")


def _identity(person: tuple[str, ...]) -> dict[str, str]:
    names = ("given_names", "paternal_surname", "maternal_surname", "curp", "birth_date")
    return dict(zip(names, person, strict=True))


def _row(record_id: str, person: tuple[str, ...]) -> list[str]:
    values = {
        "agency_record_id": record_id,
        "identified_on": "2017-06-01",
        "jurisdiction": "21",
        "sex": "female",
        "exploitation_forms": "sex_trafficking",
        "consent_to_share": "yes",
        "notes": f"Vive con su tía {person[1]}",
        **_identity(person),
    }
    return [values.get(c, "") for c in COLUMN_NAMES]


def _xlsx(rows: list[list[str]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(COLUMN_NAMES))
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _csv(rows: list[list[str]]) -> bytes:
    lines = [",".join(COLUMN_NAMES), *(",".join(r) for r in rows)]
    return ("\n".join(lines) + "\n").encode()


def _background() -> bytes:
    """Invented people, some recorded twice with differences, as linkage meets them."""
    records, _truth = synthetic.registry(BACKGROUND, seed=4)
    rows = []
    for n, r in enumerate(records):
        values = {
            "agency_record_id": f"JAL-{n}",
            "identified_on": "2017-12-31",
            "jurisdiction": "14",
            "given_names": r.given_names,
            "paternal_surname": r.paternal_surname,
            "maternal_surname": r.maternal_surname,
            "birth_date": r.birth_date.isoformat() if r.birth_date else "",
            "age_at_identification": "" if r.age is None else str(r.age),
            "curp": r.curp,
        }
        rows.append([values.get(c, "") for c in COLUMN_NAMES])
    return _csv(rows)


def _secrets() -> list[str]:
    values = set()
    for person in [*PEOPLE, *IMPORTED, RESENT, REJECTED]:
        *names, curp, _birth = person
        for name in names:
            values.update(name.split())
        values.add(curp)
    plain = {unicodedata.normalize("NFKD", v).encode("ascii", "ignore").decode() for v in values}
    return sorted(values | plain | {v.upper() for v in values | plain})


def _dump() -> str:
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        cli = shutil.which("sqlite3")
        if cli:
            return subprocess.run(  # noqa: S603 - the sqlite3 CLI, fixed arguments
                [cli, settings["NAME"], ".dump"], capture_output=True, text=True, check=True
            ).stdout
        with sqlite3.connect(settings["NAME"]) as database:
            return "\n".join(database.iterdump())
    pg_dump = Path("/usr/lib/postgresql/15/bin/pg_dump")
    binary = str(pg_dump) if pg_dump.exists() else shutil.which("pg_dump")
    assert binary, "pg_dump is needed to test the PostgreSQL dump"
    command = [
        binary,
        "--host",
        settings["HOST"] or "127.0.0.1",
        "--port",
        str(settings["PORT"] or 5432),
        "--username",
        settings["USER"],
        "--dbname",
        settings["NAME"],
    ]
    env = {**os.environ, "PGPASSWORD": settings["PASSWORD"] or ""}
    return subprocess.run(  # noqa: S603 - pg_dump, fixed arguments
        command, capture_output=True, text=True, check=True, env=env
    ).stdout


def _leaks(dump: str) -> list[str]:
    lowered = dump.lower()
    found = []
    for value in _secrets():
        forms = [value, value.encode().hex(), value.encode("utf-16-le").hex()]
        if any(f.lower() in lowered for f in forms):
            found.append(value)
    return found


@pytest.mark.django_db(transaction=True)
# Every path that writes a name, then the whole dump read: make test-slow runs it.
@pytest.mark.slow
def test_a_dump_of_the_database_names_no_one(cast: Cast, client: Client) -> None:
    people = []
    for number, person in enumerate(PEOPLE):
        registered = person_register(
            actor=cast.alice, identity={**_identity(person), "contact": f"Calle {person[2]} 4"}
        )
        identification_record(
            actor=cast.alice,
            person=registered,
            identified_on=DAY,
            forms=["sex_trafficking"],
            age_at_identification=20 + number,
        )
        people.append(registered)
    identity_update(actor=cast.alice, person=people[1], passport_number="G" + PEOPLE[1][3][:8])
    # The person page, read by the caseworker (an audited read).
    client.force_login(cast.alice)
    page = client.get(f"/people/{people[0].public_id}/")
    assert page.status_code == 200 and PEOPLE[0][1] in page.content.decode()

    spreadsheet = _xlsx([_row("PUE-1", IMPORTED[0]), _row("PUE-2", RESENT)])
    text_file = _csv([_row("PUE-3", IMPORTED[1]), _row("PUE-4", REJECTED)])
    for name, content in (("agencia.xlsx", spreadsheet), ("agencia.csv", text_file)):
        submission = submission_create(actor=cast.alice, filename=name, content=content)
        submission_start(submission=submission)
    reports = list(Submission.objects.values_list("stored", "rejected", "status"))
    assert sorted(reports) == [(1, 1, "done"), (2, 0, "done")]

    # An agency's file of invented people: enough records for linkage to train on.
    submission = submission_create(actor=cast.charlie, filename="jal.csv", content=_background())
    submission_start(submission=submission)

    match_decide(
        actor=cast.sam,
        left=people[1],
        right=people[2],
        decision=MatchPair.Status.SPLIT,
        reason=f"{PEOPLE[1][0]} {PEOPLE[1][1]} no es {PEOPLE[2][0]}",
    )
    linkage_run(actor=cast.ana)
    assert Identity.objects.count() == Person.objects.count() == 6 + BACKGROUND

    dump = _dump()
    assert "CREATE TABLE" in dump and "registry_identity" in dump
    assert _leaks(dump) == []


@pytest.mark.django_db
def test_a_file_without_its_header_row_is_refused_without_echoing_it(cast: Cast) -> None:
    data = _csv([_row("PUE-1", IMPORTED[0])]).split(b"\n", 1)[1]
    submission = submission_create(actor=cast.alice, filename="sin-encabezado.csv", content=data)
    submission_start(submission=submission)

    submission.refresh_from_db()
    assert submission.status == Submission.Status.FAILED
    assert "encabezado" in submission.failure
    stored = submission.failure + str(
        AuditEvent.objects.filter(object_id=submission.public_id).values_list("after", flat=True)
    )
    for value in _secrets():
        assert value.lower() not in stored.lower()
