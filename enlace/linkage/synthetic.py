"""Invented Mexican-style registries with known truth, to measure linkage.

Several agencies record the same people the way real records differ: two
surnames, typos, a missing maternal surname, given name and paternal surname
swapped, a birth date with day and month swapped or a digit wrong, only an
estimated age, a CURP on some records. Names follow a Zipf-like frequency,
as real surnames do (Hernández, García and Martínez are everywhere), so
equal names are weak evidence and the model has to learn that.

Used by the tests and by ``bench/linkage.py``; nobody real is in it.
"""

from __future__ import annotations

import datetime
import itertools
import random
from collections.abc import Sequence

from faker.providers.person.es_MX import Provider as Names

from enlace.linkage.features import Record
from enlace.linkage.normalise import curp_check_digit, name_words

AGENCIES = ("FGR", "FGE-PUE", "FGE-JAL", "FGE-CMX", "INM", "DIF", "CEAV", "ONG-CMX")
STATES = ("PL", "JC", "DF", "MC", "CS", "VZ", "NL", "BC", "GR", "OC")
# Records per person: most people meet one agency, some several.
RECORDS_PER_PERSON = (1, 1, 1, 1, 1, 2, 2, 2, 3, 4)
REFERENCE_DAY = datetime.date(2017, 12, 31)


def _zipf(values: Sequence[str], exponent: float = 0.8) -> tuple[list[str], list[float]]:
    clean = [" ".join(v.split()) for v in values]
    random.Random(len(clean)).shuffle(clean)  # the most frequent are not all "A…"
    return clean, list(
        itertools.accumulate(1 / (rank + 1) ** exponent for rank in range(len(clean)))
    )


FEMALE = _zipf(Names.first_names_female)
MALE = _zipf(Names.first_names_male)
SURNAMES = _zipf(Names.last_names)


def registry(records: int, *, seed: int = 1) -> tuple[list[Record], dict[str, int]]:
    """About ``records`` records, and the true person behind each record id."""
    rng = random.Random(seed)
    out: list[Record] = []
    truth: dict[str, int] = {}
    person = 0
    while len(out) < records:
        person += 1
        true = _person(rng)
        for copy in range(rng.choice(RECORDS_PER_PERSON)):
            record_id = f"R{len(out) + 1:07d}"
            out.append(_recorded(rng, true, record_id, first=copy == 0))
            truth[record_id] = person
    return out, truth


def _pick(rng: random.Random, names: tuple[list[str], list[float]]) -> str:
    values, weights = names
    return rng.choices(values, cum_weights=weights)[0]


def _person(rng: random.Random) -> dict[str, object]:
    female = rng.random() < 0.7
    given = _pick(rng, FEMALE if female else MALE)
    if rng.random() < 0.3:
        second = _pick(rng, FEMALE if female else MALE)
        if second != given:
            given = f"{given} {second}"
    age = 18 + int(rng.triangular(0, 40, 5)) if rng.random() > 0.12 else rng.randint(9, 17)
    born = REFERENCE_DAY - datetime.timedelta(days=365 * age + rng.randint(0, 364))
    paternal, maternal = _pick(rng, SURNAMES), _pick(rng, SURNAMES)
    return {
        "given": given,
        "paternal": paternal,
        "maternal": maternal,
        "sex": "female" if female else "male",
        "born": born,
        "curp": _curp(rng, given, paternal, maternal, born, female),
        "nationality": "MEX" if rng.random() < 0.8 else rng.choice(["GTM", "HND", "SLV", "COL"]),
        "state": rng.choice(STATES),
    }


def _curp(
    rng: random.Random, given: str, paternal: str, maternal: str, born: datetime.date, female: bool
) -> str:
    def word(text: str) -> str:
        return (name_words(text) or ["X"])[0]

    def vowel(w: str) -> str:
        return next((c for c in w[1:] if c in "AEIOU"), "X")

    p, m, g = word(paternal), word(maternal), word(given)
    head = f"{p[0]}{vowel(p)}{m[0]}{g[0]}{born:%y%m%d}{'M' if female else 'H'}"
    head += rng.choice(STATES) + "".join(rng.choice("BCDFGHJKLMNPRSTVZ") for _ in range(3))
    body = head + rng.choice("0123456789")
    return body + curp_check_digit(body)


