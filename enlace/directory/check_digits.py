"""Check digits of identity documents: the registry a profile chooses from by name. Pure.

A profile's identity document names one of ``CHECK_DIGITS`` (``curp``,
``cui``, ``luhn`` or ``none``); a value that matches the document's pattern
is taken only when its check digit is right, so a mistyped number never links
two people. A new algorithm is one function here and one entry in the registry.
"""

from __future__ import annotations

from collections.abc import Callable

CURP_ALPHABET = "0123456789ABCDEFGHIJKLMNÑOPQRSTUVWXYZ"


def curp_check_digit(first_17: str) -> str:
    """RENAPO's check digit: the weighted sum of the first 17 characters, modulo 10."""
    total = sum(CURP_ALPHABET.index(c) * (18 - i) for i, c in enumerate(first_17))
    return str((10 - total % 10) % 10)


def curp_valid(value: str) -> bool:
    """Mexico's CURP: 18 characters, the last RENAPO's check digit."""
    if len(value) != 18 or any(c not in CURP_ALPHABET for c in value[:17]):
        return False
    return curp_check_digit(value[:17]) == value[17]


def cui_check_digit(serial: str) -> str | None:
    """RENAP's check digit of Guatemala's CUI: each of the 8 serial digits times its
    position plus one (2 to 9), summed, modulo 11. None for a remainder of 10: no CUI
    is issued with that serial."""
    total = sum(int(d) * weight for d, weight in zip(serial, range(2, 10), strict=True))
    remainder = total % 11
    return None if remainder == 10 else str(remainder)


def cui_valid(value: str) -> bool:
    """Guatemala's CUI (the DPI's number): 8-digit serial, check digit, 2-digit department,
    2-digit municipality; neither code is 00."""
    if len(value) != 13 or not value.isascii() or not value.isdigit():
        return False
    if value[9:11] == "00" or value[11:13] == "00":
        return False
    return cui_check_digit(value[:8]) == value[8]


def luhn_check_digit(payload: str) -> str:
    """The Luhn (mod 10) digit that completes ``payload``."""
    total = 0
    for i, d in enumerate(reversed(payload)):
        n = int(d) * (2 if i % 2 == 0 else 1)
        total += n - 9 if n > 9 else n
    return str((10 - total % 10) % 10)


def luhn_valid(value: str) -> bool:
    """Digits whose last is the Luhn check digit of the others."""
    if len(value) < 2 or not value.isascii() or not value.isdigit():
        return False
    return luhn_check_digit(value[:-1]) == value[-1]


def no_check(value: str) -> bool:
    """A document without a check digit: its pattern is the only test."""
    return True


CHECK_DIGITS: dict[str, Callable[[str], bool]] = {
    "curp": curp_valid,
    "cui": cui_valid,
    "luhn": luhn_valid,
    "none": no_check,
}
