"""Recording a detention, transfer or deportation on its page, and the alert it raises."""

from __future__ import annotations

import datetime

import pytest

from enlace.justice.models import Alert, DetentionEvent
from enlace.registry.models import Person
from enlace.registry.services import person_register
from tests.conftest import IDENTITY, Cast
from tests.web.conftest import signed_in

pytestmark = pytest.mark.django_db

NON_PUNISHMENT = "Known as a potential trafficking victim — apply the non-punishment protocol."


@pytest.fixture
def detained(cast: Cast, person: Person) -> Person:
    """INM's own record of the woman FGE-PUE identified, linked to hers by her CURP."""
    detained = person_register(actor=cast.ines, identity={"curp": IDENTITY["curp"]})
    person.refresh_from_db()
    assert detained.national_id == person.national_id
    return detained


def test_it_alerts_the_agency_that_identified_the_person(
    cast: Cast, person: Person, detained: Person
) -> None:
    client = signed_in(cast.ines)

    response = client.post(
        f"/people/{detained.public_id}/detentions/new/",
        {"kind": "detention", "occurred_on": "2017-08-03"},
        follow=True,
    )

    event = DetentionEvent.objects.get()
    assert event.person == detained and event.agency.code == "INM"
    assert event.occurred_on == datetime.date(2017, 8, 3)
    alerts = {(a.agency.code, a.person_id) for a in Alert.objects.select_related("agency")}
    assert alerts == {("FGE-PUE", person.pk), ("INM", detained.pk)}
    page = response.content.decode()
    assert NON_PUNISHMENT in page
    # Never who identified her, or why.
    assert "FGE-PUE" not in page and "Sex trafficking" not in page


def test_the_identifying_agency_sees_the_alert_on_its_pages(
    cast: Cast, person: Person, detained: Person
) -> None:
    signed_in(cast.ines).post(
        f"/people/{detained.public_id}/detentions/new/",
        {"kind": "deportation", "occurred_on": "2017-08-03"},
    )
    client = signed_in(cast.alice)

    timeline = client.get(f"/people/{person.public_id}/").content.decode()
    home = client.get("/").content.decode()

    for page in (timeline, home):
        assert "A known victim was detained or put into deportation" in page
        assert "Deportation proceedings · 2017-08-03" in page
        assert NON_PUNISHMENT not in page
    alert = Alert.objects.get(agency__code="FGE-PUE")
    assert f"/alerts/{alert.pk}/" in timeline


def test_the_event_is_on_the_timeline_of_a_referred_person(cast: Cast, foreigner: Person) -> None:
    signed_in(cast.ines).post(
        f"/people/{foreigner.public_id}/detentions/new/",
        {"kind": "transfer_to_immigration", "occurred_on": "2017-12-01", "jurisdiction": ""},
    )

    for user in (cast.ines, cast.alice):
        page = signed_in(user).get(f"/people/{foreigner.public_id}/").content.decode()
        assert "Transfer to immigration detention" in page


def test_an_unidentified_person_raises_no_alert(cast: Cast) -> None:
    stranger = person_register(actor=cast.ines, identity={"given_names": "Ana"})

    response = signed_in(cast.ines).post(
        f"/people/{stranger.public_id}/detentions/new/",
        {"kind": "detention", "occurred_on": "2017-08-03"},
        follow=True,
    )

    assert DetentionEvent.objects.count() == 1 and not Alert.objects.exists()
    assert NON_PUNISHMENT not in response.content.decode()


def test_bad_input_shows_beside_the_field(cast: Cast, detained: Person) -> None:
    client = signed_in(cast.ines)
    tomorrow = datetime.date.today() + datetime.timedelta(days=2)

    url = f"/people/{detained.public_id}/detentions/new/"
    response = client.post(url, {"kind": "arrest", "occurred_on": "2017-08-03"})
    assert response.status_code == 200
    assert 'id="id_kind_error"' in response.content.decode()

    # The service's rule, put beside the field it names.
    response = client.post(url, {"kind": "detention", "occurred_on": tomorrow.isoformat()})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_occurred_on_error"' in page
    assert "The date cannot be in the future." in page
    assert not DetentionEvent.objects.exists() and not Alert.objects.exists()


def test_another_agency_gets_a_404(cast: Cast, person: Person) -> None:
    client = signed_in(cast.charlie)
    url = f"/people/{person.public_id}/detentions/new/"

    assert client.get(url).status_code == 404
    assert client.post(url, {"kind": "detention", "occurred_on": "2017-08-03"}).status_code == 404
    assert not DetentionEvent.objects.exists()


@pytest.mark.parametrize("who", ["ana", "audrey", "nobody"])
def test_roles_without_cases_are_refused(cast: Cast, person: Person, who: str) -> None:
    response = signed_in(getattr(cast, who)).post(
        f"/people/{person.public_id}/detentions/new/",
        {"kind": "detention", "occurred_on": "2017-08-03"},
    )
    assert response.status_code == 403
    assert not DetentionEvent.objects.exists()


def test_the_person_page_links_to_the_form(cast: Cast, person: Person) -> None:
    page = signed_in(cast.alice).get(f"/people/{person.public_id}/").content.decode()
    assert f"/people/{person.public_id}/detentions/new/" in page


def test_it_speaks_spanish(cast: Cast, detained: Person) -> None:
    client = signed_in(cast.ines, "es")

    form = client.get(f"/people/{detained.public_id}/detentions/new/").content.decode()
    done = client.post(
        f"/people/{detained.public_id}/detentions/new/",
        {"kind": "detention", "occurred_on": "2017-08-03"},
        follow=True,
    ).content.decode()

    assert "Registrar una detención, traslado o deportación" in form
    assert "Persona conocida como posible víctima de trata" in done
