"""Recording a detention, transfer or deportation through the API, and the alert it raises."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User

from enlace.justice.models import Alert, DetentionEvent
from enlace.registry.models import Person
from enlace.registry.services import person_register
from tests.api.conftest import Api, _token
from tests.conftest import IDENTITY, Cast

pytestmark = pytest.mark.django_db

NON_PUNISHMENT = "Known as a potential trafficking victim — apply the non-punishment protocol."


@pytest.fixture
def api_inm(admin: User, cast: Cast) -> Api:
    return Api(_token(admin, cast, "INM"))


def _post(api: Api, body: dict[str, str]) -> Any:
    return api.post("/detentions", body, content_type="application/json")


def test_it_alerts_the_agency_that_identified_the_person(
    cast: Cast, person: Person, api_inm: Api
) -> None:
    detained = person_register(actor=cast.ines, identity={"curp": IDENTITY["curp"]})

    response = _post(
        api_inm,
        {"person": detained.public_id, "kind": "deportation", "occurred_on": "2017-08-03"},
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["person"] == detained.public_id and body["agency"] == "INM"
    assert body["kind"] == "deportation" and body["alert"] == NON_PUNISHMENT
    assert "FGE-PUE" not in response.content.decode()
    alerts = {(a.agency.code, a.person_id) for a in Alert.objects.select_related("agency")}
    assert alerts == {("FGE-PUE", person.pk), ("INM", detained.pk)}


def test_an_unidentified_person_raises_no_alert(cast: Cast, api_inm: Api) -> None:
    stranger = person_register(actor=cast.ines, identity={"given_names": "Ana"})

    response = _post(
        api_inm,
        {"person": stranger.public_id, "kind": "detention", "occurred_on": "2017-08-03"},
    )

    assert response.status_code == 201 and response.json()["alert"] is None
    assert not Alert.objects.exists()


def test_it_refuses_bad_input(cast: Cast, api_inm: Api) -> None:
    stranger = person_register(actor=cast.ines, identity={"given_names": "Ana"})
    base = {"person": stranger.public_id, "occurred_on": "2017-08-03"}

    assert _post(api_inm, {**base, "kind": "arrest"}).status_code == 422
    unknown = _post(api_inm, {**base, "kind": "detention", "jurisdiction": "99"})
    assert unknown.status_code == 422 and "jurisdiction" in unknown.json()["detail"]
    future = _post(api_inm, {**base, "kind": "detention", "occurred_on": "2999-01-01"})
    assert future.status_code == 422 and "occurred_on" in future.json()["detail"]
    year_one = _post(api_inm, {**base, "kind": "detention", "occurred_on": "0001-01-01"})
    assert year_one.status_code == 422 and "occurred_on" in year_one.json()["detail"]
    assert not DetentionEvent.objects.exists()


def test_another_agency_gets_a_404(person: Person, api_inm: Api) -> None:
    response = _post(
        api_inm, {"person": person.public_id, "kind": "detention", "occurred_on": "2017-08-03"}
    )
    assert response.status_code == 404
    assert not DetentionEvent.objects.exists()
