"""A receiving agency never obtains an identity the sender withheld (outside probe, W1).

FEVIMTRA refers a person to the Puebla prosecutor without sharing the
identity; Puebla accepts and then records an identification, through the
page and through the API. Recording something about a person never widens
who reads their identity: not on the page, not in search, not by referring
onward, and a revocation closes what a shared referral opened.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import Http404

from enlace.api.services import api_token_create
from enlace.exchange.importer import submission_import
from enlace.exchange.services import agency_system_user
from enlace.referrals.models import Referral
from enlace.referrals.services import referral_accept, referral_revoke, referral_send
from enlace.registry.models import Person
from enlace.registry.selectors import identity_get_for_user, person_search_for_user
from enlace.registry.services import identification_record, person_register
from tests.api.conftest import Api
from tests.conftest import DAY, IDENTITY, Cast
from tests.web.conftest import signed_in

CURP = "HEZG990314MPLRRD03"  # IDENTITY's


def _root() -> User:
    return User.objects.create_superuser("root", password="password")


@pytest.fixture
def theirs(cast: Cast) -> Person:
    """FEVIMTRA's person, referred to Alice's agency without the identity; accepted."""
    person = person_register(actor=cast.fernanda, identity=IDENTITY, sex="female")
    referral = referral_send(
        actor=cast.fernanda,
        person=person,
        to_agency=cast.agency("FGE-PUE"),
        services=["legal"],
        consent=True,
        shares_identity=False,
    )
    referral_accept(actor=cast.alice, referral=referral)
    return person


def _reads(user: object, person: Person) -> bool:
    try:
        identity_get_for_user(user=user, person=person)
    except Http404:
        return False
    return True


def test_it_withholds_the_identity_after_an_identification_on_the_page(
    cast: Cast, theirs: Person
) -> None:
    client = signed_in(cast.alice)
    page = client.post(
        f"/people/{theirs.public_id}/identify/",
        {"identified_on": DAY.isoformat(), "status": "potential", "forms": ["forced_labour"]},
    )
    assert page.status_code == 302
    assert theirs.identifications.filter(agency=cast.agency("FGE-PUE")).exists()

    assert not _reads(cast.alice, theirs)
    html = client.get(f"/people/{theirs.public_id}/").content.decode()
    assert "Hernández" not in html and "HEZG990314MPLRRD03" not in html
    assert person_search_for_user(user=cast.alice, paternal_surname="Hernández") == []
    assert person_search_for_user(user=cast.alice, curp=CURP) == []


def test_it_withholds_the_identity_after_an_identification_through_the_api(
    cast: Cast, theirs: Person
) -> None:
    system = agency_system_user(agency=cast.agency("FGE-PUE"), purpose="api")
    api = Api(api_token_create(actor=_root(), user=system, name="Puebla")[1])
    answer = api.post(
        "/identifications",
        {"person": theirs.public_id, "identified_on": DAY.isoformat()},
        content_type="application/json",
    )
    assert answer.status_code == 201, answer.content

    assert not _reads(system, theirs)
    assert not _reads(cast.alice, theirs)


@pytest.fixture
def shared(cast: Cast) -> Referral:
    """FEVIMTRA's person, referred to Alice's agency with the identity; accepted."""
    person = person_register(actor=cast.fernanda, identity=IDENTITY)
    referral = referral_send(
        actor=cast.fernanda,
        person=person,
        to_agency=cast.agency("FGE-PUE"),
        services=["legal"],
        consent=True,
        shares_identity=True,
    )
    return referral_accept(actor=cast.alice, referral=referral)


def _refer_onward_with_identity(cast: Cast, person: Person) -> None:
    referral_send(
        actor=cast.alice,
        person=person,
        to_agency=cast.agency("FGE-JAL"),
        services=["legal"],
        consent=True,
        shares_identity=True,
    )


def test_it_refuses_to_share_onward_what_it_was_not_given(cast: Cast, theirs: Person) -> None:
    identification_record(actor=cast.alice, person=theirs, identified_on=DAY, forms=[])
    with pytest.raises(PermissionDenied):
        _refer_onward_with_identity(cast, theirs)
    assert not Referral.objects.filter(to_agency=cast.agency("FGE-JAL")).exists()


def test_a_shared_identity_never_travels_onward(cast: Cast, shared: Referral) -> None:
    assert _reads(cast.alice, shared.person)
    with pytest.raises(PermissionDenied):
        _refer_onward_with_identity(cast, shared.person)


def test_a_revocation_closes_the_identity_everywhere_at_once(cast: Cast, shared: Referral) -> None:
    person = shared.person
    identification_record(actor=cast.alice, person=person, identified_on=DAY, forms=[])
    assert _reads(cast.alice, person)
    assert person_search_for_user(user=cast.alice, paternal_surname="Hernández") == [person]

    referral_revoke(actor=cast.fernanda, referral=shared, reason="The person withdrew consent.")

    assert not _reads(cast.alice, person)
    assert person_search_for_user(user=cast.alice, paternal_surname="Hernández") == []
    assert person_search_for_user(user=cast.alice, curp=CURP) == []
    html = signed_in(cast.alice).get(f"/people/{person.public_id}/").content.decode()
    assert "Hernández" not in html


def test_a_reimported_row_does_not_tell_whether_a_guessed_identity_is_right(
    cast: Cast, theirs: Person
) -> None:
    # Alice's agency identified FEVIMTRA's person under its own reference, then
    # imports that reference with guessed identities: the answer must not depend
    # on whether a guess matches the withheld identity.
    identification_record(
        actor=cast.alice,
        person=theirs,
        identified_on=DAY,
        forms=["forced_labour"],
        agency_record_id="PUE-9",
    )
    header = "agency_record_id,identified_on,exploitation_forms,sex,paternal_surname,curp\n"

    def summary(surname: str, curp: str) -> tuple[str, list[Any]]:
        data = f"{header}PUE-9,{DAY.isoformat()},forced_labour,female,{surname},{curp}\n".encode()
        result = submission_import(actor=cast.alice, data=data)
        return result.summary(), [e.as_dict() for e in result.errors]

    right = summary("Hernández", CURP)
    wrong = summary("Pérez", "LOPJ850101HDFRRN05")
    assert right == wrong == ("0 stored, 0 updated, 1 unchanged, 0 rejected", [])
    assert not _reads(cast.alice, theirs)
