"""/healthz and /readyz: no sign-in, nothing revealed; /readyz fails for what breaks pages."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.test import Client

pytestmark = pytest.mark.django_db


def test_healthz_answers_anyone() -> None:
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_is_ready_with_the_database_migrated_and_the_right_keys() -> None:
    response = Client().get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "keys": "ok",
        "migrations": "ok",
    }
    assert "no-cache" in response["Cache-Control"]


def test_readyz_fails_with_a_migration_not_applied() -> None:
    MigrationRecorder(connection).migration_qs.filter(app="ops").delete()
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json()["migrations"] == "failed"
    assert response.json()["status"] == "failed"


def test_readyz_fails_with_another_linkage_key(settings: Any) -> None:
    settings.LINKAGE_KEY = "not the key this database was written with"
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "failed",
        "database": "ok",
        "keys": "failed",
        "migrations": "ok",
    }
    # Which check failed, never why: the reason (naming the setting) is in the log.
    assert "LINKAGE" not in response.content.decode()
