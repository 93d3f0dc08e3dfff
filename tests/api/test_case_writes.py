"""Cases through the API: the same services as the pages, scoped to the token's agency."""

from __future__ import annotations

from typing import Any

import pytest

from enlace.cases.models import Case
from enlace.registry.models import Person
from tests.api.conftest import Api

pytestmark = pytest.mark.django_db


def _json(api: Api, path: str, **body: object) -> Any:
    return api.post(path, body, content_type="application/json")


def test_a_system_opens_plans_follows_up_and_asks_to_close(
    api_a: Api, api_b: Api, person: Person
) -> None:
    response = _json(api_a, "/cases", person=person.public_id, opened_on="2017-06-01")
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    response = _json(api_a, f"/cases/{pk}/goals", category="legal", services=["legal"])
    assert response.json()["status"] == "in_assistance"
    response = _json(api_a, f"/cases/{pk}/follow-ups", kind="call", due_on="2017-07-01")
    follow_up = response.json()["follow_ups"][0]["id"]
    response = _json(api_a, f"/follow-ups/{follow_up}/done", done_on="2017-07-02")
    assert response.json()["follow_ups"][0]["done_on"] == "2017-07-02"
    # The token is a caseworker's account: Mexico's profile sends the closure to a supervisor.
    response = _json(api_a, f"/cases/{pk}/close", reason="goals_met")
    assert response.json()["closure_requested_on"] is not None
    assert response.json()["status"] == "in_assistance"

    assert api_b.get(f"/cases/{pk}").status_code == 404
    assert _json(api_b, f"/cases/{pk}/close", reason="declined").status_code == 404
    assert api_b.get("/cases").json()["count"] == 0


def test_it_refuses_a_closure_without_a_known_reason(api_a: Api, person: Person) -> None:
    pk = _json(api_a, "/cases", person=person.public_id).json()["id"]
    response = _json(api_a, f"/cases/{pk}/close", reason="bored")
    assert response.status_code == 422
    assert Case.objects.get().status == "open"
