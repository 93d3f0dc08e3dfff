"""The sealer: gives committed audit rows their place in the hash chain, in batches.

Writers insert audit rows unsealed (``seq`` null, empty hashes) and take no
shared lock, so no write waits for another one's audit row. ``seal`` then,
under a lock of its own that no writer takes, reads the newest sealed row and
the committed rows not sealed yet, numbers them after it (``seq``) in the
order it reads them, and stores each one's ``prev_hash`` and ``hash``
(``audit/chain.py``). Rows of a transaction that commits later are sealed by a
later batch, after the rows already sealed: the chain follows sealing order,
not id order (ids are handed out when rows are inserted, and transactions
commit in another order). See docs/audit.md.

The sealer's lock:

- PostgreSQL: the transaction-level advisory lock ``SEAL_LOCK``, for the
  batch's transaction only. Only the sealer takes it.
- SQLite: a no-op update of the single ``ChainHead`` row, the database's write
  lock, taken before anything is read (SQLite has one writer at a time anyway).

The seal columns are set here with SQL, once (``WHERE seq IS NULL``): the ORM
refuses every update of an audit row (``models.AuditEventQuerySet``).
"""

from __future__ import annotations

import datetime
import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone

from enlace.audit import chain
from enlace.audit.models import AuditEvent, ChainHead
from enlace.audit.selectors import ChainReport, Unsealed, audit_chain_verify, audit_unsealed

logger = logging.getLogger(__name__)

# The PostgreSQL advisory lock key: "enlace" in ASCII, then 1 for the audit seal.
SEAL_LOCK = 0x656E6C61636501
BATCH = 1000
ROUNDS = 10


def seal(*, using: str = "default", wait: bool = True, batch: int = BATCH) -> int:
    """Seal every committed audit row not sealed yet; returns how many rows it sealed.

    Each batch of up to ``batch`` rows is one transaction holding the sealer's
    lock. ``wait`` False returns at once if another sealer holds the lock
    (PostgreSQL; SQLite always waits for its write lock). Call it outside any
    transaction: inside one, the lock would be held until that one ends.

    After releasing the lock it looks once more for unsealed rows: a writer
    that committed while this sealer held the lock, and so skipped sealing
    (``seal_after_commit``), had its rows committed before this look. Whoever
    skips because the lock is taken thus leaves its rows to a sealer that will
    look after it; under a steady stream of writes the look is repeated at
    most ``ROUNDS`` times, and the next commit's seal takes what is left.
    """
    total = 0
    for _round in range(ROUNDS):
        while True:
            sealed = _seal_batch(using, wait=wait, batch=batch)
            if sealed is None:  # the lock's holder looks again after releasing it
                return total
            total += sealed
            if sealed < batch:
                break
        if not AuditEvent.objects.using(using).filter(seq__isnull=True).exists():
            break
    return total


def _lock(connection: BaseDatabaseWrapper, *, wait: bool) -> bool:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            function = "pg_advisory_xact_lock" if wait else "pg_try_advisory_xact_lock"
            cursor.execute(f"SELECT {function}(%s)", [SEAL_LOCK])
            return wait or bool(cursor.fetchone()[0])
        head = connection.ops.quote_name(ChainHead._meta.db_table)
        cursor.execute(f"UPDATE {head} SET id = id WHERE id = 1")  # noqa: S608 - the model's table
        if cursor.rowcount == 0:
            cursor.execute(f"INSERT INTO {head} (id) VALUES (1)")  # noqa: S608
    return True


def _seal_batch(using: str, *, wait: bool, batch: int) -> int | None:
    connection = connections[using]
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    with transaction.atomic(using=using):
        if not _lock(connection, wait=wait):
            return None
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT seq, hash FROM {table} WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1"  # noqa: S608
            )
            last = cursor.fetchone()
        seq, previous = last if last else (0, chain.GENESIS)
        # The content as the database gives it back, as audit_verify reads it.
        rows = list(
            AuditEvent.objects.using(using)
            .filter(seq__isnull=True)
            .order_by("id")
            .values_list("id", *chain.CONTENT_FIELDS)[:batch]
        )
        updates = []
        for row_id, *content in rows:
            seq += 1
            current = chain.link(previous, dict(zip(chain.CONTENT_FIELDS, content, strict=True)))
            updates.append((seq, previous, current, row_id))
            previous = current
        if updates:
            with connection.cursor() as cursor:
                cursor.executemany(
                    f"UPDATE {table} SET seq = %s, prev_hash = %s, hash = %s "  # noqa: S608
                    "WHERE id = %s AND seq IS NULL",
                    updates,
                )
        return len(updates)


