"""Model fields whose values are encrypted in the database."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import models

from enlace.core import crypto


class EncryptedTextField(models.TextField):
    """Text stored as a Fernet token; Python code sees clear text.

    The database cannot filter or sort on these values, which is the point:
    lookups go through keyed tokens (linkage), never through the cipher text.
    """

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value
        return crypto.decrypt(value)

    def get_prep_value(self, value: Any) -> str | None:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return crypto.encrypt(str(value))


class EncryptedDateField(EncryptedTextField):
    """A date stored encrypted as its ISO text."""

    # What django-stubs reads as the attribute's type on model instances.
    _pyi_private_set_type: datetime.date | str | None  # type: ignore[assignment]
    _pyi_private_get_type: datetime.date | None  # type: ignore[assignment]

    def from_db_value(  # type: ignore[override]
        self, value: str | None, expression: Any, connection: Any
    ) -> datetime.date | None:
        text = super().from_db_value(value, expression, connection)
        return datetime.date.fromisoformat(text) if text else None

    def to_python(self, value: Any) -> datetime.date | None:
        if value in (None, ""):
            return None
        if isinstance(value, datetime.date):
            return value
        return datetime.date.fromisoformat(str(value))

    def get_prep_value(self, value: Any) -> str | None:
        value = self.to_python(value)
        return None if value is None else crypto.encrypt(value.isoformat())

    def formfield(self, **kwargs: Any) -> Any:
        from django import forms

        return super(models.TextField, self).formfield(form_class=forms.DateField, **kwargs)


class EncryptedBinaryField(models.BinaryField):
    """Bytes stored as a Fernet token: for files that hold identities (agency submissions)."""

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> bytes | None:
        if value is None:
            return None
        token = bytes(value)
        return crypto.decrypt_bytes(token) if token else b""

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        if value is not None and not prepared:
            value = crypto.encrypt_bytes(bytes(value)) if value else b""
        return super().get_db_prep_value(value, connection, prepared)


# Every field whose column holds Fernet tokens: what `enlace keys rotate` re-encrypts.
ENCRYPTED_FIELDS = (EncryptedTextField, EncryptedBinaryField)
