from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from enlace.reports.models import Release


@admin.register(Release)
class ReleaseAdmin(admin.ModelAdmin[Release]):
    """Read-only: a release is published with `enlace release publish`, and corrected by
    publishing a new version, never by editing one."""

    list_display = ["year", "version", "published_at", "published_by", "rules_version", "hash"]
    list_filter = ["year"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
