from __future__ import annotations

import pytest
from django.test import Client

from enlace.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD, demo_accounts_create

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_are_sent_to_sign_in(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_sign_in_page_renders(client: Client) -> None:
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert b'name="username"' in response.content and b'name="password"' in response.content


def test_a_demo_login_shows_the_agency_and_role(client: Client, mx: None) -> None:
    demo_accounts_create()

    response = client.post(
        "/accounts/login/", {"username": "fevimtra", "password": DEMO_PASSWORD}, follow=True
    )

    assert response.redirect_chain[-1][0] == "/"
    assert "FEVIMTRA" in response.content.decode()


def test_every_role_has_a_demo_account(mx: None) -> None:
    demo_accounts_create()
    assert {a.role for a in DEMO_ACCOUNTS} == {
        "caseworker",
        "supervisor",
        "national_analyst",
        "auditor",
        "admin",
    }
    # Creating them again changes nothing and still logs in.
    assert demo_accounts_create() == 0
    other = Client()
    other.post("/accounts/login/", {"username": "analista", "password": DEMO_PASSWORD})
    assert "_auth_user_id" in other.session


def test_a_wrong_password_is_refused(client: Client, mx: None) -> None:
    demo_accounts_create()
    response = client.post("/accounts/login/", {"username": "fevimtra", "password": "nope"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_the_interface_speaks_spanish_and_english(client: Client, mx: None) -> None:
    demo_accounts_create()
    client.post("/accounts/login/", {"username": "fevimtra", "password": DEMO_PASSWORD})

    client.post("/i18n/setlang/", {"language": "es-mx", "next": "/"})
    assert "Trabajo pendiente en FEVIMTRA" in client.get("/").content.decode()

    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Open work at FEVIMTRA" in client.get("/").content.decode()


def test_every_response_carries_a_request_id(client: Client) -> None:
    assert len(client.get("/accounts/login/")["X-Request-ID"]) == 32
    given = client.get("/accounts/login/", headers={"X-Request-ID": "abc12345-trace"})
    assert given["X-Request-ID"] == "abc12345-trace"
