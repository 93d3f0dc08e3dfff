"""The administrator's pages for accounts: every save goes through ``accounts.services``.

Django's admin would save the user, its membership and a new password itself,
unaudited but for its own log; here each of its hooks calls the service that
checks, audits and applies the two-person rule (a case role waits for a
supervisor of the agency).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.forms import BaseModelFormSet, ModelForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_post_parameters
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from enlace.accounts.models import Membership
from enlace.accounts.services import (
    membership_delete,
    membership_set,
    password_set,
    second_factor_reset,
    user_create,
    user_delete,
    user_update,
)


class MembershipInline(admin.StackedInline[Membership, User]):
    model = Membership
    fk_name = "user"
    fields = ["role", "agency", "pending"]
    # Set by the services: a case role waits for a supervisor of the agency.
    readonly_fields = ["pending"]
    autocomplete_fields = ["agency"]


class EnlaceUserAdmin(UserAdmin):
    inlines = [MembershipInline]
    list_display = [
        "username",
        "email",
        "membership__role",
        "membership__agency",
        "membership__pending",
        "is_active",
    ]
    list_filter = ["membership__role", "membership__pending", "is_active"]
    # Set by sign-in and creation; an edit here would be saved by nothing.
    readonly_fields = ["last_login", "date_joined"]
    actions = ["reset_second_factor"]

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        if not change:
            user_create(actor=request.user, user=obj)
            return
        user_update(
            actor=request.user,
            user=obj,
            groups=form.cleaned_data.get("groups"),
            permissions=form.cleaned_data.get("user_permissions"),
        )

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        # No form.save_m2m(): user_update saved the groups and permissions, audited.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)
        _say_if_waiting(request, form.instance)

    def save_formset(
        self, request: HttpRequest, form: ModelForm[User], formset: Any, change: bool
    ) -> None:
        if formset.model is not Membership:
            super().save_formset(request, form, formset, change)
            return
        assert isinstance(formset, BaseModelFormSet)
        formset.save(commit=False)  # applies the forms, saves nothing
        for membership in formset.deleted_objects:
            membership_delete(actor=request.user, membership=membership)
        changed = [m for m, _fields in formset.changed_objects]
        for membership in [*formset.new_objects, *changed]:
            membership_set(
                actor=request.user,
                user=form.instance,
                role=membership.role,
                agency=membership.agency,
            )

    def delete_model(self, request: HttpRequest, obj: User) -> None:
        user_delete(actor=request.user, user=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        for user in queryset:
            user_delete(actor=request.user, user=user)

    @method_decorator(sensitive_post_parameters())
    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        """Django's page, the new password saved by ``password_set`` (audited, and the
        account's case role back to waiting for a supervisor).

        Django's view saves the form itself; a valid submission is taken here
        first, anything else (the page, errors, refusals) left to Django.
        """
        user = self.get_object(request, unquote(id)) if request.method == "POST" else None
        if user is None or not self.has_change_permission(request, user):
            return super().user_change_password(request, id, form_url)
        form = self.change_password_form(user, request.POST)
        if not form.is_valid():
            return super().user_change_password(request, id, form_url)
        usable = form.cleaned_data["set_usable_password"]
        if not (usable or "unset-password" in request.POST):
            return super().user_change_password(request, id, form_url)
        password_set(
            actor=request.user,
            user=user,
            password=form.cleaned_data["password1"] if usable else None,
        )
        self.log_change(request, user, self.construct_change_message(request, form, []))
        if usable:
            messages.success(request, gettext("Password changed successfully."))
        else:
            messages.success(request, gettext("Password-based authentication was disabled."))
        _say_if_waiting(request, user)
        update_session_auth_hash(request, user)
        return HttpResponseRedirect(reverse("admin:auth_user_change", args=(user.pk,)))

    @admin.action(description=_("Reset two-step verification (lost authenticator)"))
    def reset_second_factor(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        for user in queryset:
            second_factor_reset(actor=request.user, user=user)
            _say_if_waiting(request, user)
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


def _say_if_waiting(request: HttpRequest, user: User) -> None:
    membership = Membership.objects.filter(user=user, pending=True).select_related("agency").first()
    if membership is not None and membership.agency is not None:
        messages.warning(
            request,
            gettext(
                "%(user)s's role grants nothing until a supervisor of %(agency)s confirms it "
                "in Enlace."
            )
            % {"user": user.get_username(), "agency": membership.agency.code},
        )


admin.site.unregister(User)
admin.site.register(User, EnlaceUserAdmin)
# Device keys are secrets: the admin resets authenticators through the audited
# action above and never reads or edits a key.
admin.site.unregister(TOTPDevice)
admin.site.unregister(StaticDevice)
