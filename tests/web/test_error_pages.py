"""A missing page and a failure answer in the site's words: no URL list, no traceback.

These run with DEBUG off, as pytest-django runs every test; that DEBUG is off
by default outside the tests too is tests/security/test_safe_by_default.py.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import SuspiciousOperation
from django.test import Client

from enlace.api.services import api_token_create
from enlace.exchange.services import agency_system_user
from tests.conftest import Cast
from tests.web.conftest import signed_in

pytestmark = pytest.mark.django_db

SECRET = "the failure's own words, with a V-7F3K9Q in them"


def _boom(*args: Any, **kwargs: Any) -> Any:
    raise RuntimeError(SECRET)


def _api_client(cast: Cast) -> Client:
    """Agency A's system on the API, told of a failure by the answer, not by an exception."""
    root = User.objects.create_superuser("root")
    user = agency_system_user(agency=cast.agency("FGE-PUE"), purpose="api")
    key = api_token_create(actor=root, user=user, name="FGE-PUE")[1]
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}", raise_request_exception=False)


@pytest.mark.parametrize(("language", "title"), [("en", "Not found"), ("es-mx", "No encontrado")])
def test_a_missing_page_lists_no_routes(cast: Cast, language: str, title: str) -> None:
    for client in (Client(headers={"accept-language": language}), signed_in(cast.alice, language)):
        response = client.get("/no-such-page/")
        assert response.status_code == 404
        page = response.content.decode()
        assert f"<h1>{title}</h1>" in page
        assert 'href="/static/css/enlace.css"' in page
        assert "URLconf" not in page and "<str:public_id>" not in page and "admin/" not in page


@pytest.mark.parametrize(
    ("language", "title"), [("en", "Something went wrong"), ("es-mx", "Algo salió mal")]
)
def test_a_failing_page_shows_no_traceback(
    cast: Cast, monkeypatch: pytest.MonkeyPatch, language: str, title: str
) -> None:
    monkeypatch.setattr("enlace.web.home.open_work_for_user", _boom)
    client = signed_in(cast.alice, language)
    client.raise_request_exception = False

    response = client.get("/")

    assert response.status_code == 500
    page = response.content.decode()
    assert f"<h1>{title}</h1>" in page
    assert 'href="/static/css/enlace.css"' in page
    assert "Traceback" not in page and SECRET not in page and "RuntimeError" not in page


def test_a_failing_api_call_answers_json_without_a_traceback(
    cast: Cast, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr("enlace.api.api.exports.open_data_rows", _boom)
    client = _api_client(cast)

    response = client.get("/api/v1/statistics/2017")

    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": "Internal server error."}
    assert "Traceback" not in response.text and SECRET not in response.text
    # The server's log keeps what the client is not told, once.
    failures = [r.exc_info for r in caplog.records if r.name == "django.request" and r.exc_info]
    assert len(failures) == 1 and SECRET in str(failures[0][1])


def test_a_bad_api_request_stays_a_400(cast: Cast, monkeypatch: pytest.MonkeyPatch) -> None:
    """What Django answers 400 (a suspicious or malformed request) is no server error."""

    def suspicious(*args: Any, **kwargs: Any) -> Any:
        raise SuspiciousOperation(SECRET)

    monkeypatch.setattr("enlace.api.api.exports.open_data_rows", suspicious)
    client = _api_client(cast)

    response = client.get("/api/v1/statistics/2017")

    assert response.status_code == 400 and SECRET not in response.text
