"""What linkage compares: a record's identifiers turned into comparable columns. Pure.

One record becomes one row of the same columns in either mode:

- ``encoded``: every identifier is a keyed HMAC token (equal values, equal
  tokens) and names and birth date also get keyed Bloom encodings (similar
  values, similar bits). Nobody holding the rows without the linkage key
  can read a name back. This is what the national level stores and reads.
- ``clear``: the same columns hold the normalised values themselves, for an
  agency linking its own records; fuzzy comparison then uses string
  similarity instead of Dice.

Sex, nationality, jurisdiction and the birth year are kept in clear in both
modes: they are statistical variables the national level holds anyway.
"""

from __future__ import annotations

import contextlib
import datetime
import functools
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Literal

from enlace.linkage import bloom as bloom_module
from enlace.linkage import normalise, tokens
from enlace.linkage.bloom import bigrams, bloom
from enlace.linkage.normalise import curp_key, fold, given_names_key, name_words, sound_key
from enlace.linkage.tokens import token

Mode = Literal["clear", "encoded"]
MODES: tuple[Mode, ...] = ("clear", "encoded")

# Compared exactly (token equality in encoded mode).
EXACT_COLUMNS = ("curp", "passport", "given", "paternal", "maternal", "dob", "dob_set")
# Only blocked on (``rules.RULES``), never compared: parts of names and dates
# that survive a typo elsewhere.
BLOCKING_COLUMNS = (
    "passport_sorted",
    "given_first",
    "paternal_sound",
    "given_initial",
    "paternal_initial",
    "md_set",
    "dob_ym",
    "dob_yd",
)
# Names share one token kind, and so do initials, so that a given name can be
# compared with a surname: that is how swapped names are found.
TOKEN_KINDS = {
    "given": "name",
    "given_first": "name",
    "paternal": "name",
    "maternal": "name",
    "given_initial": "initial",
    "paternal_initial": "initial",
}
# Compared by similarity: Dice of their ``_bf`` encodings, or string similarity in clear.
FUZZY_COLUMNS = ("given", "paternal", "maternal", "dob")
SEXES = {"female": "F", "f": "F", "mujer": "F", "male": "M", "m": "M", "hombre": "M", "h": "M"}


@dataclass(frozen=True)
class Record:
    """One record to link, in the columns of ``enlace link-records``."""

    record_id: str
    source: str = ""
    given_names: str = ""
    paternal_surname: str = ""
    maternal_surname: str = ""
    sex: str = ""
    birth_date: datetime.date | None = None
    age: int | None = None
    # The day the age was recorded, to estimate a birth year from it.
    age_on: datetime.date | None = None
    nationality: str = ""
    curp: str = ""
    passport_number: str = ""
    jurisdiction: str = ""


_batch = threading.local()


@contextlib.contextmanager
def batch() -> Iterator[None]:
    """Keep the caches of normalised names, tokens and encodings for one batch of rows.

    Names repeat, so a batch of a million rows computes each distinct one once.
    The caches hold names and CURPs in clear and tokens of the current key, so
    they are emptied when the outermost batch ends: a worker keeps no name
    beyond the run that needed it, past an erasure or a change of key.
    """
    depth = getattr(_batch, "depth", 0)
    _batch.depth = depth + 1
    try:
        yield
    finally:
        _batch.depth = depth
        if depth == 0:
            forget()


def caches() -> tuple[Any, ...]:
    """Every cache that holds a name, a CURP or a token."""
    return (
        normalise.fold,
        normalise.given_names_key,
        tokens.token,
        bloom_module._piece_bits,
        _names_bloom,
        _date_bloom,
        _name_columns,
        _date_columns,
    )


def forget() -> None:
    for cached in caches():
        cached.cache_clear()


def row(record: Record, mode: Mode, key: str = "") -> dict[str, Any]:
    """The record's comparison row; ``key`` is the linkage key (encoded mode only).

    Outside a ``batch()`` nothing it computed stays cached once it returns.
    """
    with batch():
        return _row(record, mode, key)


def rows(records: Iterable[Record], mode: Mode, key: str = "") -> list[dict[str, Any]]:
    """The comparison rows of many records, in one batch (``row`` for each)."""
    with batch():
        return [_row(record, mode, key) for record in records]


def _row(record: Record, mode: Mode, key: str) -> dict[str, Any]:
    if mode == "encoded" and not key:
        raise ValueError("Encoded mode needs the linkage key.")
    # Names and dates repeat: each distinct one's columns (normalised values,
    # their tokens and Bloom encodings) are made once per batch, and a record
    # is a handful of cache lookups.
    passport = fold(record.passport_number).replace(" ", "")
    curp = curp_key(record.curp)
    out: dict[str, Any] = {"record_id": record.record_id, "source": record.source}
    if mode == "encoded":
        out["curp"] = token(key, "curp", curp) if curp else None
        out["passport"] = token(key, "passport", passport) if passport else None
        out["passport_sorted"] = (
            token(key, "passport_sorted", "".join(sorted(passport))) if passport else None
        )
    else:
        out.update(curp=curp, passport=passport or None, passport_sorted=passport_sorted(passport))
    out.update(_name_columns(key, mode, "given", record.given_names))
    out.update(_name_columns(key, mode, "paternal", record.paternal_surname))
    out.update(_name_columns(key, mode, "maternal", record.maternal_surname))
    out.update(_date_columns(key, mode, record.birth_date))
    year, exact = birth_year(record)
    out.update(
        sex=SEXES.get(record.sex.strip().lower()),
        nationality=fold(record.nationality) or None,
        jurisdiction=fold(record.jurisdiction) or None,
        birth_year=year,
        birth_year_exact=exact,
        **_year_bands(year),
    )
    return out


