from __future__ import annotations

import pytest

from enlace.registry.models import Person
from tests.conftest import Cast
from tests.web.conftest import signed_in

pytestmark = pytest.mark.django_db


def test_it_shows_the_identity_and_the_timeline(cast: Cast, person: Person) -> None:
    page = signed_in(cast.alice).get(f"/people/{person.public_id}/").content.decode()
    assert "María Guadalupe Hernández Zárate" in page
    assert "Identification" in page and "Sex trafficking" in page


def test_it_is_a_404_for_another_agency(cast: Cast, person: Person) -> None:
    client = signed_in(cast.charlie)
    for path in ("", "screen/", "identify/", "refer/", "services/new/", "stays/new/"):
        assert client.get(f"/people/{person.public_id}/{path}").status_code == 404, path


def test_it_is_refused_to_roles_without_cases(cast: Cast, person: Person) -> None:
    assert signed_in(cast.ana).get(f"/people/{person.public_id}/").status_code == 403
    assert signed_in(cast.audrey).get("/people/").status_code == 403


def test_it_hides_the_senders_records_from_the_receiver(cast: Cast, person: Person) -> None:
    from enlace.referrals.services import referral_accept, referral_send

    referral = referral_send(
        actor=cast.alice,
        person=person,
        to_agency=cast.agency("FEVIMTRA"),
        services=["housing"],
        consent=True,
    )
    referral_accept(actor=cast.fernanda, referral=referral)

    page = signed_in(cast.fernanda).get(f"/people/{person.public_id}/").content.decode()

    assert "Referral" in page and "Accepted" in page
    assert "Sex trafficking" not in page  # Alice's identification is not shared
    assert "Hernández" not in page  # nor the identity, which the referral did not share


def test_every_view_of_a_person_is_audited(cast: Cast, person: Person) -> None:
    from enlace.audit.models import AuditEvent

    signed_in(cast.bob).get(f"/people/{person.public_id}/")
    signed_in(cast.charlie).get(f"/people/{person.public_id}/")

    views = AuditEvent.objects.filter(action="person.view")
    assert [(v.actor_name, v.object_id, v.after) for v in views] == [
        ("bob", person.public_id, {"via": "web", "identity_shown": True})
    ]
