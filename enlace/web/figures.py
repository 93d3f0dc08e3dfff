"""National figures for the analyst's home: read-only use of the indicator registry.

Only counts of national persons leave here, never a record: the analyst's
page shows what the annual report would, for the year chosen.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from enlace.directory.models import Agency
from enlace.registry.models import ExploitationForm, Sex
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
    from django.utils.translation import gettext as _

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
