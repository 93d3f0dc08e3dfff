from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import models, router
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enlace.audit import chain

# A row about several records at once (a read of a list): its object id, and the
# key of ``after`` that lists their public ids. The auditor's filter by object id
# finds such rows too (``selectors.audit_event_list_for_user``).
LIST_ID = "list"
LIST_KEY = "public_ids"


class ImmutableAuditRow(Exception):
    """Raised on any attempt to change or delete an audit row through the application."""


class ChainHead(models.Model):
    """The sealer's lock on SQLite, where it has no advisory lock: a single row (pk 1).

    Writers never touch it. On SQLite the sealer's no-op update of this row
    takes the database's write lock before it reads (``audit/sealer.py``); on
    PostgreSQL the sealer takes an advisory lock instead and this row is unused.
    """

    class Meta:
        verbose_name = _("audit chain head")
        verbose_name_plural = _("audit chain head")

    def __str__(self) -> str:
        return f"audit chain head {self.pk}"


def _appended(using: str) -> None:
    """Rows were inserted, unsealed: have the sealer chain them once the transaction commits."""
    from enlace.audit import sealer  # the sealer reads this module's model

    sealer.seal_after_commit(using)


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
        created = super().bulk_create(objs, *args, **kwargs)  # type: ignore[arg-type]
        _appended(self.db)
        return created


class AuditEvent(models.Model):
    """Who did what to which record, and when.

    ``before`` and ``after`` hold pseudonymous field values only: encrypted
    identity fields are never copied here (see ``audit.services.snapshot``).
    Rows are append-only. Writers insert them unsealed (``seq`` null, empty
    hashes) and take no shared lock; the sealer (``audit/sealer.py``) gives
    committed rows their place in the hash chain (``audit/chain.py``) afterwards.
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
    # Set once by the sealer, with raw SQL (never through the ORM): empty until then.
    seq = models.BigIntegerField(
        _("seal number"),
        null=True,
        blank=True,
        editable=False,
        db_index=True,
        help_text=_("The row's place in the hash chain; empty until sealed."),
    )
    prev_hash = models.CharField(
        _("previous hash"),
        max_length=64,
        blank=True,
        default="",
        editable=False,
        help_text=_("Hash of the row before."),
    )
    hash = models.CharField(
        _("hash"),
        max_length=64,
        blank=True,
        default="",
        editable=False,
        help_text=_("SHA-256 over this row's content and the previous hash."),
    )

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        # Related-object access and deletion collectors use the guarded manager too.
        base_manager_name = "objects"
        # The sealer's work list: the rows not sealed yet, few at any time.
        indexes = [
            models.Index(fields=["id"], condition=Q(seq__isnull=True), name="audit_unsealed"),
        ]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ImmutableAuditRow("Audit rows cannot be changed.")
        using = kwargs.get("using") or router.db_for_write(AuditEvent, instance=self)
        super().save(*args, **kwargs)
        _appended(using)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ImmutableAuditRow("Audit rows cannot be deleted.")

    def chain_content(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in chain.CONTENT_FIELDS}
