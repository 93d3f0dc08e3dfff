"""The annual report as PDF: the narrative, then every table with its chart and its rule.

HTML from a template, laid out by WeasyPrint. Nothing is fetched while it
renders: the charts are inline SVG and the style sheet is annual.css, beside the template.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

from enlace.reports.tables import format_cell, report_sections, table_chart
from enlace.statistics.indicators import REGISTRY
from enlace.statistics.narrative import narrative

# WeasyPrint tells each step of its work at INFO, from its import on: not worth a line
# of the command's output.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


STYLE = Path(__file__).parent / "templates" / "reports" / "annual.css"


def language_code(lang: str) -> str:
    """The Django language of a report language: "es" is Mexican Spanish."""
    return "es-mx" if lang == "es" else "en"


def _refuse(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    raise ValueError(f"the report fetches nothing: {url}")


def report_html(report: Mapping[str, Any], lang: str) -> str:
    with translation.override(language_code(lang)):
        sections = [
            {
                "title": section.title,
                "tables": [
                    {
                        "title": table.title,
                        "header": table.header,
                        "rows": [[format_cell(cell) for cell in row] for row in table.rows],
                        "chart": table_chart(table),
                        "meta": REGISTRY.get(table.indicator),
                    }
                    for table in section.tables
                ],
            }
            for section in report_sections(report)
        ]
        return render_to_string(
            "reports/annual.html",
            {
                "year": report["year"],
                "lang": lang,
                "paragraphs": narrative(report, lang=lang),
                "sections": sections,
            },
        )


def report_pdf(report: Mapping[str, Any], lang: str = "en") -> bytes:
    """The report dict ``annual_report`` returns (or a release's stored copy) as a PDF."""
    # Imported here, after its logger is quietened, and only by what renders a PDF: its
    # import parses style sheets, a second's work no other page or command needs.
    import weasyprint

    html = weasyprint.HTML(string=report_html(report, lang), url_fetcher=_refuse)
    pdf: bytes = html.write_pdf(stylesheets=[weasyprint.CSS(string=STYLE.read_text())])
    return pdf
