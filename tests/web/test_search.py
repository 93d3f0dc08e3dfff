from __future__ import annotations

import datetime

import pytest

from enlace.audit.models import AuditEvent
from enlace.registry.models import Person
from enlace.registry.selectors import person_search_for_user
from enlace.registry.services import person_register
from tests.conftest import IDENTITY, Cast
from tests.web.conftest import signed_in

pytestmark = pytest.mark.django_db


def test_it_finds_by_curp(cast: Cast, person: Person) -> None:
    assert person_search_for_user(user=cast.bob, curp="hezg990314mplrrd03") == [person]


def test_it_finds_by_names_and_birth_date_in_any_spelling(cast: Cast, person: Person) -> None:
    found = person_search_for_user(
        user=cast.bob,
        given_names="maria guadalupe",
        paternal_surname="HERNANDEZ",
        maternal_surname="Zarate",
        birth_date=datetime.date(1999, 3, 14),
    )
    assert found == [person]


def test_it_finds_by_a_surname_alone(cast: Cast, person: Person) -> None:
    person_register(actor=cast.alice, identity={"given_names": "Ana", "paternal_surname": "Ruiz"})
    assert person_search_for_user(user=cast.alice, paternal_surname="hernández") == [person]


def test_it_never_finds_another_agencys_people(cast: Cast, person: Person) -> None:
    assert person_search_for_user(user=cast.charlie, curp=str(IDENTITY["curp"])) == []
    assert person_search_for_user(user=cast.charlie, paternal_surname="Hernández") == []
    assert person_search_for_user(user=cast.ana, paternal_surname="Hernández") == []


def test_the_page_offers_to_register_with_what_was_typed(cast: Cast) -> None:
    client = signed_in(cast.alice)
    typed = {"given_names": "Rosa", "paternal_surname": "Ruiz"}
    page = client.post("/people/search/", typed).content.decode()
    assert "holds nobody like this" in page
    assert '<input type="hidden" name="given_names" value="Rosa">' in page
    # The registration form opens with what was typed, and registers nobody yet.
    form = client.post("/people/new/", {"prefill": "1", **typed}).content.decode()
    assert 'value="Rosa"' in form and 'value="Ruiz"' in form
    assert not Person.objects.exists()


def test_nothing_typed_reaches_a_url(cast: Cast) -> None:
    client = signed_in(cast.alice)
    page = client.get("/people/search/").content.decode()
    assert 'method="post"' in page and "hx-post" in page and "hx-push-url" not in page


def test_the_page_shows_who_the_agency_holds(cast: Cast, person: Person) -> None:
    page = (
        signed_in(cast.bob)
        .post("/people/search/", {"curp": "HEZG990314MPLRRD03"}, headers={"HX-Request": "true"})
        .content.decode()
    )
    assert person.public_id in page and "María Guadalupe" in page
    assert "<html" not in page  # the htmx partial


def test_a_letter_or_two_of_a_name_is_not_yet_a_search(cast: Cast, person: Person) -> None:
    client = signed_in(cast.bob)
    reads = AuditEvent.objects.filter(action="person.view")

    page = client.post(
        "/people/search/", {"paternal_surname": "He"}, headers={"HX-Request": "true"}
    )
    assert "Type at least three letters of a name" in page.text
    assert person.public_id not in page.text and not reads.exists()

    page = client.post(
        "/people/search/", {"paternal_surname": "Her"}, headers={"HX-Request": "true"}
    )
    assert person.public_id in page.text and reads.count() == 1


def test_a_person_matching_two_ways_is_listed_once(cast: Cast, person: Person) -> None:
    found = person_search_for_user(
        user=cast.alice,
        given_names="María Guadalupe",
        paternal_surname="Hernández",
        maternal_surname="Zárate",
        birth_date=datetime.date(1999, 3, 14),
        curp="HEZG990314MPLRRD03",
    )
    assert found == [person]
