from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from enlace.core.spreadsheet import write_csv
from enlace.directory.models import Agency
from enlace.exchange.importer import submission_import
from enlace.exchange.kinds import IDENTIFICATIONS, KIND_NAMES, records_import
from enlace.exchange.reading import SubmissionError
from enlace.exchange.services import agency_system_user


class Command(BaseCommand):
    help = (
        "Import an agency's submission (CSV or XLSX): one identification per row, "
        "or one record of --kind per row."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--agency", required=True, help="The submitting agency's code.")
        parser.add_argument(
            "--kind",
            choices=KIND_NAMES,
            default=IDENTIFICATIONS,
            help="What each row records (default: identifications); see the template of each.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and count; store nothing."
        )
        parser.add_argument(
            "--all-or-nothing", action="store_true", help="Store nothing unless every row is valid."
        )
        parser.add_argument(
            "--user", help="Act as this user of the agency (default: the agency's import account)."
        )
        parser.add_argument(
            "--report", type=Path, help="Write the error report here (.csv or .json)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            agency = Agency.objects.get(code=options["agency"].upper())
        except Agency.DoesNotExist:
            raise CommandError(f"No agency with code {options['agency']!r}.") from None
        if options["user"]:
            actor = get_user_model().objects.get(username=options["user"])
            if getattr(getattr(actor, "membership", None), "agency_id", None) != agency.pk:
                raise CommandError(f"{actor} is not a member of {agency.code}.")
        else:
            actor = agency_system_user(agency=agency)
        try:
            data = options["file"].read_bytes()
        except OSError as exc:
            raise CommandError(str(exc)) from None
        try:
            if options["kind"] == IDENTIFICATIONS:
                result = submission_import(
                    actor=actor,
                    data=data,
                    dry_run=options["dry_run"],
                    all_or_nothing=options["all_or_nothing"],
                    progress=self._progress,
                )
            else:
                result = records_import(
                    actor=actor,
                    kind=options["kind"],
                    data=data,
                    dry_run=options["dry_run"],
                    progress=self._progress,
                )
        except (SubmissionError, PermissionDenied) as exc:
            raise CommandError(str(exc)) from None
        for e in result.errors:
            value = f" ({e.value})" if e.value else ""
            column = f"{e.column}{value}: " if e.column else ""
            self.stdout.write(f"row {e.row} [{e.agency_record_id}] {column}{e.reason}")
        if options["report"]:
            _write_report(options["report"], [e.as_dict() for e in result.errors])
        if options["dry_run"]:
            self.stdout.write(_("Dry run: nothing was stored."))
        elif result.nothing_stored:
            self.stdout.write(_("All or nothing: nothing was stored, some rows have errors."))
        self.stdout.write(result.summary())

    def _progress(self, phase: str, done: int, total: int) -> None:
        width = 30
        filled = width * done // total if total else width
        line = f"{phase:<9} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}"
        if sys.stderr.isatty():
            self.stderr.write("\r" + line, ending="\n" if done >= total else "")
        else:
            self.stderr.write(line)
        self.stderr.flush()


def _write_report(path: Path, rows: list[dict[str, Any]]) -> None:
    if path.suffix.lower() == ".json":
        path.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
        return
    columns = ("row", "agency_record_id", "column", "value", "reason")
    text = write_csv(columns, ([row[k] for k in columns] for row in rows))
    path.write_text(text, encoding="utf-8", newline="")
