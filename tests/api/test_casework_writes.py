"""Referrals, services, stays, visas and repatriations written through the API: the same services,
permissions and audit rows as the pages; refusals change nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User

from enlace.assistance.models import ServiceDelivery, Stay
from enlace.audit.models import AuditEvent
from enlace.directory.models import Country
from enlace.immigration.models import VisaRequest
from enlace.referrals.models import Referral
from enlace.registry.models import Person
from enlace.registry.services import person_register
from tests.api.conftest import Api, _token
from tests.conftest import Cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_fev(admin: User, cast: Cast) -> Api:
    """FEVIMTRA's system: it receives referrals and runs the shelter REF-FEVIMTRA."""
    return Api(_token(admin, cast, "FEVIMTRA"))


def _actions() -> list[str]:
    return list(AuditEvent.objects.order_by("pk").values_list("action", flat=True))


def _post(api: Api, path: str, body: dict[str, Any] | None = None) -> Any:
    return api.post(path, body or {}, content_type="application/json")


def _refer(api: Api, person: Person, **extra: Any) -> Any:
    body = {"person": person.public_id, "to_agency": "FEVIMTRA", "services": ["housing"]}
    return _post(api, "/referrals", {**body, "consent": True, **extra})


def test_a_referral_sent_accepted_served_and_completed(
    person: Person, api_a: Api, api_fev: Api
) -> None:
    sent = _refer(api_a, person)
    assert sent.status_code == 201, sent.content
    referral = sent.json()
    assert referral["status"] == "sent" and referral["to_agency"] == "FEVIMTRA"

    accepted = _post(api_fev, f"/referrals/{referral['id']}/accept")
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    service = _post(
        api_fev,
        "/services",
        {
            "person": person.public_id,
            "category": "long_term",
            "kind": "housing",
            "started_on": "2017-06-05",
            "referral": referral["id"],
        },
    )
    assert service.status_code == 201, service.content
    stay = _post(
        api_fev,
        "/stays",
        {"person": person.public_id, "shelter": "REF-FEVIMTRA", "admitted_on": "2017-06-05"},
    )
    assert stay.status_code == 201, stay.content
    left = _post(
        api_fev,
        f"/stays/{stay.json()['id']}/discharge",
        {"discharged_on": "2017-09-01", "reason": "reintegrated"},
    )
    assert left.status_code == 200 and left.json()["discharged_on"] == "2017-09-01"
    done = _post(api_fev, f"/referrals/{referral['id']}/complete")
    assert done.status_code == 200 and done.json()["status"] == "completed"

    assert ServiceDelivery.objects.get().referral_id == referral["id"]
    assert Stay.objects.get().discharge_reason == "reintegrated"
    written = [a for a in _actions() if a != "person.view"]
    assert written[-6:] == [
        "referral.send",
        "referral.accept",
        "service.record",
        "stay.admit",
        "stay.discharge",
        "referral.complete",
    ]


def test_a_decline_needs_a_reason_and_only_the_receiver_answers(
    person: Person, api_a: Api, api_fev: Api
) -> None:
    pk = _refer(api_a, person).json()["id"]

    assert _post(api_a, f"/referrals/{pk}/accept").status_code == 403
    assert _post(api_fev, f"/referrals/{pk}/decline", {"reason": ""}).status_code == 422
    assert Referral.objects.get(pk=pk).status == "sent"
    declined = _post(api_fev, f"/referrals/{pk}/decline", {"reason": "No beds this month."})
    assert declined.status_code == 200 and declined.json()["status"] == "declined"


def test_the_sender_revokes_with_a_reason(person: Person, api_a: Api, api_fev: Api) -> None:
    pk = _refer(api_a, person).json()["id"]
    _post(api_fev, f"/referrals/{pk}/accept")

    revoked = _post(api_a, f"/referrals/{pk}/revoke", {"reason": "Consent withdrawn."})

    assert revoked.status_code == 200 and revoked.json()["status"] == "revoked"
    assert api_fev.get(f"/persons/{person.public_id}").status_code == 404


def test_unknown_codes_and_missing_consent_are_refused_by_field(
    person: Person, api_a: Api, api_fev: Api
) -> None:
    before = _actions()

    unknown = _refer(api_a, person, to_agency="NOPE")
    assert unknown.status_code == 422 and "to_agency" in unknown.json()["detail"]
    no_consent = _refer(api_a, person, consent=False)
    assert no_consent.status_code == 422 and "consent" in no_consent.json()["detail"]
    shelter = _post(
        api_a,
        "/stays",
        {"person": person.public_id, "shelter": "NOPE", "admitted_on": "2017-06-05"},
    )
    assert shelter.status_code == 422 and "shelter" in shelter.json()["detail"]
    not_operated = _post(
        api_a,
        "/stays",
        {"person": person.public_id, "shelter": "REF-FEVIMTRA", "admitted_on": "2017-06-05"},
    )
    assert not_operated.status_code == 403

    assert not Referral.objects.exists() and not Stay.objects.exists()
    assert _actions() == before


def test_inm_requests_decides_and_extends_a_humanitarian_visa(admin: User, cast: Cast) -> None:
    inm = Api(_token(admin, cast, "INM"))
    foreign = person_register(
        actor=cast.ines, identity={"given_names": "Ana"}, nationality=Country.objects.get(iso2="GT")
    )
    mexican = person_register(
        actor=cast.ines, identity={"given_names": "Eva"}, nationality=Country.objects.get(iso2="MX")
    )

    refused = _post(
        inm, "/visa-requests", {"person": mexican.public_id, "requested_on": "2017-05-02"}
    )
    assert refused.status_code == 422 and "person" in refused.json()["detail"]
    made = _post(inm, "/visa-requests", {"person": foreign.public_id, "requested_on": "2017-05-02"})
    assert made.status_code == 201 and made.json()["outcome"] == "pending"
    pk = made.json()["id"]
    # A validity that is none of the profile's permits is refused, naming the field.
    unknown = _post(
        inm,
        f"/visa-requests/{pk}/decision",
        {"decided_on": "2017-05-20", "granted": True, "validity": "forever"},
    )
    assert unknown.status_code == 422 and "validity" in unknown.json()["detail"]
    decided = _post(
        inm,
        f"/visa-requests/{pk}/decision",
        {"decided_on": "2017-05-20", "granted": True, "validity": "calendar_days_90"},
    )
    assert decided.status_code == 200, decided.content
    assert decided.json()["outcome"] == "granted"
    assert decided.json()["valid_until"] == "2017-08-18"
    extended = _post(
        inm,
        f"/visa-requests/{pk}/extensions",
        {"extended_on": "2017-08-10", "validity": "calendar_days_90"},
    )
    assert extended.status_code == 200
    assert VisaRequest.objects.get().extensions.get().valid_until.isoformat() == "2017-11-16"


def test_a_repatriation_through_the_api(admin: User, cast: Cast, foreigner: Person) -> None:
    inm = Api(_token(admin, cast, "INM"))
    body = {"person": foreigner.public_id, "repatriated_on": "2017-12-01", "country": "GT"}
    refused = _post(inm, "/repatriations", body)
    assert refused.status_code == 422 and "receiving_agency" in refused.content.decode()
    made = _post(inm, "/repatriations", {**body, "receiving_agency": "CONS-LA"})
    assert made.status_code == 201, made.content
    assert made.json()["country"] == "GT" and made.json()["receiving_agency"] == "CONS-LA"
    assert foreigner.repatriations.get().agency.code == "INM"