def _recorded(rng: random.Random, true: dict[str, object], record_id: str, first: bool) -> Record:
    """How one agency wrote the person down; a first record is cleaner than later ones.

    Rates per later record (half for the first): a typo in each name 6%, no
    maternal surname 10%, one of two given names only 10%, given name and
    paternal surname swapped 2%, day and month swapped 2%, a wrong digit in
    the birth date 3%, only an estimated age 8% (a third of them a year or
    two off), sex missing 2%; the CURP is on 30% of records.
    """
    rate = 0.5 if first else 1.0
    given, paternal, maternal = str(true["given"]), str(true["paternal"]), str(true["maternal"])
    born: datetime.date | None = true["born"]  # type: ignore[assignment]
    age: int | None = None
    if rng.random() < 0.06 * rate:
        given = _typo(rng, given)
    if rng.random() < 0.06 * rate:
        paternal = _typo(rng, paternal)
    if rng.random() < 0.06 * rate:
        maternal = _typo(rng, maternal)
    if rng.random() < 0.1 * rate:
        maternal = ""
    if " " in given and rng.random() < 0.1 * rate:
        given = rng.choice(given.split())  # "María Guadalupe" written "Guadalupe"
    if rng.random() < 0.02 * rate:
        given, paternal = paternal, given
    roll = rng.random()
    assert born is not None
    if roll < 0.02 * rate and born.day <= 12:
        born = born.replace(day=born.month, month=born.day)
    elif roll < 0.05 * rate:
        born = _date_typo(rng, born)
    elif roll < 0.13 * rate:
        # Only an estimated age, sometimes a year or two off.
        age = (REFERENCE_DAY - born).days // 365 + rng.choice((0, 0, 0, -1, 1, 2))
        born = None
    if rng.random() < 0.3:
        given, paternal, maternal = (_spelling(rng, v) for v in (given, paternal, maternal))
    return Record(
        record_id=record_id,
        source=rng.choice(AGENCIES),
        given_names=given,
        paternal_surname=paternal,
        maternal_surname=maternal,
        sex=str(true["sex"]) if rng.random() > 0.02 else "",
        birth_date=born,
        age=age,
        age_on=REFERENCE_DAY if age is not None else None,
        nationality=str(true["nationality"]),
        curp=str(true["curp"]) if rng.random() < 0.3 else "",
        jurisdiction=str(true["state"]),
    )


def _typo(rng: random.Random, text: str) -> str:
    if len(text) < 3:
        return text
    i = rng.randrange(1, len(text) - 1)
    kind = rng.choice(("substitute", "delete", "insert", "transpose"))
    letter = rng.choice("AEIOUSZNRLTCBVMGHJ").lower()
    if kind == "substitute":
        return text[:i] + letter + text[i + 1 :]
    if kind == "delete":
        return text[:i] + text[i + 1 :]
    if kind == "insert":
        return text[:i] + letter + text[i:]
    return text[: i - 1] + text[i] + text[i - 1] + text[i + 1 :]


def _date_typo(rng: random.Random, born: datetime.date) -> datetime.date:
    for _ in range(10):
        digits = list(born.strftime("%Y%m%d"))
        i = rng.randrange(2, 8)
        digits[i] = rng.choice("0123456789")
        try:
            return datetime.datetime.strptime("".join(digits), "%Y%m%d").date()
        except ValueError:
            continue
    return born


def _spelling(rng: random.Random, text: str) -> str:
    """Differences that normalisation removes: case, accents, stray spaces."""
    return rng.choice((text.upper(), text.lower(), f" {text} ", text))
