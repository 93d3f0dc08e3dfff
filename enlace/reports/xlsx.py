"""The annual report as an Excel workbook: a sheet a section, a sheet of notes.

Numbers are written as numbers (people as integers, money as decimals), dates
as dates, so the figures can be summed and charted as they stand. Each table
is its title, a header and its rows, with the report's key of each row (an
agency's code, a form of exploitation) in the first column. The notes give
every table's scope, counting unit, rule and disclosure control.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from decimal import Decimal
from io import BytesIO
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from enlace.reports.pdf import language_code
from enlace.reports.tables import Section, report_sections
from enlace.statistics.indicators import REGISTRY

BOLD = Font(bold=True)
# Characters Excel refuses in a sheet's name, which may be 31 characters long.
SHEET_NAME_REFUSED = re.compile(r"[\[\]:*?/\\]")


def _sheet_name(title: str) -> str:
    return SHEET_NAME_REFUSED.sub(" ", title)[:31]


def _number_format(value: Any) -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return "#,##0"
    if isinstance(value, Decimal):
        places = max(-int(value.as_tuple().exponent), 0)
        return "#,##0" + ("." + "0" * places if places else "")
    if isinstance(value, datetime.date):
        return "yyyy-mm-dd"
    return None


def _section_sheet(sheet: Worksheet, section: Section) -> None:
    sheet.append([section.title])
    sheet["A1"].font = Font(bold=True, size=13)
    for table in section.tables:
        sheet.append([])
        sheet.append([table.title])
        sheet.cell(sheet.max_row, 1).font = BOLD
        sheet.append([_("Code"), *table.header])
        for cell in sheet[sheet.max_row]:
            cell.font = BOLD
        for code, row in zip(table.codes, table.rows, strict=True):
            sheet.append([code, *row])
            for cell in sheet[sheet.max_row]:
                if number_format := _number_format(cell.value):
                    cell.number_format = number_format
    sheet.column_dimensions["A"].width = 18
    sheet.column_dimensions["B"].width = 48
    for column in "CDEFG":
        sheet.column_dimensions[column].width = 16


def _notes_sheet(sheet: Worksheet, report: Mapping[str, Any], sections: list[Section]) -> None:
    title = _("Victim identification and protection, %(year)s") % {"year": report["year"]}
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append(
        [
            _(
                "Counts of national persons: the same person recorded by several agencies counts "
                "once. No names, no records."
            )
        ]
    )
    sheet.append([])
    sheet.append(
        [
            _("Sheet"),
            _("Table"),
            _("Scope"),
            _("Counting unit"),
            _("Rule"),
            _("Disclosure control"),
        ]
    )
    for cell in sheet[sheet.max_row]:
        cell.font = BOLD
    for section in sections:
        for table in section.tables:
            meta = REGISTRY.get(table.indicator)
            if meta is None:
                continue
            sheet.append(
                [
                    _sheet_name(section.title),
                    table.title,
                    str(meta.scope),
                    str(meta.unit),
                    str(meta.rule),
                    _("none; figures for official use"),
                ]
            )
    for column, width in zip("ABCDEF", (28, 40, 50, 20, 80, 28), strict=True):
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows(min_row=5):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def report_xlsx(report: Mapping[str, Any], lang: str = "en") -> bytes:
    """The report dict ``annual_report`` returns (or a release's stored copy) as a workbook."""
    with translation.override(language_code(lang)):
        workbook = Workbook()
        sections = report_sections(report)
        notes = workbook.active
        assert notes is not None
        notes.title = _sheet_name(_("Notes"))
        for section in sections:
            _section_sheet(workbook.create_sheet(_sheet_name(section.title)), section)
        _notes_sheet(notes, report, sections)
        workbook.move_sheet(notes, offset=len(sections))
        out = BytesIO()
        workbook.save(out)
    return out.getvalue()
