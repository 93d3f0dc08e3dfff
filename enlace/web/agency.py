"""A supervisor's dashboard: their own agency's people and referrals, year by year.

The people counts are the national dashboard's (``statistics/breakdowns.py``)
filtered to the agency: each national person once, whichever of the agency's
records count them. The referrals are the path indicators
(``statistics/path.py``) with the agency as sender and as receiver: outcomes,
and the time to acceptance. Nothing here passes through disclosure control:
every record behind these counts is one the supervisor's agency holds, and
the page names no one.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from enlace.accounts.permissions import Action, case_agency
from enlace.accounts.routes import Who, door
from enlace.statistics import breakdowns as bd
from enlace.statistics.path import (
    REFERRAL_OUTCOMES,
    referral_acceptance_days,
    referrals_by_receiver,
    referrals_by_sender,
    summary,
)
from enlace.statistics.trends import data_years

MEASURES = ("identified", "referred", "assisted", "sheltered")


def _year(request: HttpRequest, years: list[int]) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return years[-1]
    return year if year in years else years[-1]


def agency_context(request: HttpRequest) -> dict[str, Any]:
    agency = case_agency(request.user)
    assert agency is not None  # the door lets in agency supervisors only
    years = data_years() or [timezone.localdate().year]
    year = _year(request, years)
    own = {"agency": agency.code}
    people = [
        (
            bd.MEASURES[measure].label,
            [bd.people(bd.filtered(measure, y, own)) for y in years],
        )
        for measure in MEASURES
    ]
    sent = referrals_by_sender(year).get(agency.code, {})
    received = referrals_by_receiver(year).get(agency.code, {})
    times = referral_acceptance_days(year)
    none = summary([], "referrals")
    return {
        "agency": agency,
        "year": year,
        "years": years,
        "people": people,
        "referrals": [
            (label, sent.get(key, 0), received.get(key, 0))
            for key, label in REFERRAL_OUTCOMES.items()
        ],
        "times_rows": [
            (_("Sent by the agency"), times["by_sender"].get(agency.code, none)),
            (_("Sent to the agency"), times["by_receiver"].get(agency.code, none)),
        ],
    }


@door(Who.SUPERVISOR, Action.AGENCY_FIGURES_READ)
def agency_dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "web/agency_dashboard.html", agency_context(request))
