"""API fixtures: a token for each of two agencies, and one record of every kind of agency A's."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from enlace.api.services import api_token_create
from enlace.assistance.models import Shelter
from enlace.assistance.services import service_record, stay_admit
from enlace.cases.services import case_open, follow_up_schedule
from enlace.directory.models import Country
from enlace.exchange.services import agency_system_user, submission_create
from enlace.immigration.services import repatriation_record, visa_request
from enlace.justice.services import detention_record, participation_record
from enlace.referrals.services import referral_accept, referral_send
from enlace.registry.models import Person
from tests.conftest import Cast

DAY = datetime.date(2017, 6, 2)


class Api:
    """A test client that sends one token's key with every request."""

    def __init__(self, key: str) -> None:
        self.key = key
        self.client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")

    def get(self, path: str, **kwargs: Any) -> Any:
        return self.client.get(f"/api/v1{path}", **kwargs)

    def post(self, path: str, data: Any = None, **kwargs: Any) -> Any:
        if "content_type" not in kwargs and not isinstance(data, dict | type(None)):
            kwargs["content_type"] = "application/json"
        return self.client.post(f"/api/v1{path}", data, **kwargs)


@pytest.fixture
def admin(db: Any) -> User:
    return User.objects.create_superuser("root", password="password")


def _token(admin: User, cast: Cast, code: str) -> str:
    user = agency_system_user(agency=cast.agency(code), purpose="api")
    return api_token_create(actor=admin, user=user, name=f"{code} case system")[1]


@pytest.fixture
def api_a(admin: User, cast: Cast) -> Api:
    """The Puebla prosecutor's system (agency A: Alice's)."""
    return Api(_token(admin, cast, "FGE-PUE"))


@pytest.fixture
def api_b(admin: User, cast: Cast) -> Api:
    """The Jalisco prosecutor's system (agency B: Charlie's)."""
    return Api(_token(admin, cast, "FGE-JAL"))


@pytest.fixture
def records_a(cast: Cast, person: Person) -> dict[str, Any]:
    """One record of every kind the API serves, about agency A's person."""
    referral = referral_send(
        actor=cast.alice,
        person=person,
        to_agency=cast.agency("FEVIMTRA"),
        services=["housing"],
        consent=True,
    )
    referral_accept(actor=cast.fernanda, referral=referral)
    case = case_open(actor=cast.alice, person=person, opened_on=DAY)
    return {
        "cases": case,
        "follow-ups": follow_up_schedule(actor=cast.alice, case=case, kind="call", due_on=DAY),
        "persons": person,
        "identifications": person.identifications.get(),
        "referrals": referral,
        "services": service_record(
            actor=cast.alice, person=person, category="emergency", kind="legal", started_on=DAY
        ),
        "stays": stay_admit(
            actor=cast.fernanda,
            person=person,
            shelter=Shelter.objects.get(code="REF-FEVIMTRA"),
            admitted_on=DAY,
        ),
        "visa-requests": visa_request(actor=cast.alice, person=person, requested_on=DAY),
        "repatriations": repatriation_record(
            actor=cast.alice,
            person=person,
            repatriated_on=DAY,
            country=Country.objects.get(iso2="GT"),
            receiving_organisation="Secretaría de Bienestar Social",
        ),
        "proceedings": participation_record(
            actor=cast.alice, person=person, role="complainant", started_on=DAY
        ),
        "detentions": detention_record(
            actor=cast.alice, person=person, kind="detention", occurred_on=DAY
        ),
        "submissions": submission_create(
            actor=cast.alice, filename="a.csv", content=b"agency_record_id,identified_on\n"
        ),
    }
