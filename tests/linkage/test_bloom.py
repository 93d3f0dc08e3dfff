from __future__ import annotations

import datetime

from enlace.linkage.bloom import BITS, bigrams, bloom, dice, from_hex, to_hex
from enlace.linkage.features import Record, row

KEY = "test-linkage-key"


def _encoded(record: Record, column: str) -> int:
    return int.from_bytes(row(record, "encoded", KEY)[f"{column}_bf"])


def _similarity(field: str, a: str, b: str) -> float:
    def encoded(value: str) -> int:
        return _encoded(Record("1", given_names=value, paternal_surname=value), field)

    return dice(encoded(a), encoded(b))


def test_bigrams_are_padded_per_word() -> None:
    assert bigrams("ANA") == {"_A", "AN", "NA", "A_"}
    assert bigrams("ANA LU") == {"_A", "AN", "NA", "A_", "_L", "LU", "U_"}


def test_the_same_value_encodes_the_same() -> None:
    assert _similarity("paternal", "Hernández", "HERNANDEZ") == 1.0


def test_a_typo_stays_close_and_another_name_does_not() -> None:
    assert _similarity("paternal", "Hernández", "Hernandes") > 0.75
    assert _similarity("paternal", "Hernández", "Gutiérrez") < 0.5


def test_given_names_in_another_order_encode_the_same() -> None:
    assert _similarity("given", "María Guadalupe", "Guadalupe María") == 1.0


def test_one_of_two_given_names_stays_close() -> None:
    assert _similarity("given", "María Guadalupe", "Guadalupe") > 0.7


def test_a_birth_date_with_a_wrong_digit_stays_close() -> None:
    def encoded(day: datetime.date) -> int:
        return _encoded(Record("1", birth_date=day), "dob")

    born = datetime.date(1999, 3, 11)
    assert dice(encoded(born), encoded(datetime.date(1999, 3, 17))) > 0.85
    assert dice(encoded(born), encoded(datetime.date(1985, 7, 22))) < 0.5


def test_a_given_name_and_a_surname_encode_alike_when_they_are_the_same_word() -> None:
    # One key for every name part: swapped names are found by comparing across fields.
    encoded = row(
        Record("1", given_names="Hernández", paternal_surname="Hernández"), "encoded", KEY
    )
    assert encoded["given_bf"] == encoded["paternal_bf"]


def test_the_encoding_depends_on_the_key() -> None:
    grams = bigrams("HERNANDEZ")
    assert bloom(KEY, "surname", grams) != bloom("another key", "surname", grams)
    assert dice(bloom(KEY, "surname", grams), bloom("another key", "surname", grams)) < 0.5


def test_it_survives_hex() -> None:
    value = bloom(KEY, "surname", bigrams("ZARATE"))
    text = to_hex(value)
    assert len(text) == BITS // 4 and from_hex(text) == value


def test_missing_fields_have_no_encoding() -> None:
    encoded = row(Record("1"), "encoded", KEY)
    assert all(encoded[f"{c}_bf"] is None for c in ("given", "paternal", "maternal", "dob"))
    assert dice(0, 0) == 0.0
