from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from enlace.api.api import api

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("linkage/", include("enlace.linkage.urls")),
    path("audit/", include("enlace.audit.urls")),
    path("", include("enlace.exchange.urls")),
    path("api/v1/", api.urls),
    path("releases/", include("enlace.web.releases")),
    path("", include("enlace.ops.urls")),
    path("", include("enlace.web.urls")),
]
