from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from enlace.exchange.services import submission_claim, submission_run


class Command(BaseCommand):
    help = "Run queued submissions, one at a time; with --once, stop when the queue is empty."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Stop when nothing is queued.")
        parser.add_argument("--sleep", type=float, default=2.0, help="Seconds between polls.")

    def handle(self, *args: Any, **options: Any) -> None:
        done = 0
        while True:
            submission = submission_claim()
            if submission is None:
                if options["once"]:
                    break
                time.sleep(options["sleep"])
                continue
            result = submission_run(submission=submission)
            done += 1
            summary = result.summary() if result else submission.failure
            self.stdout.write(f"{submission.public_id} {submission.agency.code}: {summary}")
        self.stdout.write(f"{done} submissions run.")
