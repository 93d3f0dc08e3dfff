"""Only a second person confirms an administrator's account change: a supervisor of the
membership's agency who is not the account, not its proposer and not an administrator."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.test import Client

from enlace.accounts.models import Membership, Role
from enlace.accounts.services import (
    membership_confirm,
    membership_refuse,
    membership_set,
    user_update,
)
from enlace.audit.models import AuditEvent
from tests.accounts.conftest import admin_password_set, admin_user_add
from tests.conftest import Cast, _user
from tests.web.conftest import signed_in

pytestmark = pytest.mark.django_db


def _proposed(cast: Cast, admin_site: Client) -> Membership:
    """Root proposes a new caseworker at the Puebla prosecutor, Sam's agency."""
    user = admin_user_add(admin_site, "nuevo", "caseworker", cast.agency("FGE-PUE").pk)
    return Membership.objects.get(user=user)


def _still_waiting(membership: Membership) -> None:
    membership.refresh_from_db()
    assert membership.pending
    assert not AuditEvent.objects.filter(
        action__in=["membership.confirm", "membership.refuse"]
    ).exists()


def test_the_agencys_supervisor_confirms(cast: Cast, admin_site: Client) -> None:
    membership = _proposed(cast, admin_site)
    sam = signed_in(cast.sam)

    assert "nuevo" in sam.get("/accounts/pending/").content.decode()
    assert sam.post(f"/accounts/pending/{membership.pk}/confirm/").status_code == 302

    membership.refresh_from_db()
    assert not membership.pending
    row = AuditEvent.objects.get(action="membership.confirm")
    assert (row.actor, row.agency_code) == (cast.sam, "FGE-PUE")
    assert row.after is not None and row.after["proposed_by"] == "root"


def test_the_agencys_supervisor_refuses(cast: Cast, admin_site: Client) -> None:
    membership = _proposed(cast, admin_site)

    response = signed_in(cast.sam).post(f"/accounts/pending/{membership.pk}/refuse/")

    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert AuditEvent.objects.get(action="membership.refuse").actor == cast.sam


def test_a_supervisor_of_another_agency_cannot(
    cast: Cast, admin_site: Client, fabiola: User
) -> None:
    membership = _proposed(cast, admin_site)
    fevimtra = signed_in(fabiola)

    assert "nuevo" not in fevimtra.get("/accounts/pending/").content.decode()
    assert fevimtra.post(f"/accounts/pending/{membership.pk}/confirm/").status_code == 404
    with pytest.raises(PermissionDenied):
        membership_confirm(actor=fabiola, membership=membership)
    _still_waiting(membership)


def test_the_proposer_cannot(cast: Cast, root: User) -> None:
    # Sam is an administrator too for a while: he proposes Bob as a supervisor...
    sam = User.objects.get(pk=cast.sam.pk)
    sam.is_staff = sam.is_superuser = True
    user_update(actor=root, user=sam)
    membership = membership_set(
        actor=sam, user=cast.bob, role=Role.SUPERVISOR, agency=cast.agency("FGE-PUE")
    )
    with pytest.raises(PermissionDenied):
        membership_confirm(actor=sam, membership=membership)
    # ...and stays the proposer once he is not an administrator any more.
    sam.is_staff = sam.is_superuser = False
    user_update(actor=root, user=sam)

    client = signed_in(sam)
    assert "bob" not in client.get("/accounts/pending/").content.decode()
    assert client.post(f"/accounts/pending/{membership.pk}/confirm/").status_code == 404
    with pytest.raises(PermissionDenied):
        membership_confirm(actor=sam, membership=membership)
    with pytest.raises(PermissionDenied):
        membership_refuse(actor=sam, membership=membership)
    _still_waiting(membership)


def test_the_user_themself_cannot(cast: Cast, admin_site: Client) -> None:
    # The administrator reset Sam's password: his own role now waits.
    admin_password_set(admin_site, cast.sam)
    membership = Membership.objects.get(user=cast.sam)
    sam = signed_in(User.objects.get(pk=cast.sam.pk))

    assert sam.get("/accounts/pending/").status_code == 403
    assert sam.post(f"/accounts/pending/{membership.pk}/confirm/").status_code == 403
    with pytest.raises(PermissionDenied):
        membership_confirm(actor=User.objects.get(pk=cast.sam.pk), membership=membership)
    _still_waiting(membership)


def test_an_administrators_supervisor_account_cannot(cast: Cast, admin_site: Client) -> None:
    # A supervisor account with the administrator's flags would be one person again.
    boss = _user("boss", Role.SUPERVISOR, "FGE-PUE")
    boss.is_staff = True
    boss.save()
    membership = _proposed(cast, admin_site)

    assert signed_in(boss).post(f"/accounts/pending/{membership.pk}/confirm/").status_code == 404
    with pytest.raises(PermissionDenied):
        membership_confirm(actor=boss, membership=membership)
    _still_waiting(membership)


def test_a_caseworker_cannot(cast: Cast, admin_site: Client) -> None:
    membership = _proposed(cast, admin_site)

    assert (
        signed_in(cast.alice).post(f"/accounts/pending/{membership.pk}/confirm/").status_code == 403
    )
    _still_waiting(membership)


def test_the_page_speaks_spanish(cast: Cast, admin_site: Client) -> None:
    _proposed(cast, admin_site)
    page = signed_in(cast.sam, "es-mx").get("/accounts/pending/").content.decode()
    assert "Cuentas que esperan su confirmación" in page
    assert "Confirmar" in page and "Rechazar" in page
    home = signed_in(cast.sam, "es-mx").get("/").content.decode()
    assert 'href="/accounts/pending/"' in home and "Cuentas por confirmar" in home
