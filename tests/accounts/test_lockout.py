"""Repeated failed sign-ins lock that username from that address for a cool-off period."""

from __future__ import annotations

from typing import Any

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client

from tests.conftest import Cast

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def _attempt(
    client: Client, password: str, address: str = "10.0.0.1", username: str = "alice"
) -> Any:
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def _fail(client: Client, times: int, address: str = "10.0.0.1") -> None:
    for _ in range(times):
        assert _attempt(client, "wrong", address).status_code == 200


def _lock(client: Client) -> None:
    """Fail as many times as the limit: the last failure is answered with the lockout."""
    _fail(client, settings.AXES_FAILURE_LIMIT - 1)
    assert _attempt(client, "wrong").status_code == 429


def test_it_locks_after_the_configured_number_of_failures(cast: Cast) -> None:
    client = Client(headers={"accept-language": "en"})
    assert settings.AXES_FAILURE_LIMIT == 5
    _fail(client, 4)
    # Four failures: the right password still signs in, and clears the count.
    assert _attempt(client, "password").status_code == 302
    client.post("/accounts/logout/")

    _fail(client, 4)
    response = _attempt(client, "wrong")
    assert response.status_code == 429
    # Now even the right password is refused, with a page that says why.
    response = _attempt(client, "password")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    page = response.content.decode()
    assert "Sign-in locked" in page
    assert "You can try again in 15 minutes." in page


def test_the_locked_page_speaks_spanish(cast: Cast) -> None:
    client = Client(headers={"accept-language": "es-mx"})
    _lock(client)
    page = _attempt(client, "password").content.decode()
    assert "Inicio de sesión bloqueado" in page
    assert "15 minutos" in page


def test_the_limit_comes_from_the_setting(cast: Cast, settings: Any) -> None:
    settings.AXES_FAILURE_LIMIT = 2
    client = Client()
    _fail(client, 1)
    assert _attempt(client, "wrong").status_code == 429


def test_it_locks_the_username_and_address_pair_only(cast: Cast) -> None:
    client = Client()
    _lock(client)
    assert _attempt(client, "password").status_code == 429
    # The same user from another address, and a colleague from the same one, get in.
    assert _attempt(Client(), "password", address="10.0.0.2").status_code == 302
    assert _attempt(Client(), "password", username="bob").status_code == 302


def test_the_lock_ends_after_the_cool_off(cast: Cast) -> None:
    client = Client()
    _lock(client)
    assert _attempt(client, "password").status_code == 429

    # Time passes: the failures are now older than the cool-off.
    attempt = AccessAttempt.objects.get(username="alice")
    attempt.attempt_time -= settings.AXES_COOLOFF_TIME
    attempt.save()

    assert _attempt(client, "password").status_code == 302
    assert "_auth_user_id" in client.session
