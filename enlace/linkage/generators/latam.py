"""Registries of Latin-American migrants as shelters and migration offices record them.

Names come from Colombian and Chilean frequency tables (Faker's ``es_CO`` and
``es_CL``, with their real weights: one woman in eleven is a María), so
common names are far more common than in ``linkage.synthetic``; given names
are often compound ("María José", "Luz Marina"). The noise is that of
records written down from speech: letters that sound alike (B/V, S/Z/C,
LL/Y, a silent H), a key next to the right one, a compound name written
partly, the second surname left out or the two surnames swapped, a birth
date with a day or month mistyped, and ages stated on the day of the
interview (so the same person gives different ages on different days).
"""

from __future__ import annotations

import datetime
import itertools
import random
import re

from faker.providers.person.es_CL import Provider as Chile
from faker.providers.person.es_CO import Provider as Colombia

from enlace.linkage.features import Record

AGENCIES = ("INM-TAP", "INM-CHIS", "ALBERGUE-1", "ALBERGUE-2", "COMAR", "DIF-CHIS", "ACNUR-ONG")
NATIONALITIES = ("COL", "VEN", "HND", "GTM", "SLV", "NIC", "CHL", "ECU")
RECORDS_PER_PERSON = (1, 1, 1, 1, 2, 2, 2, 3, 3, 5)
FIRST_DAY = datetime.date(2015, 1, 1)
DAYS = 8 * 365
SOUNDS = (
    ("B", "V"),
    ("V", "B"),
    ("S", "Z"),
    ("Z", "S"),
    ("CE", "SE"),
    ("CI", "SI"),
    ("LL", "Y"),
    ("Y", "LL"),
    ("GE", "JE"),
    ("GI", "JI"),
    ("QU", "K"),
)
KEYBOARD = ("QWERTYUIOP", "ASDFGHJKLÑ", "ZXCVBNM")


def _weighted(*tables: dict[str, float]) -> tuple[list[str], list[float]]:
    merged: dict[str, float] = {}
    for table in tables:
        for name, weight in table.items():
            merged[name] = merged.get(name, 0.0) + weight
    names = sorted(merged)
    return names, list(itertools.accumulate(merged[n] for n in names))


FEMALE = _weighted(Colombia.first_names_female, Chile.first_names_female)
MALE = _weighted(Colombia.first_names_male, Chile.first_names_male)
SURNAMES = _weighted(Colombia.last_names, Chile.last_names)


def registry(records: int, *, seed: int = 1) -> tuple[list[Record], dict[str, int]]:
    """About ``records`` records, and the true person behind each record id."""
    rng = random.Random(seed * 7919 + 3)
    out: list[Record] = []
    truth: dict[str, int] = {}
    person = 0
    while len(out) < records:
        person += 1
        true = _person(rng)
        for copy in range(rng.choice(RECORDS_PER_PERSON)):
            record_id = f"L{len(out) + 1:07d}"
            out.append(_recorded(rng, true, record_id, first=copy == 0))
            truth[record_id] = person
    return out, truth


def _pick(rng: random.Random, names: tuple[list[str], list[float]]) -> str:
    return rng.choices(names[0], cum_weights=names[1])[0]


def _person(rng: random.Random) -> dict[str, object]:
    female = rng.random() < 0.6
    names = FEMALE if female else MALE
    given = _pick(rng, names)
    if rng.random() < 0.45:
        second = _pick(rng, names)
        if second != given:
            given = f"{given} {second}"
    paternal = _pick(rng, SURNAMES)
    maternal = _pick(rng, SURNAMES)
    first_seen = FIRST_DAY + datetime.timedelta(days=rng.randrange(DAYS))
    age = int(rng.triangular(10, 55, 22))
    born = first_seen - datetime.timedelta(days=365 * age + rng.randint(0, 364))
    return {
        "given": given,
        "paternal": paternal,
        "maternal": maternal,
        "female": female,
        "born": born,
        "seen": first_seen,
        "nationality": rng.choice(NATIONALITIES),
        "passport": "".join(rng.choice("0123456789") for _ in range(9))
        if rng.random() < 0.5
        else "",
    }


