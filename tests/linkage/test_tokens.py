from __future__ import annotations

import datetime

import pytest

from enlace.linkage.features import Record, batch, caches, forget, row, rows
from enlace.linkage.normalise import curp_check_digit, curp_key, fold, given_names_key, surname_key

KEY = "test-linkage-key"
BORN = datetime.date(1999, 3, 14)
MARIA = Record(
    "1",
    given_names="María Guadalupe",
    paternal_surname="Hernández",
    maternal_surname="de la Cruz",
    birth_date=BORN,
    curp="HEZG990314MPLRRD03",
)


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


def test_a_second_registration_shares_every_token() -> None:
    again = Record(
        "2",
        given_names="guadalupe MARIA",
        paternal_surname="HERNANDEZ",
        maternal_surname="Cruz",
        birth_date=BORN,
    )
    first, second = row(MARIA, "encoded", KEY), row(again, "encoded", KEY)
    for column in ("given", "paternal", "maternal", "dob", "dob_set"):
        assert first[column] == second[column]
    assert first["curp"] and second["curp"] is None


def test_another_birth_date_has_another_token_but_the_same_year() -> None:
    other = Record("2", birth_date=datetime.date(1999, 3, 15))
    first, second = row(MARIA, "encoded", KEY), row(other, "encoded", KEY)
    assert first["dob"] != second["dob"]
    assert first["birth_year"] == second["birth_year"] == 1999


def test_day_and_month_swapped_share_the_unordered_date_token() -> None:
    swapped = Record("2", birth_date=datetime.date(1999, 3, 11))
    again = Record("3", birth_date=datetime.date(1999, 11, 3))
    first, second = row(swapped, "encoded", KEY), row(again, "encoded", KEY)
    assert first["dob"] != second["dob"] and first["dob_set"] == second["dob_set"]


def test_tokens_depend_on_the_key_and_hide_the_values() -> None:
    encoded = row(MARIA, "encoded", KEY)
    assert row(MARIA, "encoded", "another key")["given"] != encoded["given"]
    for column in ("curp", "given", "paternal", "maternal", "dob"):
        assert len(encoded[column]) == 64 and "MARIA" not in encoded[column]
    assert "HERNANDEZ" not in repr(encoded) and "1999-03-14" not in repr(encoded)


def test_names_share_a_token_kind_so_swapped_names_can_be_compared() -> None:
    swapped = Record("2", given_names="Hernández", paternal_surname="María Guadalupe")
    first, second = row(MARIA, "encoded", KEY), row(swapped, "encoded", KEY)
    assert first["given"] == second["paternal"] and first["paternal"] == second["given"]


def test_clear_mode_gives_the_same_columns_with_the_normalised_values() -> None:
    encoded, clear = row(MARIA, "encoded", KEY), row(MARIA, "clear")
    assert set(clear) <= set(encoded)
    assert clear["given"] == "GUADALUPE MARIA" and clear["maternal"] == "CRUZ"
    assert clear["dob"] == "19990314"


def test_encoded_mode_needs_the_key() -> None:
    with pytest.raises(ValueError, match="key"):
        row(MARIA, "encoded", "")


def test_an_age_gives_an_estimated_birth_year() -> None:
    # Aged 18 on 1 June 2017: born from 2 June 1998 to 1 June 1999, mostly in 1998.
    aged = Record("2", age=18, age_on=datetime.date(2017, 6, 1))
    assert row(aged, "clear")["birth_year"] == 1998
    assert row(aged, "clear")["birth_year_exact"] is False
    # Aged 18 on 1 November 2017: born from November 1998 to October 1999.
    later = Record("3", age=18, age_on=datetime.date(2017, 11, 1))
    assert row(later, "clear")["birth_year"] == 1999


def test_a_curp_with_a_wrong_check_digit_is_not_used() -> None:
    assert curp_key("HEZG990314MPLRRD03") == "HEZG990314MPLRRD03"
    assert curp_key("HEZG990314MPLRRD04") is None
    assert row(Record("1", curp="HEZG990314MPLRRD04"), "encoded", KEY)["curp"] is None


def test_the_check_digit_follows_renapo() -> None:
    # A=10, H=17; weights 18 down to 2: 180+170+160+150 + 17*8 + 70+60+50+40+30 = 1046,
    # and 10 - 1046 mod 10 = 4.
    assert curp_check_digit("AAAA000000HAAAAA0") == "4"
    # Ñ has its own place in the alphabet, after N.
    assert curp_check_digit("ÑAAA000000HAAAAA0") != curp_check_digit("NAAA000000HAAAAA0")


def test_a_passport_number_is_compared_without_spaces_or_case() -> None:
    a = row(Record("1", passport_number="g 1234-567"), "encoded", KEY)
    b = row(Record("2", passport_number="G1234567"), "encoded", KEY)
    assert a["passport"] == b["passport"]


def _cached() -> int:
    return sum(c.cache_info().currsize for c in caches())


def test_no_name_stays_in_a_cache_once_its_rows_are_made() -> None:
    forget()
    row(MARIA, "encoded", KEY)
    assert _cached() == 0
    with batch():
        first = row(MARIA, "encoded", KEY)
        with batch():
            row(MARIA, "encoded", KEY)
        # Only the outermost batch empties them: a million rows compute each name once.
        assert _cached() > 0
        assert row(MARIA, "encoded", KEY) == first
    assert _cached() == 0


@pytest.mark.parametrize("mode", ["encoded", "clear"])
def test_a_batch_of_rows_is_the_rows_made_one_at_a_time(mode: str) -> None:
    # Within a batch each distinct name and date is encoded once and reused:
    # the same text as a given name and as a surname, the same date with and
    # without other fields, must still give each record its own row.
    records = [
        MARIA,
        Record("2", given_names="Cruz", paternal_surname="María Guadalupe", birth_date=BORN),
        Record("3", given_names="Hernández", paternal_surname="Cruz", age=30),
        Record("4", given_names="María", maternal_surname="Hernández", passport_number="g 12"),
        Record("5", paternal_surname="de la Cruz", birth_date=datetime.date(1999, 14 % 12, 3)),
        Record("6"),
    ]
    alone = []
    for record in records:
        forget()
        alone.append(row(record, mode, KEY))  # type: ignore[arg-type]
    assert rows(records, mode, KEY) == alone  # type: ignore[arg-type]
    assert _cached() == 0
