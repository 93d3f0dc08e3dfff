from __future__ import annotations

from django.urls import path

from enlace.accounts import views

urlpatterns = [
    path("two-step/", views.second_factor_verify, name="second-factor-verify"),
    path("two-step/enrol/", views.second_factor_enrol, name="second-factor-enrol"),
    path("two-step/recovery-codes/", views.recovery_codes_new, name="recovery-codes-new"),
    path("pending/", views.membership_pending_list, name="membership-pending"),
    path("pending/<int:pk>/confirm/", views.membership_confirm, name="membership-confirm"),
    path("pending/<int:pk>/refuse/", views.membership_refuse, name="membership-refuse"),
]
