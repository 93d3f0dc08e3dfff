from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from enlace.reports.annual import annual_report
from enlace.reports.markdown import annual_report_markdown
from enlace.reports.pdf import report_pdf
from enlace.reports.releases import frozen_or_live
from enlace.reports.xlsx import report_xlsx

BINARY = {"pdf": report_pdf, "xlsx": report_xlsx}


class Command(BaseCommand):
    help = "Print the national annual report for a year, as JSON, Markdown, PDF or XLSX."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--format", choices=["json", "md", "pdf", "xlsx"], default="json")
        parser.add_argument("--lang", choices=["en", "es"], default="en")
        parser.add_argument(
            "--output", type=Path, help="write to this file (PDF and XLSX: else to stdout)"
        )
        parser.add_argument(
            "--live",
            action="store_true",
            help="a published year's figures recomputed from today's records, not as published",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        year = options["year"]
        if options["live"]:
            report = annual_report(year)
        else:
            report, release, differs = frozen_or_live(year)
            if release is not None:
                note = f"{year}: the figures of release version {release.version}, as published."
                if differs:
                    note += " Today's records give other figures: see `enlace release show`."
                self.stderr.write(note)
        fmt, lang, output = options["format"], options["lang"], options["output"]
        if fmt in BINARY:
            data = BINARY[fmt](report, lang)
            if output is not None:
                output.write_bytes(data)
                self.stderr.write(f"{output}: {len(data):,} bytes")
                return
            binary = getattr(self.stdout._out, "buffer", None)
            if binary is None:
                raise CommandError(f"{fmt} is binary: give --output FILE")
            self.stdout.flush()
            binary.write(data)
            binary.flush()
            return
        if fmt == "json":
            text = json.dumps(report, indent=2, ensure_ascii=False, sort_keys=False) + "\n"
        else:
            text = annual_report_markdown(report, lang=lang)
        if output is not None:
            output.write_text(text, encoding="utf-8")
        else:
            self.stdout.write(text, ending="")
