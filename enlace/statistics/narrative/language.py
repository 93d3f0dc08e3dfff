"""What a language gives the narrative: its words, one subclass of ``Language`` a language.

``common.py`` decides which sentences the report's figures make; a language
module (``en.py``, ``es.py``) words them, and a third language is one more
module, listed in ``narrative/__init__.py``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

MILLION = Decimal(1_000_000)


class Language(ABC):
    """The words of one language: one subclass a language, in a module of its own."""

    code: str
    # Numbers under ten are spelled out: zero to nine.
    digits: tuple[str, ...]
    conjunction: str
    # Before the conjunction of a list of three or more ("," or "").
    serial_comma: str
    # By form (``common.FORMS``): "for sex trafficking"; and as a noun modifier
    # ("forced labor victims"), where "other" and "unspecified" have none.
    form_purposes: Mapping[str, str]
    form_modifiers: Mapping[str, str]
    trafficking_modifier: str
    sex_outcomes: Mapping[str, str]
    level_subjects: Mapping[str, str]
    government: str
    approximately: str
    less_than_one_percent: str
    abroad: str
    including: str
    # The shelter's place in the report's names: the jurisdiction's own name or its English one.
    jurisdiction_key: str
    # How dollars are written where the profile does not say: "sign" or "words".
    dollars_written: str

    def number(self, n: int, *, feminine: bool = False) -> str:
        """Spell out numbers under ten and write the rest as digits, as style guides ask."""
        if 0 <= n < 10:
            return self.digits[n]
        return format_int(n)

    def join(self, items: Iterable[str]) -> str:
        words = list(items)
        if len(words) <= 2:
            return f" {self.conjunction} ".join(words)
        return f"{', '.join(words[:-1])}{self.serial_comma} {self.conjunction} {words[-1]}"

    def money(
        self,
        amount: str | Decimal,
        amount_usd: str | Decimal | None = None,
        currency: Mapping[str, Any] | None = None,
    ) -> str:
        """An amount in the profile's currency with its dollar equivalent; a whole number of
        millions is a round figure.

        ``currency`` is the report's ``names.currency``: the ISO code and, by language,
        the currency's name (``one``, ``other``) and how dollars are written (``dollars``:
        ``sign`` or ``words``). Without a name, the ISO code names the currency.
        """
        currency = currency or {}
        words = currency.get(self.code) or {}
        other = words.get("other") or currency.get("code") or ""
        one = words.get("one") or other
        value = Decimal(amount)
        if value >= MILLION and value % MILLION == 0:
            text = self.millions_of(int(value / MILLION), other)
        else:
            text = f"{format_decimal(value)} {one if value == 1 else other}".rstrip()
        if amount_usd is None:
            return text
        spelled = (words.get("dollars") or self.dollars_written) == "words"
        return f"{text} ({self.dollars(Decimal(amount_usd), spelled=spelled)})"

    @abstractmethod
    def millions_of(self, millions: int, currency: str) -> str:
        """A round number of millions: "approximately 3 million pesos"."""

    @abstractmethod
    def dollars(self, amount: Decimal, *, spelled: bool) -> str:
        """US dollars, with the sign ("$30,370") or spelled out ("30,370 dollars")."""

    @abstractmethod
    def month_year(self, day: date) -> str: ...

    @abstractmethod
    def in_year(self, year: Any) -> str: ...

    @abstractmethod
    def compared_to(self, items: str) -> str: ...

    @abstractmethod
    def article(self, name: str) -> str:
        """The definite article for a name that has none."""

    @abstractmethod
    def victims(self, n: int) -> str: ...

    @abstractmethod
    def trafficking_victims(self, n: int) -> str: ...

    # Paragraph one: identification.

    @abstractmethod
    def identified(self, total: int) -> str: ...

    @abstractmethod
    def after_forms(self, compared: str) -> str:
        """What closes the list of forms: a dash, and the earlier years if any."""

    @abstractmethod
    def total_range(self, low: int, high: int) -> str: ...

    @abstractmethod
    def percent(self, share: int) -> str: ...

    @abstractmethod
    def of_the_identified(self, total: int) -> str: ...

    @abstractmethod
    def identified_abroad(
        self, subject: str, total: int, adjective: str | None, modifier: str
    ) -> str: ...

    @abstractmethod
    def in_country(self, name: str) -> str: ...

    @abstractmethod
    def elsewhere(self, countries: int) -> str: ...

    # Paragraph two: shelters.

    @abstractmethod
    def sheltered(self, operator: str | None, place: str | None, count: int) -> str: ...

    # Paragraph three: funds and assistance.

    @abstractmethod
    def fund_established(
        self, year: Any, subject: str, emergency: bool, money: str | None, since: date | None
    ) -> str: ...

    @abstractmethod
    def grant(
        self, subject: str, money: str | None, grantees: int | None, served: int | None
    ) -> str: ...

    @abstractmethod
    def assisted(self, subject: str, count: int) -> str: ...

    @abstractmethod
    def prosecuted(self, subject: str, count: int) -> str:
        """A prosecutor's victims, in criminal proceedings."""

    @abstractmethod
    def assisted_foreigners(self, count: int) -> str: ...

    @abstractmethod
    def visas_granted(self, count: int) -> str: ...

    # Trends.

    @abstractmethod
    def change_from(self, direction: int, before: int, year: Any) -> str:
        """ "a decrease from 740 in 2016": ``direction`` is -1 (fell), 0 or 1 (rose)."""

    @abstractmethod
    def consecutive(self, direction: int, years: int) -> str:
        """ "fewer for the second consecutive year", for ``years`` (2 or more) in a row."""


def format_int(n: int) -> str:
    """Group thousands with commas: "1,814". Mexican Spanish groups them the same way."""
    return f"{n:,}"


def format_decimal(value: Decimal) -> str:
    if value == value.to_integral_value():
        return format_int(int(value))
    return f"{value:,.2f}"
