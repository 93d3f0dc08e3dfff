from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from enlace.core.spreadsheet import write_csv, write_xlsx
from enlace.exchange import exports
from enlace.exchange.kinds import IDENTIFICATIONS, KIND_NAMES
from enlace.statistics.services import open_data_release, privacy_budget_spent

KINDS = ("identifications", "htcds", "open-data", "template")


class Command(BaseCommand):
    help = "Export identifications a user may see, HTCDS, open data or the submission template."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=KINDS)
        parser.add_argument("--user", help="Whose view to export (identifications, htcds).")
        parser.add_argument(
            "--kind",
            dest="template_kind",
            choices=KIND_NAMES,
            default=IDENTIFICATIONS,
            help="The kind of submission whose template to write (template).",
        )
        parser.add_argument("--format", choices=("csv", "xlsx"), default="csv")
        parser.add_argument("--year", type=int, help="Year of the open-data aggregates.")
        parser.add_argument("--threshold", type=int, help="Suppress open-data cells below this.")
        parser.add_argument(
            "--dp",
            action="store_true",
            help="Open data with differential privacy: a new release, recorded with its budget.",
        )
        parser.add_argument("--epsilon", type=float, help="Budget per table (--dp).")
        parser.add_argument("--mechanism", help="OpenDP mechanism: laplace or geometric (--dp).")
        parser.add_argument("-o", "--output", type=Path, help="File to write (default: stdout).")

    def handle(self, *args: Any, **options: Any) -> None:
        kind = options["kind"]
        if kind in ("identifications", "htcds"):
            user = self._user(
                options, f"{kind} needs --user: an export shows what that user may see."
            )
            columns = exports.CASE_COLUMNS if kind == "identifications" else exports.HTCDS_COLUMNS
            rows = (
                exports.case_rows(user) if kind == "identifications" else exports.htcds_rows(user)
            )
            exports.export_read_audit(user=user, kind=kind)
        elif kind == "open-data" and options["dp"]:
            if not options["year"]:
                raise CommandError("open-data needs --year.")
            user = self._user(options, "A private release needs --user: who spends the budget.")
            try:
                released = open_data_release(
                    actor=user,
                    year=options["year"],
                    epsilon=options["epsilon"],
                    mechanism=options["mechanism"],
                )
            except (PermissionDenied, ValidationError) as error:
                raise CommandError(str(error)) from None
            columns = exports.OPEN_DATA_PRIVATE_COLUMNS
            rows = iter(exports.open_data_private_rows(released))
            self.stderr.write(
                f"Released {len(released)} tables; epsilon spent on {options['year']} so far: "
                f"{privacy_budget_spent(options['year']):g}."
            )
        elif kind == "open-data":
            if not options["year"]:
                raise CommandError("open-data needs --year.")
            columns = exports.OPEN_DATA_COLUMNS
            rows = iter(exports.open_data_rows(options["year"], threshold=options["threshold"]))
        else:
            columns, rows = None, iter(())
        if options["format"] == "xlsx":
            if not options["output"]:
                raise CommandError("An XLSX export needs --output.")
            data = (
                exports.template_xlsx(options["template_kind"])
                if columns is None
                else write_xlsx(columns, rows)
            )
            options["output"].write_bytes(data)
            return
        if columns is None:
            text = exports.template_csv(options["template_kind"])
        else:
            text = write_csv(columns, rows)
        if options["output"]:
            options["output"].write_text(text, encoding="utf-8")
        else:
            sys.stdout.write(text)

    def _user(self, options: dict[str, Any], missing: str) -> Any:
        if not options["user"]:
            raise CommandError(missing)
        try:
            return get_user_model().objects.get(username=options["user"])
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user {options['user']!r}.") from None
