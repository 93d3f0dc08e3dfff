from __future__ import annotations

import datetime

from enlace.linkage.normalise import curp_key, fold, given_names_key, surname_key
from enlace.linkage.tokens import IdentityParts, linkage_tokens

KEY = "test-linkage-key"
BORN = datetime.date(1999, 3, 14)
MARIA = IdentityParts("María Guadalupe", "Hernández", "de la Cruz", BORN, "HEZG990314MPLRRD09")


def test_it_folds_accents_case_spacing_and_punctuation() -> None:
    assert fold("  María-José   PÉREZ ") == "MARIA JOSE PEREZ"
    assert fold("Núñez") == "NUNEZ"


def test_given_names_agree_in_any_order() -> None:
    assert given_names_key("Guadalupe  maría") == given_names_key("María Guadalupe")


def test_surname_particles_are_dropped() -> None:
    assert surname_key("de la Cruz") == surname_key("Cruz") == "CRUZ"


def test_only_a_well_formed_curp_makes_a_key() -> None:
    assert curp_key(" hezg990314mplrrd09 ") == "HEZG990314MPLRRD09"
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
