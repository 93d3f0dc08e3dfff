from __future__ import annotations

import logging
import time
import uuid
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections, connection
from django.db.utils import OperationalError
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from enlace.audit.context import set_request_id
from enlace.ops.schedule import schedule_due

BACKEND = "default"
# Seconds between two looks at the periodic jobs: due ones wait at most this long.
SCHEDULE_EVERY = 10.0

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Run background tasks (imports, linkage runs) and enqueue the periodic ones when due."

    # Each task's outcome is logged (JSON lines in production); a --batch run by
    # hand also prints them, and how many ran.

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch", action="store_true", help="Stop when no task is left to run."
        )
        parser.add_argument(
            "--interval", type=float, default=1.0, help="Seconds between polls when idle."
        )
        parser.add_argument(
            "--no-schedule", action="store_true", help="Run tasks only; enqueue no periodic job."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # django-tasks-db's worker runs each task and records its result (a failure
        # with its traceback); the loop is this one, to enqueue periodic jobs in it.
        worker = Worker(
            queue_names=["*"],
            interval=options["interval"],
            batch=True,
            backend_name=BACKEND,
            startup_delay=False,
            max_tasks=None,
            worker_id=get_random_string(32),
            excluded_queue_names=[],
        )
        if not options["batch"]:
            # SIGTERM ends the task at hand first (systemd's stop), a second one at once.
            worker.configure_signals()
        done = 0
        next_schedule = time.monotonic()
        while worker.running:
            self._close_old_connections()
            if not options["no_schedule"] and time.monotonic() >= next_schedule:
                schedule_due()
                next_schedule = time.monotonic() + SCHEDULE_EVERY
            result = self._claim(worker)
            if result is not None:
                # The task's audit rows and log lines carry its id as their request id.
                set_request_id(
                    result.id.hex if isinstance(result.id, uuid.UUID) else str(result.id)
                )
                worker.run_task(result)
                done += 1
                result.refresh_from_db()
                outcome = f"{result.task_path}: {result.status} {result.return_value or ''}"
                logger.info("%s", outcome.strip())
                if options["batch"]:
                    self.stdout.write(outcome)
                continue
            if options["batch"]:
                break
            time.sleep(options["interval"])
        if options["batch"]:
            self.stdout.write(f"{done} tasks run.")

    def _claim(self, worker: Worker) -> DBTaskResult | None:
        tasks = DBTaskResult.objects.ready().filter(backend_name=BACKEND)
        try:
            with exclusive_transaction(tasks.db):
                result = tasks.get_locked()
                if result is not None:
                    # Claimed under the row lock: no other worker runs it.
                    result.claim(worker.worker_id)
                return result
        except OperationalError as exc:
            if is_locked_database_exception(exc):  # SQLite, busy: try again next turn
                return None
            raise

    def _close_old_connections(self) -> None:
        # As after a request: a connection past CONN_MAX_AGE or broken is replaced.
        # Not inside a transaction (a test's), which closing would break.
        if not connection.in_atomic_block:
            close_old_connections()
