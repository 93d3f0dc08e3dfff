from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from enlace.accounts.permissions import Action, require
from enlace.linkage.services import LOWER, UPPER, encodings_rebuild, linkage_run
from enlace.linkage.tasks import linkage_run_task


class Command(BaseCommand):
    help = "Link the registry: one national person per human, however many agencies hold them."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--user", required=True, help="The national analyst running it.")
        parser.add_argument("--upper", type=float, default=UPPER, help="Link threshold.")
        parser.add_argument("--lower", type=float, default=LOWER, help="Review threshold.")
        parser.add_argument(
            "--encode",
            action="store_true",
            help="First re-encode every identity (after a change of linkage key).",
        )
        parser.add_argument(
            "--queue", action="store_true", help="Leave the run to `enlace worker`; return at once."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"No user {options['user']!r}.")
        if options["encode"]:
            count = encodings_rebuild(actor=user)
            self.stdout.write(f"{count} identities encoded.")
        if options["queue"]:
            require(user, Action.LINKAGE_RUN)  # refused now, not later in the worker
            linkage_run_task.enqueue(
                user_id=user.pk, upper=options["upper"], lower=options["lower"]
            )
            self.stdout.write("Linkage run queued for `enlace worker`.")
            return
        run = linkage_run(
            actor=user,
            upper=options["upper"],
            lower=options["lower"],
            progress=lambda stage: self.stderr.write(f"  {stage} done"),
        )
        stages = ", ".join(f"{k} {v:.1f} s" for k, v in run.stages.items())
        self.stdout.write(
            f"{run.records} records, {run.pairs_compared} pairs compared, "
            f"{run.pairs_linked} linked, {run.pairs_to_review} to review: "
            f"{run.people} people. ({stages})"
        )
