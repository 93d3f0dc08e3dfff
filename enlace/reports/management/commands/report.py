from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from enlace.reports.annual import annual_report
from enlace.reports.markdown import annual_report_markdown


class Command(BaseCommand):
    help = "Print the national annual report for a year, as JSON or Markdown."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--format", choices=["json", "md"], default="json")
        parser.add_argument("--lang", choices=["en", "es"], default="en")

    def handle(self, *args: Any, **options: Any) -> None:
        report = annual_report(options["year"])
        if options["format"] == "json":
            self.stdout.write(json.dumps(report, indent=2, ensure_ascii=False, sort_keys=False))
        else:
            self.stdout.write(annual_report_markdown(report, lang=options["lang"]), ending="")
