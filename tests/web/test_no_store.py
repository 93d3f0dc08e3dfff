"""Pages and downloads a signed-in user sees are kept by no browser cache or proxy."""

from __future__ import annotations

import pytest
from django.test import Client

from enlace.registry.models import Person
from tests.conftest import Cast
from tests.web.conftest import signed_in

pytestmark = pytest.mark.django_db


def test_a_person_page_and_an_export_are_not_stored(cast: Cast, person: Person) -> None:
    client = signed_in(cast.alice)
    for url in (f"/people/{person.public_id}/", "/exchange/exports/identifications.csv"):
        cache = client.get(url)["Cache-Control"]
        assert "no-store" in cache and "private" in cache, url


def test_public_open_data_may_be_cached_as_usual(cast: Cast) -> None:
    response = Client().get("/exchange/open-data/2017.csv")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
