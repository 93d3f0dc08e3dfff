"""Keyed Bloom-filter encodings of identifiers, compared by Dice similarity. Pure.

Each field's pieces (bigrams of the folded name, or the parts of a date) are
hashed into a bit array by ``HASHES`` keyed hash functions (double hashing
over HMAC-SHA256, after Schnell, Bachteler and Reiher, 2009). Similar values
share pieces and so share bits: the Dice coefficient of two encodings
estimates how alike the values are without revealing them. Keying the hashes
with the linkage key is what stops a dictionary attack by someone holding
the encodings but not the key.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
from collections.abc import Iterable

BITS = 1024
# With 20 hashes a ten-letter name sets about a fifth of the 1,024 bits:
# enough bits per bigram to compare, few enough to keep names apart.
HASHES = 20


def bigrams(text: str) -> set[str]:
    """Padded bigrams of each word: "ANA" → {"_A", "AN", "NA", "A_"}."""
    grams: set[str] = set()
    for word in text.split():
        padded = f"_{word}_"
        grams.update(padded[i : i + 2] for i in range(len(padded) - 1))
    return grams


def bloom(key: str, field: str, pieces: Iterable[str], *, bits: int = BITS) -> int:
    """The encoding of ``pieces`` as an integer whose set bits are the filter's."""
    value = 0
    for piece in pieces:
        value |= _piece_bits(key, field, piece, bits)
    return value


@functools.lru_cache(maxsize=1 << 18)
def _piece_bits(key: str, field: str, piece: str, bits: int) -> int:
    # Names are made of a few thousand bigrams: computing each one's bits once
    # makes encoding a million records a matter of seconds.
    digest = hmac.new(key.encode(), f"{field}|{piece}".encode(), hashlib.sha256).digest()
    first = int.from_bytes(digest[:8], "big")
    step = int.from_bytes(digest[8:16], "big") | 1  # odd, so the positions differ
    value = 0
    for i in range(HASHES):
        value |= 1 << ((first + i * step) % bits)
    return value


def dice(a: int, b: int) -> float:
    """2|A∩B| / (|A| + |B|) over set bits; 0 when both are empty."""
    total = a.bit_count() + b.bit_count()
    return 0.0 if total == 0 else 2 * (a & b).bit_count() / total


def to_hex(value: int, *, bits: int = BITS) -> str:
    return value.to_bytes(bits // 8, "big").hex()


def from_hex(text: str) -> int:
    return int(text, 16)
