from __future__ import annotations

from django.urls import path

from enlace.audit import views

urlpatterns = [
    path("", views.event_list, name="audit-events"),
    path("export/<str:file_format>/", views.event_export, name="audit-export"),
    path("break-glass/", views.breakglass_list, name="audit-breakglass"),
    path("accounts/", views.account_change_list, name="audit-accounts"),
]
