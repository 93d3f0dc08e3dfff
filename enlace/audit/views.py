"""The auditor's pages: the audit trail with filters and exports, break-glass uses,
and account changes.

Reading the trail is itself audited: every page and export writes a row
naming the filters used (never a row's content).
"""

from __future__ import annotations

import contextlib
import datetime
import json
from typing import Any

from django.contrib.auth.models import User
from django.core.paginator import Paginator
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    StreamingHttpResponse,
)
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from enlace.accounts.models import BreakGlass
from enlace.accounts.permissions import Action
from enlace.accounts.routes import Who, door
from enlace.audit.exports import EXPORT_COLUMNS, audit_csv_lines, audit_xlsx
from enlace.audit.forms import AuditFilterForm
from enlace.audit.models import AuditEvent
from enlace.audit.selectors import (
    BREAKGLASS_ACTION,
    AuditFilters,
    account_change_list_for_user,
    audit_event_list_for_user,
    breakglass_list_for_user,
)
from enlace.audit.services import audit_record

PAGE_SIZE = 25
# One sheet holds 1,048,576 rows, the header included.
XLSX_MAX_ROWS = 1_048_575


def _page_number(request: HttpRequest) -> int:
    try:
        return max(int(request.GET.get("page", "1")), 1)
    except ValueError:
        return 1


def _record_read(request: HttpRequest, action: str, what: str, **details: Any) -> None:
    audit_record(
        actor=request.user, action=action, object_type="audit.trail", object_id=what, after=details
    )


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@door(Who.AUDITOR, Action.AUDIT_READ)
def event_list(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    filters = form.filters()
    _record_read(
        request,
        "audit.view",
        "list",
        filters=filters.described(),
        page=_page_number(request),
    )
    rows = audit_event_list_for_user(user=request.user, filters=filters)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    for event in page.object_list:
        event.changes = _changes(event)  # type: ignore[attr-defined]
    query = _query_without_page(request)
    return render(
        request,
        "audit/event_list.html",
        {"form": form, "page": page, "query": query, "tab": "trail"},
    )


def _changes(event: AuditEvent) -> str:
    parts = {"before": event.before, "after": event.after}
    shown = {k: v for k, v in parts.items() if v is not None}
    return json.dumps(shown, indent=1, ensure_ascii=False, sort_keys=True) if shown else ""


@door(Who.AUDITOR, Action.AUDIT_READ)
def breakglass_list(request: HttpRequest) -> HttpResponse:
    _record_read(
        request,
        "audit.view",
        "break-glass",
        filters={"action": BREAKGLASS_ACTION},
        page=_page_number(request),
    )
    page = Paginator(breakglass_list_for_user(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    events = list(page.object_list)
    grants = BreakGlass.objects.in_bulk(
        [e.after["grant"] for e in events if isinstance(e.after, dict) and "grant" in e.after]
    )
    uses = [_breakglass_use(event, grants) for event in events]
    return render(
        request,
        "audit/breakglass_list.html",
        {"page": page, "uses": uses, "query": "", "tab": "breakglass"},
    )


def _breakglass_use(event: AuditEvent, grants: dict[Any, BreakGlass]) -> dict[str, Any]:
    after = event.after if isinstance(event.after, dict) else {}
    grant = grants.get(after.get("grant"))
    expires: Any = after.get("expires_at")
    with contextlib.suppress(ValueError):  # shown as written if it is not a time
        expires = datetime.datetime.fromisoformat(str(expires)) if expires else None
    return {
        "event": event,
        # The grant holds the reason (encrypted); its audit row only points to it.
        "reason": grant.reason if grant else after.get("reason", ""),
        "hours": after.get("hours"),
        "expires_at": expires,
    }


@door(Who.AUDITOR, Action.AUDIT_READ)
def account_change_list(request: HttpRequest) -> HttpResponse:
    """Who gave whom which access: account, role, token and second-factor changes."""
    _record_read(
        request,
        "audit.view",
        "account-changes",
        filters={"section": "account-changes"},
        page=_page_number(request),
    )
    page = Paginator(account_change_list_for_user(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    events = list(page.object_list)
    ids = {
        int(e.object_id) for e in events if e.object_type == "auth.user" and e.object_id.isdigit()
    }
    ids |= {int(v) for e in events for v in [_value(e, "user_id")] if isinstance(v, int)}
    names = dict(User.objects.filter(pk__in=ids).values_list("pk", "username"))
    changes = [
        {"event": event, "account": _account(event, names), "changes": _changes(event)}
        for event in events
    ]
    return render(
        request,
        "audit/account_change_list.html",
        {"page": page, "changes": changes, "query": "", "tab": "accounts"},
    )


def _value(event: AuditEvent, name: str) -> Any:
    for values in (event.after, event.before):
        if isinstance(values, dict) and name in values:
            return values[name]
    return None


def _account(event: AuditEvent, names: dict[int, str]) -> str:
    """The account the row is about: its user name now, or as the row wrote it."""
    if event.object_type == "auth.user" and event.object_id.isdigit():
        key: Any = int(event.object_id)
    else:
        key = _value(event, "user_id")
    return names.get(key) or _value(event, "username") or f"#{key or event.object_id}"


# Exports ---------------------------------------------------------------------------------------


@door(Who.AUDITOR, Action.AUDIT_READ)
def event_export(request: HttpRequest, file_format: str) -> HttpResponseBase:
    if file_format not in ("csv", "xlsx"):
        raise Http404
    form = AuditFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        errors = "; ".join(
            f"{name}: {' '.join(str(m) for m in msgs)}" for name, msgs in form.errors.items()
        )
        return HttpResponseBadRequest(errors, content_type="text/plain; charset=utf-8")
    filters: AuditFilters = form.filters()
    events = audit_event_list_for_user(user=request.user, filters=filters)
    if file_format == "xlsx" and (count := events.count()) > XLSX_MAX_ROWS:
        message = _(
            "%(count)s rows do not fit in a spreadsheet; narrow the filters or export CSV."
        ) % {"count": count}
        return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
    _record_read(request, "audit.export", file_format, filters=filters.described())
    rows = events.values_list(*EXPORT_COLUMNS).iterator(chunk_size=2000)
    name = f"audit-{timezone.localdate().isoformat()}.{file_format}"
    if file_format == "csv":
        response: HttpResponseBase = StreamingHttpResponse(
            audit_csv_lines(rows), content_type="text/csv; charset=utf-8"
        )
    else:
        response = FileResponse(
            audit_xlsx(rows),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
