"""Normalising identifiers the way Mexican records differ. Pure."""

from __future__ import annotations

import datetime
import re
import unicodedata

# Particles that some records write and others drop: "de la Cruz" / "Cruz".
PARTICLES = frozenset({"DE", "DEL", "LA", "LAS", "LOS", "Y", "E", "VAN", "VON", "DA", "DI"})
CURP_PATTERN = re.compile(r"^[A-Z][AEIOUX][A-Z]{2}\d{6}[HMX][A-Z]{2}[B-DF-HJ-NP-TV-Z]{3}[A-Z\d]\d$")


def fold(text: str) -> str:
    """Upper case, no accents or punctuation, single spaces: " María-José " → "MARIA JOSE"."""
    decomposed = unicodedata.normalize("NFKD", text)
    # Ñ is a letter of its own in Spanish, but records often write N: fold it too.
    letters = "".join(c for c in decomposed if not unicodedata.combining(c))
    letters = re.sub(r"[^A-Za-z0-9 ]+", " ", letters)
    return " ".join(letters.upper().split())


def name_words(text: str) -> list[str]:
    """The meaningful words of a name, particles dropped."""
    return [w for w in fold(text).split() if w not in PARTICLES]


def given_names_key(text: str) -> str:
    """Given names in a fixed order, so "Guadalupe María" and "María Guadalupe" agree."""
    return " ".join(sorted(name_words(text)))


def surname_key(text: str) -> str:
    return " ".join(name_words(text))


def curp_key(text: str) -> str | None:
    """The CURP in canonical form, or None when it is not a well-formed CURP."""
    value = re.sub(r"\s+", "", text or "").upper()
    return value if CURP_PATTERN.match(value) else None


def birth_date_key(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None
