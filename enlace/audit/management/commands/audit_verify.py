from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser, no_translations

from enlace.audit.selectors import audit_chain_verify


class Command(BaseCommand):
    help = "Check the audit trail's hash chain; fail naming the first altered or missing row."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--chunk-size", type=int, default=5000, help="Rows read per fetch.")
        parser.add_argument(
            "--expect",
            default="",
            metavar="HASH",
            help="A last hash printed by an earlier check: fail if rows up to it are gone.",
        )

    @no_translations  # English, like the other commands' output
    def handle(self, *args: Any, **options: Any) -> None:
        report = audit_chain_verify(
            chunk_size=options["chunk_size"],
            expect=options["expect"],
            progress=lambda n: self.stderr.write(f"{n} rows checked"),
        )
        if not report.intact:
            self.stdout.write(f"{report.rows} rows fit the chain before row {report.bad_id}.")
            raise CommandError(report.problem)
        span = f" (ids {report.first_id} to {report.last_id})" if report.rows else ""
        self.stdout.write(f"{report.rows} rows checked{span}.")
        self.stdout.write(f"The chain is intact. Last hash: {report.last_hash}")