def _seal_quietly(using: str) -> None:
    """The on-commit seal: never waits for another sealer, never fails the request.

    It seals only once some unsealed row is older than
    ``settings.AUDIT_SEAL_ON_COMMIT_AFTER`` seconds (2 by default; 0 seals after
    every commit): the commits of the next seconds leave their rows to the first
    commit after that age, or to the scheduled seal (every 10 s), so that one
    seal, and one transaction, serves many requests. Asking is one query on the
    index of unsealed rows.
    """
    try:
        after = float(getattr(settings, "AUDIT_SEAL_ON_COMMIT_AFTER", 2))
        if after > 0:
            older = timezone.now() - datetime.timedelta(seconds=after)
            unsealed = AuditEvent.objects.using(using).filter(seq__isnull=True)
            if not unsealed.filter(at__lte=older).exists():
                return
        seal(using=using, wait=False)
    except Exception:  # the rows stay unsealed until the next seal; the write stands
        logger.exception("Sealing audit rows after a commit failed; the next seal takes them.")


@functools.cache
def _sealer_for(using: str) -> Callable[[], None]:
    return functools.partial(_seal_quietly, using)


def seal_after_commit(using: str) -> None:
    """Seal, once the current transaction commits, the audit rows it appended.

    On unless ``settings.AUDIT_SEAL_ON_COMMIT`` is False (for a deployment
    whose scheduled sealer does it alone). At most once per transaction; it
    seals only when some unsealed row is older than
    ``settings.AUDIT_SEAL_ON_COMMIT_AFTER`` seconds, and takes the sealer's lock
    without waiting, skipping if another sealer holds it: that one, a later
    commit's or the scheduled seal takes these rows.
    """
    if not getattr(settings, "AUDIT_SEAL_ON_COMMIT", True):
        return
    connection = connections[using]
    callback = _sealer_for(using)
    if connection.in_atomic_block and any(
        entry[1] is callback for entry in connection.run_on_commit
    ):
        return
    transaction.on_commit(callback, using=using)


@dataclass(frozen=True)
class TrailCheck:
    """What ``trail_check`` found: rows sealed, the chain's report, late and pending rows."""

    sealed: int
    chain: ChainReport
    late: Unsealed
    pending: Unsealed
    grace: datetime.timedelta
    sealed_first: bool

    @property
    def problem(self) -> str:
        """Empty when the trail is intact and no row stayed unsealed past the grace."""
        if not self.chain.intact:
            return self.chain.problem
        if not self.late.late:
            return ""
        more = ", ..." if self.late.late > len(self.late.late_ids) else ""
        ids = ", ".join(map(str, self.late.late_ids)) + more
        done = "They are sealed now" if self.sealed_first else "They are still unsealed"
        return (
            f"{self.late.late} rows were written more than {int(self.grace.total_seconds())} "
            f"seconds ago and not sealed (ids {ids}): the sealer is not running, or rows were "
            f"added to the database behind the application's back. {done}; look at them."
        )


def trail_check(
    *,
    seal_first: bool = True,
    grace: datetime.timedelta | None = None,
    expect: str = "",
    chunk_size: int = 5000,
    progress: Callable[[int], None] | None = None,
) -> TrailCheck:
    """What ``enlace audit_verify`` does, for a scheduled task too: note the rows left
    unsealed longer than ``grace`` (``settings.AUDIT_SEAL_GRACE`` seconds, 300 by
    default), seal (unless ``seal_first`` is False), and verify the sealed chain."""
    if grace is None:
        grace = datetime.timedelta(seconds=getattr(settings, "AUDIT_SEAL_GRACE", 300))
    late = audit_unsealed(grace=grace)
    sealed = seal() if seal_first else 0
    report = audit_chain_verify(chunk_size=chunk_size, expect=expect, progress=progress)
    return TrailCheck(sealed, report, late, audit_unsealed(grace=grace), grace, seal_first)
