"""An idle session ends: the next request asks for the password again."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from tests.conftest import Cast

pytestmark = pytest.mark.django_db


def _session(client: Client) -> Session:
    return Session.objects.get(session_key=client.session.session_key)


def test_each_request_pushes_the_end_back(cast: Cast) -> None:
    client = Client()
    client.post("/accounts/login/", {"username": "alice", "password": "password"})
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
