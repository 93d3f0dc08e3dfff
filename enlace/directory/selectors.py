from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.utils.translation import get_language

from enlace.directory.models import CountryProfile, ExchangeRate


def profile_current() -> CountryProfile:
    return CountryProfile.objects.get(code=settings.COUNTRY_PROFILE)


def profile_requires_approval(step: str) -> bool:
    """Whether the country profile makes ``step`` (``case_closure``) wait for a supervisor."""
    profile = CountryProfile.objects.filter(code=settings.COUNTRY_PROFILE).first()
    return profile is not None and step in profile.supervisor_approves


def usd_rate_for_year(year: int) -> Decimal | None:
    rate = ExchangeRate.objects.filter(profile__code=settings.COUNTRY_PROFILE, year=year).first()
    return rate.usd_per_unit if rate else None


def vocabulary_terms(name: str) -> list[dict[str, str]]:
    """The terms of the profile's trafficking vocabulary ``name`` (``control_methods``...):
    code, HTCDS value and labels, in the profile's order."""
    profile = CountryProfile.objects.filter(code=settings.COUNTRY_PROFILE).first()
    terms: list[dict[str, str]] = (
        profile.trafficking_vocabularies.get(name, []) if profile is not None else []
    )
    return terms


def vocabulary_choices(name: str) -> list[tuple[str, str]]:
    """(code, label in the interface's language) of each term of a trafficking vocabulary."""
    spanish = (get_language() or "").startswith("es")
    return [(t["code"], t["es"] if spanish else t["en"]) for t in vocabulary_terms(name)]
