"""Encryption of identity fields at rest.

Fernet (AES-128-CBC with HMAC-SHA256) through MultiFernet: the first key in
``settings.ENCRYPTION_KEYS`` encrypts, every key decrypts, so keys rotate by
putting a new key first and re-encrypting.
"""

from __future__ import annotations

from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("ENLACE_ENCRYPTION_KEYS is empty: identities cannot be stored.")
    try:
        return MultiFernet([Fernet(k.encode()) for k in keys])
    except ValueError as exc:
        raise ImproperlyConfigured(
            "ENLACE_ENCRYPTION_KEYS holds a key that is not a Fernet key."
        ) from exc


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.ENCRYPTION_KEYS))


def encrypt(value: str) -> str:
    return fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        # Never fall back to the stored text: a wrong key must be loud.
        raise ImproperlyConfigured(
            "An encrypted field cannot be read with the configured keys."
        ) from exc
