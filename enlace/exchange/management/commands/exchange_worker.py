from __future__ import annotations

import logging
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from enlace.exchange.models import Submission
from enlace.exchange.services import submission_claim, submission_run

logger = logging.getLogger(__name__)


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
            try:
                result = submission_run(submission=submission)
            except Exception:  # submission_run records a file's failure; this is the rest
                # One submission must not stop the queue: it is left failed, the next taken.
                logger.exception("Submission %s could not be run.", submission.public_id)
                submission.failure = _("The submission could not be run; it was logged.")
                Submission.objects.filter(pk=submission.pk).update(
                    status=Submission.Status.FAILED,
                    failure=submission.failure,
                    finished_at=timezone.now(),
                )
                result = None
            done += 1
            summary = result.summary() if result else f"failed: {submission.failure}"
            self.stdout.write(f"{submission.public_id} {submission.agency.code}: {summary}")
        self.stdout.write(f"{done} submissions run.")
