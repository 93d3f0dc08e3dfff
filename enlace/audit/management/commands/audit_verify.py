from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser, no_translations

from enlace.audit.sealer import trail_check


class Command(BaseCommand):
    help = (
        "Seal the committed audit rows, then check the hash chain; fail naming the first "
        "altered or missing row, or rows left unsealed longer than the grace."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--chunk-size", type=int, default=5000, help="Rows read per fetch.")
        parser.add_argument(
            "--expect",
            default="",
            metavar="HASH",
            help="A last hash printed by an earlier check: fail if rows up to it are gone.",
        )
        parser.add_argument(
            "--grace",
            type=int,
            default=getattr(settings, "AUDIT_SEAL_GRACE", 300),
            metavar="SECONDS",
            help="Fail on rows written longer ago than this and not sealed (default 300).",
        )
        parser.add_argument(
            "--no-seal",
            action="store_true",
            help="Check only, writing nothing (a copy, a read-only account).",
        )

    @no_translations  # English, like the other commands' output
    def handle(self, *args: Any, **options: Any) -> None:
        check = trail_check(
            seal_first=not options["no_seal"],
            grace=datetime.timedelta(seconds=options["grace"]),
            expect=options["expect"],
            chunk_size=options["chunk_size"],
            progress=lambda n: self.stderr.write(f"{n} rows checked"),
        )
        if check.sealed_first:
            self.stdout.write(f"{check.sealed} rows sealed.")
        report = check.chain
        if not report.intact:
            self.stdout.write(f"{report.rows} rows fit the chain before row {report.bad_id}.")
            raise CommandError(report.problem)
        span = f" (ids {report.first_id} to {report.last_id})" if report.rows else ""
        self.stdout.write(f"{report.rows} rows checked{span}.")
        if check.pending.rows:
            self.stdout.write(f"{check.pending.rows} rows are not sealed yet.")
        if check.problem:
            raise CommandError(check.problem)
        self.stdout.write(f"The chain is intact. Last hash: {report.last_hash}")
