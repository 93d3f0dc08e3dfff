from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from enlace.core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup into the configured database, which must be empty; refuses a file "
        "whose checksum fails or that the configured keys cannot read."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = backup_restore(options["file"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Restored the {manifest['engine']} backup of {manifest['created_at']}. "
            "Run `enlace audit_verify` to check its audit trail."
        )
