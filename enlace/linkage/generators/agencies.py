"""Registries shaped by the habits of the agencies that write them, not by random typos.

Each agency has its own way of filling the form, and every record it writes
shows it: all capitals without accents, fields cut at a fixed width, a second
given name reduced to an initial or dropped, both surnames in one field, the
birth date as month/day/year, an age instead of a birth date (stated on the
day of the record, and sometimes with no date at all). People are Mexican,
with given names from Faker's ``es_MX`` lists and surnames from its
``es_ES`` list, one in sixteen people sharing the commonest surname;
on top of the habits, few plain typos.
"""

from __future__ import annotations

import datetime
import itertools
import random
from dataclasses import dataclass

from faker.providers.person.es_ES import Provider as Spain
from faker.providers.person.es_MX import Provider as Mexico

from enlace.linkage.features import Record
from enlace.linkage.normalise import curp_check_digit, name_words, strip_accents

RECORDS_PER_PERSON = (1, 1, 1, 1, 1, 1, 2, 2, 3, 4)
FIRST_DAY = datetime.date(2016, 1, 1)
DAYS = 8 * 365


@dataclass(frozen=True)
class Habits:
    capitals: bool = False  # all capitals, no accents
    width: int = 0  # fields cut at this many characters
    one_surname_field: float = 0.0  # both surnames in the paternal field
    initials: float = 0.0  # second given name as an initial
    first_given_only: float = 0.0
    no_maternal: float = 0.0
    month_first: float = 0.0  # dates read as month/day when the day allows it
    age_only: float = 0.0  # an age instead of the birth date
    age_undated: float = 0.0  # of those ages, the share with no date stated
    curp: float = 0.0
    typo: float = 0.02  # per name


AGENCIES = {
    "FGE-NORTE": Habits(capitals=True, width=12, curp=0.3, age_only=0.05),
    "FGE-SUR": Habits(one_surname_field=0.7, month_first=0.5, curp=0.2),
    "INM": Habits(capitals=True, initials=0.5, age_only=0.6, no_maternal=0.2),
    "DIF": Habits(age_only=0.4, age_undated=0.1, curp=0.5, first_given_only=0.3),
    "ONG": Habits(first_given_only=0.5, no_maternal=0.4, age_only=0.3, age_undated=0.3, typo=0.05),
    "CEAV": Habits(curp=0.6, typo=0.01),
}


def _zipf(values: tuple[str, ...] | list[str], seed: int) -> tuple[list[str], list[float]]:
    clean = sorted({" ".join(v.split()) for v in values})
    random.Random(seed).shuffle(clean)
    weights = itertools.accumulate(1 / (rank + 1) ** 0.8 for rank in range(len(clean)))
    return clean, list(weights)


FEMALE = _zipf(Mexico.first_names_female, 1)
MALE = _zipf(Mexico.first_names_male, 2)
SURNAMES = _zipf(Spain.last_names, 3)


def registry(records: int, *, seed: int = 1) -> tuple[list[Record], dict[str, int]]:
    """About ``records`` records, and the true person behind each record id."""
    rng = random.Random(seed * 104729 + 11)
    names = list(AGENCIES)
    out: list[Record] = []
    truth: dict[str, int] = {}
    person = 0
    while len(out) < records:
        person += 1
        true = _person(rng)
        for agency in rng.sample(names, rng.choice(RECORDS_PER_PERSON)):
            record_id = f"A{len(out) + 1:07d}"
            out.append(_recorded(rng, true, record_id, agency))
            truth[record_id] = person
    return out, truth


def _pick(rng: random.Random, names: tuple[list[str], list[float]]) -> str:
    return rng.choices(names[0], cum_weights=names[1])[0]


