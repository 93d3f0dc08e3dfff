"""The annual report's figures as titled tables, for the PDF and the workbook.

Both take the report dict ``annual_report(year)`` returns (or a frozen
release's stored copy of it) and nothing else, so a number in a download is
always a number of the JSON report. Each section of the report (its top-level
keys) is a list of tables; a section this module does not know yet is still
shown, as a table of its figures by their keys, so no figure is ever left out.

Call inside ``translation.override``: titles and labels are in the active
language.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from enlace.directory.models import Agency
from enlace.registry.models import ExploitationForm, Sex
from enlace.reports import charts
from enlace.statistics.indicators import REGISTRY
from enlace.statistics.narrative import format_int
from enlace.statistics.path import FUNNEL_STEPS, REFERRAL_OUTCOMES

Cell = int | float | Decimal | str | datetime.date | None
# Keys of the report that are not figures.
NOT_FIGURES = ("year", "names")


@dataclass
class Table:
    """Rows of a label and its figures; ``codes`` are the report's keys of the rows."""

    title: str
    header: list[str]
    rows: list[list[Cell]]
    codes: list[str]
    indicator: str = ""
    # "bar" (one value a row), "line" (a value a year and column) or "" for none.
    chart: str = ""

    @property
    def rule(self) -> str:
        return str(REGISTRY[self.indicator].rule) if self.indicator in REGISTRY else ""


@dataclass
class Section:
    key: str
    title: str
    tables: list[Table] = field(default_factory=list)


def _lang() -> str:
    return "es" if (get_language() or "").startswith("es") else "en"


def _keyed(
    values: Mapping[str, Any], labels: Mapping[str, Any], title: str, header: str, indicator: str
) -> Table:
    return Table(
        title,
        [header, _("People")],
        [[str(labels.get(code, code)), n] for code, n in values.items()],
        list(values),
        indicator,
        "bar",
    )


def _by_year(
    title: str, year: int, current: Any, previous: Mapping[str, Any], indicator: str
) -> Table:
    years = sorted([*previous, str(year)])
    figures = {**previous, str(year): current}
    return Table(
        title, [_("Year"), _("People")], [[y, figures[y]] for y in years], years, indicator, "line"
    )


def _identified(report: Mapping[str, Any], section: Mapping[str, Any]) -> list[Table]:
    year = report["year"]
    levels = dict(Agency.Level.choices)
    tables = [
        Table(
            _("Identified victims in all"),
            [_("Figure"), _("People")],
            [[_("Identified victims"), section["total"]]],
            ["total"],
            "identified_total",
        )
    ]
    if (low_high := section.get("total_range")) is not None:
        tables[0].rows += [
            [_("Fewest, if every pair waiting for review is one person"), low_high["low"]],
            [_("Most, as linked"), low_high["high"]],
        ]
        tables[0].codes += ["total_range.low", "total_range.high"]
    tables += [
        _keyed(
            section["by_form"],
            dict(ExploitationForm.choices),
            _("Identified victims by form of exploitation"),
            _("Form of exploitation"),
            "identified_by_form",
        ),
        _keyed(
            section["by_sex"],
            dict(Sex.choices),
            _("Identified victims by sex"),
            _("Sex"),
            "identified_by_sex",
        ),
        _keyed(
            section["by_level"],
            levels,
            _("Identified victims by level of government"),
            _("Level"),
            "identified_by_level",
        ),
    ]
    # The years side by side: the total and each level (a person counts once per level).
    by_level = {
        level: {**section.get("by_level_previous_years", {}).get(level, {}), str(year): n}
        for level, n in section["by_level"].items()
    }
    totals = {**section.get("previous_years", {}), str(year): section["total"]}
    years = sorted(totals)
    tables.append(
        Table(
            _("Identified victims by year"),
            [_("Year"), _("All levels"), *(str(levels.get(lv, lv)) for lv in by_level)],
            [[y, totals[y], *(by_level[lv].get(y) for lv in by_level)] for y in years],
            years,
            "identified_total",
            "line",
        )
    )
    return tables


def _abroad(report: Mapping[str, Any], section: Mapping[str, Any]) -> list[Table]:
    lang = _lang()
    countries = {code: names[lang] for code, names in report["names"]["countries"].items()}
    return [
        _keyed(
            section["by_country"],
            countries,
            _("Victims identified abroad by country"),
            _("Country"),
            "identified_abroad_by_country",
        ),
        _keyed(
            section["by_form"],
            dict(ExploitationForm.choices),
            _("Victims identified abroad by form of exploitation"),
            _("Form of exploitation"),
            "identified_abroad_by_form",
        ),
        _by_year(
            _("Victims identified abroad by year"),
            report["year"],
            section["total"],
            section.get("previous_years", {}),
            "identified_abroad_total",
        ),
    ]


