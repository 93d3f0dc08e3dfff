from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from enlace.core.backup import BackupError, backup_write


class Command(BaseCommand):
    help = (
        "Back up the database into one checksummed file in --output (PostgreSQL: pg_dump; "
        "SQLite: the online backup API). The keys are never in it: back them up apart."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", type=Path, required=True, help="The backups' directory.")
        parser.add_argument(
            "--keep", type=int, default=None, help="Keep only this many newest backups there."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["keep"] is not None and options["keep"] < 1:
            raise CommandError("--keep must be at least 1.")
        try:
            path = backup_write(options["output"], keep=options["keep"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(str(path))
