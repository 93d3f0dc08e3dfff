"""The narrative in English, worded as the US State Department's Trafficking in Persons report."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from enlace.statistics.narrative.language import Language, format_decimal

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

# Country names read with "the" ("in the United States").
COUNTRIES_WITH_THE = frozenset(
    {
        "Bahamas",
        "Comoros",
        "Gambia",
        "Holy See",
        "Maldives",
        "Marshall Islands",
        "Netherlands",
        "Philippines",
        "Seychelles",
        "Solomon Islands",
    }
)


class English(Language):
    code = "en"
    digits = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
    # The serial comma: "A, B, and C".
    conjunction = "and"
    serial_comma = ","
    form_purposes = {
        "sex_trafficking": "for sex trafficking",
        "forced_labour": "for forced labor or services",
        "forced_begging": "for forced begging",
        "forced_criminality": "for forced criminality",
        "other": "for other purposes",
        "unspecified": "unspecified",
    }
    form_modifiers = {
        "sex_trafficking": "sex trafficking",
        "forced_labour": "forced labor",
        "forced_begging": "forced begging",
        "forced_criminality": "forced criminality",
    }
    trafficking_modifier = "trafficking"
    sex_outcomes = {
        "male": "were male",
        "female": "were female",
        "unspecified": "did not have their gender specified",
    }
    level_subjects = {
        "federal": "The federal government identified",
        "state": "The state governments identified",
        "municipal": "The municipal governments identified",
    }
    government = "The government"
    approximately = "approximately"
    less_than_one_percent = "less than 1 percent"
    abroad = "abroad"
    including = "including"
    jurisdiction_key = "jurisdiction_en"
    dollars_written = "sign"

    def millions_of(self, millions: int, currency: str) -> str:
        return f"approximately {millions} million {currency}".rstrip()

    def dollars(self, amount: Decimal, *, spelled: bool) -> str:
        if spelled:
            return f"{format_decimal(amount)} {'dollar' if amount == 1 else 'dollars'}"
        return f"${format_decimal(amount)}"

    def month_year(self, day: date) -> str:
        return f"{MONTHS[day.month - 1]} {day.year}"

    def in_year(self, year: Any) -> str:
        return f"in {year}"

    def compared_to(self, items: str) -> str:
        return f"compared to {items}"

    def article(self, name: str) -> str:
        return "The"

    def victims(self, n: int) -> str:
        return f"{self.number(n)} {'victim' if n == 1 else 'victims'}"

    def trafficking_victims(self, n: int) -> str:
        return f"{self.number(n)} trafficking {'victim' if n == 1 else 'victims'}"

    def identified(self, total: int) -> str:
        return f"The government reported identifying {self.trafficking_victims(total)}"

    def after_forms(self, compared: str) -> str:
        # The closing dash is dropped before the full stop.
        return f"\u2014{compared}" if compared else ""

    def total_range(self, low: int, high: int) -> str:
        return (
            f"Records still under review could make the total as low as {low:,}; "
            f"{high:,} counts them as linked so far."
        )

    def percent(self, share: int) -> str:
        return f"{share} percent"

    def of_the_identified(self, total: int) -> str:
        return f"Of the {self.trafficking_victims(total)} identified"

    def identified_abroad(
        self, subject: str, total: int, adjective: str | None, modifier: str
    ) -> str:
        victims = "victim" if total == 1 else "victims"
        described = " ".join(filter(None, [adjective, modifier, victims]))
        return f"{subject} identified and provided support to {self.number(total)} {described}"

    def in_country(self, name: str) -> str:
        needs_the = (
            name in COUNTRIES_WITH_THE
            or name.startswith(("United ", "Republic ", "Kingdom "))
            or name.endswith((" Republic", " Islands", " Emirates"))
        )
        return f"in the {name}" if needs_the else f"in {name}"

    def elsewhere(self, countries: int) -> str:
        return "in one other country" if countries == 1 else "in other countries"

    def sheltered(self, operator: str | None, place: str | None, count: int) -> str:
        where = f" in {_place(place)}" if place else ""
        victims = self.trafficking_victims(count)
        if operator is None:
            return f"A high-security shelter{where} provided shelter to {victims}."
        return (
            f"{operator} continued to operate a high-security shelter{where} "
            f"and provided shelter to {victims}."
        )

    def fund_established(
        self, year: Any, subject: str, emergency: bool, money: str | None, since: date | None
    ) -> str:
        text = f"In {year}, {subject}" if year else subject
        fund_name = "an emergency fund" if emergency else "a fund"
        text += f" signed an agreement for the creation of {fund_name}"
        if money is not None:
            text += f" of {money}"
        text += " to support trafficking victims"
        if since:
            text += f", which began to provide funding in {self.month_year(since)}"
        return f"{text}."

    def grant(
        self, subject: str, money: str | None, grantees: int | None, served: int | None
    ) -> str:
        if grantees is None:
            recipients = "NGOs"
        else:
            recipients = f"{self.number(grantees)} {'NGO' if grantees == 1 else 'NGOs'}"
        text = f"{subject} provided {money or 'funding'} to {recipients} to provide victim services"
        if served is not None:
            text += f" to {self.trafficking_victims(served)}"
        return f"{text}."

    def assisted(self, subject: str, count: int) -> str:
        return f"{subject} provided assistance to {self.victims(count)}."

    def prosecuted(self, subject: str, count: int) -> str:
        verb = "was" if count == 1 else "were"
        return (
            f"{subject} provided victim services to {self.trafficking_victims(count)} who {verb} "
            "participating in the legal process against their exploiters."
        )

    def assisted_foreigners(self, count: int) -> str:
        victims = "victim" if count == 1 else "victims"
        return (
            f"provided assistance to {self.number(count)} potential foreign trafficking {victims}"
        )

    def visas_granted(self, count: int) -> str:
        return (
            "issued temporary immigration relief in the form of humanitarian visas "
            f"to {self.victims(count)}"
        )

    def change_from(self, direction: int, before: int, year: Any) -> str:
        if direction == 0:
            return f"the same as in {year}"
        change = "a decrease" if direction < 0 else "an increase"
        return f"{change} from {self.number(before)} in {year}"

    def consecutive(self, direction: int, years: int) -> str:
        more = "fewer" if direction < 0 else "more"
        if years > len(ORDINALS) + 1:
            return f"{more} for {years} consecutive years"
        return f"{more} for the {ORDINALS[years - 2]} consecutive year"


ORDINALS = ("second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")


def _place(place: str) -> str:
    return f"the {place}" if place.startswith(("State of ", "City of ")) else place
