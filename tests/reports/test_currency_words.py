"""The report's tables name the profile's currency, in the language of the tables."""

from __future__ import annotations

from typing import Any

from django.utils import translation

from enlace.reports.tables import report_sections

QUETZALES = {
    "code": "GTQ",
    "en": {"one": "quetzal", "other": "quetzales", "dollars": "sign"},
    "es": {"one": "quetzal", "other": "quetzales", "dollars": "sign"},
}


def _report(currency: dict[str, Any]) -> dict[str, Any]:
    return {
        "year": 2017,
        "names": {"agencies": {"SBS": {"en": "SBS", "es": "SBS"}}, "currency": currency},
        "funds": {
            "grants": [
                {
                    "grantor": "SBS",
                    "amount_mxn": "250000.00",
                    "amount_usd": "34030",
                    "grantees": 2,
                    "victims_served": 40,
                }
            ],
            "usd_rate": "0.1361",
        },
    }


def _headers(report: dict[str, Any], lang: str) -> list[list[str]]:
    with translation.override(lang):
        (funds,) = report_sections(report)
        return [[*t.header, str(t.rows[0][0])] for t in funds.tables]


def test_the_tables_name_the_quetzal() -> None:
    grants, rate = _headers(_report(QUETZALES), "en")
    assert grants[:3] == ["Grantor", "Quetzales", "US dollars"]
    assert rate[-1] == "US dollars per quetzal"


def test_in_spanish_too() -> None:
    grants, rate = _headers(_report(QUETZALES), "es-mx")
    assert grants[1] == "Quetzales"
    assert "quetzal" in rate[-1]


def test_without_words_the_iso_code_heads_the_column() -> None:
    grants, _rate = _headers(_report({"code": "GTQ"}), "en")
    assert grants[1] == "GTQ"
