"""The training page (supervisors, for their agency) and the protocol adoption page (the
national coordination): each records through its service and lists what was recorded."""

from __future__ import annotations

import pytest

from enlace.accounts.models import Role
from enlace.capacity.models import ProtocolAdoption, TrainingSession
from enlace.directory.models import Jurisdiction, Protocol
from tests.conftest import Cast, _user
from tests.web.conftest import signed_in

pytestmark = pytest.mark.django_db


def test_a_supervisor_records_a_training_session(cast: Cast) -> None:
    sam = signed_in(cast.sam)
    assert "/training/" in sam.get("/").content.decode()
    response = sam.post(
        "/training/",
        {
            "held_on": "2017-05-10",
            "topic": "State protocol",
            "people_trained": "25",
            "trained_by": cast.agency("OIM").pk,
        },
        follow=True,
    )

    page = response.content.decode()
    assert "Training session recorded." in page and "State protocol" in page
    session = TrainingSession.objects.get()
    assert (session.agency.code, session.people_trained) == ("FGE-PUE", 25)
    # Another agency's supervisor does not see it.
    other = signed_in(_user("jalisco", Role.SUPERVISOR, "FGE-JAL")).get("/training/")
    assert "State protocol" not in other.content.decode()


def test_a_session_of_nobody_does_not_validate(cast: Cast) -> None:
    response = signed_in(cast.sam).post(
        "/training/", {"held_on": "2017-05-10", "topic": "x", "people_trained": "0"}
    )
    assert response.status_code == 200 and not TrainingSession.objects.exists()


@pytest.mark.parametrize("who", ["alice", "ana"])
def test_only_supervisors_reach_the_training_page(cast: Cast, who: str) -> None:
    assert signed_in(getattr(cast, who)).get("/training/").status_code == 403


def test_the_national_coordination_records_an_adoption(cast: Cast) -> None:
    ana = signed_in(cast.ana)
    assert "/protocol-adoptions/" in ana.get("/figures/").content.decode()
    response = ana.post(
        "/protocol-adoptions/",
        {
            "jurisdiction": Jurisdiction.objects.get(code="21").pk,
            "protocol": Protocol.objects.get(code="OIM-ESTATAL").pk,
            "adopted_on": "2017-03-01",
        },
        follow=True,
    )
    page = response.content.decode()
    assert "Protocol adoption recorded." in page and "Puebla" in page
    assert ProtocolAdoption.objects.get().protocol.code == "OIM-ESTATAL"


@pytest.mark.parametrize("who", ["sam", "alice", "audrey"])
def test_no_one_else_reaches_the_adoption_page(cast: Cast, who: str) -> None:
    assert signed_in(getattr(cast, who)).get("/protocol-adoptions/").status_code == 403
