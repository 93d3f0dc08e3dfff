from __future__ import annotations

from django.contrib import admin

from enlace.assistance.models import Shelter


@admin.register(Shelter)
class ShelterAdmin(admin.ModelAdmin[Shelter]):
    list_display = ["code", "name", "operator", "kind", "jurisdiction", "capacity", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["code", "name"]
