from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser

from enlace.core.keys import (
    Rotation,
    key_generate,
    keys_pending,
    keys_rotate,
    keys_verify,
    linkage_key_accept,
)


class Command(BaseCommand):
    help = "Encryption keys: generate a key, check the configured ones, rotate to the first."

    # `generate` needs no database; `check` and `rotate` verify the keys themselves.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser("generate", help="Print a new Fernet key.")
        actions.add_parser(
            "check", help="Verify the keys against the database; count values under old keys."
        )
        rotate = actions.add_parser(
            "rotate", help="Re-encrypt every encrypted value with the first key, in batches."
        )
        rotate.add_argument("--batch-size", type=int, default=500)
        actions.add_parser(
            "accept-linkage-key",
            help="Record the configured linkage key as the database's (after a deliberate change).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        self.verbosity = options["verbosity"]
        if action == "generate":
            self.stdout.write(key_generate())
            return
        if action == "accept-linkage-key":
            linkage_key_accept()
            self.stdout.write("Linkage key recorded; now run `enlace link --user … --encode`.")
            return
        try:
            keys_verify()
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        if action == "check":
            pending = keys_pending()
            left = sum(pending.values())
            for model, count in pending.items():
                self.stdout.write(f"{model}: {count} values under an old key")
            self.stdout.write(
                "Keys OK; every value is under the first key: older keys can be removed."
                if left == 0
                else f"Keys OK; {left} values under an old key: run `enlace keys rotate`."
            )
            return
        results = keys_rotate(batch_size=options["batch_size"], progress=self._progress)
        rotated = sum(r.rotated for r in results)
        values = sum(r.values for r in results)
        self.stdout.write(
            f"{rotated} of {values} encrypted values re-encrypted with the first key "
            f"in {len(results)} models; the rest already were. Old keys can now be removed."
        )

    def _progress(self, done: Rotation) -> None:
        if self.verbosity > 0:
            self.stderr.write(f"  {done.model}: {done.rows} rows, {done.rotated} re-encrypted")
