"""One world per test module: agency A's records of every kind, and everyone who must not see them.

Built once per module inside a transaction rolled back at the module's end,
so that a few hundred requests share one set-up; each test still runs in its
own savepoint.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from django.test import Client

from enlace.accounts.models import Role
from enlace.accounts.routes import Route
from enlace.accounts.services import membership_set
from enlace.api.services import api_token_create
from enlace.assistance.models import Shelter
from enlace.assistance.services import service_record, stay_admit
from enlace.cases.services import case_open, follow_up_schedule, goal_add
from enlace.directory.models import Country
from enlace.exchange.services import agency_system_user, submission_create
from enlace.immigration.services import repatriation_record, visa_request
from enlace.justice.models import Alert
from enlace.justice.services import detention_record, participation_record
from enlace.linkage.models import MatchPair
from enlace.referrals.services import referral_accept, referral_send
from enlace.registry.models import Person
from enlace.registry.services import identification_record, person_register
from tests.conftest import _user

DAY = datetime.date(2017, 6, 1)
# Not the examples of the submission template, which is public.
IDENTITY = {
    "given_names": "Rosalba Itzel",
    "paternal_surname": "Quintanar",
    # Not a word of any place name either: "Ocampo" is in Michoacán de Ocampo, a state.
    "maternal_surname": "Yáñez",
    "birth_date": datetime.date(2001, 8, 23),
    "curp": "QUOR010823MPLNCSA4",
    "contact": "Privada Tulipanes 7, Puebla",
}
# What must never appear in a page, an answer or an audit row of someone who may not see it.
PII = ("Rosalba", "Quintanar", "Yáñez", "QUOR010823MPLNCSA4", "Tulipanes")


def browser(user: User | None) -> Client:
    client = Client(headers={"accept-language": "en"})
    if user is not None:
        client.force_login(user)
    return client


@dataclass
class World:
    users: dict[str, User]
    clients: dict[str, Client]
    tokens: dict[str, Client]
    person: Person
    records: dict[str, Any] = field(default_factory=dict)

    def record(self, label: str) -> Any:
        return self.records[label]


def _build() -> World:
    users = {
        "alice": _user("alice", Role.CASEWORKER, "FGE-PUE"),
        "sam": _user("sam", Role.SUPERVISOR, "FGE-PUE"),
        "charlie": _user("charlie", Role.CASEWORKER, "FGE-JAL"),
        "carla": _user("carla", Role.SUPERVISOR, "FGE-JAL"),
        "fernanda": _user("fernanda", Role.CASEWORKER, "FEVIMTRA"),
        "ana": _user("ana", Role.NATIONAL_ANALYST, "CIT"),
        "audrey": _user("audrey", Role.AUDITOR, "CIT"),
        "nobody": _user("nobody", None, None),
    }
    root = User.objects.create_superuser("root", password="password")
    alice, fernanda = users["alice"], users["fernanda"]
    person = person_register(actor=alice, identity=IDENTITY, sex="female")
    from enlace.directory.models import Agency

    puebla = Agency.objects.get(code="FGE-PUE")
    identification = identification_record(
        actor=alice,
        person=person,
        identified_on=DAY,
        forms=["sex_trafficking"],
        jurisdiction=puebla.jurisdiction,
        consent_to_share=True,
    )
    referral = referral_send(
        actor=alice,
        person=person,
        to_agency=Agency.objects.get(code="FEVIMTRA"),
        services=["housing"],
        consent=True,
    )
    referral_accept(actor=fernanda, referral=referral)
    other = person_register(
        actor=fernanda, identity={**IDENTITY, "curp": "", "paternal_surname": "Quintana"}
    )
    left, right = sorted((person, other), key=lambda p: p.pk)
    case = case_open(actor=alice, person=person, opened_on=DAY)
    detention = detention_record(actor=alice, person=person, kind="detention", occurred_on=DAY)
    records = {
        "registry.person": person,
        "registry.identification": identification,
        "referrals.referral": referral,
        "assistance.servicedelivery": service_record(
            actor=alice, person=person, category="emergency", kind="legal", started_on=DAY
        ),
        "assistance.stay": stay_admit(
            actor=fernanda,
            person=person,
            shelter=Shelter.objects.get(code="REF-FEVIMTRA"),
            admitted_on=DAY,
        ),
        "immigration.visarequest": visa_request(actor=alice, person=person, requested_on=DAY),
        "immigration.repatriation": repatriation_record(
            actor=alice,
            person=person,
            repatriated_on=DAY,
            country=Country.objects.get(iso2="GT"),
            receiving_organisation="Secretaría de Bienestar Social",
        ),
        "justice.participation": participation_record(
            actor=alice, person=person, role="complainant", started_on=DAY
        ),
        "justice.alert": Alert.objects.get(person=person, agency=puebla),
        "justice.detentionevent": detention,
        "cases.case": case,
        "cases.goal": goal_add(actor=alice, case=case, category="safety", set_on=DAY),
        "cases.followup": follow_up_schedule(actor=alice, case=case, kind="visit", due_on=DAY),
        "linkage.matchpair": MatchPair.objects.create(
            left=left,
            right=right,
            probability=0.5,
            pattern={"given": {"level": "exact", "weight": 6.0}},
        ),
        "exchange.submission": submission_create(
            actor=alice, filename="a.csv", content=b"agency_record_id,identified_on\n"
        ),
    }
    # An account the administrator proposed at A: a supervisor of A confirms it.
    records["accounts.membership"] = membership_set(
        actor=root, user=_user("newcomer", None, None), role=Role.CASEWORKER, agency=puebla
    )
    tokens = {}
    for code in ("FGE-PUE", "FGE-JAL"):
        system = agency_system_user(agency=Agency.objects.get(code=code), purpose="api")
        key = api_token_create(actor=root, user=system, name=f"{code} system")[1]
        tokens[code] = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    clients = {name: browser(user) for name, user in users.items()}
    clients["anonymous"] = browser(None)
    return World(users=users, clients=clients, tokens=tokens, person=person, records=records)


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    with django_db_blocker.unblock(), transaction.atomic():
        yield _build()
        transaction.set_rollback(True)


# <int:pk>, <pk>, and the admin's regular expressions (?P<app_label>...).
_PARAM = re.compile(r"\(\?P<(\w+)>[^)]*\)|<(?:\w+:)?(\w+)>")
# Values for URL parameters that do not name a record.
PLAIN = {
    "fmt": "csv",
    "file_format": "csv",
    "kind": "identifications",
    "year": "2017",
    "version": "1",
    "action": "accept",
    "object_id": "1",
    "content_type_id": "1",
    "app_label": "auth",
    "id": "1",
    "url": "nothing-here/",
}


def url_of(route: Route, record: Any = None, param: str = "pk") -> str:
    """The route's path with real values: the record's key or public id, plain values otherwise."""

    def value(match: re.Match[str]) -> str:
        name = match.group(1) or match.group(2)
        if name == param and record is not None:
            return str(getattr(record, "public_id" if name == "public_id" else "pk"))
        assert name in PLAIN, f"teach tests/security which value to give <{name}> ({route.route})"
        return PLAIN[name]

    path = _PARAM.sub(value, route.route)
    # Regex routes of the admin (^...$) and the like.
    return "/" + path.replace("^", "").replace("$", "").replace("\\", "")
