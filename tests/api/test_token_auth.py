"""Tokens: created by an administrator, hashed at rest, revocable, scoped to one agency."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from enlace.api.models import ApiToken
from enlace.api.services import api_token_create, api_token_revoke
from tests.api.conftest import Api
from tests.conftest import Cast


def test_it_refuses_requests_without_a_valid_token(api_a: Api) -> None:
    assert Api("enl_not-a-key").get("/persons").status_code == 401
    assert Api("").client.get("/api/v1/persons").status_code == 401
    assert api_a.get("/persons").status_code == 200


def test_it_stores_only_a_hash_of_the_key(api_a: Api) -> None:
    token = ApiToken.objects.get()
    assert api_a.key not in (token.key_hash, token.prefix)
    assert api_a.key.startswith(token.prefix)


def test_a_revoked_token_stops_working(admin: User, api_a: Api) -> None:
    api_token_revoke(actor=admin, token=ApiToken.objects.get())
    assert api_a.get("/persons").status_code == 401


def test_only_an_administrator_creates_tokens_for_an_agency_account(
    admin: User, cast: Cast
) -> None:
    with pytest.raises(PermissionDenied):
        api_token_create(actor=cast.sam, user=cast.alice, name="mine")
    with pytest.raises(ValidationError):
        api_token_create(actor=admin, user=cast.ana, name="national")  # no agency


def test_the_schema_and_docs_are_served_without_a_cdn(db: None) -> None:
    browser = Client()
    assert browser.get("/api/v1/openapi.json").json()["info"]["title"] == "Enlace API"
    docs = browser.get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in docs and "cdn" not in docs.lower()
