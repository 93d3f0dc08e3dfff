"""The annual report as Markdown: the narrative, then every table with its rule."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from enlace.statistics.indicators import REGISTRY
from enlace.statistics.narrative import narrative
from enlace.statistics.path import FUNNEL_STEPS, REFERRAL_OUTCOMES

# (title, path in the report, indicator) for each table.
TABLES = [
    (gettext_lazy("Identified victims by form of exploitation"), ("identified", "by_form"),
     "identified_by_form"),
    (gettext_lazy("Identified victims by sex"), ("identified", "by_sex"), "identified_by_sex"),
    (gettext_lazy("Identified victims by level of government"), ("identified", "by_level"),
     "identified_by_level"),
    (gettext_lazy("Victims identified abroad by country"), ("identified_abroad", "by_country"),
     "identified_abroad_by_country"),
    (gettext_lazy("Victims assisted by agency"), ("assisted", "by_agency"), "assisted_by_agency"),
    (gettext_lazy("Victims sheltered by shelter"), ("sheltered", "by_shelter"),
     "sheltered_by_shelter"),
]  # fmt: skip


def report_value(report: Mapping[str, Any], path: tuple[str, ...]) -> Any:
    """The figure at ``path`` in the report, or None where the report has none."""
    node: Any = report
    for key in path:
        if not isinstance(node, Mapping) or key not in node:
            return None
        node = node[key]
    return node


def annual_report_markdown(report: Mapping[str, Any], *, lang: str = "en") -> str:
    with translation.override("es-mx" if lang == "es" else "en"):
        title = _("Victim identification and protection, %(year)s") % {"year": report["year"]}
        lines = [f"# {title}", ""]
        for paragraph in narrative(report, lang=lang):
            lines += [paragraph, ""]
        figures = _("Figures")
        # Labels outside the f-strings, where makemessages can find them.
        scope, unit, rule = _("Scope"), _("Counting unit"), _("Rule")
        disclosure, none = _("Disclosure control"), _("none; figures for official use")
        lines += [f"## {figures}", ""]
        for table_title, path, name in TABLES:
            table = report_value(report, path)
            if not table:
                continue
            meta = REGISTRY[name]
            lines += [f"### {table_title}", "", "| | |", "|---|---:|"]
            lines += [f"| {key} | {value} |" for key, value in table.items()]
            lines += [
                "",
                f"*{scope}:* {meta.scope} *{unit}:* {meta.unit}. *{rule}:* {meta.rule} "
                f"*{disclosure}:* {none}.",
                "",
            ]
        currency = report.get("names", {}).get("currency", {}).get("code", "")
        lines += _path_lines(report.get("path"), currency)
        lines += _capacity_lines(report.get("capacity"), report["year"])
    return "\n".join(lines).rstrip() + "\n"


def _path_lines(figures: Mapping[str, Any] | None, currency: str) -> list[str]:
    """The path after identification: referral outcomes, the funnel, waits and restitution."""
    if not figures:
        return []
    title = _("After identification: referrals, assistance, visas and restitution")
    lines = [f"### {title}", "", f"| {_('Referrals sent in the year')} | |", "|---|---:|"]
    lines += [
        f"| {label} | {figures['referrals'][key]} |" for key, label in REFERRAL_OUTCOMES.items()
    ]
    lines += ["", f"| {_('Step')} | {_('People')} | {_('Share of the identified')} |"]
    lines += ["|---|---:|---:|"]
    for step, label in FUNNEL_STEPS.items():
        cell = figures["funnel"][step]
        lines.append(f"| {label} | {cell['people']} | {cell['of_identified_percent']}% |")
    waits = [
        (_("Days from referral to acceptance"), figures["referral_acceptance_days"]),
        (_("Days in a shelter (stays ended in the year)"), figures["shelter_stay_days"]),
        (_("Days waiting for a visa decision"), figures["visa_wait_days"]),
    ]
    lines += ["", f"| | {_('Median')} | {_('90th percentile')} |", "|---|---:|---:|"]
    lines += [f"| {label} | {w['median_days']} | {w['p90_days']} |" for label, w in waits]
    ordered, paid = figures["restitution_ordered"], figures["restitution_paid"]
    foreign = figures["foreign_without_visa_request"]
    lines += [
        "",
        _("Restitution ordered: %(orders)s orders to %(people)s people, %(currency)s %(amount)s.")
        % {
            "orders": ordered["orders"],
            "people": ordered["people"],
            "currency": currency,
            "amount": ordered["amount_mxn"],
        },
        _("Restitution paid: %(payments)s payments to %(people)s people, %(currency)s %(amount)s.")
        % {
            "payments": paid["payments"],
            "people": paid["people"],
            "currency": currency,
            "amount": paid["amount_mxn"],
        },
        _("Foreign victims identified: %(n)s, of whom %(without)s without a visa request.")
        % {"n": foreign["foreign_identified"], "without": foreign["without_request"]},
        "",
    ]
    return lines


def _capacity_lines(figures: Mapping[str, Any] | None, year: int) -> list[str]:
    """Officials trained in the year, and the jurisdictions that adopted a protocol."""
    if not figures:
        return []
    title = _("Training of officials and identification protocols")
    lines = [f"### {title}", ""]
    if trained := figures.get("officials_trained"):
        text = _("%(people)s officials trained in %(year)s in %(sessions)s sessions.")
        values = {"people": trained["people"], "sessions": trained["sessions"], "year": year}
        lines += [text % values, "", f"*{_('Rule')}:* {REGISTRY['officials_trained'].rule}", ""]
    if adoption := figures.get("protocol_adoption"):
        text = _(
            "%(adopted)s of %(jurisdictions)s states had adopted an identification "
            "protocol by the end of %(year)s."
        )
        values = {"adopted": adoption["adopted"], "jurisdictions": adoption["jurisdictions"]}
        rule = REGISTRY["jurisdictions_with_protocol"].rule
        lines += [text % {**values, "year": year}, "", f"*{_('Rule')}:* {rule}", ""]
    return lines
