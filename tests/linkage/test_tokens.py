from __future__ import annotations

import datetime

from enlace.linkage.normalise import curp_check_digit, curp_key, fold, given_names_key, surname_key
from enlace.linkage.tokens import IdentityParts, comparison_tokens, linkage_tokens

KEY = "test-linkage-key"
BORN = datetime.date(1999, 3, 14)
MARIA = IdentityParts("María Guadalupe", "Hernández", "de la Cruz", BORN, "HEZG990314MPLRRD03")


def test_it_folds_accents_case_spacing_and_punctuation() -> None:
    assert fold("  María-José   PÉREZ ") == "MARIA JOSE PEREZ"
    assert fold("Núñez") == "NUNEZ"


def test_given_names_agree_in_any_order() -> None:
    assert given_names_key("Guadalupe  maría") == given_names_key("María Guadalupe")


def test_surname_particles_are_dropped() -> None:
    assert surname_key("de la Cruz") == surname_key("Cruz") == "CRUZ"


def test_only_a_well_formed_curp_makes_a_key() -> None:
    assert curp_key(" hezg990314mplrrd03 ") == "HEZG990314MPLRRD03"
    assert curp_key("HEZG990314") is None


def test_a_second_registration_shares_the_name_token() -> None:
    again = IdentityParts("guadalupe MARIA", "HERNANDEZ", "Cruz", BORN, "")
    first, second = linkage_tokens(KEY, MARIA), linkage_tokens(KEY, again)
    assert first["name_birth"] == second["name_birth"]
    assert "curp" in first and "curp" not in second


def test_another_birth_date_is_another_person() -> None:
    other = IdentityParts("María Guadalupe", "Hernández", "de la Cruz", datetime.date(1999, 3, 15))
    assert linkage_tokens(KEY, MARIA)["name_birth"] != linkage_tokens(KEY, other)["name_birth"]


def test_tokens_depend_on_the_key_and_hide_the_values() -> None:
    tokens = linkage_tokens(KEY, MARIA)
    assert linkage_tokens("another key", MARIA) != tokens
    assert all(len(v) == 64 and "MARIA" not in v for v in tokens.values())


def test_too_little_identity_makes_no_name_token() -> None:
    assert linkage_tokens(KEY, IdentityParts(given_names="María")) == {}


def test_a_curp_with_a_wrong_check_digit_is_not_used() -> None:
    assert curp_key("HEZG990314MPLRRD03") == "HEZG990314MPLRRD03"
    assert curp_key("HEZG990314MPLRRD04") is None
    assert "curp" not in linkage_tokens(KEY, IdentityParts(curp="HEZG990314MPLRRD04"))


def test_the_check_digit_follows_renapo() -> None:
    # A=10, H=17; weights 18 down to 2: 180+170+160+150 + 17*8 + 70+60+50+40+30 = 1046,
    # and 10 - 1046 mod 10 = 4.
    assert curp_check_digit("AAAA000000HAAAAA0") == "4"
    # Ñ has its own place in the alphabet, after N.
    assert curp_check_digit("ÑAAA000000HAAAAA0") != curp_check_digit("NAAA000000HAAAAA0")


def test_comparison_tokens_compare_field_by_field() -> None:
    again = IdentityParts("Guadalupe María", "Hernández", "", datetime.date(1999, 3, 15), "")
    first, second = comparison_tokens(KEY, MARIA), comparison_tokens(KEY, again)
    agree = {kind for kind in first.keys() & second.keys() if first[kind] == second[kind]}
    assert agree == {"given_names", "paternal_surname", "birth_year"}
    assert "maternal_surname" not in second and "curp" not in second


def test_a_passport_number_is_compared_without_spaces_or_case() -> None:
    a = comparison_tokens(KEY, IdentityParts(passport_number="g 1234-567"))
    b = comparison_tokens(KEY, IdentityParts(passport_number="G1234567"))
    assert a["passport"] == b["passport"]
