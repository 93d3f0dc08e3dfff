"""Proceedings, protection measures, restitution, conclusions, identity corrections and grants
written through the API: the pages' services, permissions and audit rows; refusals change
nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User

from enlace.api.services import api_token_create
from enlace.audit.models import AuditEvent
from enlace.funds.models import Grant
from enlace.justice.models import Participation
from enlace.registry.models import IdentityCorrection, Person
from enlace.registry.selectors import identity_get_for_user
from tests.api.conftest import Api
from tests.conftest import IDENTITY, Cast

pytestmark = pytest.mark.django_db


def _post(api: Api, path: str, body: dict[str, Any] | None = None) -> Any:
    return api.post(path, body or {}, content_type="application/json")


def _actions() -> list[str]:
    return list(AuditEvent.objects.order_by("pk").values_list("action", flat=True))


def test_a_proceeding_with_protection_restitution_and_conclusion(
    person: Person, api_a: Api
) -> None:
    made = _post(
        api_a,
        "/proceedings",
        {"person": person.public_id, "role": "complainant", "started_on": "2017-06-01"},
    )
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    protected = _post(
        api_a,
        f"/proceedings/{pk}/protection-measures",
        {"kind": "relocation", "ordered_on": "2017-06-10"},
    )
    assert protected.status_code == 201
    assert [m["kind"] for m in protected.json()["protection_measures"]] == ["relocation"]
    ordered = _post(
        api_a,
        f"/proceedings/{pk}/restitution-orders",
        {"awarded_on": "2017-08-01", "amount": "1000.00"},
    )
    order = ordered.json()["restitution_orders"][0]["id"]
    paid = _post(
        api_a,
        f"/proceedings/{pk}/restitution-payments",
        {"order": order, "paid_on": "2017-09-01", "amount": "600.00"},
    )
    assert paid.status_code == 201
    payments = paid.json()["restitution_orders"][0]["payments"]
    assert [(p["paid_on"], p["amount"]) for p in payments] == [("2017-09-01", "600.00")]
    # The service's rule: payments never exceed the award.
    over = _post(
        api_a,
        f"/proceedings/{pk}/restitution-payments",
        {"order": order, "paid_on": "2017-09-02", "amount": "600.00"},
    )
    assert over.status_code == 422 and "amount" in over.json()["detail"]
    early = _post(api_a, f"/proceedings/{pk}/conclusion", {"concluded_on": "2017-01-01"})
    assert early.status_code == 422 and "concluded_on" in early.json()["detail"]
    done = _post(api_a, f"/proceedings/{pk}/conclusion", {"concluded_on": "2018-01-02"})
    assert done.status_code == 200 and done.json()["concluded_on"] == "2018-01-02"
    assert str(Participation.objects.get().concluded_on) == "2018-01-02"
    assert _actions()[-5:] == [
        "proceeding.record",
        "protection.record",
        "restitution.order",
        "restitution.pay",
        "proceeding.conclude",
    ]


def test_another_agency_writes_nothing_on_a_proceeding_it_does_not_hold(
    person: Person, api_a: Api, api_b: Api
) -> None:
    made = _post(
        api_a,
        "/proceedings",
        {"person": person.public_id, "role": "witness", "started_on": "2017-06-01"},
    )
    pk = made.json()["id"]
    refused = _post(
        api_b,
        f"/proceedings/{pk}/protection-measures",
        {"kind": "relocation", "ordered_on": "2017-06-10"},
    )
    assert refused.status_code == 404
    assert not Participation.objects.get().protection_measures.exists()


def test_an_identity_corrected_by_the_registering_agency_keeps_the_old_value(
    cast: Cast, person: Person, api_a: Api, api_b: Api
) -> None:
    body = {"reason": "document", "corrected_on": "2017-06-02", "maternal_surname": "Zárate Ruiz"}
    path = f"/persons/{person.public_id}/identity-corrections"
    assert _post(api_b, path, body).status_code == 404
    corrected = _post(api_a, path, body)
    assert corrected.status_code == 201, corrected.content
    answer = corrected.json()
    # The answer names the field, never a value, old or new.
    assert answer["fields"] == ["maternal_surname"]
    assert "Zárate" not in corrected.content.decode()
    vault = identity_get_for_user(user=cast.alice, person=person)
    assert (vault.maternal_surname, vault.given_names) == ("Zárate Ruiz", IDENTITY["given_names"])
    assert IdentityCorrection.objects.get().agency.code == "FGE-PUE"
    again = _post(api_a, path, body)
    assert again.status_code == 422  # nothing to correct: it already reads so


def test_a_grant_needs_a_supervisors_token(cast: Cast, admin: User, api_a: Api) -> None:
    body = {"grantee": "ONG-PUE", "amount": "250000.00", "awarded_on": "2017-03-01"}
    assert _post(api_a, "/grants", body).status_code == 403
    supervisor = Api(api_token_create(actor=admin, user=cast.sam, name="sam")[1])
    not_ngo = _post(supervisor, "/grants", {**body, "grantee": "FGE-JAL"})
    assert not_ngo.status_code == 422 and "grantee" in not_ngo.json()["detail"]
    made = _post(supervisor, "/grants", {**body, "purpose": "Refugio"})
    assert made.status_code == 201, made.content
    assert made.json()["grantor"] == "FGE-PUE" and made.json()["amount"] == "250000.00"
    assert Grant.objects.get().grantee.code == "ONG-PUE"
    assert _actions()[-1] == "grant.record"
