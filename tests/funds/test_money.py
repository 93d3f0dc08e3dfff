"""Converting pesos to the dollars the report prints. Pure: no database."""

from __future__ import annotations

from decimal import Decimal

import pytest

from enlace.funds.money import to_usd

RATE_2017 = Decimal("0.05075")


def test_it_rounds_to_the_nearest_ten_dollars() -> None:
    # 598,500 pesos are $30,373.88.
    assert to_usd(Decimal(598500), RATE_2017) == Decimal(30370)


def test_it_keeps_an_exact_amount() -> None:
    # The emergency fund's 3 million pesos.
    assert to_usd(Decimal(3000000), RATE_2017) == Decimal(152250)


@pytest.mark.parametrize(
    ("pesos", "usd"),
    [("98.52", 0), ("98.53", 10), ("295.56", 10), ("295.57", 20)],
)
def test_it_rounds_to_the_nearer_ten(pesos: str, usd: int) -> None:
    # 98.52 pesos are $4.99989, 98.53 are $5.00040.
    assert to_usd(Decimal(pesos), RATE_2017) == Decimal(usd)


@pytest.mark.parametrize(("pesos", "usd"), [(100, 10), (300, 20), (500, 30)])
def test_it_rounds_an_exact_half_up(pesos: int, usd: int) -> None:
    # $5, $15 and $25 exactly: always up, never to the even ten.
    assert to_usd(Decimal(pesos), Decimal("0.05")) == Decimal(usd)


def test_it_rounds_to_another_step() -> None:
    assert to_usd(Decimal(598500), RATE_2017, nearest=1) == Decimal(30374)
    assert to_usd(Decimal(598500), RATE_2017, nearest=1000) == Decimal(30000)


def test_it_returns_whole_dollars() -> None:
    # The report prints "$30,370", never "$30,370.00".
    assert str(to_usd(Decimal("598500.00"), RATE_2017)) == "30370"
