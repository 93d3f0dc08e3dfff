"""A refusal does the same work whether or not the record it names exists.

Otherwise the time of a 404 tells another agency (or anyone, through the
sign-in redirect and the API's 401) which public ids are real. The same
database queries, in the same order, are the measurable part of "the same
work": a refused real record and a made-up id must run the same statements,
and each must leave one ``access.denied`` row naming what was asked for
(docs/audit.md, "Refused requests").
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.forms.models import model_to_dict
from django.test import Client
from django.test.utils import CaptureQueriesContext

from enlace.accounts.access import NOT_AN_ID
from enlace.api.services import api_token_create
from enlace.audit.models import AuditEvent
from enlace.exchange.services import agency_system_user
from enlace.registry.models import Person
from tests.conftest import Cast
from tests.web.conftest import signed_in

pytestmark = pytest.mark.django_db

MISSING = "V-ZZZZZZ"  # shaped like a public id; no person has it
TYPED_NAME = "Maria Hernandez"  # what someone might type into the address bar

# Quoted values, numbers, and the names Django gives savepoints ("s1405..._x13").
_LITERAL = re.compile(r"'(?:[^']|'')*'|\"s\d+_x\d+\"|\b\d+(?:\.\d+)?\b")


def _shape(sql: str) -> str:
    """The statement with its values taken out: what it does, not what it was given."""
    return re.sub(r"\(\?(?:, \?)*\)", "(?)", _LITERAL.sub("?", sql))


def _token_client(cast: Cast, code: str) -> Client:
    root = User.objects.filter(username="root").first() or User.objects.create_superuser("root")
    user = agency_system_user(agency=cast.agency(code), purpose="api")
    return Client(
        HTTP_AUTHORIZATION=f"Bearer {api_token_create(actor=root, user=user, name=code)[1]}"
    )


def _clients(cast: Cast) -> dict[str, tuple[Callable[[], Client], str]]:
    """Who asks, and the path they ask for with ``{}`` where the public id goes."""
    return {
        "agency B on the person page": (lambda: signed_in(cast.charlie), "/people/{}/"),
        "anonymous on the person page": (Client, "/people/{}/"),
        "agency B's token on the API": (
            lambda: _token_client(cast, "FGE-JAL"),
            "/api/v1/persons/{}",
        ),
        "no token on the API": (Client, "/api/v1/persons/{}"),
    }


def _statements(client: Client, path: str) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    return response.status_code, [_shape(q["sql"]) for q in queries.captured_queries]


def _denials_since(pk: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(pk__gt=pk, action="access.denied").order_by("pk"))


def _last() -> int:
    return AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


@pytest.mark.parametrize(
    "who",
    [
        "agency B on the person page",
        "anonymous on the person page",
        "agency B's token on the API",
        "no token on the API",
    ],
)
def test_a_real_and_a_made_up_id_are_refused_alike(cast: Cast, person: Person, who: str) -> None:
    assert not Person.objects.filter(public_id=MISSING).exists()
    make, path = _clients(cast)[who]
    client = make()
    # A first request does one-off work (a token's last use, a session's first save).
    client.get(path.format(MISSING))

    real = _statements(client, path.format(person.public_id))
    made_up = _statements(client, path.format(MISSING))

    assert real[0] == made_up[0] and real[0] in (302, 401, 404), who
    assert real[1] == made_up[1], who
    assert any(s.startswith('INSERT INTO "audit_auditevent"') for s in real[1]), who


def test_the_person_page_runs_the_same_statements_for_a_typed_name(
    cast: Cast, person: Person
) -> None:
    client = signed_in(cast.charlie)
    client.get(f"/people/{MISSING}/")
    real = _statements(client, f"/people/{person.public_id}/")
    typed = _statements(client, f"/people/{TYPED_NAME}/")
    assert real == typed


def test_each_refusal_names_what_was_asked_for(cast: Cast, person: Person) -> None:
    start = _last()
    charlie = signed_in(cast.charlie)
    assert charlie.get(f"/people/{person.public_id}/").status_code == 404
    assert charlie.get(f"/people/{MISSING}/").status_code == 404
    assert _token_client(cast, "FGE-JAL").get(f"/api/v1/persons/{MISSING}").status_code == 404

    rows = _denials_since(start)
    assert [(r.object_type, r.object_id, r.actor_name) for r in rows] == [
        ("registry.person", person.public_id, "charlie"),
        ("registry.person", MISSING, "charlie"),
        ("registry.person", MISSING, rows[2].actor_name),
    ]
    assert rows[0].after == rows[1].after == {"route": "person-detail", "status": 404}


@pytest.mark.parametrize(
    "path",
    [
        f"/people/{TYPED_NAME}/",
        "/people/hernandez-zarate/",
        "/api/v1/persons/Maria",
        "/identifications/99999999999999999999999/confirm/",
    ],
)
def test_a_value_that_is_not_an_id_never_reaches_the_trail(
    cast: Cast, person: Person, path: str
) -> None:
    start = _last()
    for client in (signed_in(cast.charlie), Client()):
        ask = client.post if path.endswith("/confirm/") else client.get  # a POST-only form
        assert ask(path).status_code in (302, 401, 404)
    rows = _denials_since(start)
    assert rows and {r.object_id for r in rows} == {NOT_AN_ID}
    text = json.dumps([model_to_dict(r) for r in rows], default=str, ensure_ascii=False)
    assert "Maria" not in text and "hernandez" not in text and "999999" not in text


def test_a_key_is_kept_as_the_number_it_names(cast: Cast, person: Person) -> None:
    identification = person.identifications.get()
    start = _last()
    response = signed_in(cast.charlie).post(f"/identifications/{identification.pk}/confirm/")
    assert response.status_code in (403, 404)
    rows: list[Any] = _denials_since(start)
    assert [(r.object_type, r.object_id) for r in rows] == [
        ("registry.identification", str(identification.pk))
    ]
