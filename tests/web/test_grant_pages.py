"""Grants from the pages: a supervisor gives one to an NGO, the NGO records the services it
pays for, and the grant shows the people it served."""

from __future__ import annotations

import re

import pytest

from enlace.accounts.models import Role
from enlace.assistance.models import ServiceDelivery
from enlace.funds.models import Grant
from enlace.registry.models import Person
from enlace.registry.services import person_register
from tests.conftest import Cast, _user
from tests.web.conftest import signed_in

pytestmark = pytest.mark.django_db


def _served(page: str, grantee: str) -> str:
    row = re.search(rf"<td>{grantee}</td>.*?</tr>", page, re.S)
    assert row, page
    return re.findall(r'<td class="num">(.*?)</td>', row.group(0))[-1]


def test_a_grant_given_and_the_services_it_paid_for(cast: Cast) -> None:
    sam = signed_in(cast.sam)
    ngo = cast.agency("ONG-PUE")
    response = sam.post(
        "/grants/",
        {"grantee": ngo.pk, "amount": "598500", "awarded_on": "2017-03-01", "purpose": "Shelter"},
        follow=True,
    )
    assert "Grant recorded." in response.content.decode()
    grant = Grant.objects.get()
    assert grant.grantor.code == "FGE-PUE" and grant.grantee == ngo
    assert _served(response.content.decode(), "ONG-PUE") == "0"

    rosa = _user("rosa", Role.CASEWORKER, "ONG-PUE")
    person = person_register(actor=rosa, identity={"given_names": "Luz"}, sex="female")
    client = signed_in(rosa)
    form = client.get(f"/people/{person.public_id}/services/new/").content.decode()
    assert 'name="grant"' in form and 'name="fund"' not in form  # ONG-PUE administers none
    client.post(
        f"/people/{person.public_id}/services/new/",
        {"category": "emergency", "kind": "medical", "started_on": "2017-04-02", "grant": grant.pk},
    )

    assert ServiceDelivery.objects.get().grant == grant
    assert _served(sam.get("/grants/").content.decode(), "ONG-PUE") == "1"


def test_only_supervisors_give_grants(cast: Cast, person: Person) -> None:
    assert signed_in(cast.alice).get("/grants/").status_code == 403
    assert signed_in(cast.ana).get("/grants/").status_code == 403
    # A caseworker whose agency received no grant sees no grant field on a service.
    form = signed_in(cast.alice).get(f"/people/{person.public_id}/services/new/")
    assert form.status_code == 200 and 'name="grant"' not in form.content.decode()
