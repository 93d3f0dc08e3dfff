"""Every route, tried by everyone its rule keeps out, with agency A's real records in the URL.

Generated from the URL configuration and the declarations in
``enlace/accounts/routes.py``: anonymous visitors, a caseworker of agency B,
a national analyst, an auditor, a user without a role, agency B's API token,
and a signed-in browser on the API. Each refused attempt answers 302 (to the
login page), 401, 403 or 404, and one that named a real record leaves exactly
one ``access.denied`` row naming it, with no identity in it. A page an
outsider may open (their own lists, national figures) shows none of A's
identity; lists show none of A's records to agency B.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.forms.models import model_to_dict
from django.test import Client

from enlace.accounts.routes import Route, Rule, Who, rule_for, url_routes
from enlace.api.api import api
from enlace.audit.models import AuditEvent
from tests.security.conftest import PII, World, url_of

pytestmark = pytest.mark.django_db

ROUTES = [(r, rule_for(r.route, r.namespace)) for r in url_routes()]
PAGES = [(r, rule) for r, rule in ROUTES if rule and rule.who not in (Who.STAFF, Who.API_TOKEN)]
API = [(r, rule) for r, rule in ROUTES if rule and rule.who == Who.API_TOKEN]
ADMIN = [(r, rule) for r, rule in ROUTES if rule and rule.who == Who.STAFF]

# Who is tried on pages, and what a page of each rule must answer them.
OUTSIDERS = ("anonymous", "charlie", "ana", "audrey", "nobody")
LETS_IN: dict[Who, set[str]] = {
    Who.PUBLIC: set(OUTSIDERS),
    Who.SIGNED_IN: {"charlie", "ana", "audrey", "nobody"},
    Who.CASEWORK: {"charlie"},
    Who.SUPERVISOR: set(),
    Who.ANALYST: {"ana"},
    Who.REVIEWER: {"ana"},
    Who.AUDITOR: {"audrey"},
}
# What a user let in finds of A's record by its id: analysts see pseudonymous pairs.
SEES_RECORD = {("linkage.matchpair", "ana")}


def _id(case: tuple[Route, Rule | None]) -> str:
    route = case[0]
    return f"{route.namespace}:{route.name}" if route.name else route.route


def _request(client: Client, url: str, *, post: bool = True) -> Any:
    response = client.get(url)
    if post and response.status_code == 405:  # POST-only: try the write
        response = client.post(url)
    return response


OPENAPI = api.get_openapi_schema()


def _example(schema: dict[str, Any]) -> Any:
    """A value the schema accepts: the first of an enum, a date, a short text, true, one
    (an integer or a number), a list of one."""
    if "$ref" in schema:
        return _example(OPENAPI["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]])
    if "enum" in schema:
        return schema["enum"][0]
    if "anyOf" in schema:
        return _example(schema["anyOf"][0])
    if schema.get("type") == "array":
        return [_example(schema["items"])]
    if schema.get("type") == "object":
        required = schema.get("required", [])
        return {k: _example(v) for k, v in schema.get("properties", {}).items() if k in required}
    return {"string": "2017-07-01" if schema.get("format") == "date" else "No.",
            "boolean": True, "integer": 1, "number": 1}[schema["type"]]  # fmt: skip


def _write(client: Client, route: Route, url: str) -> Any:
    """A POST-only operation, tried with a body its schema accepts: the record is what refuses."""
    operation = OPENAPI["paths"]["/" + re.sub(r"<(\w+)>", r"{\1}", route.route)]["post"]
    body = operation.get("requestBody", {}).get("content", {}).get("application/json")
    data = _example(body["schema"]) if body else {}
    return client.post(url, data, content_type="application/json")


def _denials() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action="access.denied").order_by("pk"))


def _assert_no_identity(body: str, where: str) -> None:
    assert [p for p in PII if p in body] == [], where


def _assert_refused_and_audited(
    response: Any, before: int, rule: Rule, record: Any, where: str, login: str = "/accounts/login/"
) -> None:
    status = response.status_code
    if status == 302:
        assert response["Location"].startswith(login), where
    else:
        assert status in (401, 403, 404), f"{where}: {status}"
    rows = _denials()[before:]
    if record is None:
        assert rows == [], where
        return
    assert len(rows) == 1, where
    row = rows[0]
    label = str(getattr(record, "public_id", None) or record.pk)
    assert (row.object_type, row.object_id) == (rule.record, label), where
    _assert_no_identity(json.dumps(model_to_dict(row), default=str, ensure_ascii=False), where)


@pytest.mark.parametrize(("route", "rule"), PAGES, ids=[_id(c) for c in PAGES])
def test_pages_refuse_outsiders(route: Route, rule: Rule, world: World) -> None:
    record = world.record(rule.record) if rule.record else None
    url = url_of(route, record, rule.param)
    for who in OUTSIDERS:
        where = f"{who} {url}"
        before = len(_denials())
        # Not a POST to a public route: signing out would sign the shared client out.
        response = _request(world.clients[who], url, post=rule.who != Who.PUBLIC)
        if who in LETS_IN[rule.who] and (record is None or (rule.record, who) in SEES_RECORD):
            assert response.status_code < 500, where
            raw = b"".join(response.streaming_content) if response.streaming else response.content
            body = raw.decode(errors="replace")
            _assert_no_identity(body, where)
            # Agency B and roles without cases see no record of A's; the audit
            # trail names records by public id (never an identity) to auditors.
            if who != "ana" and rule.who != Who.AUDITOR:
                assert world.person.public_id not in body, where
            continue
        _assert_refused_and_audited(response, before, rule, record, where)


@pytest.mark.parametrize(("route", "rule"), PAGES, ids=[_id(c) for c in PAGES])
def test_the_owner_reaches_the_record(route: Route, rule: Rule, world: World) -> None:
    """The refusals above are aimed at something real: A's own people get past the door."""
    if rule.who in (Who.PUBLIC, Who.SIGNED_IN) and rule.record is None:
        return
    owner = {
        Who.CASEWORK: "alice",
        Who.SUPERVISOR: "sam",
        Who.ANALYST: "ana",
        Who.REVIEWER: "ana",
        Who.SIGNED_IN: "alice",
        Who.AUDITOR: "audrey",
    }[rule.who]
    if rule.record == "assistance.stay":
        owner = "fernanda"  # the shelter's operator discharges
    record = world.record(rule.record) if rule.record else None
    response = world.clients[owner].get(url_of(route, record, rule.param))
    # 405: a POST-only action, reached (not written here); 403: the owner's role may
    # not (a visa decision is the immigration authority's), but the record was found.
    assert response.status_code in (200, 403, 405), f"{owner} {route.route}"


