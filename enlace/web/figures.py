"""National figures for the analyst's home and figures page: read-only use of the
indicator registry.

Only counts of national persons leave here, never a record: the analyst's
page shows what the annual report would, for the year chosen.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from enlace.accounts.permissions import Action
from enlace.accounts.routes import Who, door
from enlace.directory.models import Agency, CountryProfile
from enlace.referrals.models import Referral
from enlace.registry.models import ExploitationForm, Sex
from enlace.registry.selectors import identification_list_for_user
from enlace.reports import charts
from enlace.reports.pdf import report_pdf
from enlace.reports.releases import code_version, frozen_or_live, release_status
from enlace.reports.xlsx import report_xlsx
from enlace.statistics.indicators import REGISTRY
from enlace.statistics.path import FUNNEL_STEPS

# How long a drawn PDF or workbook is kept for the next download of the same figures.
DOCUMENT_SECONDS = 3600


@dataclass
class Figure:
    title: str
    rule: str
    total: int | None
    rows: list[tuple[Any, ...]]
    # The header of the rows' numbers, "People" when empty; and of further columns, if any.
    column: str = ""
    extra: tuple[str, ...] = ()
    # The rows drawn (server-side SVG), shown above the table that holds its data.
    chart: SafeString | str = ""


def _bars(figure: Figure) -> Figure:
    if any(row[1] for row in figure.rows):
        figure.chart = charts.bar(
            [(str(row[0]), row[1]) for row in figure.rows],
            title=figure.title,
            unit=figure.column or _("People"),
        )
    return figure


def _labelled(values: dict[str, int], labels: dict[str, Any]) -> list[tuple[str, int]]:
    return [(str(labels.get(key, key)), n) for key, n in values.items()]


def national_figures(year: int) -> list[Figure]:
    def rule(name: str) -> str:
        return str(REGISTRY[name].rule)

    forms = dict(ExploitationForm.choices)
    return [
        Figure(
            _("Victims identified in the country"),
            rule("identified_total"),
            REGISTRY["identified_total"].compute(year),
            [],
        ),
        _bars(
            Figure(
                _("By sex"),
                rule("identified_by_sex"),
                None,
                _labelled(REGISTRY["identified_by_sex"].compute(year), dict(Sex.choices)),
            )
        ),
        _bars(
            Figure(
                _("By form of exploitation"),
                rule("identified_by_form"),
                None,
                _labelled(REGISTRY["identified_by_form"].compute(year), forms),
            )
        ),
        _bars(
            Figure(
                _("By level of government"),
                rule("identified_by_level"),
                None,
                _labelled(
                    REGISTRY["identified_by_level"].compute(year), dict(Agency.Level.choices)
                ),
            )
        ),
        Figure(
            _("Victims identified abroad (consulates)"),
            rule("identified_abroad_total"),
            REGISTRY["identified_abroad_total"].compute(year),
            [],
        ),
        Figure(
            _("Humanitarian visas granted"),
            rule("visas_granted"),
            REGISTRY["visas_granted"].compute(year),
            [],
        ),
        *path_figures(year),
    ]


def _durations(value: dict[str, Any]) -> list[tuple[str, Any]]:
    if value["median_days"] is None:
        return []
    return [(_("Median"), value["median_days"]), (_("90th percentile"), value["p90_days"])]


def _currency_label() -> str:
    """The profile's currency by name in the page's language ("Pesos"), else its ISO code."""
    profile = CountryProfile.objects.filter(code=settings.COUNTRY_PROFILE).first()
    if profile is None:
        return _("Amount")
    lang = "es" if (get_language() or "").startswith("es") else "en"
    other = (profile.currency_words.get(lang) or {}).get("other") or profile.currency
    return other[:1].upper() + other[1:]


def _money(value: dict[str, Any]) -> list[tuple[str, Any]]:
    rows: list[tuple[str, Any]] = [
        (_("People"), value["people"]),
        (_currency_label(), value["amount_mxn"]),
    ]
    if value["amount_usd"] is not None:
        rows.append((_("US dollars"), value["amount_usd"]))
    return rows


def path_figures(year: int) -> list[Figure]:
    """The path after identification: referrals, the funnel, times and restitution."""

    def compute(name: str) -> Any:
        return REGISTRY[name].compute(year)

    def rule(name: str) -> str:
        return str(REGISTRY[name].rule)

    referrals = compute("referrals_total")
    outcomes = dict(Referral.Status.choices)
    funnel = compute("path_funnel")
    foreign = compute("foreign_without_visa_request")
    days = _("Days")
    return [
        Figure(
            _("Referrals sent"),
            rule("referrals_total"),
            referrals["sent"],
            [(str(outcomes[k]), n) for k, n in referrals.items() if k != "sent"],
            column=_("Referrals"),
        ),
        Figure(
            _("Days from referral to acceptance"),
            rule("referral_acceptance_days"),
            None,
            _durations(compute("referral_acceptance_days")["all"]),
            column=days,
        ),
        Figure(
            _("From identification to restitution"),
            rule("path_funnel"),
            None,
            [
                (
                    str(label),
                    funnel[step]["people"],
                    funnel[step]["kept_percent"],
                    funnel[step]["of_identified_percent"],
                )
                for step, label in FUNNEL_STEPS.items()
            ],
            extra=(_("Percent of the step before"), _("Percent of those identified")),
            chart=charts.funnel(
                [(str(label), funnel[step]["people"]) for step, label in FUNNEL_STEPS.items()],
                title=_("From identification to restitution"),
                unit=_("People"),
            )
            if funnel["identified"]["people"]
            else "",
        ),
        Figure(
            _("Days in a shelter, stays ended"),
            rule("shelter_stay_days"),
            None,
            _durations(compute("shelter_stay_days")),
            column=days,
        ),
        Figure(
            _("Days waiting for a humanitarian visa"),
            rule("visa_wait_days"),
            None,
            _durations(compute("visa_wait_days")),
            column=days,
        ),
        Figure(
            _("Foreign victims without a visa request"),
            rule("foreign_without_visa_request"),
            foreign["without_request"],
            [(_("Foreign victims identified"), foreign["foreign_identified"])],
        ),
        Figure(
            _("Restitution ordered"),
            rule("restitution_ordered"),
            None,
            _money(compute("restitution_ordered")),
            column=_("Amount"),
        ),
        Figure(
            _("Restitution paid"),
            rule("restitution_paid"),
            None,
            _money(compute("restitution_paid")),
            column=_("Amount"),
        ),
    ]


def _years() -> list[int]:
    return list(range(2015, timezone.localdate().year + 1))


def figures_year(request: HttpRequest) -> int:
    """The year asked for; the latest with an identification by default."""
    years = _years()
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        latest = identification_list_for_user(user=request.user).aggregate(d=Max("identified_on"))[
            "d"
        ]
        year = latest.year if latest else years[-1]
    return year if year in years else years[-1]


def figures_context(request: HttpRequest) -> dict[str, Any]:
    """The year asked for, and its figures."""
    year = figures_year(request)
    context = {"year": year, "years": _years(), "figures": national_figures(year)}
    # A published year: the banner says so, and whether today's records differ (releases.py).
    context["release"] = release_status(year)
    return context


@door(Who.ANALYST, Action.PSEUDONYMOUS_READ)
def figures(request: HttpRequest) -> HttpResponse:
    return render(request, "web/figures.html", figures_context(request))


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _document(report: dict[str, Any], fmt: str, lang: str) -> bytes:
    """The report as PDF or XLSX, drawn once for the same figures (the cache's key is their
    digest, so a late import that changes a live year's figures draws a new document)."""
    figures = json.dumps([code_version(), fmt, lang, report], sort_keys=True, default=str)
    key = "report:" + hashlib.sha256(figures.encode()).hexdigest()
    document: bytes | None = cache.get(key)
    if document is None:
        document = report_pdf(report, lang) if fmt == "pdf" else report_xlsx(report, lang)
        cache.set(key, document, timeout=DOCUMENT_SECONDS)
    return document


def _download(request: HttpRequest, fmt: str) -> HttpResponse:
    """The annual report of the year asked for, in Spanish or English (``lang``): a
    published year's frozen figures, as the minister quoted them."""
    year = figures_year(request)
    lang = "es" if request.GET.get("lang") == "es" else "en"
    report, _release, _differs = frozen_or_live(year)
    content_type = "application/pdf" if fmt == "pdf" else XLSX
    response = HttpResponse(_document(report, fmt, lang), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="enlace-{year}-{lang}.{fmt}"'
    return response


@door(Who.ANALYST, Action.PSEUDONYMOUS_READ)
def figures_pdf(request: HttpRequest) -> HttpResponse:
    return _download(request, "pdf")


@door(Who.ANALYST, Action.PSEUDONYMOUS_READ)
def figures_xlsx(request: HttpRequest) -> HttpResponse:
    return _download(request, "xlsx")
