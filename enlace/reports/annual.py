"""The national annual report: the seed document, regenerated from records."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings

from enlace.assistance.models import Shelter
from enlace.directory.models import Agency, Country, CountryProfile
from enlace.directory.selectors import usd_rate_for_year
from enlace.funds.money import to_usd
from enlace.statistics import indicators as ind
from enlace.statistics import path

PREVIOUS_YEARS = 2
# The agency that runs consular identification abroad, named in the report's prose.
CONSULAR_MINISTRY_KIND = Agency.Kind.CONSULAR


def _money(value: Decimal) -> str:
    return f"{value:.2f}"


def _usd(value: Decimal, rate: Decimal | None) -> str | None:
    return str(to_usd(value, rate)) if rate is not None else None


def annual_report(year: int) -> dict[str, Any]:
    """Every figure of the annual report for ``year``, keyed as the JSON report gives them.

    A section or a previous year without any records is absent, not zero.
    """
    previous = [year - i for i in range(1, PREVIOUS_YEARS + 1)]
    report: dict[str, Any] = {"year": year}

    if ind.years_with_data("domestic", [year]):
        earlier = ind.years_with_data("domestic", previous)
        report["identified"] = {
            "total": ind.identified_total(year),
            "total_range": ind.identified_total_range(year),
            "by_form": ind.identified_by_form(year),
            "by_sex": ind.identified_by_sex(year),
            "by_level": ind.identified_by_level(year),
            "previous_years": {str(y): ind.identified_total(y) for y in earlier},
            "by_level_previous_years": _by_level_previous(earlier),
        }
    if ind.years_with_data("abroad", [year]):
        report["identified_abroad"] = {
            "total": ind.identified_abroad_total(year),
            "by_country": ind.identified_abroad_by_country(year),
            "by_form": ind.identified_abroad_by_form(year),
            "previous_years": {
                str(y): ind.identified_abroad_total(y)
                for y in ind.years_with_data("abroad", previous)
            },
        }
    if assisted := ind.assisted_by_agency(year):
        report["assisted"] = {"by_agency": assisted}
    if sheltered := ind.sheltered_by_shelter(year):
        report["sheltered"] = {"by_shelter": sheltered}
    if ind.years_with_data("visas", [year]):
        report["humanitarian_visas"] = {
            "granted": ind.visas_granted(year),
            "previous_years": {
                str(y): ind.visas_granted(y) for y in ind.years_with_data("visas", previous)
            },
        }
    if funds := _funds(year):
        report["funds"] = funds
    if capacity := _capacity(year):
        report["capacity"] = capacity
    if "identified" in report:
        report["path"] = _path(year)
    report["names"] = _names(report)
    return report


def _path(year: int) -> dict[str, Any]:
    """Where the people identified in the year went next, and how long each step took."""

    def money(figures: dict[str, Any]) -> dict[str, Any]:
        return {
            **figures,
            "amount_mxn": _money(figures["amount_mxn"]),
            "amount_usd": str(figures["amount_usd"]) if figures["amount_usd"] is not None else None,
        }

    return {
        "referrals": path.referrals_total(year),
        "referral_acceptance_days": path.referral_acceptance_days(year)["all"],
        "funnel": path.path_funnel(year),
        "shelter_stay_days": path.shelter_stay_days(year),
        "visa_wait_days": path.visa_wait_days(year),
        "foreign_without_visa_request": path.foreign_without_visa_request(year),
        "restitution_ordered": money(path.restitution_ordered(year)),
        "restitution_paid": money(path.restitution_paid(year)),
    }


def _capacity(year: int) -> dict[str, Any]:
    """Officials trained in the year, and the jurisdictions with a protocol by its end."""
    capacity: dict[str, Any] = {}
    if ind.years_with_data("training", [year]):
        capacity["officials_trained"] = ind.officials_trained(year)
    if ind.years_with_data("protocols", [year]):
        capacity["protocol_adoption"] = ind.jurisdictions_with_protocol(year)
    return capacity


def _by_level_previous(years: list[int]) -> dict[str, dict[str, int]]:
    result: dict[str, dict[str, int]] = {}
    for y in years:
        for level, n in ind.identified_by_level(y).items():
            result.setdefault(level, {})[str(y)] = n
    return result


def _funds(year: int) -> dict[str, Any]:
    rate = usd_rate_for_year(year)
    funds: dict[str, Any] = {}
    if established := ind.funds_established(year):
        funds["established"] = [
            {
                "fund": f["fund"],
                "administrator": f["administrator"],
                "endowment_mxn": _money(f["endowment_mxn"]) if f["endowment_mxn"] else None,
                "endowment_usd": _usd(f["endowment_mxn"], rate) if f["endowment_mxn"] else None,
                "established_on": f["established_on"].isoformat(),
                "disbursing_from": f["disbursing_from"].isoformat()
                if f["disbursing_from"]
                else None,
            }
            for f in established
        ]
    if disbursed := ind.disbursed_by_fund(year):
        funds["disbursed_by_fund"] = {
            code: {
                "amount_mxn": _money(d["amount_mxn"]),
                "amount_usd": _usd(d["amount_mxn"], rate),
                "people": d["people"],
            }
            for code, d in disbursed.items()
        }
    if grants := ind.grants_by_grantor(year):
        funds["grants"] = [
            {**g, "amount_mxn": _money(g["amount_mxn"]), "amount_usd": _usd(g["amount_mxn"], rate)}
            for g in grants
        ]
    if funds and rate is not None:
        funds["usd_rate"] = str(rate)
    return funds


def _names(report: dict[str, Any]) -> dict[str, Any]:
    """Names the prose needs for the codes the figures use; no person is ever named."""
    codes: set[str] = set(report.get("assisted", {}).get("by_agency", {}))
    funds = report.get("funds", {})
    codes |= {f["administrator"] for f in funds.get("established", [])}
    codes |= {g["grantor"] for g in funds.get("grants", [])}
    shelter_codes = set(report.get("sheltered", {}).get("by_shelter", {}))
    shelters = Shelter.objects.filter(code__in=shelter_codes).select_related(
        "operator", "jurisdiction"
    )
    codes |= {s.operator.code for s in shelters}
    agencies = Agency.objects.filter(code__in=codes)
    if "identified_abroad" in report:
        # The ministry that runs the consulates, not each consulate, speaks in the report.
        agencies = agencies | Agency.objects.filter(
            kind=CONSULAR_MINISTRY_KIND, level=Agency.Level.FEDERAL
        )
    country_codes = set(report.get("identified_abroad", {}).get("by_country", {}))
    profile = CountryProfile.objects.filter(code=settings.COUNTRY_PROFILE).first()
    return {
        "agencies": {
            a.code: {"en": a.name_en or a.name, "es": a.name, "level": a.level, "kind": a.kind}
            for a in agencies.order_by("code")
        },
        "shelters": {
            s.code: {
                "name": s.name,
                "operator": s.operator.code,
                "kind": s.kind,
                "jurisdiction": s.jurisdiction.name,
                "jurisdiction_en": s.jurisdiction.name_en or s.jurisdiction.name,
            }
            for s in shelters.order_by("code")
        },
        "countries": {
            c.iso2: {"en": c.name, "es": c.name_es}
            for c in Country.objects.filter(iso2__in=country_codes).order_by("iso2")
        },
        "nationality_adjective": profile.nationality_adjective if profile else {},
        # The currency's ISO code and, by language, its name and how dollars are written.
        "currency": {"code": profile.currency, **profile.currency_words} if profile else {},
    }