def _person(rng: random.Random) -> dict[str, object]:
    female = rng.random() < 0.65
    names = FEMALE if female else MALE
    given = _pick(rng, names)
    if rng.random() < 0.35:
        second = _pick(rng, names)
        if second != given:
            given = f"{given} {second}"
    paternal, maternal = _pick(rng, SURNAMES), _pick(rng, SURNAMES)
    seen = FIRST_DAY + datetime.timedelta(days=rng.randrange(DAYS))
    age = int(rng.triangular(8, 50, 19))
    born = seen - datetime.timedelta(days=365 * age + rng.randint(0, 364))
    return {
        "given": given,
        "paternal": paternal,
        "maternal": maternal,
        "female": female,
        "born": born,
        "seen": seen,
        "curp": _curp(rng, given, paternal, maternal, born, female),
    }


def _curp(
    rng: random.Random, given: str, paternal: str, maternal: str, born: datetime.date, female: bool
) -> str:
    def word(text: str) -> str:
        return (name_words(text) or ["X"])[0]

    p, m, g = word(paternal), word(maternal), word(given)
    vowel = next((c for c in p[1:] if c in "AEIOU"), "X")
    head = f"{p[0]}{vowel}{m[0]}{g[0]}{born:%y%m%d}{'M' if female else 'H'}"
    head += rng.choice(("CS", "CH", "BC", "SO", "TM")) + "".join(
        rng.choice("BCDFGHJKLMNPRSTVZ") for _ in range(3)
    )
    body = head + rng.choice("0123456789")
    return body + curp_check_digit(body)


def _recorded(rng: random.Random, true: dict[str, object], record_id: str, agency: str) -> Record:
    habits = AGENCIES[agency]
    seen: datetime.date = true["seen"]  # type: ignore[assignment]
    on = seen + datetime.timedelta(days=rng.randrange(0, 2 * 365))
    given, paternal, maternal = str(true["given"]), str(true["paternal"]), str(true["maternal"])
    if " " in given:
        first, second = given.split(maxsplit=1)
        if rng.random() < habits.first_given_only:
            given = first
        elif rng.random() < habits.initials:
            given = f"{first} {second[0]}"
    names = [
        _typo(rng, n) if rng.random() < habits.typo else n for n in (given, paternal, maternal)
    ]
    given, paternal, maternal = names
    if rng.random() < habits.no_maternal:
        maternal = ""
    if maternal and rng.random() < habits.one_surname_field:
        paternal, maternal = f"{paternal} {maternal}", ""
    if habits.capitals:
        given, paternal, maternal = (strip_accents(n).upper() for n in (given, paternal, maternal))
    if habits.width:
        given, paternal, maternal = (n[: habits.width] for n in (given, paternal, maternal))
    born: datetime.date | None = true["born"]  # type: ignore[assignment]
    assert born is not None
    age: int | None = None
    age_on: datetime.date | None = None
    if rng.random() < habits.age_only:
        # An age stated on no known day is no birth year: ``link-records``
        # reads such a record as one without age.
        if rng.random() >= habits.age_undated:
            age, age_on = (on - born).days // 365, on
        born = None
    elif born.day <= 12 and born.day != born.month and rng.random() < habits.month_first:
        born = born.replace(day=born.month, month=born.day)
    return Record(
        record_id=record_id,
        source=agency,
        given_names=given,
        paternal_surname=paternal,
        maternal_surname=maternal,
        sex=("MUJER" if true["female"] else "HOMBRE") if rng.random() > 0.03 else "",
        birth_date=born,
        age=age,
        age_on=age_on,
        nationality="MEXICANA" if habits.capitals else "MEX",
        curp=str(true["curp"]) if rng.random() < habits.curp else "",
        jurisdiction="",
    )


def _typo(rng: random.Random, text: str) -> str:
    if len(text) < 4:
        return text
    i = rng.randrange(1, len(text) - 1)
    if rng.random() < 0.5:
        return text[:i] + text[i + 1 :]
    return text[:i] + rng.choice("AEIOURSNL").lower() + text[i + 1 :]