def _agency_names(report: Mapping[str, Any]) -> dict[str, str]:
    lang = _lang()
    return {code: names[lang] for code, names in report["names"]["agencies"].items()}


def _currency(report: Mapping[str, Any]) -> tuple[str, str]:
    """The profile's currency, singular and plural, in the tables' language: its ISO code
    where the profile gives no words."""
    currency = report.get("names", {}).get("currency", {})
    words = currency.get(_lang()) or {}
    other = words.get("other") or currency.get("code") or _("Amount")
    return words.get("one") or other, other


def _assisted(report: Mapping[str, Any], section: Mapping[str, Any]) -> list[Table]:
    return [
        _keyed(
            section["by_agency"],
            _agency_names(report),
            _("Victims assisted by agency"),
            _("Agency"),
            "assisted_by_agency",
        )
    ]


def _sheltered(report: Mapping[str, Any], section: Mapping[str, Any]) -> list[Table]:
    place = "jurisdiction_en" if _lang() == "en" else "jurisdiction"
    shelters = {
        code: f"{s['name']} ({s[place]})" for code, s in report["names"]["shelters"].items()
    }
    return [
        _keyed(
            section["by_shelter"],
            shelters,
            _("Victims sheltered by shelter"),
            _("Shelter"),
            "sheltered_by_shelter",
        )
    ]


def _visas(report: Mapping[str, Any], section: Mapping[str, Any]) -> list[Table]:
    return [
        _by_year(
            _("Humanitarian visas granted by year"),
            report["year"],
            section["granted"],
            section.get("previous_years", {}),
            "visas_granted",
        )
    ]


