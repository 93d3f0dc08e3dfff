"""The supervisor's agency dashboard: their own agency's people and referrals, nobody else's."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone

from enlace.referrals.services import referral_accept, referral_decline, referral_send
from enlace.registry.models import Person
from enlace.registry.services import identification_record, person_register
from tests.conftest import Cast
from tests.web.conftest import signed_in

pytestmark = pytest.mark.django_db

SENT = timezone.make_aware(datetime.datetime(2017, 3, 1, 9, 0))


def _identified(cast: Cast, actor: object, code: str, n: int) -> list[Person]:
    people = []
    for i in range(n):
        person = person_register(actor=actor, identity={"given_names": f"{code}{i}"}, sex="female")
        identification_record(
            actor=actor,
            person=person,
            identified_on=datetime.date(2017, 2, 1),
            forms=["forced_labour"],
            status="identified",
            jurisdiction=cast.agency(code).jurisdiction,
            consent_to_share=True,
        )
        people.append(person)
    return people


def _cell(page: str, table: str, row: str, column: int) -> str:
    body = page.split(f'id="{table}"', 1)[1].split("</table>", 1)[0]
    cells = re.search(rf"<th scope=\"row\">{re.escape(row)}</th>(.*?)</tr>", body, re.S)
    assert cells, f"no row {row!r} in {table}"
    return re.findall(r'<td class="num">(.*?)</td>', cells.group(1))[column]


def test_the_supervisor_sees_their_agency_and_no_other(cast: Cast) -> None:
    ours = _identified(cast, cast.alice, "FGE-PUE", 3)
    _identified(cast, cast.charlie, "FGE-JAL", 2)
    client = signed_in(cast.sam)
    page = client.get("/agency/").content.decode()
    assert "FGE-PUE dashboard, 2017" in page
    assert _cell(page, "agency-people", "Identified", -1) == "3"

    # One more identification moves the count by one; another agency's by none.
    _identified(cast, cast.alice, "FGE-PUE", 1)
    _identified(cast, cast.charlie, "FGE-JAL", 1)
    page = client.get("/agency/?year=2017").content.decode()
    assert _cell(page, "agency-people", "Identified", -1) == "4"

    # Referrals as sender, their outcomes, and the days to acceptance.
    accepted = referral_send(
        actor=cast.alice,
        person=ours[0],
        to_agency=cast.agency("FEVIMTRA"),
        services=["housing"],
        consent=True,
        at=SENT,
    )
    referral_accept(actor=cast.fernanda, referral=accepted, at=SENT + datetime.timedelta(days=3))
    declined = referral_send(
        actor=cast.alice,
        person=ours[1],
        to_agency=cast.agency("FEVIMTRA"),
        services=["housing"],
        consent=True,
        at=SENT,
    )
    referral_decline(actor=cast.fernanda, referral=declined, reason="no_capacity")
    page = client.get("/agency/?year=2017").content.decode()
    assert _cell(page, "agency-referrals", "Sent", 0) == "2"
    assert _cell(page, "agency-referrals", "Accepted", 0) == "1"
    assert _cell(page, "agency-referrals", "Declined", 0) == "1"
    assert _cell(page, "agency-referrals", "Sent", 1) == "0"
    assert _cell(page, "agency-people", "Referred", -1) == "2"
    assert _cell(page, "agency-times", "Sent by the agency", 1) == "3.0"

    # The receiving agency's supervisor would read the same referrals as received.
    for name in ("María", "FGE-PUE0", "FGE-JAL"):
        assert name not in page


@pytest.mark.parametrize("who", ["alice", "ana", "audrey", "nobody"])
def test_only_supervisors_get_in(cast: Cast, who: str) -> None:
    response = signed_in(getattr(cast, who)).get("/agency/")
    assert response.status_code == 403


def test_the_supervisor_finds_it_in_the_menu(cast: Cast) -> None:
    assert 'href="/agency/"' in signed_in(cast.sam).get("/").content.decode()
    assert 'href="/agency/"' not in signed_in(cast.alice).get("/").content.decode()
