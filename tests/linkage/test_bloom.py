from __future__ import annotations

import datetime

from enlace.linkage.bloom import BITS, bigrams, bloom, dice, from_hex, identity_encodings, to_hex
from enlace.linkage.tokens import IdentityParts

KEY = "test-linkage-key"


def _similarity(field: str, a: str, b: str) -> float:
    def encoded(value: str) -> int:
        parts = IdentityParts(given_names=value, paternal_surname=value)
        return identity_encodings(KEY, parts)[field]

    return dice(encoded(a), encoded(b))


def test_bigrams_are_padded_per_word() -> None:
    assert bigrams("ANA") == {"_A", "AN", "NA", "A_"}
    assert bigrams("ANA LU") == {"_A", "AN", "NA", "A_", "_L", "LU", "U_"}


def test_the_same_value_encodes_the_same() -> None:
    assert _similarity("paternal_surname", "Hernández", "HERNANDEZ") == 1.0


def test_a_typo_stays_close_and_another_name_does_not() -> None:
    assert _similarity("paternal_surname", "Hernández", "Hernandes") > 0.75
    assert _similarity("paternal_surname", "Hernández", "Gutiérrez") < 0.5


def test_given_names_in_another_order_encode_the_same() -> None:
    assert _similarity("given_names", "María Guadalupe", "Guadalupe María") == 1.0


def test_one_of_two_given_names_stays_close() -> None:
    assert _similarity("given_names", "María Guadalupe", "Guadalupe") > 0.7


def test_a_birth_date_with_day_and_month_swapped_encodes_the_same() -> None:
    def encoded(day: datetime.date) -> int:
        return identity_encodings(KEY, IdentityParts(birth_date=day))["birth_date"]

    born = datetime.date(1999, 3, 11)
    assert dice(encoded(born), encoded(datetime.date(1999, 11, 3))) == 1.0
    assert dice(encoded(born), encoded(datetime.date(1985, 7, 22))) < 0.1


def test_the_encoding_depends_on_the_key() -> None:
    grams = bigrams("HERNANDEZ")
    assert bloom(KEY, "surname", grams) != bloom("another key", "surname", grams)
    assert dice(bloom(KEY, "surname", grams), bloom("another key", "surname", grams)) < 0.5


def test_it_survives_hex() -> None:
    value = bloom(KEY, "surname", bigrams("ZARATE"))
    text = to_hex(value)
    assert len(text) == BITS // 4 and from_hex(text) == value


def test_missing_fields_have_no_encoding() -> None:
    assert identity_encodings(KEY, IdentityParts()) == {}
    assert dice(0, 0) == 0.0
