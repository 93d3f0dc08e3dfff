"""A trend in one sentence, as the seed states rises and falls: "a decrease from 740 in 2016"."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from enlace.statistics.narrative.language import Language


class YearValue(Protocol):
    @property
    def year(self) -> int: ...

    @property
    def value(self) -> int: ...


def trend_sentence(label: str, points: Sequence[YearValue], language: Language) -> str | None:
    """ "Identified: 667 in 2017, a decrease from 740 in 2016; fewer for the second consecutive
    year." The latest year against the one before; nothing when the year before has no data."""
    if len(points) < 2 or points[-1].year - points[-2].year != 1:
        return None
    last, before = points[-1], points[-2]
    direction = _direction(before.value, last.value)
    text = (
        f"{label}: {language.number(last.value)} {language.in_year(last.year)}, "
        f"{language.change_from(direction, before.value, before.year)}"
    )
    run = _run(points, direction)
    if direction and run >= 2:
        text += f"; {language.consecutive(direction, run)}"
    return f"{text}."


def _direction(before: int, after: int) -> int:
    return (after > before) - (after < before)


def _run(points: Sequence[YearValue], direction: int) -> int:
    """How many consecutive years, ending with the last, moved in ``direction``."""
    run = 0
    for later, earlier in zip(reversed(points), list(reversed(points))[1:], strict=False):
        if later.year - earlier.year != 1 or _direction(earlier.value, later.value) != direction:
            break
        run += 1
    return run
