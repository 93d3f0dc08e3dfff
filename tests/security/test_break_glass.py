"""A supervisor opens time-limited, read-only, audited access to a person outside their agency."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from enlace.accounts.models import BreakGlass, Role
from enlace.accounts.services import break_glass_open
from enlace.audit.models import AuditEvent
from enlace.referrals.services import referral_send
from enlace.registry.models import Identification, Person
from enlace.registry.selectors import identification_list_for_user, person_list_for_user
from tests.conftest import Cast, _user
from tests.web.conftest import signed_in

pytestmark = pytest.mark.django_db

REASON = "Arrived at our office at night with injuries; needs the legal file."


@pytest.fixture
def carla(cast: Cast) -> User:
    """A supervisor at the Jalisco prosecutor: Alice's person is outside her scope."""
    return _user("carla", Role.SUPERVISOR, "FGE-JAL")


def test_it_opens_read_only_access_and_audits_it(cast: Cast, carla: User, person: Person) -> None:
    client = signed_in(carla)
    assert client.get(f"/people/{person.public_id}/").status_code == 404

    referral_send(
        actor=cast.alice,
        person=person,
        to_agency=cast.agency("FEVIMTRA"),
        services=["housing"],
        consent=True,
    )
    grant = break_glass_open(actor=carla, person=person, reason=REASON, hours=4)

    opened = AuditEvent.objects.get(action="breakglass.open")
    assert (opened.object_type, opened.object_id, opened.actor_name) == (
        "registry.person",
        person.public_id,
        "carla",
    )
    assert opened.after == {
        "grant": grant.pk,
        "reason": "[encrypted]",  # in the grant, encrypted: it may name the person
        "hours": 4,
        "expires_at": grant.expires_at.isoformat(),
    }
    assert REASON in signed_in(User.objects.get(username="audrey")).get("/audit/break-glass/").text
    assert grant.expires_at - timezone.now() > datetime.timedelta(hours=3, minutes=59)

    page = client.get(f"/people/{person.public_id}/")
    assert page.status_code == 200
    assert "María Guadalupe" in page.text and "Break-glass access" in page.text
    assert "Sex trafficking" in page.text  # the other agency's identification
    assert "FGE-PUE → FEVIMTRA" in page.text  # and its referral, without a link to open it
    assert "Open the referral" not in page.text
    assert f"/people/{person.public_id}/identify/" not in page.text  # no write buttons
    read = AuditEvent.objects.filter(action="person.view").get()
    assert read.after == {"via": "web", "identity_shown": True, "break_glass": True}

    # Read only: every write is still refused, and nothing is written.
    for path in ("screen/", "identify/", "refer/", "services/new/"):
        assert client.get(f"/people/{person.public_id}/{path}").status_code == 404, path
    answer = client.post(
        f"/people/{person.public_id}/identify/",
        {"identified_on": "2017-06-02", "status": "potential"},
    )
    assert answer.status_code == 404
    assert Identification.objects.filter(person=person).count() == 1


def test_it_lapses_at_its_expiry(carla: User, person: Person) -> None:
    grant = break_glass_open(actor=carla, person=person, reason=REASON, hours=1)
    client = signed_in(carla)
    assert client.get(f"/people/{person.public_id}/").status_code == 200

    BreakGlass.objects.filter(pk=grant.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )

    assert client.get(f"/people/{person.public_id}/").status_code == 404


def test_it_opens_only_for_the_supervisor_who_asked(
    cast: Cast, carla: User, person: Person
) -> None:
    break_glass_open(actor=carla, person=person, reason=REASON, hours=2)
    assert signed_in(cast.charlie).get(f"/people/{person.public_id}/").status_code == 404


@pytest.mark.parametrize(
    ("reason", "hours", "field"),
    [("", 2, "reason"), ("urgent", 2, "reason"), (REASON, 0, "hours"), (REASON, 9, "hours")],
)
def test_it_needs_a_reason_and_a_limited_time(
    carla: User, person: Person, reason: str, hours: int, field: str
) -> None:
    with pytest.raises(ValidationError) as error:
        break_glass_open(actor=carla, person=person, reason=reason, hours=hours)
    assert field in error.value.message_dict
    assert not BreakGlass.objects.exists()
    assert not AuditEvent.objects.filter(action="breakglass.open").exists()


def test_the_longest_grant_follows_the_setting(
    carla: User, person: Person, settings: object
) -> None:
    settings.BREAK_GLASS_MAX_HOURS = 12  # type: ignore[attr-defined]
    assert break_glass_open(actor=carla, person=person, reason=REASON, hours=12)


def test_it_is_for_supervisors_only(cast: Cast, person: Person) -> None:
    with pytest.raises(PermissionDenied):
        break_glass_open(actor=cast.charlie, person=person, reason=REASON, hours=1)
    assert signed_in(cast.charlie).get("/break-glass/").status_code == 403
    assert signed_in(cast.ana).get("/break-glass/").status_code == 403


def test_it_is_not_for_a_person_the_agency_holds(cast: Cast, person: Person) -> None:
    with pytest.raises(ValidationError) as error:
        break_glass_open(actor=cast.sam, person=person, reason=REASON, hours=1)
    assert "person" in error.value.message_dict


def test_the_page_names_the_person_by_public_id(carla: User, person: Person) -> None:
    client = signed_in(carla)
    assert client.get("/break-glass/").status_code == 200

    unknown = client.post("/break-glass/", {"public_id": "V-NOPE00", "reason": REASON, "hours": 2})
    assert "No person has this public id." in unknown.text

    short = client.post(
        "/break-glass/", {"public_id": person.public_id, "reason": "urgent", "hours": 2}
    )
    assert "at least 20 characters" in short.text
    assert not BreakGlass.objects.exists()

    opened = client.post(
        "/break-glass/", {"public_id": person.public_id.lower(), "reason": REASON, "hours": 2}
    )
    assert opened.status_code == 302
    assert opened["Location"] == f"/people/{person.public_id}/"
    listing = client.get("/break-glass/")
    assert person.public_id in listing.text


def test_the_grant_opens_the_page_only_not_lists_or_exports(carla: User, person: Person) -> None:
    break_glass_open(actor=carla, person=person, reason=REASON, hours=2)

    assert not identification_list_for_user(user=carla).filter(person=person).exists()
    assert not person_list_for_user(user=carla).filter(pk=person.pk).exists()
    response = signed_in(carla).get("/exchange/exports/identifications.csv")
    assert response.status_code == 200
    assert person.public_id not in response.content.decode()
    assert not AuditEvent.objects.filter(action="person.view", object_id=person.public_id)
