"""exchange's hooks: how long submitted files and their reports are kept."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import QuerySet

from enlace.core.retention import Rule, public_ids, retention_rule
from enlace.exchange.models import Submission

FINISHED = [Submission.Status.DONE, Submission.Status.FAILED]


def _submission_files(cutoff: datetime.datetime) -> QuerySet[Any]:
    return Submission.objects.filter(status__in=FINISHED, finished_at__lt=cutoff).exclude(
        content=b""
    )


def _submissions(cutoff: datetime.datetime) -> QuerySet[Any]:
    return Submission.objects.filter(status__in=FINISHED, finished_at__lt=cutoff)


retention_rule(
    Rule(
        "submission_files",
        "Uploaded files of finished submissions (their rows are in the registry)",
        _submission_files,
        public_ids,
        # Emptied, not deleted: the submission's report stays for its own period.
        clear={"content": b""},
    )
)
retention_rule(
    Rule(
        "submissions",
        "Finished submissions with their row-by-row error reports",
        _submissions,
        public_ids,
    )
)
