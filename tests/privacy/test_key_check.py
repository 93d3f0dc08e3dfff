"""A wrong or missing key stops the process at start, naming the setting."""

from __future__ import annotations

import os
import subprocess
import sys
from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from enlace.audit.models import AuditEvent
from enlace.core.hooks import keys_check
from enlace.core.keys import key_check_store
from enlace.core.models import KeyCheck
from enlace.registry.services import person_register
from tests.conftest import IDENTITY, Cast


def _database_url() -> str:
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    return f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def _start(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Run Python ``code`` in a new process against the test database."""
    environment = {**os.environ, "DATABASE_URL": _database_url(), **env}
    return subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
        [sys.executable, "-c", code],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


CHECK = "from enlace.__main__ import main; import sys; sys.argv = ['enlace', 'check']; main()"
WSGI = "import config.wsgi"


def test_the_database_holds_a_key_check_from_migrate(db: None) -> None:
    check = KeyCheck.objects.get()
    assert check.sentinel == "enlace key check"
    assert keys_check() == []


def test_the_system_check_names_a_wrong_encryption_key(db: None) -> None:
    with override_settings(ENCRYPTION_KEYS=[Fernet.generate_key().decode()]):
        errors = keys_check()
    assert [e.id for e in errors] == ["enlace.E001"]
    assert "ENLACE_ENCRYPTION_KEYS" in errors[0].msg


def test_the_system_check_names_a_wrong_linkage_key(db: None) -> None:
    with override_settings(LINKAGE_KEY="another linkage key"):
        errors = keys_check()
    assert len(errors) == 1
    assert "ENLACE_LINKAGE_KEY" in errors[0].msg


def test_the_system_check_names_a_malformed_key(db: None) -> None:
    with override_settings(ENCRYPTION_KEYS=["not-a-key"]):
        errors = keys_check()
    assert "ENLACE_ENCRYPTION_KEYS" in errors[0].msg


def test_enlace_check_passes_with_the_right_keys(db: None) -> None:
    result = _start(CHECK)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_enlace_check_stops_with_a_wrong_encryption_key(db: None) -> None:
    result = _start(CHECK, ENLACE_ENCRYPTION_KEYS=Fernet.generate_key().decode())
    assert result.returncode != 0
    assert "enlace.E001" in result.stderr
    assert "ENLACE_ENCRYPTION_KEYS" in result.stderr


def test_the_web_server_does_not_start_with_a_wrong_linkage_key(db: None) -> None:
    result = _start(WSGI, ENLACE_LINKAGE_KEY="a key this database never saw")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "ENLACE_LINKAGE_KEY" in result.stderr


def test_the_web_server_does_not_start_with_a_wrong_encryption_key(db: None) -> None:
    result = _start(WSGI, ENLACE_ENCRYPTION_KEYS=Fernet.generate_key().decode())
    assert result.returncode != 0
    assert "ENLACE_ENCRYPTION_KEYS" in result.stderr


@pytest.mark.parametrize("code", [CHECK, WSGI])
def test_production_does_not_start_without_encryption_keys(db: None, code: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ENLACE_ENCRYPTION_KEYS")}
    env.update(ENLACE_ENV="production", ENLACE_SECRET_KEY="s" * 50, ENLACE_LINKAGE_KEY="k" * 32)
    result = subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
        [sys.executable, "-c", code],
        env={**env, "DATABASE_URL": _database_url()},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "ENLACE_ENCRYPTION_KEYS (or ENLACE_ENCRYPTION_KEYS_FILE) must be set" in result.stderr


def test_a_database_upgraded_with_wrong_keys_gets_no_key_check(cast: Cast) -> None:
    person_register(actor=cast.alice, identity=IDENTITY)
    KeyCheck.objects.all().delete()  # as before the upgrade that brought the check

    with (
        override_settings(ENCRYPTION_KEYS=[Fernet.generate_key().decode()]),
        pytest.raises(ImproperlyConfigured, match="ENLACE_ENCRYPTION_KEYS"),
    ):
        key_check_store()
    assert not KeyCheck.objects.exists()
    key_check_store()
    assert KeyCheck.objects.get().sentinel == "enlace key check"


def test_a_database_upgraded_with_a_wrong_linkage_key_gets_no_key_check(cast: Cast) -> None:
    person_register(actor=cast.alice, identity=IDENTITY)
    KeyCheck.objects.all().delete()  # as before the upgrade that brought the check

    with (
        override_settings(LINKAGE_KEY="not the key the tokens were made with"),
        pytest.raises(ImproperlyConfigured, match="ENLACE_LINKAGE_KEY"),
    ):
        key_check_store()
    assert not KeyCheck.objects.exists()
    key_check_store()
    assert keys_check() == []


def test_a_deliberate_linkage_key_change_is_recorded_and_audited(db: None) -> None:
    out = StringIO()
    with override_settings(LINKAGE_KEY="the new linkage key"):
        call_command("keys", "accept-linkage-key", stdout=out)
        assert keys_check() == []
    assert "enlace link" in out.getvalue()
    assert AuditEvent.objects.filter(action="keys.accept_linkage_key").count() == 1
    assert "ENLACE_LINKAGE_KEY" in keys_check()[0].msg
