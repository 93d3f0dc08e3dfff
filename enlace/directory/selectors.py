from __future__ import annotations

from decimal import Decimal

from django.conf import settings

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
