from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser, no_translations

from enlace.audit.sealer import seal
from enlace.audit.selectors import audit_chain_verify, audit_unsealed


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
        grace = datetime.timedelta(seconds=options["grace"])
        # Looked at before sealing: rows the sealer should have taken long ago.
        late = audit_unsealed(grace=grace)
        if not options["no_seal"]:
            self.stdout.write(f"{seal()} rows sealed.")
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
        left = audit_unsealed(grace=grace)
        if left.rows:
            self.stdout.write(f"{left.rows} rows are not sealed yet.")
        if late.late:
            more = ", ..." if late.late > len(late.late_ids) else ""
            ids = ", ".join(map(str, late.late_ids)) + more
            done = "They are sealed now" if not options["no_seal"] else "They are still unsealed"
            raise CommandError(
                f"{late.late} rows were written more than {options['grace']} seconds ago and "
                f"not sealed (ids {ids}): the sealer is not running, or rows were added to the "
                f"database behind the application's back. {done}; look at them."
            )
        self.stdout.write(f"The chain is intact. Last hash: {report.last_hash}")
