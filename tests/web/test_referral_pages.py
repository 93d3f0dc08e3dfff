from __future__ import annotations

import pytest

from enlace.referrals.models import Referral
from enlace.referrals.services import referral_accept, referral_send
from enlace.registry.models import Person
from tests.conftest import Cast
from tests.web.conftest import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def referral(cast: Cast, person: Person) -> Referral:
    return referral_send(
        actor=cast.alice,
        person=person,
        to_agency=cast.agency("FEVIMTRA"),
        services=["housing", "medical"],
        consent=True,
        shares_identity=True,
    )


def test_sending_needs_consent_and_a_service(cast: Cast, person: Person) -> None:
    fevimtra = cast.agency("FEVIMTRA")
    response = signed_in(cast.alice).post(
        f"/people/{person.public_id}/refer/", {"to_agency": fevimtra.pk}
    )
    page = response.content.decode()
    assert 'id="id_consent_error"' in page and 'id="id_services_error"' in page
    assert f'<option value="{fevimtra.pk}" selected>' in page
    assert not Referral.objects.exists()


def test_it_sends_and_shows_the_referral(cast: Cast, person: Person) -> None:
    client = signed_in(cast.alice)
    response = client.post(
        f"/people/{person.public_id}/refer/",
        {"to_agency": cast.agency("FEVIMTRA").pk, "services": ["housing"], "consent": "on"},
        follow=True,
    )
    referral = Referral.objects.get()
    assert referral.status == Referral.Status.SENT and referral.consent
    assert "Referral sent to FEVIMTRA." in response.content.decode()


def test_the_receiver_sees_only_what_the_referral_shares(
    cast: Cast, referral: Referral, person: Person
) -> None:
    client = signed_in(cast.fernanda)
    inbox = client.get("/referrals/inbox/").content.decode()
    assert person.public_id in inbox and "Housing, Medical care" in inbox

    before = client.get(f"/referrals/{referral.pk}/").content.decode()
    assert "Hernández" not in before  # the identity only once accepted
    assert client.get(f"/people/{person.public_id}/").status_code == 404

    client.post(f"/referrals/{referral.pk}/accept/")

    after = client.get(f"/referrals/{referral.pk}/").content.decode()
    assert "María Guadalupe Hernández Zárate" in after and "Time to acceptance" in after
    assert client.get(f"/people/{person.public_id}/").status_code == 200


def test_an_htmx_accept_swaps_the_inbox_row(cast: Cast, referral: Referral) -> None:
    response = signed_in(cast.fernanda).post(
        f"/referrals/{referral.pk}/accept/", headers={"HX-Request": "true"}
    )
    page = response.content.decode()
    assert page.startswith(f'<li id="referral-{referral.pk}"') and "Accepted" in page


def test_declining_needs_a_reason(cast: Cast, referral: Referral) -> None:
    client = signed_in(cast.fernanda)

    response = client.post(f"/referrals/{referral.pk}/decline/", {"reason": "  "})
    assert response.status_code == 400 and 'id="id_reason_error"' in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == Referral.Status.SENT

    client.post(f"/referrals/{referral.pk}/decline/", {"reason": "No beds for adults"})
    referral.refresh_from_db()
    assert referral.status == Referral.Status.DECLINED and referral.reason == "No beds for adults"


def test_the_receiver_completes_and_the_sender_revokes(cast: Cast, person: Person) -> None:
    first = referral_send(
        actor=cast.alice,
        person=person,
        to_agency=cast.agency("FEVIMTRA"),
        services=["housing"],
        consent=True,
    )
    referral_accept(actor=cast.fernanda, referral=first)
    signed_in(cast.fernanda).post(f"/referrals/{first.pk}/complete/")
    first.refresh_from_db()
    assert first.status == Referral.Status.COMPLETED

    second = referral_send(
        actor=cast.alice,
        person=person,
        to_agency=cast.agency("CEAV"),
        services=["legal"],
        consent=True,
    )
    alice = signed_in(cast.alice)
    assert alice.post(f"/referrals/{second.pk}/revoke/", {"reason": ""}).status_code == 400
    alice.post(f"/referrals/{second.pk}/revoke/", {"reason": "Consent withdrawn"})
    second.refresh_from_db()
    assert second.status == Referral.Status.REVOKED


def test_only_the_right_side_may_answer(cast: Cast, referral: Referral) -> None:
    assert signed_in(cast.alice).post(f"/referrals/{referral.pk}/accept/").status_code == 403
    assert signed_in(cast.charlie).post(f"/referrals/{referral.pk}/accept/").status_code == 404
    assert signed_in(cast.charlie).get(f"/referrals/{referral.pk}/").status_code == 404


def test_the_sender_sees_the_acceptance_and_its_delay(cast: Cast, referral: Referral) -> None:
    referral_accept(actor=cast.fernanda, referral=referral)
    home = signed_in(cast.alice).get("/").content.decode()
    assert "Answers to your referrals" in home and "Accepted" in home and "answered in" in home


def test_the_list_filters_by_direction_and_status(cast: Cast, referral: Referral) -> None:
    client = signed_in(cast.alice)
    assert referral.person.public_id in client.get("/referrals/?direction=sent").content.decode()
    received = client.get("/referrals/?direction=received").content.decode()
    assert referral.person.public_id not in received
    declined = client.get("/referrals/?status=declined").content.decode()
    assert referral.person.public_id not in declined