def passport_sorted(passport: str) -> str | None:
    return "".join(sorted(passport)) or None


@functools.lru_cache(maxsize=1 << 18)
def _name_columns(key: str, mode: Mode, part: str, text: str) -> dict[str, Any]:
    """The columns of one name part (``given``, ``paternal`` or ``maternal``) as written."""
    # Words in a fixed order for every name part, so "Guadalupe María" agrees
    # with "María Guadalupe", and a given name with a surname when swapped.
    words = given_names_key(text)
    values: dict[str, str | None] = {part: words or None}
    if part == "given":
        # The first given name as written: a compound name written partly, or
        # its second word as an initial, most often keeps it.
        values["given_first"] = next(iter(name_words(text)), None)
    elif part == "paternal":
        # The paternal surname's first word as it sounds: a sound-alike
        # spelling, or both surnames written in the one field.
        values["paternal_sound"] = sound_key(text) or None
    if part != "maternal":
        values[f"{part}_initial"] = words[0] if words else None
    if mode == "clear":
        return values
    out: dict[str, Any] = {
        column: token(key, TOKEN_KINDS.get(column, column), value) if value else None
        for column, value in values.items()
    }
    out[f"{part}_bf"] = _names_bloom(key, text if part == "given" else words)
    return out


@functools.lru_cache(maxsize=1 << 16)
def _date_columns(key: str, mode: Mode, born: datetime.date | None) -> dict[str, Any]:
    """The columns of one birth date: the date, its parts, and its encoding."""
    if born is None:
        values: dict[str, str | None] = dict.fromkeys(DATE_COLUMNS)
        return values if mode == "clear" else {**values, "dob_bf": None}
    year, month, day = f"{born.year:04d}", f"{born.month:02d}", f"{born.day:02d}"
    values = {
        "dob": f"{year}{month}{day}",
        # Day and month as a set: a date with the two swapped agrees here.
        "dob_set": "|".join(sorted([day, month, str(born.year)])),
        "md_set": "".join(sorted([day, month])),
        "dob_ym": f"{year}{month}",
        "dob_yd": f"{year}{day}",
    }
    if mode == "clear":
        return values
    out: dict[str, Any] = {column: token(key, column, value) for column, value in values.items()}
    out["dob_bf"] = _date_bloom(key, values["dob"])
    return out


DATE_COLUMNS = ("dob", "dob_set", "md_set", "dob_ym", "dob_yd")


def year_bands(year: int | None) -> dict[str, int | None]:
    return dict(_year_bands(year))


@functools.lru_cache(maxsize=512)
def _year_bands(year: int | None) -> dict[str, int | None]:
    """Two-year bands, one offset by a year: years a year apart always share one;
    four-year bands, one offset by two: years two apart always share one."""
    if year is None:
        return dict.fromkeys(("birth_year_even", "birth_year_odd", "birth_year_4", "birth_year_4b"))
    return {
        "birth_year_even": year // 2,
        "birth_year_odd": (year + 1) // 2,
        "birth_year_4": year // 4,
        "birth_year_4b": (year + 2) // 4,
    }


@functools.lru_cache(maxsize=1 << 18)
def _names_bloom(key: str, text: str) -> bytes | None:
    # Cached: names repeat (a registry of millions has some thousands of surnames).
    words = " ".join(name_words(text))
    return bloom(key, "name", bigrams(words)).to_bytes(128) if words else None


@functools.lru_cache(maxsize=1 << 16)
def _date_bloom(key: str, digits: str) -> bytes:
    return bloom(key, "dob", {f"{i}{c}" for i, c in enumerate(digits)}).to_bytes(128)


def birth_year(record: Record) -> tuple[int | None, bool]:
    """The birth year, exact from a birth date or estimated from an age."""
    if record.birth_date:
        return record.birth_date.year, True
    if record.age is not None:
        return estimated_birth_year(record.age, record.age_on or datetime.date.today()), False
    return None, False


def estimated_birth_year(age: int, on: datetime.date) -> int:
    """The birth year an age stated on a day most likely means.

    Aged ``age`` on ``on``, a person was born in the year before it: from
    ``age`` + 1 years before ``on`` to ``age`` years before. The year that holds
    the middle of that span holds most of it (``on.year - age`` is right only
    for the part of the span after New Year: a minority when the age was
    stated early in the year).
    """
    return (on - datetime.timedelta(days=round(365.25 * (age + 0.5)))).year
