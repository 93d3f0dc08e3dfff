from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.db import connections, models, router, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enlace.audit import chain


class ImmutableAuditRow(Exception):
    """Raised on any attempt to change or delete an audit row through the application."""


class ChainHead(models.Model):
    """The lock every writer of audit rows takes, so the chain never forks.

    A single row (pk 1), locked and never changed: the last hash is read from
    the newest audit row. Updating one row for every audit row written would
    make a long transaction quadratic on PostgreSQL (each update walks the
    row versions the transaction made before).
    """

    class Meta:
        verbose_name = _("audit chain head")
        verbose_name_plural = _("audit chain head")

    def __str__(self) -> str:
        return f"audit chain head {self.pk}"


def chain_links(contents: Sequence[dict[str, Any]], using: str) -> list[tuple[str, str]]:
    """Lock the chain head and chain ``contents`` after the newest audit row.

    Returns each row's (prev_hash, hash). The caller inserts the rows in the
    same transaction: the lock holds every other writer back until it ends.
    """
    connection = connections[using]
    head = connection.ops.quote_name(ChainHead._meta.db_table)
    events = connection.ops.quote_name(AuditEvent._meta.db_table)
    # The lock: a row lock on PostgreSQL, which writes no new row version; on
    # SQLite the database's write lock, taken before any read so that two
    # writers wait for each other instead of failing as "locked".
    lock = (
        f"SELECT id FROM {head} WHERE id = 1 FOR UPDATE"  # noqa: S608 - a table name from the model
        if connection.vendor == "postgresql"
        else f"UPDATE {head} SET id = id WHERE id = 1 RETURNING id"  # noqa: S608
    )
    with connection.cursor() as cursor:
        cursor.execute(lock)
        if cursor.fetchone() is None:
            ChainHead.objects.using(using).select_for_update().get_or_create(pk=1)
        cursor.execute(f"SELECT hash FROM {events} ORDER BY id DESC LIMIT 1")  # noqa: S608
        row = cursor.fetchone()
    previous = row[0] if row else chain.GENESIS
    links = []
    for content in contents:
        current = chain.link(previous, content)
        links.append((previous, current))
        previous = current
    return links


def _link(events: list[AuditEvent], using: str) -> None:
    links = chain_links([event.chain_content() for event in events], using)
    for event, (previous, current) in zip(events, links, strict=True):
        event.prev_hash, event.hash = previous, current


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    """Rows are only ever appended: updates and deletes through the ORM raise."""

    def update(self, **kwargs: Any) -> int:
        raise ImmutableAuditRow("Audit rows cannot be changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise ImmutableAuditRow("Audit rows cannot be deleted.")

    def bulk_update(self, objs: Iterable[Any], fields: Any, batch_size: int | None = None) -> int:
        raise ImmutableAuditRow("Audit rows cannot be changed.")

    def bulk_create(self, objs: Iterable[AuditEvent], *args: Any, **kwargs: Any) -> list[Any]:
        if kwargs.get("ignore_conflicts") or kwargs.get("update_conflicts"):
            raise ImmutableAuditRow("Audit rows are appended, never merged.")
        events = list(objs)
        with transaction.atomic(using=self.db, savepoint=False):
            _link(events, self.db)
            return super().bulk_create(events, *args, **kwargs)  # type: ignore[arg-type]


class AuditEvent(models.Model):
    """Who did what to which record, and when.

    ``before`` and ``after`` hold pseudonymous field values only: encrypted
    identity fields are never copied here (see ``audit.services.snapshot``).
    Rows are append-only and chained by hash (``audit/chain.py``).
    """

    at = models.DateTimeField(_("time"), default=timezone.now, editable=False, db_index=True)
    # PROTECT: a user who acted is deactivated, never deleted, so the row keeps
    # naming them and its hash (which covers actor_id) stays valid.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, verbose_name=_("actor")
    )
    actor_name = models.CharField(
        _("actor name"), max_length=150, help_text=_("Username when the row was written.")
    )
    agency_code = models.CharField(_("agency"), max_length=20, blank=True)
    request_id = models.CharField(_("request id"), max_length=36, blank=True, db_index=True)
    action = models.CharField(_("action"), max_length=50, db_index=True)
    object_type = models.CharField(_("object type"), max_length=50)
    object_id = models.CharField(
        _("object id"), max_length=40, db_index=True, help_text=_("Public id or primary key.")
    )
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    prev_hash = models.CharField(
        _("previous hash"), max_length=64, editable=False, help_text=_("Hash of the row before.")
    )
    hash = models.CharField(
        _("hash"),
        max_length=64,
        editable=False,
        help_text=_("SHA-256 over this row's content and the previous hash."),
    )

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        # Related-object access and deletion collectors use the guarded manager too.
        base_manager_name = "objects"
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ImmutableAuditRow("Audit rows cannot be changed.")
        using = kwargs.get("using") or router.db_for_write(AuditEvent, instance=self)
        with transaction.atomic(using=using, savepoint=False):
            _link([self], using)
            super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ImmutableAuditRow("Audit rows cannot be deleted.")

    def chain_content(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in chain.CONTENT_FIELDS}
