"""Indicators of the path a victim takes after identification, in the same registry.

Referrals, the funnel from identification to restitution, the time things
take, and restitution's money. Counts are aggregates over record-level data;
medians and 90th percentiles are taken in Python over the record-level
durations the database returns (``values_list``), never over stored totals.

Durations are in calendar days, as the referral expiry counts them
(``referrals_expire`` takes a plain ``timedelta``): weekends and holidays
count. Working days are only used for a visa's validity, which is a term the
law sets, not a time the system measures.
"""

from __future__ import annotations

import datetime
import math
import statistics
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from enlace.assistance.models import ServiceDelivery, Stay
from enlace.directory.selectors import usd_rate_for_year
from enlace.funds.money import to_usd
from enlace.immigration.models import VisaRequest
from enlace.justice.models import Participation, RestitutionOrder, RestitutionPayment
from enlace.referrals.models import Referral
from enlace.registry.models import Identification, Person
from enlace.statistics.indicators import NATIONAL, _in_year, domestic_identifications, indicator

Status = Referral.Status
DAY_SECONDS = 24 * 60 * 60
CENTS = Decimal("0.01")

# Accepted at some point: answered, and not by a decline. A referral accepted and
# then completed or revoked was accepted all the same.
ACCEPTED = Q(answered_at__isnull=False) & ~Q(status=Status.DECLINED)

REFERRALS_SENT = _(
    "Referrals sent in the year (the day they were sent, in the country's time zone), "
    "whatever became of them."
)


def referrals_sent(year: int) -> QuerySet[Referral]:
    return Referral.objects.filter(_in_year("sent_at__date", year))


def _outcomes(qs: QuerySet[Referral], key: str | None) -> Any:
    counts = {
        "sent": Count("pk"),
        "accepted": Count("pk", filter=ACCEPTED),
        "declined": Count("pk", filter=Q(status=Status.DECLINED)),
        "expired": Count("pk", filter=Q(status=Status.EXPIRED)),
        "completed": Count("pk", filter=Q(status=Status.COMPLETED)),
        "revoked": Count("pk", filter=Q(status=Status.REVOKED)),
    }
    if key is None:
        return {k: int(v) for k, v in qs.aggregate(**counts).items()}
    rows = qs.values(key).annotate(**counts).order_by()
    return {
        row.pop(key): {k: int(v) for k, v in row.items()}
        for row in sorted(rows, key=lambda r: r[key])
    }


@indicator(
    scope=REFERRALS_SENT,
    unit=_("referral"),
    rule=_(
        "Each referral counts once, not each person: a person referred twice counts twice. Sent "
        "counts them all; accepted, those the receiver accepted, even if later completed or "
        "revoked; declined, expired, completed and revoked, those with that status now."
    ),
)
def referrals_total(year: int) -> dict[str, int]:
    result: dict[str, int] = _outcomes(referrals_sent(year), None)
    return result


@indicator(
    scope=REFERRALS_SENT,
    unit=_("referral"),
    rule=_("As referrals_total, per agency that sent the referral."),
)
def referrals_by_sender(year: int) -> dict[str, dict[str, int]]:
    result: dict[str, dict[str, int]] = _outcomes(referrals_sent(year), "from_agency__code")
    return result


