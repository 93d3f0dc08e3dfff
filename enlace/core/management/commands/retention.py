from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from enlace.core.retention import retention_apply


class Command(BaseCommand):
    help = "Apply the retention policy: remove records whose retention period has passed."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        apply = actions.add_parser(
            "apply", help="Remove (or with --dry-run count) expired records."
        )
        apply.add_argument("--dry-run", action="store_true", help="Count only; remove nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run = options["dry_run"]
        applied = retention_apply(dry_run=dry_run)
        verb = "would be removed" if dry_run else "removed"
        for rule in applied:
            self.stdout.write(
                f"{rule.kind}: {rule.count} {verb} (older than {rule.cutoff:%Y-%m-%d}) — "
                f"{rule.description}"
            )
        self.stdout.write(f"{sum(r.count for r in applied)} records {verb} in all.")
