"""List pages run a bounded number of queries, whatever the number of rows."""

from __future__ import annotations

from typing import Any

import pytest

from enlace.referrals.services import referral_send
from enlace.registry.services import identification_record, person_register
from tests.conftest import DAY, Cast
from tests.web.conftest import signed_in

pytestmark = pytest.mark.django_db

# Session, user, membership and agency, count, page, and the page's own needs (the
# home page: one query per list of open work, the cases' follow-ups among them).
MAX_QUERIES = 13


def _register(cast: Cast, n: int) -> None:
    for _ in range(n):
        person = person_register(actor=cast.alice, identity={"given_names": "X"}, sex="female")
        identification_record(actor=cast.alice, person=person, identified_on=DAY, forms=["other"])
        referral_send(
            actor=cast.alice,
            person=person,
            to_agency=cast.agency("FEVIMTRA"),
            services=["housing"],
            consent=True,
        )


@pytest.mark.parametrize(
    ("user", "path", "shows_people"),
    [
        ("alice", "/people/", True),
        ("alice", "/people/?status=potential&sex=female", True),
        ("alice", "/people/?page=2", True),
        ("alice", "/referrals/", True),
        ("alice", "/referrals/?direction=sent&status=sent", True),
        ("fernanda", "/referrals/inbox/", True),
        ("alice", "/", False),  # nothing waits for the sender
        ("fernanda", "/", True),
    ],
)
def test_a_page_costs_the_same_with_more_rows(
    user: str, path: str, shows_people: bool, cast: Cast, django_assert_max_num_queries: Any
) -> None:
    client = signed_in(getattr(cast, user))
    _register(cast, 30)  # more than a page
    with django_assert_max_num_queries(MAX_QUERIES):
        small = client.get(path)
    _register(cast, 30)
    with django_assert_max_num_queries(MAX_QUERIES):
        large = client.get(path)
    assert small.status_code == large.status_code == 200
    assert (b"V-" in large.content) is shows_people


def test_the_person_page_costs_the_same_with_a_longer_timeline(
    cast: Cast, django_assert_max_num_queries: Any
) -> None:
    person = person_register(actor=cast.alice, identity={"given_names": "X"})
    client = signed_in(cast.alice)
    for _ in range(3):
        identification_record(actor=cast.alice, person=person, identified_on=DAY, forms=["other"])
    client.get(f"/people/{person.public_id}/")  # the session's first page saves it
    # 23 for the page and its timeline (cases, repatriations, corrections among them, one
    # query each), one for whether linkage knows the person elsewhere, one for the audit
    # row (appended unsealed: the sealer chains it after the commit, audit/sealer.py). The
    # session is saved once a minute, not on this page (accounts.middleware).
    with django_assert_max_num_queries(25) as short:
        client.get(f"/people/{person.public_id}/")
    for _ in range(20):
        identification_record(actor=cast.alice, person=person, identified_on=DAY, forms=["other"])
        referral_send(
            actor=cast.alice,
            person=person,
            to_agency=cast.agency("FEVIMTRA"),
            services=["housing"],
            consent=True,
        )
    with django_assert_max_num_queries(len(short.captured_queries)):
        client.get(f"/people/{person.public_id}/")
