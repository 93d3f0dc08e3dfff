"""The auditor's page: only auditors, filters, exports, and its own reads audited."""

from __future__ import annotations

import csv
import datetime
import io
import json
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from enlace.audit.context import set_request_id
from enlace.audit.models import AuditEvent
from enlace.audit.services import audit_record
from enlace.referrals.services import referral_send
from enlace.registry.models import Person
from tests.conftest import IDENTITY, Cast
from tests.web.conftest import signed_in


def _refer(cast: Cast, person: Person) -> None:
    set_request_id("req-referral-1")
    referral_send(
        actor=cast.alice,
        person=person,
        to_agency=cast.agency("DIF"),
        services=["legal"],
        consent=True,
    )
    set_request_id("req-other")


@pytest.mark.parametrize("who", ["alice", "sam", "ana", "nobody"])
def test_other_roles_get_403(cast: Cast, who: str) -> None:
    client = signed_in(getattr(cast, who))
    for path in ["/audit/", "/audit/break-glass/", "/audit/export/csv/", "/audit/export/xlsx/"]:
        assert client.get(path).status_code == 403, path
    assert not AuditEvent.objects.filter(action__startswith="audit.").exists()


def test_anonymous_is_sent_to_sign_in(cast: Cast) -> None:
    response = Client().get("/audit/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_it_lists_events_newest_first(cast: Cast, person: Person) -> None:
    _refer(cast, person)
    page = signed_in(cast.audrey).get("/audit/").content.decode()
    # The page's own read comes first, then the referral, then the registration.
    assert page.index("audit.view") < page.index("referral.send") < page.index("person.register")
    assert person.public_id in page


def test_the_nav_links_auditors_to_the_trail(cast: Cast) -> None:
    assert 'href="/audit/"' in signed_in(cast.audrey).get("/").content.decode()
    assert 'href="/audit/"' not in signed_in(cast.alice).get("/").content.decode()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("action=referral.send", {"referral.send"}),
        ("object_type=registry.identification", {"identification.record"}),
        ("request_id=req-referral-1", {"referral.send"}),
        ("actor=alice&agency=FGE-PUE&action=person.register", {"person.register"}),
        ("agency=FGE-JAL", set()),
        ("actor=charlie", set()),
    ],
)
def test_it_filters(cast: Cast, person: Person, query: str, expected: set[str]) -> None:
    _refer(cast, person)
    rows = _export_rows(signed_in(cast.audrey), query)
    assert {r["action"] for r in rows} == expected


def test_it_filters_by_object_id(cast: Cast, person: Person) -> None:
    other = Person.objects.exclude(pk=person.pk).first()
    assert other is None  # one person only: the filter must find exactly their rows
    rows = _export_rows(signed_in(cast.audrey), f"object_id={person.public_id}")
    assert {r["action"] for r in rows} == {"person.register"}


def test_it_filters_by_date(cast: Cast, person: Person) -> None:
    today = timezone.localdate()
    client = signed_in(cast.audrey)
    assert len(_export_rows(client, f"date_from={today}&date_to={today}")) >= 3
    yesterday = today - datetime.timedelta(days=1)
    assert _export_rows(client, f"date_to={yesterday}") == []
    tomorrow = today + datetime.timedelta(days=1)
    assert _export_rows(client, f"date_from={tomorrow}") == []


def test_a_bad_filter_is_named(cast: Cast) -> None:
    client = signed_in(cast.audrey)
    page = client.get("/audit/?date_from=2020-02-10&date_to=2020-02-01").content.decode()
    assert "The end date is before the start date." in page
    export = client.get("/audit/export/csv/?date_from=not-a-date")
    assert export.status_code == 400
    assert "date_from" in export.content.decode()


