"""Every change of accounts, roles, API tokens and second factors leaves a chained audit row,
whoever makes it (the admin site, a command, the user), and no row holds a secret.

A row says who changed which account, and what: never a password, a password
hash, an API key or its hash, an authenticator's key or a recovery code.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.forms.models import model_to_dict
from django.test import Client
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from enlace.accounts.models import Membership, Role
from enlace.accounts.services import membership_set
from enlace.api.models import ApiToken
from enlace.audit.models import AuditEvent
from enlace.audit.sealer import seal
from enlace.audit.selectors import ACCOUNT_ACTIONS, audit_chain_verify
from enlace.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from tests.accounts.conftest import (
    NEW_PASSWORD,
    admin_password_set,
    admin_user_add,
    admin_user_change,
)
from tests.accounts.test_second_factor import _enrol_with_codes, _sign_in
from tests.conftest import Cast

pytestmark = pytest.mark.django_db


def _mark() -> int:
    last = AuditEvent.objects.order_by("id").last()
    return last.pk if last else 0


def _rows_since(mark: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(pk__gt=mark).order_by("id"))


def _changes(rows: Iterable[AuditEvent]) -> list[tuple[str, str]]:
    """(action, actor) of the account changes among ``rows``; sign-ins and reads left out."""
    return [(r.action, r.actor_name) for r in rows if r.action in ACCOUNT_ACTIONS]


def _assert_chained_without(rows: list[AuditEvent], secrets: Iterable[str]) -> None:
    seal()  # every row joins the chain, then the whole chain is checked
    report = audit_chain_verify()
    assert report.intact, report.problem
    assert report.rows == AuditEvent.objects.count()
    text = json.dumps([model_to_dict(r) for r in rows], default=str, ensure_ascii=False)
    found = [s for s in secrets if s and s in text]
    assert found == [], "an audit row holds a secret"


def _hash_parts(user: User) -> list[str]:
    # The stored hash, and its salt and digest alone (md5$salt$digest in tests).
    user.refresh_from_db()
    return [user.password, *user.password.split("$")[1:]]


def test_the_admin_sites_account_changes(cast: Cast, admin_site: Client) -> None:
    mark = _mark()
    nuevo = admin_user_add(admin_site, "nuevo", "caseworker", cast.agency("FGE-PUE").pk)
    secrets = [NEW_PASSWORD, *_hash_parts(nuevo)]
    admin_user_change(admin_site, nuevo, is_active=False)
    admin_user_change(admin_site, nuevo, is_active=True, is_staff=True, is_superuser=True)
    admin_user_change(admin_site, nuevo, agency_pk=cast.agency("FEVIMTRA").pk)
    admin_user_change(admin_site, nuevo, role="national_analyst", agency_pk=cast.agency("CIT").pk)
    admin_password_set(admin_site, cast.alice, "otra-clave-segura-2018")
    secrets += ["otra-clave-segura-2018", *_hash_parts(cast.alice)]
    admin_user_change(admin_site, nuevo, delete_membership=True)
    response = admin_site.post(f"/admin/auth/user/{nuevo.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302

    rows = _rows_since(mark)
    assert _changes(rows) == [
        ("user.create", "root"),
        ("membership.propose", "root"),
        ("user.change", "root"),  # deactivated
        ("user.change", "root"),  # active again, staff and superuser
        ("membership.propose", "root"),  # another agency: waits again
        ("membership.change", "root"),  # not a case role: holds at once
        ("user.password_set", "root"),
        ("membership.suspend", "root"),
        ("membership.delete", "root"),
        ("user.delete", "root"),
    ]
    flags = [r for r in rows if r.action == "user.change"]
    assert (flags[0].before, flags[0].after) == (
        {"is_active": True},
        {"username": "nuevo", "is_active": False},
    )
    assert flags[1].after == {
        "username": "nuevo",
        "is_active": True,
        "is_staff": True,
        "is_superuser": True,
    }
    moved = [r for r in rows if r.action == "membership.propose"][1]
    assert moved.before is not None and moved.after is not None
    assert (moved.before["agency"], moved.after["agency"]) == ("FGE-PUE", "FEVIMTRA")
    _assert_chained_without(rows, secrets)


def test_api_tokens_made_and_revoked_in_the_admin(cast: Cast, admin_site: Client) -> None:
    mark = _mark()

    page = admin_site.post(
        "/admin/api/apitoken/add/",
        {"name": "Puebla case system", "user": cast.alice.pk},
        follow=True,
    )
    key = re.search(r"enl_[A-Za-z0-9_-]{20,}", page.content.decode()).group(0)  # type: ignore[union-attr]
    token = ApiToken.objects.get()
    admin_site.post("/admin/api/apitoken/", {"action": "revoke", "_selected_action": [token.pk]})

    rows = _rows_since(mark)
    assert _changes(rows) == [("api_token.create", "root"), ("api_token.revoke", "root")]
    token.refresh_from_db()
    assert token.revoked_at is not None
    _assert_chained_without(rows, [key, key[4:], token.key_hash, token.prefix])
    # Revoked, never deleted: the admin offers no delete.
    assert admin_site.get(f"/admin/api/apitoken/{token.pk}/delete/").status_code == 403


def test_the_second_factor_from_enrolment_to_reset(cast: Cast, admin_site: Client) -> None:
    mark = _mark()

    key, codes = _enrol_with_codes(_sign_in("alice"))
    stored = [
        *TOTPDevice.objects.filter(user=cast.alice).values_list("key", flat=True),
        *StaticToken.objects.filter(device__user=cast.alice).values_list("token", flat=True),
    ]
    client = _sign_in("alice")
    assert client.post("/accounts/two-step/", {"token": codes[0]}).status_code == 302
    admin_site.post(
        "/admin/auth/user/", {"action": "reset_second_factor", "_selected_action": [cast.alice.pk]}
    )

    rows = _rows_since(mark)
    assert _changes(rows) == [
        ("second_factor.enrol", "alice"),
        ("second_factor.recovery_codes", "alice"),
        ("second_factor.recovery_used", "alice"),
        ("second_factor.reset", "root"),
        ("membership.suspend", "root"),
    ]
    plain = [c.replace(" ", "") for c in codes]
    _assert_chained_without(rows, [key.hex(), *stored, *codes, *plain])


def test_operator_commands(cast: Cast, root: User) -> None:
    mark = _mark()

    call_command("demo", "accounts")
    users = User.objects.filter(username__in=[a.username for a in DEMO_ACCOUNTS])
    secrets = [DEMO_PASSWORD, *(p for u in users for p in _hash_parts(u))]
    call_command("demo", "accounts")  # again: passwords reset, roles already there
    secrets += [p for u in users for p in _hash_parts(u)]
    nuevo = User.objects.create_user("nuevo")
    waiting = membership_set(
        actor=root, user=nuevo, role=Role.SUPERVISOR, agency=cast.agency("FGE-JAL")
    )
    call_command("membership_confirm", "nuevo")

    rows = _rows_since(mark)
    count = len(DEMO_ACCOUNTS)
    assert _changes(rows) == [
        *[("user.create", "operator"), ("membership.create", "operator")] * count,
        *[("user.password_set", "operator")] * count,
        ("membership.propose", "root"),
        ("membership.confirm", "operator"),
    ]
    # An operator's roles hold at once, a password reset by them suspends nothing.
    assert not Membership.objects.filter(user__in=users, pending=True).exists()
    waiting.refresh_from_db()
    assert not waiting.pending
    _assert_chained_without(rows, secrets)
