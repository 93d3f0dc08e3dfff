"""Sign-ins, sign-outs, failed attempts and lockouts are in the audit trail, without typed names."""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.test import Client

from enlace.audit.models import AuditEvent
from tests.conftest import Cast

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def _rows(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("id"))


def test_a_sign_in_and_a_sign_out_are_audited(cast: Cast) -> None:
    client = Client()
    assert client.post(LOGIN, {"username": "alice", "password": "password"}).status_code == 302
    client.post("/accounts/logout/")

    (signed_in,) = _rows("auth.sign_in")
    (signed_out,) = _rows("auth.sign_out")
    for row in (signed_in, signed_out):
        assert (row.actor, row.agency_code) == (cast.alice, "FGE-PUE")
        assert (row.object_type, row.object_id) == ("auth.user", str(cast.alice.pk))
    assert signed_in.request_id and signed_in.request_id != signed_out.request_id


def test_a_wrong_password_names_the_account_not_the_typist(cast: Cast) -> None:
    Client().post(LOGIN, {"username": "alice", "password": "wrong"})

    (failed,) = _rows("auth.sign_in_failed")
    assert (failed.actor, failed.actor_name) == (None, "anonymous")
    assert (failed.object_type, failed.object_id) == ("auth.user", str(cast.alice.pk))
    assert failed.after == {"known_account": True}
    assert not _rows("auth.sign_in")


def test_a_user_name_that_is_no_account_is_not_stored(cast: Cast) -> None:
    typed = "María Hernández Zárate"
    Client().post(LOGIN, {"username": typed, "password": "wrong"})

    (failed,) = _rows("auth.sign_in_failed")
    assert (failed.object_type, failed.object_id) == ("auth.user", "")
    assert failed.after == {"known_account": False}
    stored = json.dumps([failed.before, failed.after, failed.object_id], ensure_ascii=False)
    assert "María" not in stored and "Hern" not in stored


def test_a_lockout_is_audited(cast: Cast) -> None:
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN, {"username": "alice", "password": "wrong"})

    (locked,) = _rows("auth.locked_out")
    assert (locked.object_id, locked.after) == (str(cast.alice.pk), {"known_account": True})
    assert len(_rows("auth.sign_in_failed")) == settings.AXES_FAILURE_LIMIT
