from __future__ import annotations

import secrets

# Crockford's base32 without the letters people misread (I, L, O, U).
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def public_id(prefix: str, length: int = 6) -> str:
    """A random, unguessable, speakable id such as ``V-7F3K9Q``."""
    return f"{prefix}-" + "".join(secrets.choice(ALPHABET) for _ in range(length))