@indicator(
    scope=REFERRALS_SENT,
    unit=_("referral"),
    rule=_("As referrals_total, per agency the referral was sent to."),
)
def referrals_by_receiver(year: int) -> dict[str, dict[str, int]]:
    result: dict[str, dict[str, int]] = _outcomes(referrals_sent(year), "to_agency__code")
    return result


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile: the smallest value with ``share`` of the values at or below."""
    ordered = sorted(values)
    return ordered[max(math.ceil(share * len(ordered)), 1) - 1]


def _tenths(days: float) -> float:
    """Days to one decimal, halves rounded up as the report rounds money (3.25 is 3.3)."""
    return float(Decimal(str(days)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def summary(values: list[float], unit: str) -> dict[str, Any]:
    """How many durations, their median and their 90th percentile, in days to one decimal."""
    if not values:
        return {unit: 0, "median_days": None, "p90_days": None}
    return {
        unit: len(values),
        "median_days": _tenths(statistics.median(values)),
        "p90_days": _tenths(percentile(values, 0.9)),
    }


def _days(start: Any, end: Any) -> float:
    """Calendar days from ``start`` to ``end``: whole days between dates, hours over 24 between
    moments. Both are set: the querysets asked only for records that have them."""
    elapsed: datetime.timedelta = end - start
    return elapsed.total_seconds() / DAY_SECONDS


def _grouped(rows: Iterable[tuple[str, float]], unit: str) -> dict[str, dict[str, Any]]:
    groups: dict[str, list[float]] = {}
    for code, days in rows:
        groups.setdefault(code, []).append(days)
    return {code: summary(groups[code], unit) for code in sorted(groups)}


@indicator(
    scope=_("Referrals sent in the year and accepted, whenever they were accepted."),
    unit=_("referral"),
    rule=_(
        "Per referral, the time from sending to acceptance in calendar days (hours over 24, "
        "weekends and holidays included, as referrals expire); the median and the 90th "
        "percentile (nearest rank) of those times, in all, per sending agency and per receiving "
        "agency. Referrals never accepted have no time and are left out."
    ),
)
def referral_acceptance_days(year: int) -> dict[str, Any]:
    rows = [
        (sender, receiver, _days(sent, answered))
        for sender, receiver, sent, answered in referrals_sent(year)
        .filter(ACCEPTED)
        .values_list("from_agency__code", "to_agency__code", "sent_at", "answered_at")
    ]
    return {
        "all": summary([days for _s, _r, days in rows], "referrals"),
        "by_sender": _grouped(((s, d) for s, _r, d in rows), "referrals"),
        "by_receiver": _grouped(((r, d) for _s, r, d in rows), "referrals"),
    }


# A referral's outcomes as referrals_total counts them, with their labels.
REFERRAL_OUTCOMES: dict[str, Any] = {
    "sent": _("Sent"),
    "accepted": _("Accepted"),
    "declined": _("Declined"),
    "expired": _("Expired"),
    "completed": _("Completed"),
    "revoked": _("Revoked"),
}

# The funnel's steps in order, with their labels.
FUNNEL_STEPS: dict[str, Any] = {
    "identified": _("Identified"),
    "referred": _("Referred"),
    "accepted": _("Referral accepted"),
    "assisted": _("Assisted"),
    "sheltered": _("Sheltered"),
    "visa_requested": _("Visa requested"),
    "visa_granted": _("Visa granted"),
    "in_proceedings": _("In proceedings"),
    "restitution_ordered": _("Restitution ordered"),
    "restitution_paid": _("Restitution paid"),
}


def _step_records(step: str) -> tuple[QuerySet[Any], str]:
    """The records that show a person reached ``step``, and their path to the national person."""
    person = NATIONAL
    return {
        "identified": (Identification.objects.all(), person),
        "referred": (Referral.objects.all(), person),
        "accepted": (Referral.objects.filter(ACCEPTED), person),
        "assisted": (ServiceDelivery.objects.all(), person),
        "sheltered": (Stay.objects.all(), person),
        "visa_requested": (VisaRequest.objects.all(), person),
        "visa_granted": (VisaRequest.objects.filter(outcome=VisaRequest.Outcome.GRANTED), person),
        "in_proceedings": (Participation.objects.all(), person),
        "restitution_ordered": (
            RestitutionOrder.objects.all(),
            "participation__person__national_id",
        ),
        "restitution_paid": (
            RestitutionPayment.objects.all(),
            "order__participation__person__national_id",
        ),
    }[step]


def _share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


@indicator(
    scope=_(
        "The people identified in the year (as identified_total), and what any record of theirs "
        "shows happened to them since, at any date."
    ),
    unit=_("national person"),
    rule=_(
        "Each step counts the people of the year's identified who reached it, each once, by any "
        "of their records: referred (any referral), accepted (a referral accepted), assisted (any "
        "service), sheltered (any stay), visa requested, visa granted, in proceedings, "
        "restitution ordered, restitution paid. The share kept is a step's people over the step "
        "before, in percent, and the share of the identified is over the year's identified. "
        "Steps are not nested: a person can be assisted without a referral, and only foreign "
        "victims ask for a visa, so a step can keep more than the one before."
    ),
)
def path_funnel(year: int) -> dict[str, dict[str, Any]]:
    cohort = domestic_identifications(year).values(NATIONAL)
    funnel: dict[str, dict[str, Any]] = {}
    identified = before = None
    for step in FUNNEL_STEPS:
        records, key = _step_records(step)
        found = records.filter(**{f"{key}__in": cohort})
        people = int(found.aggregate(n=Count(key, distinct=True))["n"])
        if identified is None:
            identified = people
        funnel[step] = {
            "people": people,
            "kept_percent": None if before is None else _share(people, before),
            "of_identified_percent": _share(people, identified),
        }
        before = people
    return funnel


@indicator(
    scope=_("Shelter stays that ended (discharged) in the year."),
    unit=_("stay and national person"),
    rule=_(
        "Per stay, its length in calendar days from admission to discharge; the number of stays, "
        "the people who had them (each once), and the median and 90th percentile (nearest rank) "
        "of the lengths. Stays still open are not measured."
    ),
)
def shelter_stay_days(year: int) -> dict[str, Any]:
    stays = Stay.objects.filter(_in_year("discharged_on", year))
    lengths = [_days(*dates) for dates in stays.values_list("admitted_on", "discharged_on")]
    return {
        **summary(lengths, "stays"),
        "people": int(stays.aggregate(n=Count(NATIONAL, distinct=True))["n"]),
    }


@indicator(
    scope=_("Humanitarian visa requests decided (granted or refused) in the year."),
    unit=_("visa request"),
    rule=_(
        "Per request, the wait in calendar days from request to decision; the number of "
        "requests, and the median and 90th percentile (nearest rank) of the waits. Requests "
        "still pending are not measured."
    ),
)
def visa_wait_days(year: int) -> dict[str, Any]:
    decided = VisaRequest.objects.filter(_in_year("decided_on", year)).exclude(
        outcome=VisaRequest.Outcome.PENDING
    )
    return summary(
        [_days(*dates) for dates in decided.values_list("requested_on", "decided_on")],
        "requests",
    )


def _foreign_people() -> QuerySet[Person]:
    return Person.objects.filter(nationality__isnull=False).exclude(
        nationality__iso2=settings.COUNTRY_PROFILE
    )


@indicator(
    scope=_(
        "The people identified in the year (as identified_total) whom a record gives a foreign "
        "nationality."
    ),
    unit=_("national person"),
    rule=_(
        "A person is foreign if any of their records gives a nationality other than the "
        "country's; one without a visa request has no humanitarian visa request on any of their "
        "records, at any date."
    ),
)
def foreign_without_visa_request(year: int) -> dict[str, int]:
    cohort = domestic_identifications(year).filter(
        **{f"{NATIONAL}__in": _foreign_people().values("national_id")}
    )
    requested = VisaRequest.objects.values(NATIONAL)
    return {
        "foreign_identified": int(cohort.aggregate(n=Count(NATIONAL, distinct=True))["n"]),
        "without_request": int(
            cohort.exclude(**{f"{NATIONAL}__in": requested}).aggregate(
                n=Count(NATIONAL, distinct=True)
            )["n"]
        ),
    }


def _money(qs: QuerySet[Any], person: str, unit: str, year: int) -> dict[str, Any]:
    totals = qs.aggregate(n=Count("pk"), people=Count(person, distinct=True), amount=Sum("amount"))
    amount = (totals["amount"] or Decimal(0)).quantize(CENTS)
    rate = usd_rate_for_year(year)
    return {
        unit: int(totals["n"]),
        "people": int(totals["people"]),
        "amount_mxn": amount,
        "amount_usd": to_usd(amount, rate) if rate is not None else None,
    }


@indicator(
    scope=_("Restitution orders awarded in the year."),
    unit=_("money, order and national person"),
    rule=_(
        "The number of orders awarded in Y, the people they were awarded to (each once), and the "
        "sum awarded in the profile's currency and in US dollars at the year's exchange rate, "
        "rounded to the nearest ten; no dollars without a rate."
    ),
)
def restitution_ordered(year: int) -> dict[str, Any]:
    orders = RestitutionOrder.objects.filter(_in_year("awarded_on", year))
    return _money(orders, "participation__person__national_id", "orders", year)


@indicator(
    scope=_("Restitution payments made in the year, by the offender or from a fund."),
    unit=_("money, payment and national person"),
    rule=_(
        "The number of payments made in Y, the people paid (each once), and the sum paid in "
        "the profile's currency and in US dollars at the year's exchange rate, rounded to the "
        "nearest ten; no dollars without a rate."
    ),
)
def restitution_paid(year: int) -> dict[str, Any]:
    payments = RestitutionPayment.objects.filter(_in_year("paid_on", year))
    return _money(payments, "order__participation__person__national_id", "payments", year)
