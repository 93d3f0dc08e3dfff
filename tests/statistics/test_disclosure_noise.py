"""The differentially private release adds noise of the scale its epsilon promises.

OpenDP draws its noise from a cryptographically secure generator that cannot
be seeded, on purpose: a seed would let anyone who learns it subtract the
noise. So these tests cannot fix a seed. Instead each draws 20,000 noisy
counts in one call and compares their variance with the discrete Laplace
variance for scale = sensitivity / epsilon, with a tolerance of about eight
standard errors of the sample variance (its standard error is about
sigma^2 * sqrt(5 / n) for this distribution): a correct release fails with a
probability far below one in a million, and a release at twice or half the
scale is always far outside it.
"""

from __future__ import annotations

import math
import statistics

import pytest

from enlace.statistics.disclosure import (
    discrete_laplace_variance,
    dp_release,
    noise_scale,
    noisy_vector,
)

N = 20_000


def _sample_variance(*, epsilon: float, sensitivity: int, mechanism: str) -> tuple[float, float]:
    true = [50] * N
    noisy, scale = noisy_vector(true, epsilon=epsilon, sensitivity=sensitivity, mechanism=mechanism)
    noise = [v - 50 for v in noisy]
    assert abs(statistics.fmean(noise)) < 8 * math.sqrt(discrete_laplace_variance(scale) / N)
    return statistics.pvariance(noise, mu=0), scale


@pytest.mark.parametrize(
    ("epsilon", "sensitivity", "mechanism"),
    [(1.0, 1, "laplace"), (0.5, 1, "laplace"), (1.0, 6, "laplace"), (1.0, 1, "geometric")],
)
def test_the_noise_has_the_variance_of_its_epsilon(
    epsilon: float, sensitivity: int, mechanism: str
) -> None:
    variance, scale = _sample_variance(
        epsilon=epsilon, sensitivity=sensitivity, mechanism=mechanism
    )
    assert scale == sensitivity / epsilon
    expected = discrete_laplace_variance(scale)
    tolerance = 8 * expected * math.sqrt(5 / N)
    assert abs(variance - expected) < tolerance, (variance, expected)
    # The neighbouring budgets are told apart: half or twice the scale is far off.
    assert abs(variance - discrete_laplace_variance(scale / 2)) > tolerance
    assert abs(variance - discrete_laplace_variance(scale * 2)) > tolerance


def test_the_variance_formula_is_the_discrete_laplace_one() -> None:
    # Scale 1: P(x) = (e - 1) / (e + 1) * e^-|x|; summing x^2 P(x) directly.
    q = math.exp(-1)
    direct = sum(x * x * (1 - q) / (1 + q) * q ** abs(x) for x in range(-200, 201))
    assert discrete_laplace_variance(1.0) == pytest.approx(direct)


def test_a_release_clamps_at_zero_and_keeps_every_category() -> None:
    table = dp_release(
        {"male": 0, "female": 0, "unspecified": 0}, epsilon=0.1, sensitivity=1, mechanism="laplace"
    )
    assert list(table.counts) == ["male", "female", "unspecified"]
    assert all(v >= 0 for v in table.counts.values())
    assert (table.epsilon, table.sensitivity, table.scale) == (0.1, 1, 10.0)


def test_it_refuses_a_budget_that_is_not_positive_and_an_unknown_mechanism() -> None:
    with pytest.raises(ValueError, match="epsilon"):
        noise_scale(epsilon=0, sensitivity=1)
    with pytest.raises(ValueError, match="mechanism"):
        noisy_vector([1], epsilon=1.0, sensitivity=1, mechanism="gaussian")
