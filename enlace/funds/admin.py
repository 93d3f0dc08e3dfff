from __future__ import annotations

from django.contrib import admin

from enlace.funds.models import Fund


@admin.register(Fund)
class FundAdmin(admin.ModelAdmin[Fund]):
    list_display = ["code", "name", "administrator", "established_on", "endowment"]
