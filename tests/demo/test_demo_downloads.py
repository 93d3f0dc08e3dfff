"""The annual report as PDF and XLSX gives the JSON report's figures, for 2015-2017, in
Spanish and English; from the command and from the analyst's page.

The PDF's text is read with Debian's ``pdftotext`` (poppler-utils, installed by
``make browser``), the reference extractor the issue names; a missing one fails
the test. Each PDF is rendered once for the module (rendering is slow).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections import Counter
from decimal import Decimal
from io import BytesIO, StringIO
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.management import call_command
from django.utils import translation

from enlace.accounts.models import Role
from enlace.reports.pdf import language_code, report_pdf
from enlace.reports.tables import format_cell, report_sections
from enlace.reports.xlsx import report_xlsx
from enlace.statistics.indicators import REGISTRY
from enlace.statistics.narrative import narrative
from tests.conftest import _user
from tests.demo.test_demo_data import SEED_SENTENCES_EN
from tests.web.conftest import signed_in

YEARS = (2015, 2016, 2017)
LANGS = ("en", "es")
NUMBER = re.compile(r"^\d+(\.\d+)?$")


def pdf_text(pdf: bytes) -> str:
    pdftotext = shutil.which("pdftotext")
    assert pdftotext, "pdftotext is missing: make browser installs poppler-utils"
    result = subprocess.run(  # noqa: S603 (the PDF is ours, the program Debian's)
        [pdftotext, "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return result.stdout.decode()


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def rendered(demo: None, django_db_blocker: Any) -> dict[tuple[int, str], dict[str, Any]]:
    """Each year's JSON report, and its PDF's text and its workbook in each language."""
    out = {}
    with django_db_blocker.unblock():
        for year in YEARS:
            stdout = StringIO()
            call_command("report", "--year", str(year), "--format", "json", stdout=stdout)
            report = json.loads(stdout.getvalue())
            for lang in LANGS:
                out[year, lang] = {
                    "report": report,
                    "text": pdf_text(report_pdf(report, lang)),
                    "xlsx": openpyxl.load_workbook(BytesIO(report_xlsx(report, lang))),
                }
    return out


def _numbers(node: Any) -> list[Decimal]:
    """Every figure under a section of the JSON report: counts, and money written as text."""
    if isinstance(node, dict):
        return [n for value in node.values() for n in _numbers(value)]
    if isinstance(node, list):
        return [n for value in node for n in _numbers(value)]
    if isinstance(node, bool):
        return []
    if isinstance(node, int | float) or (isinstance(node, str) and NUMBER.match(node)):
        return [Decimal(str(node))]
    return []


def _sections(report: dict[str, Any]) -> list[str]:
    return [key for key, value in report.items() if key not in ("year", "names") and value]


def _row_found(lines: list[str], start: int, cells: list[str]) -> int:
    """The line, from ``start`` on, that opens with the row's label and ends with its figures."""
    # The label's start: a long one wraps, a code wraps after a hyphen ("CEAV-|EMERGENCIA").
    label = re.escape(re.split(r"(?<=-)", cells[0])[0][:18])
    figures = "".join(rf"\s+{re.escape(cell)}" for cell in cells[1:])
    pattern = re.compile(rf"^\s*{label}.*{figures}\s*$" if figures else rf"^\s*{label}")
    for i in range(start, len(lines)):
        if pattern.match(lines[i]):
            return i
    raise AssertionError(f"no line for {cells} after line {start}")


@pytest.mark.django_db
@pytest.mark.parametrize("year", YEARS)
@pytest.mark.parametrize("lang", LANGS)
def test_the_pdf_text_gives_every_table_row_and_the_narrative(
    rendered: dict[tuple[int, str], dict[str, Any]], year: int, lang: str
) -> None:
    report, text = rendered[year, lang]["report"], rendered[year, lang]["text"]
    assert report["identified"]["total"] > 0
    for paragraph in narrative(report, lang=lang):
        assert _flat(paragraph) in _flat(text)
    lines = text.splitlines()
    position = 0
    with translation.override(language_code(lang)):
        sections = report_sections(report)
    assert [s.key for s in sections] == _sections(report)
    for section in sections:
        for table in section.tables:
            # After the table's header (its chart, drawn before it, shows the same figures).
            position = _row_found(lines, position, [table.header[0]]) + 1
            for row in table.rows:
                position = _row_found(lines, position, [format_cell(c) for c in row]) + 1