@pytest.mark.parametrize(("route", "rule"), API, ids=[_id(c) for c in API])
def test_api_refuses_outsiders(route: Route, rule: Rule, world: World) -> None:
    record = world.record(rule.record) if rule.record else None
    url = url_of(route, record, rule.param)
    # No token, or a browser session (which the API ignores): 401.
    for who in ("anonymous", "charlie", "alice"):
        before = len(_denials())
        response = _request(world.clients[who], url)
        assert response.status_code == 401, f"{who} {url}"
        _assert_refused_and_audited(response, before, rule, record, f"{who} {url}")
    before = len(_denials())
    response = world.tokens["FGE-JAL"].get(url)
    if response.status_code == 405:  # a write on A's record, tried as one
        response = _write(world.tokens["FGE-JAL"], route, url)
        _assert_refused_and_audited(response, before, rule, record, f"token B {url}")
    elif record is not None:
        _assert_refused_and_audited(response, before, rule, record, f"token B {url}")
        assert world.tokens["FGE-PUE"].get(url).status_code == 200, f"token A {url}"
    else:
        assert response.status_code == 200, f"token B {url}"
        body = response.content.decode()
        _assert_no_identity(body, f"token B {url}")
        if "statistics" not in url:
            assert world.person.public_id not in body, f"token B {url}"


@pytest.mark.parametrize(("route", "rule"), ADMIN, ids=[_id(c) for c in ADMIN])
def test_the_admin_is_for_staff_only(route: Route, rule: Rule, world: World) -> None:
    url = url_of(route)
    # A supervisor: signed in, the widest case role, not staff.
    response = _request(world.clients["sam"], url, post=rule.who != Who.PUBLIC)
    if rule.who == Who.PUBLIC:  # the admin's own sign-in and sign-out
        assert response.status_code in (200, 302, 405), url
        return
    assert response.status_code == 302, url
    assert response["Location"].startswith("/admin/login/"), url
