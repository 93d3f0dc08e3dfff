"""The comparisons of the matching model, each level written once. Pure.

A level renders itself as SQL for Splink (run over the whole registry) and
evaluates itself in Python on two encoded rows (a new record checked against
its candidates at write time); a test holds the two to the same answers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from enlace.linkage.bloom import BITS, dice
from enlace.linkage.features import Mode

Row = Mapping[str, Any]


@dataclass(frozen=True)
class Level:
    label: str
    kind: str  # null, exact, crossed, similar, contains, swapped, surnames, year, dates, else
    column: str = ""
    other: str = ""
    threshold: float = 0.0
    tf: bool = False
    # A level whose evidence another comparison already counts carries no weight.
    neutral: bool = False
    # The starting m-probability, where the level's kind does not give the right one.
    m: float | None = None

    def sql(self, mode: Mode) -> str:
        c, o = self.column, self.other or self.column
        if self.kind == "null":
            return f'"{c}_l" IS NULL OR "{c}_r" IS NULL'
        if self.kind == "exact":
            return f'"{c}_l" = "{c}_r"'
        if self.kind == "crossed":
            return f'"{c}_l" = "{o}_r" AND "{o}_l" = "{c}_r"'
        if self.kind == "similar":
            return _similar_sql(c, o, self.threshold, mode)
        if self.kind == "contains":
            return _contains_sql(c, self.threshold, mode)
        if self.kind == "surnames":
            return _similar_sql("surnames", "surnames", self.threshold, mode)
        if self.kind == "swapped":
            return (
                f"{_similar_sql('given', 'paternal', self.threshold, mode)} AND "
                f"{_similar_sql('paternal', 'given', self.threshold, mode)}"
            )
        if self.kind == "dates":
            return '"birth_year_exact_l" AND "birth_year_exact_r"'
        if self.kind == "year":
            # Years are compared when one of them is only estimated from an
            # age: two birth dates that differ are different dates.
            return (
                f'abs("{c}_l" - "{c}_r") <= {int(self.threshold)}'
                ' AND NOT ("birth_year_exact_l" AND "birth_year_exact_r")'
            )
        return "ELSE"

    def holds(self, left: Row, right: Row) -> bool:
        """The same test on two encoded rows."""
        c, o = self.column, self.other or self.column
        if self.kind == "null":
            return left[c] is None or right[c] is None
        if self.kind == "exact":
            return left[c] is not None and left[c] == right[c]
        if self.kind == "crossed":
            return left[c] is not None and left[c] == right[o] and left[o] == right[c]
        if self.kind == "similar":
            return _similar(left, right, c, o, self.threshold)
        if self.kind == "contains":
            a, b = _bits(left, c), _bits(right, c)
            if a is None or b is None:
                return False
            return (a & b).bit_count() >= self.threshold * min(a.bit_count(), b.bit_count())
        if self.kind == "surnames":
            a, b = surnames_bits(left), surnames_bits(right)
            return a is not None and b is not None and dice(a, b) >= self.threshold
        if self.kind == "swapped":
            return _similar(left, right, "given", "paternal", self.threshold) and _similar(
                left, right, "paternal", "given", self.threshold
            )
        if self.kind == "dates":
            return bool(left["birth_year_exact"] and right["birth_year_exact"])
        if self.kind == "year":
            a, b = left[c], right[c]
            both_dates = left["birth_year_exact"] and right["birth_year_exact"]
            return (
                a is not None and b is not None and abs(a - b) <= self.threshold and not both_dates
            )
        return True

    def settings(self, mode: Mode) -> dict[str, Any]:
        out: dict[str, Any] = {"sql_condition": self.sql(mode), "label_for_charts": self.label}
        if self.kind == "null":
            out["is_null_level"] = True
        if self.tf:
            # The weight is log2(m / the larger of the two values' frequencies),
            # on every level (``scoring.score``): not Splink's default, which
            # scales a level's weight by the exact level's u.
            out.update(
                tf_adjustment_column=self.column,
                tf_adjustment_weight=1.0,
                disable_tf_exact_match_detection=True,
            )
        if self.neutral:
            out.update(
                m_probability=0.5, u_probability=0.5, fix_m_probability=True, fix_u_probability=True
            )
        return out


# In SQL an encoding is held as this many 64-bit words (``engine._load``): an
# intersection counted word by word makes no bitstring for each pair, which
# made most of the scoring time (bench/linkage_prediction.py).
WORDS = BITS // 64


def _intersection(column: str, other: str) -> str:
    """The SQL of the number of bits two encodings share."""
    words = " + ".join(f'bit_count("{column}_w{i}_l" & "{other}_w{i}_r")' for i in range(WORDS))
    return f"({words})"


def _similar_sql(column: str, other: str, threshold: float, mode: Mode) -> str:
    if mode == "encoded":
        return (
            f"2.0 * {_intersection(column, other)}"
            f' / ("{column}_pc_l" + "{other}_pc_r") >= {threshold}'
        )
    if column == "dob":  # dates are digits: one digit wrong is one edit
        return 'damerau_levenshtein("dob_l", "dob_r") <= 1'
    return f'jaro_winkler_similarity("{column}_l", "{other}_r") >= {threshold}'


def _contains_sql(column: str, threshold: float, mode: Mode) -> str:
    """One name's pieces nearly all among the other's: a compound name written
    partly, a second name as an initial, a name cut short."""
    if mode == "encoded":
        return (
            f"{_intersection(column, column)}"
            f' >= {threshold} * least("{column}_pc_l", "{column}_pc_r")'
        )
    words = f"string_split(\"{column}_l\", ' ')", f"string_split(\"{column}_r\", ' ')"
    return f"(list_has_all({words[0]}, {words[1]}) OR list_has_all({words[1]}, {words[0]}))"


def _bits(row: Row, column: str) -> int | None:
    value = row[f"{column}_bf"]
    return None if value is None else int.from_bytes(value)


def surnames_bits(row: Row) -> int | None:
    """Both surnames as one encoding, whichever field holds which: the union of their
    bits is the encoding of the two written in one field (bigrams are per word)."""
    paternal = _bits(row, "paternal")
    if paternal is None:
        return None
    return paternal | (_bits(row, "maternal") or 0)


def _similar(left: Row, right: Row, column: str, other: str, threshold: float) -> bool:
    a, b = left[f"{column}_bf"], right[f"{other}_bf"]
    if a is None or b is None:
        return False
    return dice(int.from_bytes(a), int.from_bytes(b)) >= threshold


def _missing(column: str) -> Level:
    return Level("missing", "null", column)


DIFFERENT = Level("different", "else")

# Name, levels most alike first. The same levels in both modes.
COMPARISONS: tuple[tuple[str, tuple[Level, ...]], ...] = (
    ("curp", (_missing("curp"), Level("exact", "exact", "curp"), DIFFERENT)),
    ("passport", (_missing("passport"), Level("exact", "exact", "passport"), DIFFERENT)),
    (
        "given",
        (
            _missing("given"),
            Level("exact", "exact", "given", tf=True),
            Level("swapped with the paternal surname", "swapped", threshold=0.8),
            Level("very similar", "similar", "given", threshold=0.88),
            Level("one within the other", "contains", "given", threshold=0.9),
            # A second given name as an initial, or written on one side only.
            Level("the same first given name", "exact", "given_first"),
            Level("similar", "similar", "given", threshold=0.7),
            DIFFERENT,
        ),
    ),
    (
        "paternal",
        (
            _missing("paternal"),
            Level("exact", "exact", "paternal", tf=True),
            # Counted once, in the given-names comparison.
            Level("swapped with the given names", "swapped", threshold=0.8, neutral=True),
            # Swapped with the maternal surname: as strong as each surname is rare.
            Level("swapped with the maternal surname", "crossed", "paternal", "maternal", tf=True),
            # Swapped with the maternal surname, or both written in this field.
            Level("both surnames alike, either order", "surnames", threshold=0.9),
            Level("very similar", "similar", "paternal", threshold=0.88),
            # Both surnames in this field on one side, one on the other.
            Level("one within the other", "contains", "paternal", threshold=0.9),
            Level("similar", "similar", "paternal", threshold=0.7),
            DIFFERENT,
        ),
    ),
    (
        "maternal",
        (
            _missing("maternal"),
            Level("exact", "exact", "maternal", tf=True),
            Level("swapped with the paternal surname", "crossed", "maternal", "paternal", tf=True),
            # Counted once, in the paternal-surname comparison.
            Level("both surnames alike, either order", "surnames", threshold=0.9, neutral=True),
            Level("similar", "similar", "maternal", threshold=0.85),
            DIFFERENT,
        ),
    ),
    (
        "birth",
        (
            _missing("birth_year"),
            Level("exact", "exact", "dob"),
            Level("day and month swapped", "exact", "dob_set"),
            Level("one digit different", "similar", "dob", threshold=0.85),
            # An age most often means one year (``features.estimated_birth_year``),
            # the year next to it less often.
            Level("the year of an estimate", "year", "birth_year", threshold=0),
            Level("within a year of an estimate", "year", "birth_year", threshold=1),
            # An age stated on a known day is seldom more than a year off the
            # date; among the pairs sharing a CURP or passport that train
            # the model, further off is seldom seen at all, and an untrained
            # level keeps its starting value: a low one.
            Level("within three years of an estimate", "year", "birth_year", threshold=3, m=0.01),
            # Apart from an estimate far off: two dates are strong evidence
            # against a match, an age is weaker.
            Level("two different dates", "dates"),
            Level("different", "else", m=0.005),
        ),
    ),
    ("sex", (_missing("sex"), Level("exact", "exact", "sex"), DIFFERENT)),
    (
        "nationality",
        (_missing("nationality"), Level("exact", "exact", "nationality"), DIFFERENT),
    ),
)


# Starting values, kept where the data cannot train a level (a clean registry
# may never show a typo among its matches): agreement is likely among matches
# and rare among non-matches, disagreement the reverse.
STARTING_M = {
    "exact": 0.85,
    "crossed": 0.02,
    "similar": 0.05,
    "contains": 0.05,
    "swapped": 0.01,
    "surnames": 0.02,
    "year": 0.03,
    "dates": 0.01,
    "else": 0.03,
}
STARTING_U = {
    "exact": 0.01,
    "crossed": 0.001,
    "similar": 0.01,
    "contains": 0.005,
    "swapped": 0.0001,
    "surnames": 0.0001,
    "year": 0.05,
    "dates": 0.9,
    "else": 0.9,
}


def splink_comparisons(mode: Mode) -> list[Any]:
    out = []
    for name, levels in COMPARISONS:
        settings = []
        for level in levels:
            values = level.settings(mode)
            if level.kind != "null" and not level.neutral:
                values.setdefault("m_probability", level.m or STARTING_M[level.kind])
                values.setdefault("u_probability", STARTING_U[level.kind])
            settings.append(values)
        out.append({"output_column_name": name, "comparison_levels": settings})
    return out


def fits(model: Mapping[str, Any]) -> bool:
    """Whether a stored model has the levels of these comparisons: a run made
    before an upgrade changed them must not score pairs."""
    trained = {
        c["output_column_name"]: c["comparison_levels"] for c in model.get("comparisons", [])
    }
    return all(len(trained.get(name, ())) == len(levels) for name, levels in COMPARISONS)


def pattern(left: Row, right: Row) -> dict[str, int]:
    """The agreement pattern of two encoded rows: each comparison's level, as Splink numbers
    them (the null level is -1, then the last level is 0, counting up to the most alike)."""
    out: dict[str, int] = {}
    for name, levels in COMPARISONS:
        for index, level in enumerate(levels):
            if level.holds(left, right):
                out[name] = -1 if level.kind == "null" else len(levels) - 1 - index
                break
    return out
