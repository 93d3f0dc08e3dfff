from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from enlace.accounts.models import Membership
from enlace.accounts.services import second_factor_reset


class MembershipInline(admin.StackedInline[Membership, User]):
    model = Membership
    can_delete = False
    autocomplete_fields = ["agency"]


class EnlaceUserAdmin(UserAdmin):
    inlines = [MembershipInline]
    list_display = ["username", "email", "membership__role", "membership__agency", "is_active"]
    list_filter = ["membership__role", "is_active"]
    actions = ["reset_second_factor"]

    @admin.action(description=_("Reset two-step verification (lost authenticator)"))
    def reset_second_factor(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        for user in queryset:
            second_factor_reset(actor=request.user, user=user)
        count = queryset.count()
        self.message_user(
            request,
            ngettext(
                "%(count)d user will set up two-step verification again at next sign-in.",
                "%(count)d users will set up two-step verification again at next sign-in.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )


admin.site.unregister(User)
admin.site.register(User, EnlaceUserAdmin)
# Device keys are secrets: the admin resets authenticators through the audited
# action above and never reads or edits a key.
admin.site.unregister(TOTPDevice)
admin.site.unregister(StaticDevice)
