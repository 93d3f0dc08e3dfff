"""The person page's timeline resolves the records rule once for the person
(``person_scope_for_user``): every list then holds exactly the rows the full rule
gives for that person, for every role and every way of holding."""

from __future__ import annotations

import datetime

import pytest

from enlace.registry.models import Person
from enlace.registry.selectors import (
    person_is_held_by,
    person_scope_for_user,
    screening_list_for_user,
)
from enlace.registry.services import identification_record, person_register
from enlace.web.selectors import OWN_RULE, TIMELINE
from tests.conftest import DAY, Cast

pytestmark = pytest.mark.django_db


def test_each_list_for_one_person_is_the_full_rule_filtered_to_them(
    cast: Cast, foreigner: Person
) -> None:
    # INM holds the foreigner through the accepted referral and records its own
    # identification; the registering agency sees both, INM only its own.
    identification_record(
        actor=cast.ines, person=foreigner, identified_on=datetime.date(2017, 12, 1), forms=["other"]
    )
    elsewhere = person_register(actor=cast.charlie, identity={"given_names": "Y"}, sex="male")
    identification_record(actor=cast.charlie, person=elsewhere, identified_on=DAY, forms=["other"])
    users = [cast.alice, cast.sam, cast.charlie, cast.fernanda, cast.ines, cast.ana, cast.nobody]
    seen = 0
    for user in users:
        for person in (foreigner, elsewhere):
            scope = person_scope_for_user(user=user, person=person)
            assert scope.held == person_is_held_by(user=user, person=person)
            for kind, selector, _on in TIMELINE:
                if kind in OWN_RULE:
                    continue
                full = set(selector(user=user).filter(person=person).values_list("pk", flat=True))
                once = set(selector(user=user, person=scope).values_list("pk", flat=True))
                assert once == full, (user.username, kind)
                seen += len(once)
    assert seen > 0  # some user saw something: the comparison is not of empty lists only
    ines_sees = person_scope_for_user(user=cast.ines, person=foreigner)
    assert ines_sees.own and not ines_sees.everything


def test_a_scope_is_for_its_own_user(cast: Cast, person: Person) -> None:
    scope = person_scope_for_user(user=cast.alice, person=person)
    with pytest.raises(ValueError, match="another user"):
        screening_list_for_user(user=cast.charlie, person=scope)
