"""`enlace keys rotate`: every encrypted value moves to the first key, and the old key can go."""

from __future__ import annotations

from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.test import override_settings

from enlace.audit.models import AuditEvent
from enlace.core.keys import encrypted_models, keys_pending, rotate_model
from enlace.core.models import KeyCheck
from enlace.exchange.models import Submission
from enlace.exchange.services import submission_create
from enlace.registry.models import Identity
from enlace.registry.services import person_register
from tests.conftest import IDENTITY, Cast

FILE = b"given_names,curp\nMaria,HEZG990314MPLRRD03\n"


def _keys(*keys: str) -> override_settings:
    return override_settings(ENCRYPTION_KEYS=list(keys))


def _rotate(*args: str) -> str:
    out = StringIO()
    call_command("keys", "rotate", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def _read_everything() -> list[object]:
    identities = [(i.given_names, i.curp, i.birth_date, i.contact) for i in Identity.objects.all()]
    files = [bytes(s.content) for s in Submission.objects.all()]
    sentinels = list(KeyCheck.objects.values_list("sentinel", flat=True))
    return [identities, files, sentinels]


@pytest.fixture
def written(cast: Cast) -> list[object]:
    """An identity, a submitted file and the key check, all written under key A."""
    person_register(actor=cast.alice, identity=IDENTITY)
    person_register(actor=cast.bob, identity={**IDENTITY, "curp": "", "given_names": "Rosa"})
    submission_create(actor=cast.alice, filename="people.csv", content=FILE)
    return _read_everything()


def test_it_rotates_to_the_new_key_and_the_old_one_can_go(written: list[object]) -> None:
    old = settings.ENCRYPTION_KEYS[0]
    new = Fernet.generate_key().decode()

    with _keys(new, old):
        assert sum(keys_pending().values()) > 0
        summary = _rotate()
        assert sum(keys_pending().values()) == 0
    # Two identities with 6 and 5 values, one file, the key check.
    assert "13 of 13 encrypted values re-encrypted" in summary

    rotations = AuditEvent.objects.filter(action="keys.rotate")
    assert {e.after["model"]: e.after["rotated"] for e in rotations if e.after} == {
        "core.KeyCheck": 1,
        "accounts.BreakGlass": 0,
        "registry.Identity": 11,
        "registry.IdentityCorrection": 0,
        "linkage.MatchPair": 0,
        "referrals.Referral": 0,
        "immigration.VisaRequest": 0,
        "cases.Goal": 0,
        "cases.FollowUp": 0,
        "exchange.Submission": 1,
    }
    with _keys(new):
        assert _read_everything() == written
        assert bytes(Submission.objects.get().content) == FILE
    with _keys(old), pytest.raises(ImproperlyConfigured, match="ENLACE_ENCRYPTION_KEYS"):
        Identity.objects.first()


def test_it_resumes_and_leaves_values_already_under_the_new_key(
    cast: Cast, written: list[object]
) -> None:
    old = settings.ENCRYPTION_KEYS[0]
    new = Fernet.generate_key().decode()

    with _keys(new, old):
        # An interrupted run got through the identities; meanwhile the
        # application, already encrypting with the new key, stored a file.
        done = rotate_model(Identity, list(next(f for m, f in encrypted_models() if m is Identity)))
        assert (done.rows, done.rotated) == (2, 11)
        submission_create(actor=cast.alice, filename="more.csv", content=FILE)
        summary = _rotate("--batch-size", "1")
        # Left under the old key: the first file and the key check.
        assert summary.startswith("2 of 14 encrypted values")
        assert _rotate().startswith("0 of 14")

    with _keys(new):
        assert [bytes(s.content) for s in Submission.objects.all()] == [FILE, FILE]


def test_it_refuses_to_rotate_without_the_old_key(written: list[object]) -> None:
    with (
        _keys(Fernet.generate_key().decode()),
        pytest.raises(CommandError, match="ENLACE_ENCRYPTION_KEYS"),
    ):
        _rotate()


def test_check_says_when_the_old_key_can_be_removed(written: list[object]) -> None:
    old = settings.ENCRYPTION_KEYS[0]
    new = Fernet.generate_key().decode()
    out = StringIO()
    with _keys(new, old):
        call_command("keys", "check", stdout=out)
        assert "13 values under an old key" in out.getvalue()
        _rotate()
        out = StringIO()
        call_command("keys", "check", stdout=out)
    assert "older keys can be removed" in out.getvalue()


def test_generate_prints_a_usable_key(db: None) -> None:
    out = StringIO()
    call_command("keys", "generate", stdout=out)
    Fernet(out.getvalue().strip().encode())
