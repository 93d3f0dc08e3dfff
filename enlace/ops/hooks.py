"""ops' hooks: finished background tasks are kept for a while, then removed by retention."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import QuerySet
from django_tasks_db.models import DBTaskResult

from enlace.core.retention import Rule, retention_rule


def _task_results(cutoff: datetime.datetime) -> QuerySet[Any]:
    return DBTaskResult.objects.finished().filter(finished_at__lt=cutoff)


# A task's arguments are record keys, its result counts: the audit row counts them only.
retention_rule(Rule("task_results", "Finished background tasks", _task_results, None))
