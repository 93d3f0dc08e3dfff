"""The blocking rules: which pairs of records a national run compares at all.

The national run joins on them (``engine``, as SQL); write-time matching looks
up the stored ones (``candidates``, as database filters); the benchmarks and
tests ask whether a pair agrees on one. No Splink here: what registers a
person needs these rules, not the linkage engine.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from enlace.linkage.comparisons import surnames_bits


@dataclass(frozen=True)
class Rule:
    """A blocking rule: pairs that agree on ``left`` columns against ``right`` ones."""

    name: str
    left: tuple[str, ...]
    right: tuple[str, ...] = ()
    # Only pairs where either birth year is estimated from an age.
    estimated: bool = False
    # Only pairs where this column is missing on either side.
    missing: str | None = None
    # Only pairs whose birth years are at most this many years apart, or unknown.
    years: int | None = None

    @property
    def sql(self) -> str:
        right = self.right or self.left
        terms = [f'l."{a}" = r."{b}"' for a, b in zip(self.left, right, strict=True)]
        if self.estimated:
            terms.append('(NOT l."birth_year_exact" OR NOT r."birth_year_exact")')
        if self.missing:
            terms.append(f'(l."{self.missing}" IS NULL OR r."{self.missing}" IS NULL)')
        if self.years is not None:
            terms.append(f'coalesce(abs(l."birth_year" - r."birth_year") <= {self.years}, true)')
        return " AND ".join(terms)

    @property
    def stored(self) -> bool:
        """Whether every column is one the registry stores (``Encoding``), so that
        write-time matching can look the rule up; the others serve national runs."""
        return not {*self.left, *self.right} & DERIVED_COLUMNS

    def agrees(self, a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
        a, b = _with_derived(a), _with_derived(b)
        right = self.right or self.left
        if self.estimated and a["birth_year_exact"] and b["birth_year_exact"]:
            return False
        if self.missing and a[self.missing] is not None and b[self.missing] is not None:
            return False
        if (
            self.years is not None
            and a["birth_year"] is not None
            and b["birth_year"] is not None
            and abs(a["birth_year"] - b["birth_year"]) > self.years
        ):
            return False
        return all(
            a[x] is not None and a[x] == b[y] for x, y in zip(self.left, right, strict=True)
        ) or (
            bool(self.right)
            and all(
                b[x] is not None and b[x] == a[y] for x, y in zip(self.left, right, strict=True)
            )
        )


# Blocking columns made from stored ones as records are loaded (``_load``):
# both surnames as one key, whichever field holds which.
DERIVED_COLUMNS = frozenset({"surnames"})


def _with_derived(row: Mapping[str, Any]) -> Mapping[str, Any]:
    if "surnames" in row:
        return row
    if "paternal_bf" in row:  # encoded
        value: Any = surnames_bits(row)
    else:
        words = f"{row['paternal'] or ''} {row['maternal'] or ''}".split()
        value = " ".join(sorted(words)) if row["paternal"] else None
    return {**row, "surnames": value}


_NAME_PAIRS = (
    ("given names and paternal surname", ("given", "paternal")),
    ("given names and maternal surname", ("given", "maternal")),
    ("both surnames", ("paternal", "maternal")),
)

_NAME_AND_INITIAL = (
    ("given names and initial of the paternal surname", ("given", "paternal_initial")),
    ("initial of the given names and paternal surname", ("given_initial", "paternal")),
)
# Four-year bands of the birth year, one offset by two years.
_BANDS = {"4": "four-year band", "4b": "four-year band offset"}
# Not the day and month: with a name's initial they pair too many records.
_DATE_PARTS = (("birth year and month", "dob_ym"), ("birth year and day", "dob_yd"))

# Chosen for recall: each rule catches the pairs the others miss when a field
# is wrong or absent (a typo in a name, a wrong digit in a date, a date that is
# only an estimated year, names swapped). Pairs no rule produces are never
# compared. No rule blocks on one common value alone (a birth date, two
# names): those blocks grow with the square of the registry.
RULES = (
    Rule("CURP", ("curp",)),
    # Two characters transposed in a passport number leave its sorted characters.
    Rule("passport, characters in any order", ("passport_sorted",)),
    # An initial survives most typos in the rest of a name; the third rule
    # takes given name and surname swapped.
    Rule("birth date and initial of the given names", ("dob", "given_initial")),
    Rule("birth date and initial of the paternal surname", ("dob", "paternal_initial")),
    Rule(
        "birth date and initials swapped",
        ("dob", "given_initial"),
        ("dob", "paternal_initial"),
    ),
    # (The birth date with the given names whole is a narrower form of the
    # next rule; a rule whose pairs another rule already makes only costs a
    # join, so none is kept.)
    Rule("birth date and first given name", ("dob_set", "given_first")),
    Rule("birth date and paternal surname", ("dob_set", "paternal")),
    Rule("birth date and maternal surname", ("dob_set", "maternal")),
    Rule("all three names", ("given", "paternal", "maternal")),
    # A wrong year (a typed digit, an age taken for a date); the given names
    # and paternal surname whole are a narrower form of the first rule here.
    Rule(
        "first given name, sound of the paternal surname, birth day and month",
        ("given_first", "paternal_sound", "md_set"),
    ),
    Rule(
        "first given name, maternal surname, birth day and month",
        ("given_first", "maternal", "md_set"),
    ),
    Rule("both surnames in any order, birth day and month", ("surnames", "md_set")),
    Rule(
        "given names and paternal surname, a maternal surname missing",
        ("given", "paternal"),
        missing="maternal",
        years=3,
    ),
    # A typo in one name and a wrong digit in the day or the month (the
    # given names with the paternal surname's initial cover the given names
    # with the whole surname).
    *(
        Rule(f"{label}, birth year and {part}", (*names, column))
        for label, names in _NAME_PAIRS[1:]
        for part, column in (("month", "dob_ym"), ("day", "dob_yd"))
    ),
    # Birth years in four-year bands, twice offset: years two apart (ages
    # stated on days years apart, or a year off) share at least one band.
    # (For the given names and paternal surname, the first given name and the
    # surname's sound below are the wider form.)
    *(
        Rule(
            f"{label} and estimated birth year ({text})",
            (*names, f"birth_year_{band}"),
            estimated=True,
        )
        for label, names in _NAME_PAIRS[1:]
        for band, text in _BANDS.items()
    ),
    # Surnames swapped, or both written in one field (national runs only;
    # with the given names, the first given name below is the wider form,
    # with the birth date, the day and month above).
    *(
        Rule(
            f"both surnames in any order and estimated birth year ({band})",
            ("surnames", f"birth_year_{band}"),
            estimated=True,
        )
        for band in ("even", "odd")
    ),
    # No birth year at all: the surnames and an initial must do.
    Rule(
        "both surnames in any order and initial of the given names, a birth year missing",
        ("surnames", "given_initial"),
        missing="birth_year",
    ),
    # A typo in a name and a wrong digit in the date: the other name whole,
    # the mistyped one by its initial.
    *(
        Rule(f"{label}, {part}", (*names, column))
        for label, names in _NAME_AND_INITIAL
        for part, column in _DATE_PARTS
    ),
    # An age for a date, a given name partly written and no maternal surname
    # (without that last condition an initial, a surname and a year pair too
    # many records; a mistyped surname with an age is left to the rules on
    # the other names).
    *(
        Rule(
            f"initial of the given names and paternal surname and estimated birth year ({band})",
            ("given_initial", "paternal", f"birth_year_{band}"),
            estimated=True,
            missing="maternal",
        )
        for band in ("even", "odd")
    ),
    # A compound given name written partly (or its second word an initial),
    # a surname spelt as it sounds or written with the other in one field,
    # and an age for a date, or no birth year at all: the first given name
    # as written and the sound of the paternal surname.
    *(
        Rule(
            f"first given name, sound of the paternal surname, estimated birth year ({text})",
            ("given_first", "paternal_sound", f"birth_year_{band}"),
            estimated=True,
        )
        for band, text in _BANDS.items()
    ),
    Rule(
        "first given name and sound of the paternal surname, a birth year missing",
        ("given_first", "paternal_sound"),
        missing="birth_year",
    ),
    # Surnames swapped and a typo in the date (national runs only).
    Rule("first given name and both surnames in any order", ("given_first", "surnames")),
    Rule(
        "given name and surname swapped",
        ("given", "paternal"),
        ("paternal", "given"),
        years=2,
    ),
)
