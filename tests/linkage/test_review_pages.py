"""The review pages: analysts decide on patterns and weights, never on names."""

from __future__ import annotations

import pytest
from django.test import Client

from enlace.linkage.models import MatchPair
from enlace.registry.models import Person
from enlace.registry.services import person_register
from tests.conftest import IDENTITY, Cast

PATTERN = {
    "given": {"level": "exact", "weight": 6.1},
    "paternal": {"level": "similar", "weight": 2.3},
    "birth": {"level": "within a year of an estimate", "weight": 1.2},
}


def _pair(left: Person, right: Person) -> MatchPair:
    a, b = sorted((left, right), key=lambda p: p.pk)
    return MatchPair.objects.create(
        left=a, right=b, probability=0.55, match_weight=0.3, pattern=PATTERN
    )


def _client(user: object) -> Client:
    client = Client(headers={"accept-language": "en"})
    client.cookies["django_language"] = "en"
    client.force_login(user)  # type: ignore[arg-type]
    return client


@pytest.fixture
def pair(cast: Cast) -> MatchPair:
    ours = person_register(actor=cast.alice, identity=IDENTITY)
    theirs = person_register(
        actor=cast.fernanda,
        identity={**IDENTITY, "curp": "", "paternal_surname": "Hernandes", "maternal_surname": ""},
    )
    return _pair(ours, theirs)


def test_the_analyst_reviews_patterns_without_names(cast: Cast, pair: MatchPair) -> None:
    client = _client(cast.ana)
    queue = client.get("/linkage/review/")
    assert queue.status_code == 200
    assert pair.left.public_id in queue.text
    page = client.get(f"/linkage/review/{pair.pk}/")
    assert page.status_code == 200
    for name in ("María", "Guadalupe", "Hernández", "Hernandes", "1999-03-14", "HEZG"):
        assert name not in page.text
    assert "Given names" in page.text and "6.1" in page.text

    response = client.post(f"/linkage/review/{pair.pk}/", {"decision": "merged", "reason": "ok"})
    assert response.status_code == 302
    pair.refresh_from_db()
    assert pair.status == "merged" and pair.decided_by == cast.ana
    left, right = (Person.objects.get(pk=pk) for pk in (pair.left_id, pair.right_id))
    assert left.national_id == right.national_id


def test_a_decision_needs_a_choice(cast: Cast, pair: MatchPair) -> None:
    response = _client(cast.ana).post(f"/linkage/review/{pair.pk}/", {"reason": "?"})
    assert response.status_code == 200
    pair.refresh_from_db()
    assert pair.status == "pending"


def test_caseworkers_have_no_review(cast: Cast, pair: MatchPair) -> None:
    client = _client(cast.alice)
    assert client.get("/linkage/review/").status_code == 403
    assert client.get(f"/linkage/review/{pair.pk}/").status_code == 403


def test_a_supervisor_sees_only_pairs_of_their_agency_and_with_names(cast: Cast) -> None:
    first = person_register(actor=cast.alice, identity=IDENTITY)
    again = person_register(
        actor=cast.bob, identity={**IDENTITY, "curp": "", "given_names": "Lupe"}
    )
    ours = _pair(first, again)
    client = _client(cast.sam)
    page = client.get(f"/linkage/review/{ours.pk}/")
    assert page.status_code == 200 and "Lupe" in page.text

    other = person_register(actor=cast.fernanda, identity={**IDENTITY, "curp": ""})
    theirs = _pair(first, other)
    assert client.get(f"/linkage/review/{theirs.pk}/").status_code == 404


def test_the_person_page_says_when_another_agency_may_hold_the_person(
    cast: Cast, pair: MatchPair
) -> None:
    ours = pair.left if pair.left.registered_by.code == "FGE-PUE" else pair.right
    page = _client(cast.alice).get(f"/people/{ours.public_id}/")
    assert page.status_code == 200
    assert "another agency may also hold this person" in page.text
    assert "FEVIMTRA" not in page.text
