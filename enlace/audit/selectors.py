"""Reads of the audit trail: the auditor's list, and the verification of the hash chain."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from enlace.accounts.permissions import Action, require
from enlace.audit import chain
from enlace.audit.models import LIST_ID, AuditEvent

BREAKGLASS_ACTION = "breakglass.open"

# Who was given which access: accounts, roles and memberships (an administrator's
# proposals and a supervisor's confirmations), API tokens, second factors. The
# auditor reviews them apart, as the changes that decide who reads what.
ACCOUNT_ACTIONS = (
    "user.create",
    "user.change",
    "user.password_set",
    "user.delete",
    "membership.create",
    "membership.change",
    "membership.propose",
    "membership.suspend",
    "membership.confirm",
    "membership.refuse",
    "membership.delete",
    "api_token.create",
    "api_token.revoke",
    "second_factor.enrol",
    "second_factor.recovery_codes",
    "second_factor.recovery_used",
    "second_factor.reset",
)


@dataclass(frozen=True)
class AuditFilters:
    """What the auditor asked for; every field optional."""

    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    actor: str = ""
    agency: str = ""
    action: str = ""
    object_type: str = ""
    object_id: str = ""
    request_id: str = ""

    def described(self) -> dict[str, str]:
        """The filters that were set, as text: what an audit row about this read records."""
        return {
            name: value.isoformat() if isinstance(value, datetime.date) else value
            for name, value in vars(self).items()
            if value
        }


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def audit_event_list_for_user(*, user: object, filters: AuditFilters) -> QuerySet[AuditEvent]:
    """Audit rows matching ``filters``, newest first; only auditors may read them."""
    require(user, Action.AUDIT_READ)
    rows = AuditEvent.objects.order_by("-at", "-id")
    # Bounds on the indexed time column, in the server's time zone, rather than a
    # date function the index cannot serve.
    if filters.date_from:
        rows = rows.filter(at__gte=_start_of(filters.date_from))
    if filters.date_to:
        rows = rows.filter(at__lt=_start_of(filters.date_to + datetime.timedelta(days=1)))
    exact = {
        "actor_name": filters.actor,
        "agency_code": filters.agency,
        "action": filters.action,
        "object_type": filters.object_type,
        "request_id": filters.request_id,
    }
    rows = rows.filter(**{name: value for name, value in exact.items() if value})
    if filters.object_id:
        # The rows naming it, and the rows of lists that showed it among others
        # (its public id, quoted, in their JSON: the same test on both databases).
        in_list = Q(object_id=LIST_ID, after__icontains=f'"{filters.object_id}"')
        rows = rows.filter(Q(object_id=filters.object_id) | in_list)
    return rows


def account_change_list_for_user(*, user: object) -> QuerySet[AuditEvent]:
    """Every change of accounts, roles, tokens and second factors, newest first; auditors only."""
    require(user, Action.AUDIT_READ)
    # ``action IN (...)``: the action index serves it, a prefix match would not everywhere.
    return AuditEvent.objects.filter(action__in=ACCOUNT_ACTIONS).order_by("-at", "-id")


def breakglass_list_for_user(*, user: object) -> QuerySet[AuditEvent]:
    """Every break-glass opening, newest first; only auditors may read them."""
    return audit_event_list_for_user(user=user, filters=AuditFilters(action=BREAKGLASS_ACTION))


@dataclass(frozen=True)
class ChainReport:
    rows: int
    first_id: int | None
    last_id: int | None
    last_hash: str
    bad_id: int | None = None
    problem: str = ""

    @property
    def intact(self) -> bool:
        return not self.problem


def audit_chain_verify(
    *,
    chunk_size: int = 5000,
    progress: Callable[[int], None] | None = None,
    expect: str = "",
) -> ChainReport:
    """Walk every sealed audit row in sealing order and check each one's hash and link.

    Streams the rows, so memory stays flat whatever the size of the trail.
    Stops at the first row that does not fit: ``bad_id`` names it. Rows cut
    from the end leave a shorter chain that still fits: ``expect``, a last
    hash printed by an earlier check and kept outside the database, must then
    be found in the chain. Rows not sealed yet are not part of the chain:
    ``audit_unsealed`` reports them.
    """
    columns = ("id", "seq", *chain.CONTENT_FIELDS, "prev_hash", "hash")
    rows = (
        AuditEvent.objects.filter(seq__isnull=False)
        .order_by("seq")
        .values_list(*columns)
        .iterator(chunk_size=chunk_size)
    )
    previous = chain.GENESIS
    seen = not expect
    count = 0
    first_id = last_id = None
    for values in rows:
        row_id, seq, *content, prev_hash, stored = values
        first_id = row_id if first_id is None else first_id
        if chain.link(prev_hash, dict(zip(chain.CONTENT_FIELDS, content, strict=True))) != stored:
            problem = _("Row %(id)s was altered: its content no longer gives its hash.")
            return ChainReport(count, first_id, last_id, previous, row_id, problem % {"id": row_id})
        if prev_hash != previous or seq != count + 1:
            if last_id is None:
                problem = _("Row %(id)s is not the first of the chain: earlier rows are missing.")
            else:
                problem = _(
                    "Row %(id)s does not follow row %(previous)s: rows between them are "
                    "missing, or row %(previous)s was altered and its hash recomputed."
                )
            params = {"id": row_id, "previous": last_id}
            return ChainReport(count, first_id, last_id, previous, row_id, problem % params)
        previous, last_id = stored, row_id
        seen = seen or stored == expect
        count += 1
        if progress and count % 100_000 == 0:
            progress(count)
    if not seen:
        problem = (
            _("The expected hash is not in the chain: rows after row %(id)s are missing.")
            % {"id": last_id}
            if last_id is not None
            else _("The expected hash is not in the chain: every row is missing.")
        )
        return ChainReport(count, first_id, last_id, previous, last_id, problem)
    return ChainReport(count, first_id, last_id, previous)


@dataclass(frozen=True)
class Unsealed:
    """The audit rows not sealed yet, and those of them written longer ago than the grace."""

    rows: int
    late_ids: list[int]
    late: int


def audit_unsealed(*, grace: datetime.timedelta, shown: int = 20) -> Unsealed:
    """Rows the sealer has not chained yet; ``late_ids``: the first ``shown`` of those
    written more than ``grace`` ago, which the sealer should have taken by now."""
    unsealed = AuditEvent.objects.filter(seq__isnull=True)
    late = unsealed.filter(at__lt=timezone.now() - grace).order_by("id")
    return Unsealed(unsealed.count(), list(late.values_list("id", flat=True)[:shown]), late.count())
