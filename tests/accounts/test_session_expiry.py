"""An idle session ends: the next request asks for the password again.

The end is pushed back when the session is saved, which a request does once its
last save is ``SESSION_RENEW_SECONDS`` (a minute) old, not on every request."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from enlace.accounts.middleware import RENEWED_AT
from tests.conftest import Cast

pytestmark = pytest.mark.django_db


def _session(client: Client) -> Session:
    return Session.objects.get(session_key=client.session.session_key)


def _saved_a_minute_ago(client: Client) -> None:
    session = client.session
    session[RENEWED_AT] -= settings.SESSION_RENEW_SECONDS + 1
    session.save()


def test_each_request_pushes_the_end_back(cast: Cast) -> None:
    client = Client()
    client.post("/accounts/login/", {"username": "alice", "password": "password"})
    _saved_a_minute_ago(client)
    Session.objects.filter(pk=_session(client).pk).update(
        expire_date=timezone.now() + datetime.timedelta(minutes=1)
    )

    assert client.get("/people/").status_code == 200

    left = _session(client).expire_date - timezone.now()
    assert left > datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)


def test_an_idle_session_is_signed_out(cast: Cast) -> None:
    client = Client()
    client.post("/accounts/login/", {"username": "alice", "password": "password"})
    assert client.get("/people/").status_code == 200

    # The idle time passes.
    Session.objects.filter(pk=_session(client).pk).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )

    response = client.get("/people/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_request_within_the_minute_does_not_write_the_session(cast: Cast) -> None:
    client = Client()
    client.post("/accounts/login/", {"username": "alice", "password": "password"})
    end = _session(client).expire_date

    with CaptureQueriesContext(connection) as queries:
        assert client.get("/people/").status_code == 200

    assert _session(client).expire_date == end
    writes = ("UPDATE", "INSERT", "DELETE")
    assert not [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith(writes) and "django_session" in q["sql"]
    ]
    # The idle time still ends it: counted from the last save, at most a minute early.
    Session.objects.filter(pk=_session(client).pk).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    response = client.get("/people/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_request_a_minute_after_the_last_save_writes_it(cast: Cast) -> None:
    client = Client()
    client.post("/accounts/login/", {"username": "alice", "password": "password"})
    _saved_a_minute_ago(client)
    before = client.session[RENEWED_AT]

    assert client.get("/people/").status_code == 200

    assert client.session[RENEWED_AT] > before + settings.SESSION_RENEW_SECONDS
