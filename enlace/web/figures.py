"""National figures for the analyst's home and figures page: read-only use of the
indicator registry.

Only counts of national persons leave here, never a record: the analyst's
page shows what the annual report would, for the year chosen.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from enlace.accounts.permissions import Action
from enlace.accounts.routes import Who, door
from enlace.directory.models import Agency
from enlace.registry.models import ExploitationForm, Sex
from enlace.registry.selectors import identification_list_for_user
from enlace.statistics.indicators import REGISTRY


@dataclass
class Figure:
    title: str
    rule: str
    total: int | None
    rows: list[tuple[str, int]]


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
        Figure(
            _("By sex"),
            rule("identified_by_sex"),
            None,
            _labelled(REGISTRY["identified_by_sex"].compute(year), dict(Sex.choices)),
        ),
        Figure(
            _("By form of exploitation"),
            rule("identified_by_form"),
            None,
            _labelled(REGISTRY["identified_by_form"].compute(year), forms),
        ),
        Figure(
            _("By level of government"),
            rule("identified_by_level"),
            None,
            _labelled(REGISTRY["identified_by_level"].compute(year), dict(Agency.Level.choices)),
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
    ]


def figures_context(request: HttpRequest) -> dict[str, Any]:
    """The year asked for (the latest with an identification by default), and its figures."""
    latest = identification_list_for_user(user=request.user).aggregate(d=Max("identified_on"))["d"]
    years = list(range(2015, timezone.localdate().year + 1))
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = latest.year if latest else years[-1]
    if year not in years:
        year = years[-1]
    return {"year": year, "years": years, "figures": national_figures(year)}


@door(Who.ANALYST, Action.PSEUDONYMOUS_READ)
def figures(request: HttpRequest) -> HttpResponse:
    return render(request, "web/figures.html", figures_context(request))
