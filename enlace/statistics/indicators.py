"""The registry of named indicators.

Every figure Enlace reports is one of these: a function of a year computed
with database aggregates over record-level data, never a stored total. Each
states its scope, its counting unit and its rule; `docs/counting-rules.md`
repeats them and a test keeps the two in step.

The counting unit is the national person (``Person.national_id``): records
of the same human at several agencies count once.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from enlace.assistance.models import ServiceDelivery, Stay
from enlace.capacity.models import ProtocolAdoption, TrainingSession
from enlace.directory.models import Agency, Jurisdiction
from enlace.funds.models import Disbursement, Fund, Grant
from enlace.immigration.models import VisaRequest
from enlace.linkage.review import national_people_range
from enlace.registry.models import Identification, Person, Sex

GOVERNMENT_LEVELS = (Agency.Level.FEDERAL, Agency.Level.STATE, Agency.Level.MUNICIPAL)
NATIONAL = "person__national_id"

F = TypeVar("F", bound=Callable[..., Any])


Text = str | Promise  # translatable: the Spanish report states its rules in Spanish


@dataclass(frozen=True)
class Indicator:
    name: str
    scope: Text
    unit: Text
    rule: Text
    compute: Callable[[int], Any]


REGISTRY: dict[str, Indicator] = {}


def indicator(*, scope: Text, unit: Text, rule: Text) -> Callable[[F], F]:
    def register(func: F) -> F:
        REGISTRY[func.__name__] = Indicator(func.__name__, scope, unit, rule, func)
        return func

    return register


def year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def _in_year(field: str, year: int) -> Q:
    start, end = year_bounds(year)
    return Q(**{f"{field}__gte": start, f"{field}__lte": end})


def _people(qs: QuerySet[Any]) -> int:
    return int(qs.aggregate(n=Count(NATIONAL, distinct=True))["n"])


def _counts(qs: QuerySet[Any], key: str) -> dict[str, int]:
    rows = qs.values(key).annotate(n=Count(NATIONAL, distinct=True)).order_by()
    # Sorted here, not by the database: collations differ between SQLite and PostgreSQL.
    return {row[key]: row["n"] for row in sorted(rows, key=lambda r: r[key] or "") if row[key]}


def domestic_identifications(year: int) -> QuerySet[Identification]:
    """Identifications that make a victim count in the national total of ``year``."""
    return Identification.objects.filter(
        _in_year("identified_on", year),
        status=Identification.Status.IDENTIFIED,
        country_abroad__isnull=True,
        agency__level__in=GOVERNMENT_LEVELS,
    )


def abroad_identifications(year: int) -> QuerySet[Identification]:
    return Identification.objects.filter(
        _in_year("identified_on", year),
        status=Identification.Status.IDENTIFIED,
        country_abroad__isnull=False,
    )


DOMESTIC = _(
    "Identifications with status identified, made in the country by a federal, state or "
    "municipal agency."
)
ABROAD = _("Identifications with status identified, made abroad (consular windows).")


@indicator(
    scope=DOMESTIC,
    unit=_("national person"),
    rule=_(
        "A person counts in year Y if at least one in-scope identification of theirs is dated "
        "in Y; once, however many agencies identified them."
    ),
)
def identified_total(year: int) -> int:
    return _people(domestic_identifications(year))


@indicator(
    scope=DOMESTIC,
    unit=_("national person"),
    rule=_(
        "The range of identified_total that linkage leaves open: the high end counts people as "
        "linked at the link threshold; the low end as if every pair still waiting for review "
        "were one person."
    ),
)
def identified_total_range(year: int) -> dict[str, int]:
    records = Person.objects.filter(
        national_id__in=domestic_identifications(year).values(NATIONAL)
    ).values("pk")
    low, high = national_people_range(records)
    return {"low": low, "high": high}


@indicator(
    scope=DOMESTIC,
    unit=_("national person"),
    rule=_(
        "A person counts once in each form of exploitation any of their in-scope identifications "
        "names; forms are not a partition when a person has several."
    ),
)
def identified_by_form(year: int) -> dict[str, int]:
    return _counts(domestic_identifications(year), "forms__form")


@indicator(
    scope=DOMESTIC,
    unit=_("national person"),
    rule=_(
        "A person's sex is the one their records agree on; if their records give different sexes, "
        "or none, it is unspecified. A partition of the total."
    ),
)
def identified_by_sex(year: int) -> dict[str, int]:
    people = (
        Person.objects.filter(national_id__in=domestic_identifications(year).values(NATIONAL))
        .values("national_id")
        .annotate(
            male_records=Count("pk", filter=Q(sex=Sex.MALE)),
            female_records=Count("pk", filter=Q(sex=Sex.FEMALE)),
        )
    )
    totals = people.aggregate(
        male=Count("national_id", filter=Q(male_records__gt=0, female_records=0)),
        female=Count("national_id", filter=Q(female_records__gt=0, male_records=0)),
        people=Count("national_id"),
    )
    result = {Sex.MALE.value: totals["male"], Sex.FEMALE.value: totals["female"]}
    result[Sex.UNSPECIFIED.value] = totals["people"] - totals["male"] - totals["female"]
    return {k: int(v) for k, v in result.items()}


@indicator(
    scope=DOMESTIC,
    unit=_("national person"),
    rule=_(
        "A person counts once in each level (federal, state, municipal) that identified them: "
        "not a partition, the levels can add up to more than the total."
    ),
)
def identified_by_level(year: int) -> dict[str, int]:
    return _counts(domestic_identifications(year), "agency__level")


@indicator(
    scope=ABROAD,
    unit=_("national person"),
    rule=_("As identified_total, for identifications abroad."),
)
def identified_abroad_total(year: int) -> int:
    return _people(abroad_identifications(year))


@indicator(
    scope=ABROAD,
    unit=_("national person"),
    rule=_("A person counts once in each country where they were identified."),
)
def identified_abroad_by_country(year: int) -> dict[str, int]:
    return _counts(abroad_identifications(year), "country_abroad__iso2")


@indicator(
    scope=ABROAD,
    unit=_("national person"),
    rule=_("As identified_by_form, for identifications abroad."),
)
def identified_abroad_by_form(year: int) -> dict[str, int]:
    return _counts(abroad_identifications(year), "forms__form")


@indicator(
    scope=_("Services delivered (emergency and long-term) that started in the year."),
    unit=_("national person"),
    rule=_(
        "A person counts once for each agency that started delivering a service to them in Y; "
        "not a partition."
    ),
)
def assisted_by_agency(year: int) -> dict[str, int]:
    return _counts(services_started(year), "agency__code")


@indicator(
    scope=_(
        "Shelter stays that overlap the year: admitted by its end, not discharged before its start."
    ),
    unit=_("national person"),
    rule=_("A person counts once for each shelter where they stayed during Y."),
)
def sheltered_by_shelter(year: int) -> dict[str, int]:
    return _counts(stays_in_year(year), "shelter__code")


def stays_in_year(year: int) -> QuerySet[Stay]:
    """Shelter stays that overlap ``year``: admitted by its end, not discharged before its start."""
    start, end = year_bounds(year)
    return Stay.objects.filter(admitted_on__lte=end).filter(
        Q(discharged_on__isnull=True) | Q(discharged_on__gte=start)
    )


def services_started(year: int) -> QuerySet[ServiceDelivery]:
    return ServiceDelivery.objects.filter(_in_year("started_on", year))


@indicator(
    scope=_("Humanitarian visa requests decided in the year."),
    unit=_("national person"),
    rule=_("A person counts once if a request of theirs was granted in Y."),
)
def visas_granted(year: int) -> int:
    granted = VisaRequest.objects.filter(
        _in_year("decided_on", year), outcome=VisaRequest.Outcome.GRANTED
    )
    return _people(granted)


@indicator(
    scope=_("Funds established in the year."),
    unit=_("fund"),
    rule=_("Each fund established in Y, with the endowment it was created with."),
)
def funds_established(year: int) -> list[dict[str, Any]]:
    funds = Fund.objects.filter(_in_year("established_on", year)).select_related("administrator")
    return [
        {
            "fund": f.code,
            "administrator": f.administrator.code,
            "endowment_mxn": f.endowment,
            "established_on": f.established_on,
            "disbursing_from": f.disbursing_from,
        }
        for f in sorted(funds, key=lambda f: f.code)
    ]


@indicator(
    scope=_("Disbursements to people paid in the year."),
    unit=_("money and national person"),
    rule=_("Per fund: the sum paid in Y, and the people paid, each once."),
)
def disbursed_by_fund(year: int) -> dict[str, dict[str, Any]]:
    rows = (
        Disbursement.objects.filter(_in_year("paid_on", year))
        .values("fund__code")
        .annotate(amount=Sum("amount"), people=Count(NATIONAL, distinct=True))
        .order_by()
    )
    return {
        r["fund__code"]: {"amount_mxn": r["amount"], "people": r["people"]}
        for r in sorted(rows, key=lambda r: r["fund__code"])
    }


@indicator(
    scope=_("Grants to NGOs awarded in the year, and the services paid from them."),
    unit=_("money, agency and national person"),
    rule=_(
        "Per grantor: the sum awarded in Y, the distinct grantees, and the people served, each "
        "once: those with a service paid from one of the grants."
    ),
)
def grants_by_grantor(year: int) -> list[dict[str, Any]]:
    grants = Grant.objects.filter(_in_year("awarded_on", year))
    rows = (
        grants.values("grantor__code")
        .annotate(amount=Sum("amount"), grantees=Count("grantee", distinct=True))
        .order_by()
    )
    served = dict(
        ServiceDelivery.objects.filter(grant__in=grants)
        .values("grant__grantor__code")
        .annotate(n=Count(NATIONAL, distinct=True))
        .values_list("grant__grantor__code", "n")
    )
    return [
        {
            "grantor": r["grantor__code"],
            "amount_mxn": r["amount"],
            "grantees": r["grantees"],
            "victims_served": served.get(r["grantor__code"], 0),
        }
        for r in sorted(rows, key=lambda r: r["grantor__code"])
    ]


@indicator(
    scope=_("Training sessions of officials held in the year, as each agency recorded them."),
    unit=_("session and official trained"),
    rule=_(
        "The sessions held in Y, and the sum of the people each trained: sessions record "
        "counts, not names, so an official trained twice counts twice."
    ),
)
def officials_trained(year: int) -> dict[str, int]:
    totals = TrainingSession.objects.filter(_in_year("held_on", year)).aggregate(
        sessions=Count("pk"), people=Sum("people_trained")
    )
    return {"sessions": totals["sessions"], "people": totals["people"] or 0}


@indicator(
    scope=_("Adoptions of identification protocols by the country's states."),
    unit=_("state"),
    rule=_(
        "A state counts once if it adopted at least one protocol on or before 31 December "
        "of Y, and once per protocol it adopted; out of every jurisdiction of the country "
        "profile but a capital district that is not a state (Mexico City)."
    ),
)
def jurisdictions_with_protocol(year: int) -> dict[str, Any]:
    _start, end = year_bounds(year)
    adopted = ProtocolAdoption.objects.filter(adopted_on__lte=end, jurisdiction__is_capital=False)
    by_protocol = dict(
        adopted.values("protocol__code")
        .annotate(n=Count("jurisdiction", distinct=True))
        .order_by()
        .values_list("protocol__code", "n")
    )
    return {
        "adopted": adopted.values("jurisdiction").distinct().count(),
        "jurisdictions": Jurisdiction.objects.filter(is_capital=False).count(),
        "by_protocol": {code: by_protocol[code] for code in sorted(by_protocol)},
    }


def years_with_data(kind: str, years: list[int]) -> list[int]:
    """The years with any record of a kind: a year without any is missing, not zero."""
    exists: dict[str, Callable[[int], bool]] = {
        "domestic": lambda y: Identification.objects.filter(
            _in_year("identified_on", y), country_abroad__isnull=True
        ).exists(),
        "abroad": lambda y: Identification.objects.filter(
            _in_year("identified_on", y), country_abroad__isnull=False
        ).exists(),
        "visas": lambda y: VisaRequest.objects.filter(_in_year("decided_on", y)).exists(),
        "training": lambda y: TrainingSession.objects.filter(_in_year("held_on", y)).exists(),
        "protocols": lambda y: ProtocolAdoption.objects.filter(
            adopted_on__lte=year_bounds(y)[1]
        ).exists(),
    }
    return [y for y in years if exists[kind](y)]