@pytest.mark.django_db
def test_the_pdf_speaks_the_seeds_sentences(
    rendered: dict[tuple[int, str], dict[str, Any]],
) -> None:
    english, spanish = _flat(rendered[2017, "en"]["text"]), _flat(rendered[2017, "es"]["text"])
    for sentence in SEED_SENTENCES_EN:
        assert _flat(sentence) in english
    assert "El gobierno informó haber identificado a 667 víctimas de trata en 2017" in spanish
    assert "740 víctimas en 2016 y 1,814 en 2015" in spanish
    assert "Identificación y protección de víctimas, 2017" in spanish
    assert "Victim identification and protection, 2017" in english


@pytest.mark.django_db
@pytest.mark.parametrize("year", YEARS)
@pytest.mark.parametrize("lang", LANGS)
def test_the_workbook_cells_equal_the_json_figures(
    rendered: dict[tuple[int, str], dict[str, Any]], year: int, lang: str
) -> None:
    report, workbook = rendered[year, lang]["report"], rendered[year, lang]["xlsx"]
    sections = _sections(report)
    # A sheet a section, in the report's order, and the notes last.
    assert len(workbook.worksheets) == len(sections) + 1
    for key, sheet in zip(sections, workbook.worksheets, strict=False):
        cells = [
            Decimal(str(cell))
            for row in sheet.iter_rows(values_only=True)
            for cell in row
            if isinstance(cell, int | float) and not isinstance(cell, bool)
        ]
        figures = _numbers(report[key])
        # Every figure is there as a number, and every number there is a figure of the section.
        assert Counter(figures) - Counter(cells) == Counter(), (key, sheet.title)
        assert set(cells) <= set(figures), (key, sheet.title)
    notes = [cell for row in workbook.worksheets[-1].iter_rows(values_only=True) for cell in row]
    with translation.override(language_code(lang)):
        rule = str(REGISTRY["identified_total"].rule)
    assert rule in notes


@pytest.mark.django_db
def test_the_seed_figures_are_in_their_rows_of_the_workbook(
    rendered: dict[tuple[int, str], dict[str, Any]],
) -> None:
    english = rendered[2017, "en"]["xlsx"]
    rows = {row[0]: row for row in english.worksheets[0].iter_rows(values_only=True) if row[0]}
    assert rows["sex_trafficking"][1:3] == ("Sex trafficking", 429)
    assert rows["2015"][1:5] == ("2015", 1814, 876, 938)
    spanish = rendered[2017, "es"]["xlsx"]
    funds = {row[0]: row for row in spanish["Fondos"].iter_rows(values_only=True) if row[0]}
    assert funds["INDESOL"][2:6] == (598500, 30370, 2, 76)


@pytest.mark.django_db
def test_the_command_writes_pdf_and_xlsx_files(
    rendered: dict[tuple[int, str], dict[str, Any]], tmp_path: Path
) -> None:
    for fmt in ("pdf", "xlsx"):
        output = tmp_path / f"report.{fmt}"
        call_command(
            "report", "--year", "2017", "--format", fmt, "--lang", "es", "--output", str(output),
            stderr=StringIO(),
        )  # fmt: skip
        data = output.read_bytes()
        if fmt == "pdf":
            assert _flat(pdf_text(data)) == _flat(rendered[2017, "es"]["text"])
        else:
            workbook = openpyxl.load_workbook(BytesIO(data))
            assert workbook.sheetnames == rendered[2017, "es"]["xlsx"].sheetnames


@pytest.mark.django_db
def test_the_analysts_page_links_both_downloads(
    rendered: dict[tuple[int, str], dict[str, Any]],
) -> None:
    client = signed_in(_user("download-analyst", Role.NATIONAL_ANALYST, "CIT"), "en")
    page = client.get("/figures/?year=2017").content.decode()
    links = re.findall(r'href="(/[^"]*report\.(?:pdf|xlsx)\?[^"]*)"', page)
    assert len(links) == 4
    xlsx = next(link.replace("&amp;", "&") for link in links if "xlsx" in link and "=en" in link)
    response = client.get(xlsx)
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    workbook = openpyxl.load_workbook(BytesIO(response.content))
    assert workbook.sheetnames == rendered[2017, "en"]["xlsx"].sheetnames
    pdf = next(link.replace("&amp;", "&") for link in links if "pdf" in link and "=es" in link)
    response = client.get(pdf)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert _flat(pdf_text(response.content)) == _flat(rendered[2017, "es"]["text"])
