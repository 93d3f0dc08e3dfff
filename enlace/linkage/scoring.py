"""A trained model applied in Python to one pair: for write-time matching and review. Pure."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from enlace.linkage.comparisons import COMPARISONS, Row

# The share of records holding a token value, for term-frequency adjustment.
Frequency = Callable[[str, Any], float | None]


@dataclass(frozen=True)
class Score:
    probability: float
    weight: float
    # comparison → {"level": label, "weight": match weight in bits}; never values.
    pattern: dict[str, dict[str, Any]]


def score(
    left: Row, right: Row, model: Mapping[str, Any], frequency: Frequency | None = None
) -> Score:
    """Fellegi–Sunter: the prior odds plus each comparison's log2 Bayes factor."""
    prior = model["probability_two_random_records_match"]
    weight = math.log2(prior / (1 - prior))
    pattern: dict[str, dict[str, Any]] = {}
    trained = {c["output_column_name"]: c["comparison_levels"] for c in model["comparisons"]}
    for name, levels in COMPARISONS:
        for level, params in zip(levels, trained[name], strict=True):
            if not level.holds(left, right):
                continue
            w = 0.0
            if level.kind != "null":
                m = params.get("m_probability") or 1e-9
                u = params.get("u_probability") or 1e-9
                shares = (
                    [frequency(level.column, side[level.column]) for side in (left, right)]
                    if level.tf and frequency
                    else []
                )
                # As Splink: the larger of the two values' frequencies.
                share = max((s for s in shares if s), default=None)
                w = math.log2(m / (share if share else u))
            pattern[name] = {"level": level.label, "weight": round(w, 2)}
            weight += w
            break
    return Score(probability=1 / (1 + 2 ** (-weight)), weight=weight, pattern=pattern)
