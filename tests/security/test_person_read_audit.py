"""Every read of a person's record leaves an audit row, with no identity in it: one row
naming the person, or for a list one row naming every public id it showed."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import User
from django.forms.models import model_to_dict

from enlace.api.services import api_token_create
from enlace.audit.models import AuditEvent
from enlace.exchange.services import agency_system_user
from enlace.registry.models import Person
from enlace.registry.services import person_register
from tests.api.conftest import Api
from tests.conftest import IDENTITY, Cast
from tests.web.conftest import signed_in

pytestmark = pytest.mark.django_db

NAMES = ("María Guadalupe", "Hernández", "Zárate", "HEZG990314MPLRRD03", "Reforma")


def _rows_since(pk: int) -> list[AuditEvent]:
    """Rows about records since ``pk``: the sign-ins of the test's clients left out."""
    rows = AuditEvent.objects.filter(pk__gt=pk).exclude(action__startswith="auth.")
    return list(rows.order_by("pk"))


def _last() -> int:
    return AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def _has_no_identity(row: AuditEvent) -> bool:
    text = json.dumps(model_to_dict(row), default=str, ensure_ascii=False)
    return not [n for n in NAMES if n in text]


def _token(cast: Cast, code: str) -> Api:
    root = User.objects.filter(username="root").first() or User.objects.create_superuser("root")
    user = agency_system_user(agency=cast.agency(code), purpose="api")
    return Api(api_token_create(actor=root, user=user, name=code)[1])


def test_reading_a_persons_page_adds_exactly_one_row(cast: Cast, person: Person) -> None:
    client = signed_in(cast.bob)
    start = _last()

    page = client.get(f"/people/{person.public_id}/")

    assert page.status_code == 200 and "María Guadalupe" in page.text
    rows = _rows_since(start)
    assert [(r.action, r.object_type, r.object_id, r.actor_name) for r in rows] == [
        ("person.view", "registry.person", person.public_id, "bob")
    ]
    assert rows[0].after == {"via": "web", "identity_shown": True}
    assert _has_no_identity(rows[0])


def test_the_htmx_partials_of_casework_pages_add_no_read(cast: Cast, person: Person) -> None:
    client = signed_in(cast.alice)
    start = _last()
    htmx = {"HX-Request": "true"}

    client.get(f"/people/{person.public_id}/screen/?protocol=INM-PDIA", headers=htmx)
    assert _rows_since(start) == []
    client.get(f"/people/{person.public_id}/")
    assert [r.action for r in _rows_since(start)] == ["person.view"]


def test_a_search_reads_each_person_it_shows(cast: Cast, person: Person) -> None:
    client = signed_in(cast.alice)
    start = _last()
    client.post("/people/search/", {"paternal_surname": "Nadie"}, headers={"HX-Request": "true"})
    assert _rows_since(start) == []  # nobody shown, nobody read
    page = client.post(
        "/people/search/", {"curp": "HEZG990314MPLRRD03"}, headers={"HX-Request": "true"}
    )
    assert "María Guadalupe" in page.content.decode()
    rows = _rows_since(start)
    assert [(r.action, r.object_id) for r in rows] == [("person.view", person.public_id)]
    assert rows[0].after == {"via": "search", "identity_shown": True}
    assert _has_no_identity(rows[0])


def test_another_agency_leaves_a_refusal_not_a_read(cast: Cast, person: Person) -> None:
    start = _last()
    assert signed_in(cast.charlie).get(f"/people/{person.public_id}/").status_code == 404
    rows = _rows_since(start)
    assert [(r.action, r.object_id, r.actor_name) for r in rows] == [
        ("access.denied", person.public_id, "charlie")
    ]
    assert rows[0].after == {"route": "person-detail", "status": 404}
    assert _has_no_identity(rows[0])


