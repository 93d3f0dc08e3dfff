"""Money conversions as the report writes them. Pure."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def to_usd(amount: Decimal, usd_per_unit: Decimal, *, nearest: int = 10) -> Decimal:
    """Convert to US dollars, rounded half up to the nearest ``nearest`` dollars.

    598,500 pesos at 0.05075 are 30,373.88 dollars, reported as $30,370.
    """
    usd = amount * usd_per_unit
    step = Decimal(nearest)
    return (usd / step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step
