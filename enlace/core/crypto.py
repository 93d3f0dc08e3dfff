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
    return decrypt_bytes(token.encode()).decode()


def encrypt_bytes(value: bytes) -> bytes:
    return fernet().encrypt(value)


def decrypt_bytes(token: bytes) -> bytes:
    try:
        return fernet().decrypt(token)
    except InvalidToken as exc:
        # Never fall back to the stored text: a wrong key must be loud.
        raise ImproperlyConfigured(
            "An encrypted field cannot be read with the configured keys "
            "(ENLACE_ENCRYPTION_KEYS): a key is missing or wrong."
        ) from exc


def primary_key_encrypted(token: bytes) -> bool:
    """Whether ``token`` was encrypted with the first (current) key: rotation skips those."""
    try:
        Fernet(settings.ENCRYPTION_KEYS[0].encode()).decrypt(token)
    except InvalidToken:
        return False
    return True


def rotate(token: bytes) -> bytes:
    """The same value encrypted with the first key; loud if no configured key reads it."""
    try:
        return fernet().rotate(token)
    except InvalidToken as exc:
        raise ImproperlyConfigured(
            "An encrypted field cannot be read with the configured keys "
            "(ENLACE_ENCRYPTION_KEYS): keep the old key listed until rotation is done."
        ) from exc
