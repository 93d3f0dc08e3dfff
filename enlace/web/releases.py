"""Public release pages: the published years and versions, each release's disclosure-controlled
tables, and their open-data files. No sign-in: nothing here is about a person.

Included from ``config/urls.py`` under ``releases/``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from enlace.accounts.routes import Who, door
from enlace.core.spreadsheet import write_csv
from enlace.directory.models import Agency
from enlace.registry.models import ExploitationForm, Sex
from enlace.reports.models import Release
from enlace.reports.releases import (
    SUPPRESSED,
    live_changes,
    public_changes,
    release_figures,
    release_for_year,
    release_list,
    release_public,
    release_verify,
)

TITLES = {
    "identified.total": gettext_lazy("Victims identified in the country"),
    "identified.by_sex": gettext_lazy("Identified victims by sex"),
    "identified.by_form": gettext_lazy("Identified victims by form of exploitation"),
    "identified.by_level": gettext_lazy("Identified victims by level of government"),
    "identified_abroad.total": gettext_lazy("Victims identified abroad (consulates)"),
    "identified_abroad.by_country": gettext_lazy("Victims identified abroad by country"),
    "identified_abroad.by_form": gettext_lazy("Victims identified abroad by form of exploitation"),
    "assisted.by_agency": gettext_lazy("Victims assisted by agency"),
    "sheltered.by_shelter": gettext_lazy("Victims sheltered by shelter"),
    "humanitarian_visas.granted": gettext_lazy("Humanitarian visas granted"),
}
CSV_COLUMNS = ("year", "version", "table", "category", "people", "suppressed")


@dataclass
class Row:
    label: str
    people: int | None
    suppressed: bool


@dataclass
class Table:
    name: str
    title: str
    rows: list[Row]


def _labels(table: str, names: dict[str, Any]) -> dict[str, str]:
    es = (translation.get_language() or "en").startswith("es")
    by = table.rsplit(".", 1)[-1]
    if by == "by_sex":
        return {k: str(v) for k, v in Sex.choices}
    if by == "by_form":
        return {k: str(v) for k, v in ExploitationForm.choices}
    if by == "by_level":
        return {k: str(v) for k, v in Agency.Level.choices}
    if by == "by_country":
        return {k: v["es" if es else "en"] for k, v in names.get("countries", {}).items()}
    if by == "by_agency":
        return {k: v["es" if es else "en"] for k, v in names.get("agencies", {}).items()}
    if by == "by_shelter":
        return {k: v["name"] for k, v in names.get("shelters", {}).items()}
    return {}


def _tables(release: Release) -> list[Table]:
    names = release_figures(release).get("names", {})
    tables = []
    for t in release_public(release)["tables"]:
        labels = _labels(t["table"], names)
        rows = [
            Row(labels.get(r["category"], _("Total")), r["people"], r["suppressed"])
            for r in t["rows"]
        ]
        tables.append(Table(t["table"], str(TITLES.get(t["table"], t["table"])), rows))
    return tables


def _changes(release: Release) -> list[tuple[str, str, Any, Any]]:
    """The public cells this version changed, as a reader names them: table, group, old, new."""
    names = release_figures(release).get("names", {})
    rows = []
    for change in public_changes(release):
        table, category = change.figure.rsplit(".", 1)
        label = _labels(table, names).get(category, _("Total"))
        rows.append((str(TITLES.get(table, table)), label, change.old, change.new))
    return rows


def _get_release(year: int, version: int) -> Release:
    release = release_for_year(year, version)
    if release is None:
        raise Http404
    return release


@door(Who.PUBLIC)
def release_index(request: HttpRequest) -> HttpResponse:
    years: dict[int, list[Release]] = {}
    for release in release_list():
        years.setdefault(release.year, []).append(release)
    return render(request, "web/releases/index.html", {"years": years})


@door(Who.PUBLIC)
def release_detail(request: HttpRequest, year: int, version: int) -> HttpResponse:
    release = _get_release(year, version)
    latest = release_for_year(year)
    assert latest is not None
    verified = release_verify(release)
    context = {
        "release": release,
        "latest": latest,
        "verified": verified,
        # A release that no longer matches its hash is not shown as if it were.
        "tables": _tables(release) if verified else [],
        "changes": _changes(release),
        "suppressed": SUPPRESSED,
        "live_differs": release == latest and bool(live_changes(release)),
        "threshold": release_public(release)["threshold"],
    }
    return render(request, "web/releases/detail.html", context)


@door(Who.PUBLIC)
def release_download(request: HttpRequest, year: int, version: int, fmt: str) -> HttpResponse:
    """The release's public tables as open data, from the frozen values."""
    release = _get_release(year, version)
    if fmt not in ("csv", "json") or not release_verify(release):
        raise Http404
    public = release_public(release)
    if fmt == "csv":
        rows = (
            [year, version, t["table"], r["category"], r["people"], str(r["suppressed"]).lower()]
            for t in public["tables"]
            for r in t["rows"]
        )
        response = HttpResponse(
            write_csv(CSV_COLUMNS, rows), content_type="text/csv; charset=utf-8"
        )
    else:
        document = {
            "year": release.year,
            "version": release.version,
            "published_at": release.published_at.isoformat(),
            "reason": release.reason,
            "rules_version": release.rules_version,
            "code_version": release.code_version,
            "hash": release.hash,
            "disclosure": {"method": "small-cell and complementary suppression", **public},
        }
        response = HttpResponse(
            json.dumps(document, ensure_ascii=False, indent=1), content_type="application/json"
        )
    name = f"enlace-release-{year}-v{version}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


app_name = "releases"
urlpatterns = [
    path("", release_index, name="index"),
    path("<int:year>/<int:version>/", release_detail, name="detail"),
    path("<int:year>/<int:version>.<str:fmt>", release_download, name="download"),
]