@pytest.mark.parametrize("field", ["actor", "action", "object_type", "object_id", "request_id"])
def test_a_name_typed_in_a_filter_is_refused_and_recorded_nowhere(
    cast: Cast, person: Person, field: str
) -> None:
    client = signed_in(cast.audrey)
    page = client.get("/audit/", {field: "María Hernández"}, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert 'aria-invalid="true"' in page.content.decode()
    export = client.get("/audit/export/csv/", {field: "María Hernández"})
    assert export.status_code == 400
    assert field in export.content.decode()
    assert "María" not in export.content.decode()
    for row in AuditEvent.objects.filter(action__startswith="audit."):
        assert "María" not in json.dumps([row.before, row.after], ensure_ascii=False)


def _export_rows(client: Client, query: str) -> list[dict[str, str]]:
    response = client.get(f"/audit/export/csv/?{query}")
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    return [r for r in csv.DictReader(io.StringIO(text)) if not r["action"].startswith("audit.")]


def test_reading_the_trail_is_audited_without_pii(cast: Cast, person: Person) -> None:
    client = signed_in(cast.audrey)
    client.get(f"/audit/?object_id={person.public_id}&page=1")
    view = AuditEvent.objects.get(action="audit.view")
    assert (view.actor, view.agency_code) == (cast.audrey, "CIT")
    assert view.after == {"filters": {"object_id": person.public_id}, "page": 1}
    client.get("/audit/export/csv/?action=person.register")
    export = AuditEvent.objects.get(action="audit.export")
    assert (export.object_type, export.object_id) == ("audit.trail", "csv")
    assert export.after == {"filters": {"action": "person.register"}}
    for row in (view, export):
        text = json.dumps([row.before, row.after, row.object_id], ensure_ascii=False)
        assert not any(str(v) in text for v in IDENTITY.values())


def test_the_xlsx_export_holds_the_same_rows(cast: Cast, person: Person) -> None:
    _refer(cast, person)
    client = signed_in(cast.audrey)
    response = client.get("/audit/export/xlsx/?action=referral.send")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')
    content = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    header, *rows = list(sheet.iter_rows(values_only=True))
    assert header[:6] == ("id", "at", "actor_name", "agency_code", "request_id", "action")
    assert [(r[2], r[3], r[4], r[5]) for r in rows] == [
        ("alice", "FGE-PUE", "req-referral-1", "referral.send")
    ]
    assert json.loads(str(rows[0][9]))["status"] == "sent"


def test_exports_never_hold_a_formula(cast: Cast) -> None:
    audit_record(actor=None, action="test.formula", object_type="t", object_id="=1+1")
    rows = _export_rows(signed_in(cast.audrey), "action=test.formula")
    assert rows[0]["object_id"] == "'=1+1"


def test_a_page_costs_the_same_with_more_rows(
    cast: Cast, person: Person, django_assert_max_num_queries: Any
) -> None:
    client = signed_in(cast.audrey)

    def write(n: int) -> None:
        for i in range(n):
            audit_record(actor=cast.alice, action="test.write", object_type="t", object_id=str(i))

    write(30)
    # Session, user, membership, agency choices, the audit row (agency, lock and read
    # the chain head, move it, insert), count, rows, and the session saved in a savepoint.
    with django_assert_max_num_queries(13) as small:
        assert client.get("/audit/?action=test.write").status_code == 200
    write(30)
    with django_assert_max_num_queries(len(small.captured_queries)):
        large = client.get("/audit/?action=test.write&page=2")
    assert large.content.decode().count("test.write") >= 25


def test_break_glass_uses_are_listed(cast: Cast, person: Person) -> None:
    expires = datetime.datetime(2026, 3, 2, 18, 30, tzinfo=datetime.UTC)
    audit_record(
        actor=cast.sam,
        action="breakglass.open",
        obj=person,
        after={"reason": "Hospital called at night", "hours": 4, "expires_at": expires.isoformat()},
    )
    page = signed_in(cast.audrey).get("/audit/break-glass/").content.decode()
    assert "sam" in page and "FGE-PUE" in page and person.public_id in page
    assert "Hospital called at night" in page
    assert timezone.localtime(expires).strftime("%Y-%m-%d %H:%M") in page
    assert "4 hours" in page
    assert "referral.send" not in page and "person.register" not in page
    seen = AuditEvent.objects.get(action="audit.view")
    assert seen.after == {"filters": {"action": "breakglass.open"}, "page": 1}


def test_the_pages_speak_spanish(cast: Cast, person: Person) -> None:
    client = signed_in(cast.audrey, "es-mx")
    page = client.get("/audit/").content.decode()
    assert "Bitácora de auditoría" in page and "Exportar CSV" in page and "Desde" in page
    page = client.get("/audit/break-glass/").content.decode()
    assert "Aún no hay accesos de emergencia." in page
