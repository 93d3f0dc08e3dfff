"""A transaction run again when the database aborted it to break a deadlock.

PostgreSQL aborts one of two transactions that wait for each other's locks
(``deadlock detected``), or one that read what a concurrent one changed under
a stricter isolation (``could not serialize access``). Neither is the user's
error: run the whole transaction again, a few times, and the user sees the
result, not a server error. Services follow one lock order (docs/audit.md,
"Lock order"), so this is rare; it stays as the safety net.

Only a whole transaction can be run again: nested inside a caller's
transaction, ``retried_atomic`` is a plain ``transaction.atomic`` and the
outermost one retries. A service wrapped here must be safe to run again:
everything it does is in the transaction, and it reads again what it
decides on (``core.services.lock`` reloads the rows it locks).
"""

from __future__ import annotations

import functools
import logging
import random
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.db import DEFAULT_DB_ALIAS, OperationalError, transaction

logger = logging.getLogger(__name__)

ATTEMPTS = 5
T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])


def is_conflict(exc: BaseException) -> bool:
    """A deadlock or a serialization failure, which running the transaction again resolves."""
    if not isinstance(exc, OperationalError):
        return False
    try:
        from psycopg import errors
    except ImportError:  # no PostgreSQL driver: SQLite, which has neither
        return False
    return isinstance(exc.__cause__, errors.DeadlockDetected | errors.SerializationFailure)


def run_retried(
    work: Callable[[], T],
    *,
    using: str = DEFAULT_DB_ALIAS,
    attempts: int = ATTEMPTS,
    before_retry: Callable[[], None] | None = None,
) -> T:
    """``work()`` in a transaction, run again (up to ``attempts`` times in all) after a
    deadlock or serialization failure. ``before_retry`` undoes what ``work`` changed
    outside the database (counters of a report)."""
    if transaction.get_connection(using).in_atomic_block:
        with transaction.atomic(using=using):
            return work()
    for attempt in range(1, attempts + 1):
        try:
            with transaction.atomic(using=using):
                return work()
        except OperationalError as exc:
            if attempt == attempts or not is_conflict(exc):
                raise
            # The class name only: the message may quote rows' values.
            logger.warning(
                "Transaction aborted by the database (%s); running it again (attempt %d of %d).",
                type(exc.__cause__).__name__,
                attempt + 1,
                attempts,
            )
            if before_retry is not None:
                before_retry()
            # A short random pause, so the two transactions do not meet again at once.
            time.sleep(random.uniform(0.005, 0.03) * attempt)  # noqa: S311 - not a secret
    raise AssertionError("unreachable")  # pragma: no cover


def retried_atomic(func: F) -> F:
    """``transaction.atomic`` for a service, run again after a deadlock (``run_retried``)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return run_retried(lambda: func(*args, **kwargs))

    return wrapper  # type: ignore[return-value]
