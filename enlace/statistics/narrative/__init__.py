"""The annual report's figures written as prose, in English or Spanish. Pure.

The wording follows the protection section of the US State Department's
Trafficking in Persons report on Mexico, so the figures the system produces
can go into the government's submission as they stand. ``common.py`` decides
the sentences; each language words them in a module of its own (``en.py``,
``es.py``), and a third language is one more module, added to ``_LANGUAGES``.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from enlace.statistics.narrative.common import Report, paragraphs, percent
from enlace.statistics.narrative.en import English
from enlace.statistics.narrative.es import Spanish
from enlace.statistics.narrative.language import Language, format_int
from enlace.statistics.narrative.trend import YearValue
from enlace.statistics.narrative.trend import trend_sentence as _trend_sentence

__all__ = [
    "LANGUAGES",
    "format_int",
    "format_money",
    "join_list",
    "month_year",
    "narrative",
    "number_words",
    "percent",
    "trend_sentence",
]

_LANGUAGES: dict[str, Language] = {language.code: language for language in (English(), Spanish())}
LANGUAGES = tuple(_LANGUAGES)


def narrative(report: Report, *, lang: str = "en") -> list[str]:
    """Paragraphs of prose for the report's figures, in ``lang`` ("en" or "es")."""
    return paragraphs(report, _language(lang))


def trend_sentence(label: str, points: Sequence[YearValue], *, lang: str = "en") -> str | None:
    """The latest year of a trend against the year before, as the seed words a fall:
    "Identified: 667 in 2017, a decrease from 740 in 2016; fewer for the second consecutive
    year." None without two consecutive years."""
    return _trend_sentence(label, points, _language(lang))


def number_words(n: int, lang: str = "en", *, feminine: bool = False) -> str:
    """Numbers under ten spelled out ("una" before a feminine Spanish noun), the rest in digits."""
    return _language(lang).number(n, feminine=feminine)


def format_money(
    amount: str | Decimal,
    amount_usd: str | Decimal | None = None,
    *,
    lang: str = "en",
    currency: Mapping[str, Any] | None = None,
) -> str:
    """An amount with its dollar equivalent, in the words of the report's ``names.currency``
    (the profile's): "598,500 pesos ($30,370)".

    A whole number of millions reads as a round figure, "approximately 3
    million pesos", as the report writes the fund's endowment. The profile says,
    by language, whether dollars are spelled out: Mexico's Spanish does, because
    "$" means pesos there.
    """
    return _language(lang).money(amount, amount_usd, currency)


def month_year(day: datetime.date, lang: str = "en") -> str:
    """Month and year as the report dates things: "April 2017", "abril de 2017"."""
    return _language(lang).month_year(day)


def join_list(items: Iterable[str], lang: str = "en") -> str:
    """Join with "and"; English takes the serial comma, Spanish never does."""
    return _language(lang).join(items)


def _language(lang: str) -> Language:
    try:
        return _LANGUAGES[lang]
    except KeyError:
        raise ValueError(
            f"unsupported language {lang!r}; use one of {', '.join(LANGUAGES)}"
        ) from None
