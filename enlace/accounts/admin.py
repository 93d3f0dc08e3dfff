from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User

from enlace.accounts.models import Membership


class MembershipInline(admin.StackedInline[Membership, User]):
    model = Membership
    can_delete = False
    autocomplete_fields = ["agency"]


class EnlaceUserAdmin(UserAdmin):
    inlines = [MembershipInline]
    list_display = ["username", "email", "membership__role", "membership__agency", "is_active"]
    list_filter = ["membership__role", "is_active"]


admin.site.unregister(User)
admin.site.register(User, EnlaceUserAdmin)
