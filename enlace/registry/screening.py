"""Scoring a protocol's questionnaire. Pure."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import NamedTuple


class Indicator(NamedTuple):
    code: str
    weight: int


class ScreeningResult(NamedTuple):
    score: int
    proposes_potential_victim: bool


def screening_score(
    indicators: Iterable[Indicator], answers: Mapping[str, bool], threshold: int
) -> ScreeningResult:
    """Add the weights of the indicators answered yes; at the threshold, propose a potential victim.

    An answer for an indicator the protocol does not have is an error, not
    something to ignore: it means the form and the protocol disagree.
    """
    weights = {i.code: i.weight for i in indicators}
    unknown = sorted(set(answers) - set(weights))
    if unknown:
        raise ValueError(f"unknown indicators: {', '.join(unknown)}")
    score = sum(weights[code] for code, yes in answers.items() if yes)
    return ScreeningResult(score, score >= threshold)
