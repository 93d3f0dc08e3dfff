"""Audit rows cannot be changed or deleted through the application."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db.models import ProtectedError
from django.test import Client, RequestFactory
from django.utils import translation

from enlace.accounts.models import Membership, Role
from enlace.audit.models import AuditEvent, ImmutableAuditRow
from enlace.audit.sealer import seal
from enlace.registry.models import Person
from tests.conftest import Cast


def intact() -> bool:
    out = io.StringIO()
    with translation.override("en"):
        call_command("audit_verify", stdout=out, stderr=io.StringIO())
    return "The chain is intact" in out.getvalue()


def test_saving_an_existing_row_raises(cast: Cast, person: Person) -> None:
    event = AuditEvent.objects.get(action="person.register")
    event.action = "nothing.happened"
    with pytest.raises(ImmutableAuditRow):
        event.save()
    assert AuditEvent.objects.get(pk=event.pk).action == "person.register"


def test_deleting_a_row_raises(cast: Cast, person: Person) -> None:
    event = AuditEvent.objects.get(action="person.register")
    with pytest.raises(ImmutableAuditRow):
        event.delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.parametrize(
    "change",
    [
        lambda rows: rows.update(action="nothing.happened"),
        lambda rows: rows.delete(),
        lambda rows: rows.bulk_update(list(rows), ["action"]),
        lambda rows: AuditEvent._base_manager.filter(pk__in=rows).update(actor_name="x"),
        lambda rows: AuditEvent.objects.update_or_create(
            pk=rows[0].pk, defaults={"action": "nothing.happened"}
        ),
    ],
    ids=["update", "delete", "bulk_update", "base_manager", "update_or_create"],
)
def test_querysets_refuse_changes(cast: Cast, person: Person, change: object) -> None:
    seal()  # the hashes compared below are the sealed ones
    before = list(AuditEvent.objects.order_by("id").values_list("id", "action", "hash"))
    with pytest.raises(ImmutableAuditRow):
        change(AuditEvent.objects.all())  # type: ignore[operator]
    assert list(AuditEvent.objects.order_by("id").values_list("id", "action", "hash")) == before
    assert intact()


def test_new_rows_created_through_the_orm_join_the_chain(cast: Cast, person: Person) -> None:
    AuditEvent.objects.create(
        actor_name="system", action="test.one", object_type="t", object_id="1"
    )
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(actor_name="system", action="test.many", object_type="t", object_id=str(i))
            for i in range(3)
        ]
    )
    assert AuditEvent.objects.filter(action__startswith="test.").count() == 4
    assert intact()


def test_a_user_who_acted_is_deactivated_not_deleted(cast: Cast, person: Person) -> None:
    # Deleting Alice would rewrite her rows' actor (and break their hash): refused.
    with pytest.raises(ProtectedError):
        cast.alice.delete()
    cast.alice.is_active = False
    cast.alice.save()
    request = RequestFactory().post("/accounts/login/")
    assert authenticate(request, username="alice", password="password") is None
    row = AuditEvent.objects.get(action="person.register")
    assert (row.actor, row.actor_name) == (cast.alice, "alice")
    assert intact()


def test_a_user_who_never_acted_can_be_deleted(cast: Cast) -> None:
    cast.bob.delete()
    assert not User.objects.filter(username="bob").exists()


def test_the_admin_shows_audit_rows_read_only_and_to_auditors_only(
    cast: Cast, person: Person
) -> None:
    admin = User.objects.create_superuser("root", password="password")
    client = Client()
    client.force_login(admin)
    event = AuditEvent.objects.get(action="person.register")
    # An administrator is not an auditor: the trail is read where reading is audited.
    assert client.get("/admin/audit/auditevent/").status_code == 403
    Membership.objects.create(user=admin, role=Role.AUDITOR)
    listing = client.get("/admin/audit/auditevent/")
    assert listing.status_code == 200
    assert event.object_id in listing.content.decode()
    assert client.get("/admin/audit/auditevent/add/").status_code == 403
    page = client.get(f"/admin/audit/auditevent/{event.pk}/change/")
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert client.post(f"/admin/audit/auditevent/{event.pk}/delete/").status_code == 403
    assert client.post(
        "/admin/audit/auditevent/",
        {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"},
    ).status_code in (200, 302)
    assert AuditEvent.objects.filter(pk=event.pk).exists()
    assert intact()
