"""Normalising identifiers the way Mexican records differ. Pure."""

from __future__ import annotations

import functools
import re
import unicodedata

# The check digit is the profile's registry's (pure, like this module).
from enlace.directory.check_digits import curp_check_digit

# Particles that some records write and others drop: "de la Cruz" / "Cruz".
PARTICLES = frozenset({"DE", "DEL", "LA", "LAS", "LOS", "Y", "E", "VAN", "VON", "DA", "DI"})
CURP_PATTERN = re.compile(r"^[A-Z][AEIOUX][A-Z]{2}\d{6}[HMX][A-Z]{2}[B-DF-HJ-NP-TV-Z]{3}[A-Z\d]\d$")


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@functools.lru_cache(maxsize=1 << 18)
def fold(text: str) -> str:
    """Upper case, no accents or punctuation, single spaces: " María-José " → "MARIA JOSE"."""
    # Ñ is a letter of its own in Spanish, but records often write N: fold it too.
    letters = re.sub(r"[^A-Za-z0-9 ]+", " ", strip_accents(text))
    return " ".join(letters.upper().split())


def name_words(text: str) -> list[str]:
    """The meaningful words of a name, particles dropped."""
    return [w for w in fold(text).split() if w not in PARTICLES]


@functools.lru_cache(maxsize=1 << 18)
def given_names_key(text: str) -> str:
    """Given names in a fixed order, so "Guadalupe María" and "María Guadalupe" agree."""
    return " ".join(sorted(name_words(text)))


# Spellings of one sound in Spanish, in the order they are replaced: what a
# name written down from speech confuses (B/V, S/Z/soft C, LL/Y, soft G/J,
# QU/K, a silent H).
SOUNDS = (
    (re.compile(r"(?<!C)H"), ""),
    (re.compile(r"QU"), "K"),
    (re.compile(r"C(?=[EI])"), "S"),
    (re.compile(r"C"), "K"),
    (re.compile(r"G(?=[EI])"), "J"),
    (re.compile(r"LL"), "Y"),
    (re.compile(r"V"), "B"),
    (re.compile(r"[ZX]"), "S"),
    (re.compile(r"(.)\1+"), r"\1"),
)


def sound_key(text: str) -> str:
    """The first word of a name as it sounds in Spanish: "Gutiérrez", "GUTIERES" → "GUTIERES"."""
    words = name_words(text)
    if not words:
        return ""
    word = words[0]
    for pattern, replacement in SOUNDS:
        word = pattern.sub(replacement, word)
    return word


def surname_key(text: str) -> str:
    return " ".join(name_words(text))


def curp_key(text: str) -> str | None:
    """The CURP in canonical form, or None when it is malformed or its check digit is wrong.

    A mistyped CURP must not link two different people, so it is not used.
    """
    value = re.sub(r"\s+", "", text or "").upper()
    if not CURP_PATTERN.match(value) or curp_check_digit(value[:17]) != value[17]:
        return None
    return value
