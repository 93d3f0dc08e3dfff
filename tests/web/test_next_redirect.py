"""A form's ``next`` sends the browser back to a page of this site, never to another site.

The forms that post a ``next`` (confirm an identification, acknowledge an
alert, sign in, switch the language, the second factor) are each tried with
addresses of another site, written the ways browsers accept them.
"""

from __future__ import annotations

import pytest

from enlace.justice.services import detention_record
from enlace.registry.models import Identification, Person
from tests.conftest import Cast
from tests.web.conftest import signed_in

pytestmark = pytest.mark.django_db

ELSEWHERE = [
    "https://evil.example/",
    "//evil.example",
    "http://evil.example/people/",
    "///evil.example/",
    "/\\evil.example/",
    "\\\\evil.example",
    "https:evil.example",
    "javascript:alert(1)",
    # A route name, which ``redirect()`` would reverse rather than take as a path.
    "person-list",
]


def _alert(cast: Cast, person: Person) -> int:
    detention_record(
        actor=cast.alice,
        person=person,
        kind="detention",
        occurred_on=person.identifications.get().identified_on,
    )
    return person.alerts.get().pk


@pytest.mark.parametrize("next_url", ELSEWHERE)
def test_confirming_never_leaves_the_site(cast: Cast, person: Person, next_url: str) -> None:
    identification = Identification.objects.get(person=person)
    response = signed_in(cast.sam).post(
        f"/identifications/{identification.pk}/confirm/", {"next": next_url}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/people/{person.public_id}/"


@pytest.mark.parametrize("next_url", ELSEWHERE)
def test_acknowledging_never_leaves_the_site(cast: Cast, person: Person, next_url: str) -> None:
    pk = _alert(cast, person)
    response = signed_in(cast.alice).post(
        f"/alerts/{pk}/acknowledge/", {"outcome": "released", "next": next_url}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/alerts/{pk}/"  # the alert's own page


def test_a_page_of_the_site_is_kept(cast: Cast, person: Person) -> None:
    pk = _alert(cast, person)
    back = f"/people/{person.public_id}/?tab=alerts"
    response = signed_in(cast.alice).post(
        f"/alerts/{pk}/acknowledge/", {"outcome": "released", "next": back}
    )
    assert response["Location"] == back
    identification = Identification.objects.get(person=person)
    response = signed_in(cast.sam).post(
        f"/identifications/{identification.pk}/confirm/", {"next": "/"}
    )
    assert response["Location"] == "/"


def test_over_https_a_plain_http_address_of_the_site_is_refused(cast: Cast, person: Person) -> None:
    pk = _alert(cast, person)
    response = signed_in(cast.alice).post(
        f"/alerts/{pk}/acknowledge/",
        {"outcome": "released", "next": "http://testserver/people/"},
        secure=True,
    )
    assert response["Location"] == f"/alerts/{pk}/"


@pytest.mark.parametrize("next_url", ELSEWHERE[:5])
def test_signing_in_never_leaves_the_site(cast: Cast, next_url: str) -> None:
    from django.test import Client

    response = Client().post(
        "/accounts/login/", {"username": "alice", "password": "password", "next": next_url}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"


@pytest.mark.parametrize("next_url", ELSEWHERE[:5])
def test_switching_the_language_never_leaves_the_site(cast: Cast, next_url: str) -> None:
    client = signed_in(cast.alice)
    response = client.post("/i18n/setlang/", {"language": "es-mx", "next": next_url})
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]
    # Nor through the Referer, which the switch falls back on.
    response = client.post("/i18n/setlang/", {"language": "en"}, headers={"referer": next_url})
    assert "evil.example" not in response["Location"]


@pytest.mark.parametrize("next_url", ELSEWHERE[:5])
def test_the_second_factor_never_leaves_the_site(cast: Cast, next_url: str) -> None:
    # No authenticator enrolled and none required: the verify page goes straight on.
    response = signed_in(cast.alice).get("/accounts/two-step/", {"next": next_url})
    assert response.status_code == 302
    assert response["Location"] == "/"
