"""The national dashboard: a people count broken down, filtered, drilled into, and its trend.

For national analysts, as the figures page. Every filter and every drill-down
is a plain GET link, so the page works without JavaScript; with it, htmx
swaps the dashboard in place and keeps the address. Cells below the national
level pass through disclosure control (``statistics.breakdowns.disclosed``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.translation import get_language, gettext_lazy, pgettext_lazy
from django.utils.translation import gettext as _

from enlace.accounts.permissions import Action
from enlace.accounts.routes import Who, door
from enlace.directory.models import Agency, Jurisdiction
from enlace.registry.models import ExploitationForm, Sex
from enlace.statistics import breakdowns as bd
from enlace.statistics.crosstab import crosstab
from enlace.statistics.disclosure import is_small
from enlace.statistics.narrative import trend_sentence
from enlace.statistics.trends import Point, data_years, measure_trend
from enlace.web.pages import is_htmx

# The filters the form offers; a drill-down may add a filter on any other dimension.
FORM_FILTERS = ("state", "agency", "sex", "age_band", "form")
ALL = [("", gettext_lazy("All"))]


def _choices(keys: dict[str, Any]) -> list[tuple[str, Any]]:
    return [*ALL, *keys.items()]


class DashboardForm(forms.Form):
    year = forms.TypedChoiceField(label=gettext_lazy("Year"), coerce=int)
    measure = forms.ChoiceField(
        label=gettext_lazy("People"),
        choices=[(k, m.label) for k, m in bd.MEASURES.items()],
    )
    by = forms.ChoiceField(label=gettext_lazy("Break down by"), choices=bd.DIMENSIONS.items())
    then = forms.ChoiceField(label=gettext_lazy("Then by"), choices=bd.DIMENSIONS.items())
    state = forms.ChoiceField(label=pgettext_lazy("jurisdiction", "State"), required=False)
    agency = forms.ChoiceField(label=gettext_lazy("Agency"), required=False)
    sex = forms.ChoiceField(label=gettext_lazy("Sex"), required=False, choices=_choices({}))
    age_band = forms.ChoiceField(label=gettext_lazy("Age band"), required=False)
    form = forms.ChoiceField(label=gettext_lazy("Form of exploitation"), required=False)

    def __init__(self, data: QueryDict, *, years: list[int]) -> None:
        super().__init__(data)
        fields = self.fields
        spanish = (get_language() or "").startswith("es")
        states = {
            j.code: j.name if spanish else (j.name_en or j.name)
            for j in Jurisdiction.objects.order_by("name")
        }
        agencies = Agency.objects.exclude(level=Agency.Level.CONSULAR).order_by("code")
        _set(fields["year"], [(y, y) for y in years])
        _set(fields["state"], _choices({**states, bd.NONE: _("No state recorded")}))
        _set(fields["agency"], _choices({a.code: a.code for a in agencies}))
        _set(fields["sex"], _choices(dict(Sex.choices)))
        _set(fields["age_band"], _choices({**bd.AGE_LABELS, bd.NONE: _("Age not recorded")}))
        _set(fields["form"], _choices(dict(ExploitationForm.choices)))


def _set(field: forms.Field, choices: list[tuple[Any, Any]]) -> None:
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


@dataclass
class Row:
    key: str
    label: str
    count: int | None  # None: hidden by disclosure control
    drill: str | None  # the address of the row's own breakdown, if it has one


def _params(request: HttpRequest, years: list[int]) -> tuple[DashboardForm, dict[str, Any]]:
    """The choices asked for, each valid one kept, the defaults for the rest."""
    data = request.GET.copy()
    default_year = next(
        (y for y in reversed(years) if bd.MEASURES["identified"].records(y).exists()), None
    )
    defaults = {
        "year": default_year or years[-1],
        "measure": "identified",
        "by": "state",
        "then": "agency",
    }
    for name, value in defaults.items():
        data.setdefault(name, str(value))
    form = DashboardForm(data, years=years)
    form.is_valid()
    chosen = {name: form.cleaned_data.get(name) or value for name, value in defaults.items()}
    filters = {k: v for k in FORM_FILTERS if (v := form.cleaned_data.get(k))}
    # Filters a drill-down added on the dimensions the form does not offer.
    for dimension in bd.DIMENSIONS:
        value = request.GET.get(dimension, "")
        if dimension not in FORM_FILTERS and value and _valid(dimension, value):
            filters[dimension] = value
    chosen["filters"] = filters
    return form, chosen


def _valid(dimension: str, value: str) -> bool:
    if dimension in bd.PERSON_PARTITIONS:
        return value in bd.PERSON_PARTITIONS[dimension][1]
    return len(value) <= 20


def _query(chosen: dict[str, Any], **changes: Any) -> str:
    params = QueryDict(mutable=True)
    values = {k: chosen[k] for k in ("year", "measure", "by", "then")}
    values.update(chosen["filters"])
    values.update(changes)
    for key, value in values.items():
        if value is not None:
            params[key] = str(value)
    return f"?{params.urlencode()}"


def _drill_query(chosen: dict[str, Any], key: str) -> str:
    filters = {**chosen["filters"], chosen["by"]: key}
    by = chosen["then"]
    if by in filters:
        by = next(d for d in bd.DIMENSIONS if d not in filters)
    then = next(d for d in bd.DIMENSIONS if d not in filters and d != by)
    return _query({**chosen, "filters": filters}, by=by, then=then)


def _trend(points: list[Point], *, national: bool, threshold: int) -> list[dict[str, Any]]:
    """Points as shown: below the national level, a small value is hidden and so its changes."""
    shown = []
    hidden_before = False
    for point in points:
        hidden = not national and is_small(point.value, threshold)
        changed = not (hidden or hidden_before)
        shown.append(
            {
                "year": point.year,
                "value": None if hidden else point.value,
                "change": point.change if changed else None,
                "change_percent": point.change_percent if changed else None,
            }
        )
        hidden_before = hidden
    return shown


def _two_way(chosen: dict[str, Any], threshold: int) -> dict[str, Any] | None:
    """The breakdown by ``by`` and ``then`` together, suppressed as a two-way table."""
    rows, columns = chosen["by"], chosen["then"]
    if rows == columns or columns in chosen["filters"]:
        return None
    table = crosstab(
        chosen["measure"], rows, columns, chosen["year"], chosen["filters"], threshold=threshold
    )
    row_names = bd.labels(rows, table.rows)
    return {
        "title": _("%(rows)s and %(columns)s")
        % {"rows": bd.DIMENSIONS[rows], "columns": str(bd.DIMENSIONS[columns]).lower()},
        "rows_label": bd.DIMENSIONS[rows],
        "columns": list(bd.labels(columns, table.columns).values()),
        "rows": [
            (row_names[key], [c.shown for c in cells], total.shown)
            for key, cells, total in zip(
                table.rows, table.table.cells, table.table.row_totals, strict=True
            )
        ],
        "column_totals": [c.shown for c in table.table.column_totals],
        "total": table.table.total.shown,
        "margins": table.margins_are_people,
    }


def dashboard_context(request: HttpRequest) -> dict[str, Any]:
    years = data_years() or [2015]
    form, chosen = _params(request, years)
    threshold = settings.OPEN_DATA_MIN_CELL
    filters = chosen["filters"]
    table = bd.breakdown(chosen["measure"], chosen["by"], chosen["year"], filters)
    cells, total = bd.disclosed(table, threshold=threshold)
    names = bd.labels(chosen["by"], list(cells))
    # A hidden or empty row has nothing to drill into; nor has the last dimension left.
    can_drill = len(filters) < len(bd.DIMENSIONS) - 2
    rows = [
        Row(
            key,
            names[key],
            cell.shown,
            _drill_query(chosen, key) if cell.shown and can_drill else None,
        )
        for key, cell in cells.items()
    ]
    measure_label = str(bd.MEASURES[chosen["measure"]].label)
    points = measure_trend(chosen["measure"], filters, years)
    trend = _trend(points, national=not filters, threshold=threshold)
    sentence = None
    if all(p["value"] is not None for p in trend):
        sentence = trend_sentence(
            measure_label, points, lang="es" if (get_language() or "").startswith("es") else "en"
        )
    active = [
        {
            "dimension": bd.DIMENSIONS[dimension],
            "value": bd.labels(dimension, [key])[key],
            "remove": _query(
                {**chosen, "filters": {d: v for d, v in filters.items() if d != dimension}}
            ),
        }
        for dimension, key in filters.items()
    ]
    return {
        "form": form,
        "chosen": chosen,
        "hidden_filters": {d: v for d, v in filters.items() if d not in FORM_FILTERS},
        "measure_label": measure_label,
        "dimension_label": bd.DIMENSIONS[chosen["by"]],
        "partition": table.partition,
        "rows": rows,
        "total": total.shown,
        "active": active,
        "largest_hidden": threshold - 1,
        "trend": trend,
        "sentence": sentence,
        "two_way": _two_way(chosen, threshold),
    }


@door(Who.ANALYST, Action.PSEUDONYMOUS_READ)
def dashboard(request: HttpRequest) -> HttpResponse:
    template = "web/_dashboard.html" if is_htmx(request) else "web/dashboard.html"
    return render(request, template, dashboard_context(request))
