"""Keyed linkage tokens: HMAC-SHA256 of normalised identifiers. Pure.

Without the linkage key a token reveals nothing and cannot be recomputed
from a guessed name; with it, equal identifiers give equal tokens.
"""

from __future__ import annotations

import functools
import hashlib
import hmac


@functools.lru_cache(maxsize=1 << 20)
def token(key: str, kind: str, value: str) -> str:
    # Cached: names repeat, and a registry of millions has far fewer distinct ones.
    return hmac.new(key.encode(), f"{kind}|{value}".encode(), hashlib.sha256).hexdigest()
