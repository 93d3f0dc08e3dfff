"""The auditor's "Account changes" page: who gave whom which access, apart from the trail."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from enlace.accounts.models import Membership, Role
from enlace.accounts.services import membership_confirm, membership_set
from enlace.audit.models import AuditEvent
from enlace.registry.models import Person
from tests.conftest import Cast
from tests.web.conftest import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(cast: Cast) -> User:
    user = User.objects.create_superuser("root", password="password")
    Membership.objects.create(user=user, role=Role.ADMIN)
    return user


def _propose_and_confirm(cast: Cast, root: User, username: str = "nuevo") -> User:
    user = User.objects.create_user(username)
    membership = membership_set(
        actor=root, user=user, role=Role.CASEWORKER, agency=cast.agency("FGE-PUE")
    )
    membership_confirm(actor=cast.sam, membership=membership)
    return user


def test_it_lists_who_gave_whom_which_access(cast: Cast, person: Person, root: User) -> None:
    _propose_and_confirm(cast, root)

    page = signed_in(cast.audrey).get("/audit/accounts/").content.decode()

    assert "membership.propose" in page and "membership.confirm" in page
    assert "root" in page and "sam" in page and "nuevo" in page
    # Case work is on the trail's other pages, not here.
    assert "person.register" not in page and person.public_id not in page
    seen = AuditEvent.objects.get(action="audit.view")
    assert (seen.object_id, seen.after) == (
        "account-changes",
        {"filters": {"section": "account-changes"}, "page": 1},
    )


@pytest.mark.parametrize("who", ["alice", "sam", "ana", "nobody"])
def test_other_roles_get_403(cast: Cast, who: str) -> None:
    assert signed_in(getattr(cast, who)).get("/audit/accounts/").status_code == 403


def test_anonymous_is_sent_to_sign_in(cast: Cast) -> None:
    response = Client().get("/audit/accounts/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_tabs_lead_there(cast: Cast) -> None:
    page = signed_in(cast.audrey).get("/audit/").content.decode()
    assert 'href="/audit/accounts/"' in page


def test_a_page_costs_the_same_with_more_rows(
    cast: Cast, root: User, django_assert_max_num_queries: Any
) -> None:
    client = signed_in(cast.audrey)
    for i in range(15):
        _propose_and_confirm(cast, root, f"nuevo{i}")
    with django_assert_max_num_queries(20) as small:
        assert client.get("/audit/accounts/").status_code == 200
    for i in range(15, 45):
        _propose_and_confirm(cast, root, f"nuevo{i}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        large = client.get("/audit/accounts/?page=2")
    assert large.content.decode().count("membership.") >= 25


def test_it_speaks_spanish(cast: Cast, root: User) -> None:
    _propose_and_confirm(cast, root)
    page = signed_in(cast.audrey, "es-mx").get("/audit/accounts/").content.decode()
    assert "Cambios de cuentas" in page