def _recorded(rng: random.Random, true: dict[str, object], record_id: str, first: bool) -> Record:
    """One interview: a first one is written more carefully than later ones.

    Rates per later record (half for the first): a sound-alike spelling in
    each name 6%, a wrong key in each name 4%, a compound given name written
    by one of its words 25%, the second word an initial 8%, the second
    surname missing 20%, the surnames swapped 4%, day and month swapped 3%,
    a day or month mistyped 3%, a year digit wrong 2%, an age instead of a
    date 15% (one in four a year off), sex missing 5%, the passport on 40%
    of the records of a person who has one (a transposition in one in ten).
    """
    rate = 0.5 if first else 1.0
    seen: datetime.date = true["seen"]  # type: ignore[assignment]
    on = seen + datetime.timedelta(days=0 if first else rng.randrange(0, 3 * 365))
    given, paternal, maternal = str(true["given"]), str(true["paternal"]), str(true["maternal"])
    if " " in given and rng.random() < 0.25 * rate:
        given = given.split()[0] if rng.random() < 0.7 else given.split()[1]
    elif " " in given and rng.random() < 0.08 * rate:
        first_word, second_word = given.split(maxsplit=1)
        given = f"{first_word} {second_word[0]}."
    names = [given, paternal, maternal]
    for i in range(3):
        if rng.random() < 0.06 * rate:
            names[i] = _sound_alike(rng, names[i])
        if rng.random() < 0.04 * rate:
            names[i] = _wrong_key(rng, names[i])
    given, paternal, maternal = names
    if rng.random() < 0.04 * rate:
        paternal, maternal = maternal, paternal
    if rng.random() < 0.2 * rate:
        maternal = ""
    born: datetime.date | None = true["born"]  # type: ignore[assignment]
    assert born is not None
    age: int | None = None
    roll = rng.random()
    if roll < 0.03 * rate and born.day <= 12:
        born = born.replace(day=born.month, month=born.day)
    elif roll < 0.06 * rate:
        born = _day_or_month_typo(rng, born)
    elif roll < 0.08 * rate:
        born = _year_digit(rng, born)
    elif roll < 0.23 * rate:
        age = (on - born).days // 365 + (rng.choice((-1, 1)) if rng.random() < 0.25 else 0)
        born = None
    passport = str(true["passport"]) if rng.random() < 0.4 else ""
    if passport and rng.random() < 0.1:
        i = rng.randrange(len(passport) - 1)
        passport = passport[:i] + passport[i + 1] + passport[i] + passport[i + 2 :]
    return Record(
        record_id=record_id,
        source=rng.choice(AGENCIES),
        given_names=given,
        paternal_surname=paternal,
        maternal_surname=maternal,
        sex=("F" if true["female"] else "M") if rng.random() > 0.05 else "",
        birth_date=born,
        age=age,
        age_on=on if age is not None else None,
        nationality=str(true["nationality"]),
        passport_number=passport,
        jurisdiction=rng.choice(("CS", "TB", "OC", "VZ", "DF")),
    )


def _sound_alike(rng: random.Random, text: str) -> str:
    upper = text.upper()
    if upper.startswith("H") and rng.random() < 0.3:
        return text[1:]
    found = [(a, b) for a, b in SOUNDS if a in upper[1:]]
    if not found:
        return text
    a, b = rng.choice(found)
    spots = [m.start() for m in re.finditer(a, upper) if m.start() > 0]
    i = rng.choice(spots)
    return upper[:i] + b + upper[i + len(a) :]


def _wrong_key(rng: random.Random, text: str) -> str:
    upper = text.upper()
    spots = [i for i, c in enumerate(upper) if i > 0 and any(c in row for row in KEYBOARD)]
    if not spots:
        return text
    i = rng.choice(spots)
    row = next(r for r in KEYBOARD if upper[i] in r)
    j = row.index(upper[i])
    near = [row[k] for k in (j - 1, j + 1) if 0 <= k < len(row)]
    return upper[:i] + rng.choice(near) + upper[i + 1 :]


def _day_or_month_typo(rng: random.Random, born: datetime.date) -> datetime.date:
    for _ in range(10):
        if rng.random() < 0.6:
            day, month = born.day + rng.choice((-1, 1, 10, -10)), born.month
        else:
            day, month = born.day, born.month + rng.choice((-1, 1))
        try:
            return born.replace(day=day, month=month)
        except ValueError:
            continue
    return born


def _year_digit(rng: random.Random, born: datetime.date) -> datetime.date:
    year = born.year + rng.choice((-1, 1, -10, 10))
    try:
        return born.replace(year=year)
    except ValueError:  # 29 February
        return born.replace(year=year, day=28)
