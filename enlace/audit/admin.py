from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from enlace.accounts.permissions import Action, can
from enlace.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin[AuditEvent]):
    """Read-only: the application never changes or deletes an audit row."""

    list_display = [
        "at",
        "actor_name",
        "agency_code",
        "action",
        "object_type",
        "object_id",
        "seq",
    ]
    list_filter = ["action", "agency_code"]
    search_fields = ["object_id", "actor_name", "request_id"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # The trail is the auditor's, read where reading it is itself audited
        # (/audit/); an administrator is not an auditor.
        return can(request.user, Action.AUDIT_READ)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return can(request.user, Action.AUDIT_READ)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
