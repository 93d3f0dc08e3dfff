from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test import override_settings

from enlace.registry.models import Identity
from enlace.registry.services import person_register
from tests.conftest import IDENTITY, Cast

CLEAR = ["María Guadalupe", "Hernández", "Zárate", "HEZG990314MPLRRD03", "1999-03-14", "Reforma"]


def _all_rows_as_text() -> str:
    chunks: list[str] = []
    with connection.cursor() as cursor:
        for model in apps.get_models():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(model._meta.db_table)}")  # noqa: S608
            chunks.extend(repr(row) for row in cursor.fetchall())
    return "\n".join(chunks)


@pytest.mark.django_db(transaction=True)
def test_names_are_not_in_the_database_in_clear(cast: Cast) -> None:
    person_register(actor=cast.alice, identity=IDENTITY)

    stored = _all_rows_as_text()
    for value in CLEAR:
        assert value not in stored
    if connection.vendor == "sqlite":
        raw = b"".join(
            p.read_bytes()
            for p in Path(connection.settings_dict["NAME"]).parent.glob(
                Path(connection.settings_dict["NAME"]).name + "*"
            )
        )
        assert len(raw) > 0
        for value in CLEAR:
            assert value.encode() not in raw
            assert value.encode("utf-16-le") not in raw


def test_the_vault_reads_back_what_was_written(cast: Cast) -> None:
    person = person_register(actor=cast.alice, identity=IDENTITY)
    vault = Identity.objects.get(person=person)
    assert (vault.paternal_surname, vault.curp) == ("Hernández", "HEZG990314MPLRRD03")


def test_a_wrong_key_fails_loudly(cast: Cast) -> None:
    person = person_register(actor=cast.alice, identity=IDENTITY)
    with (
        override_settings(ENCRYPTION_KEYS=[Fernet.generate_key().decode()]),
        pytest.raises(ImproperlyConfigured, match="cannot be read"),
    ):
        Identity.objects.get(person=person)


def test_an_old_key_still_decrypts_after_rotation(cast: Cast) -> None:
    person = person_register(actor=cast.alice, identity=IDENTITY)
    new_key = Fernet.generate_key().decode()

    with override_settings(ENCRYPTION_KEYS=[new_key, *settings.ENCRYPTION_KEYS]):
        assert Identity.objects.get(person=person).given_names == "María Guadalupe"