def test_the_api_audits_each_person_it_returns(cast: Cast, person: Person) -> None:
    second = person_register(actor=cast.alice, identity={**IDENTITY, "curp": ""})
    api_a, api_b = _token(cast, "FGE-PUE"), _token(cast, "FGE-JAL")
    start = _last()

    assert api_a.get(f"/persons/{person.public_id}").status_code == 200
    got = [(r.action, r.object_id, r.after) for r in _rows_since(start)]
    assert got == [("person.view", person.public_id, {"via": "api", "identity_shown": False})]

    start = _last()
    listed = api_a.get("/persons?limit=1&offset=1").json()
    assert [p["public_id"] for p in listed["items"]] == [second.public_id]
    assert [(r.action, r.object_id) for r in _rows_since(start)] == [
        ("person.view", second.public_id)
    ]

    start = _last()
    assert api_b.get("/persons").json()["count"] == 0
    assert _rows_since(start) == []

    # A record about the person is a read of the person's record too: one row per person.
    identification = person.identifications.get()
    start = _last()
    assert api_a.get(f"/identifications/{identification.pk}").status_code == 200
    assert api_a.get("/identifications").json()["count"] == 1
    assert [(r.action, r.object_id) for r in _rows_since(start)] == [
        ("person.view", person.public_id),
        ("person.view", person.public_id),
    ]


def test_an_export_audits_each_person_in_it(cast: Cast, person: Person) -> None:
    start = _last()
    export = signed_in(cast.alice).get("/exchange/exports/identifications.csv")
    assert export.status_code == 200 and person.public_id in export.content.decode()
    rows = _rows_since(start)
    assert [(r.action, r.object_id, (r.after or {}).get("via")) for r in rows] == [
        ("person.view", person.public_id, "export.identifications")
    ]

    start = _last()
    signed_in(cast.charlie).get("/exchange/exports/htcds.csv")
    assert _rows_since(start) == []


def test_a_referral_page_showing_the_identity_is_a_read(cast: Cast, person: Person) -> None:
    from enlace.referrals.services import referral_accept, referral_send

    referral = referral_send(
        actor=cast.alice,
        person=person,
        to_agency=cast.agency("FEVIMTRA"),
        services=["housing"],
        consent=True,
        shares_identity=True,
    )
    referral_accept(actor=cast.fernanda, referral=referral)
    start = _last()

    page = signed_in(cast.fernanda).get(f"/referrals/{referral.pk}/")

    assert "María Guadalupe" in page.text
    rows = _rows_since(start)
    assert [(r.action, r.object_id, r.after) for r in rows] == [
        ("person.view", person.public_id, {"via": "web.referral", "identity_shown": True})
    ]
    assert _has_no_identity(rows[0])


def test_a_match_review_showing_names_reads_both_people(cast: Cast, person: Person) -> None:
    from enlace.linkage.models import MatchPair

    again = person_register(actor=cast.bob, identity={**IDENTITY, "curp": ""})
    pair = MatchPair.objects.create(left=person, right=again, probability=0.5, pattern={})
    start = _last()

    assert "María Guadalupe" in signed_in(cast.sam).get(f"/linkage/review/{pair.pk}/").text
    rows = _rows_since(start)
    # Two people read at once: one row naming both.
    assert [(r.action, r.object_id) for r in rows] == [("person.view", "list")]
    after = rows[0].after or {}
    assert sorted(after["public_ids"]) == sorted([person.public_id, again.public_id])
    assert after["via"] == "web.linkage-review"

    start = _last()
    assert signed_in(cast.ana).get(f"/linkage/review/{pair.pk}/").status_code == 200
    assert _rows_since(start) == []  # patterns and weights only: no record read


def test_an_api_list_writes_one_row_naming_every_person_shown(cast: Cast, person: Person) -> None:
    from enlace.audit.selectors import AuditFilters, audit_event_list_for_user

    others = [person_register(actor=cast.alice, identity={}) for _ in range(3)]
    api = _token(cast, "FGE-PUE")
    start = _last()

    listed = api.get("/persons?limit=3&offset=1").json()["items"]

    shown = [p["public_id"] for p in listed]
    assert shown == [p.public_id for p in others]
    rows = _rows_since(start)
    assert [(r.action, r.object_type, r.object_id) for r in rows] == [
        ("person.view", "registry.person", "list")
    ]
    assert rows[0].after == {"via": "api", "identity_shown": False, "public_ids": shown}
    # "Who read this person?": the auditor's filter by object id finds the list row.
    for public_id in shown:
        found = audit_event_list_for_user(
            user=cast.audrey, filters=AuditFilters(object_id=public_id)
        )
        assert rows[0] in found
    unshown = audit_event_list_for_user(
        user=cast.audrey, filters=AuditFilters(object_id=person.public_id)
    )
    assert rows[0] not in unshown