def _decimal(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def _date(value: str | None) -> datetime.date | None:
    return None if value is None else datetime.date.fromisoformat(value)


def _funds(report: Mapping[str, Any], section: Mapping[str, Any]) -> list[Table]:
    agencies = _agency_names(report)
    one, other = _currency(report)
    amount, dollars = other[:1].upper() + other[1:], _("US dollars")
    tables = []
    if established := section.get("established"):
        tables.append(
            Table(
                _("Funds established"),
                [_("Fund"), amount, dollars, _("Established"), _("Pays from")],
                [
                    [
                        f"{agencies.get(f['administrator'], f['administrator'])} ({f['fund']})",
                        _decimal(f["endowment_mxn"]),
                        _decimal(f["endowment_usd"]),
                        _date(f["established_on"]),
                        _date(f["disbursing_from"]),
                    ]
                    for f in established
                ],
                [f["fund"] for f in established],
                "funds_established",
            )
        )
    if disbursed := section.get("disbursed_by_fund"):
        tables.append(
            Table(
                _("Paid to victims by fund"),
                [_("Fund"), amount, dollars, _("People")],
                [
                    [code, _decimal(d["amount_mxn"]), _decimal(d["amount_usd"]), d["people"]]
                    for code, d in disbursed.items()
                ],
                list(disbursed),
                "disbursed_by_fund",
            )
        )
    if grants := section.get("grants"):
        tables.append(
            Table(
                _("Grants to NGOs"),
                [_("Grantor"), amount, dollars, _("NGOs"), _("Victims served")],
                [
                    [
                        agencies.get(g["grantor"], g["grantor"]),
                        _decimal(g["amount_mxn"]),
                        _decimal(g["amount_usd"]),
                        g["grantees"],
                        g["victims_served"],
                    ]
                    for g in grants
                ],
                [g["grantor"] for g in grants],
                "grants_by_grantor",
            )
        )
    if (rate := section.get("usd_rate")) is not None:
        tables.append(
            Table(
                _("Exchange rate"),
                [_("Figure"), _("Rate")],
                [[_("US dollars per %(currency)s") % {"currency": one}, Decimal(rate)]],
                ["usd_rate"],
            )
        )
    return tables


def _path(report: Mapping[str, Any], section: Mapping[str, Any]) -> list[Table]:
    referrals = section["referrals"]
    funnel = section["funnel"]
    steps = list(funnel)
    waits = [
        ("referral_acceptance_days", _("Referral to acceptance")),
        ("shelter_stay_days", _("Stay in a shelter")),
        ("visa_wait_days", _("Wait for a visa decision")),
    ]
    money = [("restitution_ordered", _("Restitution ordered")), ("restitution_paid", _("Paid"))]
    other = _currency(report)[1]
    amount = other[:1].upper() + other[1:]
    foreign = section["foreign_without_visa_request"]
    return [
        Table(
            _("Referrals sent in the year"),
            [_("Outcome"), _("Referrals")],
            [[str(REFERRAL_OUTCOMES[k]), referrals[k]] for k in REFERRAL_OUTCOMES],
            list(REFERRAL_OUTCOMES),
            "referrals_total",
            "bar",
        ),
        Table(
            _("From identification to restitution"),
            [_("Step"), _("People"), _("Share kept"), _("Share of the identified")],
            [
                [
                    str(FUNNEL_STEPS[k]),
                    funnel[k]["people"],
                    funnel[k]["kept_percent"],
                    funnel[k]["of_identified_percent"],
                ]
                for k in steps
            ],
            steps,
            "path_funnel",
        ),
        Table(
            _("Waiting times, in days"),
            [_("Wait"), _("Measured"), _("Median"), _("90th percentile"), _("People")],
            [
                [label, *list(section[k].values())[:3], section[k].get("people")]
                for k, label in waits
            ],
            [k for k, _label in waits],
            "shelter_stay_days",
        ),
        Table(
            _("Restitution"),
            [_("Restitution"), _("Orders or payments"), _("People"), amount, _("US dollars")],
            [
                [
                    label,
                    *list(section[k].values())[:2],
                    _decimal(section[k]["amount_mxn"]),
                    _decimal(section[k]["amount_usd"]),
                ]
                for k, label in money
            ],
            [k for k, _label in money],
            "restitution_ordered",
        ),
        Table(
            _("Foreign victims identified"),
            [_("Foreign victims"), _("People")],
            [
                [_("Identified"), foreign["foreign_identified"]],
                [_("Without a visa request"), foreign["without_request"]],
            ],
            ["foreign_identified", "without_request"],
            "foreign_without_visa_request",
        ),
    ]


KNOWN = {
    "identified": _identified,
    "identified_abroad": _abroad,
    "assisted": _assisted,
    "sheltered": _sheltered,
    "humanitarian_visas": _visas,
    "funds": _funds,
    "path": _path,
}


def _titles() -> dict[str, str]:
    # Literal msgids here, where makemessages finds them.
    return {
        "identified": _("Identified in the country"),
        "identified_abroad": _("Identified abroad"),
        "assisted": _("Assistance"),
        "sheltered": _("Shelter"),
        "humanitarian_visas": _("Humanitarian visas"),
        "funds": _("Funds"),
        "path": _("After identification"),
    }


def _leaves(node: Any, path: tuple[str, ...] = ()) -> Iterable[tuple[str, Any]]:
    if isinstance(node, Mapping):
        for key, value in node.items():
            yield from _leaves(value, (*path, str(key)))
    elif isinstance(node, list):
        for i, value in enumerate(node, 1):
            yield from _leaves(value, (*path, str(i)))
    else:
        yield ".".join(path), node


def _other(key: str, section: Any) -> list[Table]:
    """A section without a layout here yet: every figure by its keys, as the JSON has it."""
    leaves = list(_leaves(section))
    return [
        Table(
            key,
            [_("Figure"), _("Value")],
            [[path or key, value] for path, value in leaves],
            [path for path, _value in leaves],
            key if key in REGISTRY else "",
        )
    ]


def report_sections(report: Mapping[str, Any]) -> list[Section]:
    """The report's figures as sections of tables, in the report's order."""
    titles = _titles()
    sections = []
    for key, value in report.items():
        if key in NOT_FIGURES or not value:
            continue
        if key in KNOWN:
            sections.append(Section(key, titles[key], KNOWN[key](report, value)))
        else:
            sections.append(Section(key, key, _other(key, value)))
    return sections


def format_cell(value: Cell) -> str:
    """A cell as the PDF prints it: thousands grouped, money to the cent, dates ISO."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return format_int(value)
    if isinstance(value, Decimal):
        places = -int(value.as_tuple().exponent)
        return f"{value:,.{max(places, 0)}f}"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def table_chart(table: Table) -> str:
    """The table drawn: its bars, or a line a column across the years; "" for none."""
    if table.chart == "bar":
        return charts.bar(
            [(str(row[0]), row[1]) for row in table.rows if isinstance(row[1], int | float)],
            title=table.title,
            unit=table.header[-1],
        )
    if table.chart == "line" and len(table.rows) > 1:
        series: dict[str, dict[str, float]] = {
            name: {str(row[0]): value for row in table.rows if isinstance(value := row[i], int)}
            for i, name in enumerate(table.header[1:], 1)
        }
        return charts.line(series, title=table.title, unit=_("People"), legend=len(series) > 1)
    return ""
