"""The registry of check digits a profile's identity documents choose from."""

from __future__ import annotations

import pytest

from enlace.directory.check_digits import (
    CHECK_DIGITS,
    cui_check_digit,
    cui_valid,
    curp_valid,
    luhn_check_digit,
    luhn_valid,
)


def test_the_registry_offers_the_four_algorithms() -> None:
    assert set(CHECK_DIGITS) == {"curp", "cui", "luhn", "none"}


def test_a_curp_with_its_check_digit_passes_and_one_typo_fails() -> None:
    assert curp_valid("PEGJ850315HPLRRN03")
    assert not curp_valid("PEGJ850315HPLRRN04")
    assert not curp_valid("PEGJ850315HPLRRN0")


def test_the_cui_check_digit_is_the_weighted_sum_modulo_eleven() -> None:
    # 1*2 + 2*3 + 3*4 + 4*5 + 5*6 + 6*7 + 7*8 + 8*9 = 240 = 21*11 + 9.
    assert cui_check_digit("12345678") == "9"
    # 2*2 + 7*3 + 1*4 + 8*5 + 2*6 + 8*7 + 1*8 + 8*9 = 217 = 19*11 + 8.
    assert cui_check_digit("27182818") == "8"


def test_a_serial_whose_remainder_is_ten_has_no_cui() -> None:
    # 5*2 + 0*3 + … + 0*9 = 10: no check digit.
    assert cui_check_digit("50000000") is None
    assert not any(cui_valid(f"50000000{d}0101") for d in "0123456789")


@pytest.mark.parametrize(
    ("cui", "valid"),
    [
        ("2718281880101", True),  # department 01, municipality 01
        ("1234567890108", True),  # Guatemala (01), municipality 08
        ("2718281870101", False),  # the check digit mistyped
        ("2718281880001", False),  # department 00
        ("2718281880100", False),  # municipality 00
        ("271828188010", False),  # 12 digits
        ("27182818801O1", False),  # a letter O for a zero
    ],
)
def test_a_cui(cui: str, valid: bool) -> None:
    assert cui_valid(cui) is valid


def test_luhn() -> None:
    # The textbook example: 7992739871 completes to 79927398713.
    assert luhn_check_digit("7992739871") == "3"
    assert luhn_valid("79927398713")
    assert not luhn_valid("79927398710")
    assert not luhn_valid("7")
