from __future__ import annotations

from django.urls import include, path

from enlace.exchange import views

pages = [
    path("submissions/new/", views.submission_new, name="submission_new"),
    path("submissions/<str:public_id>/", views.submission_detail, name="submission"),
    path(
        "submissions/<str:public_id>/report.<str:fmt>",
        views.submission_report,
        name="submission_report",
    ),
    path("template.<str:fmt>", views.template_download, name="template"),
    path("exports/<str:kind>.<str:fmt>", views.export_download, name="export"),
    path("open-data/<int:year>.csv", views.open_data, name="open_data"),
    path("open-data/<int:year>-private.csv", views.open_data_private, name="open_data_private"),
]

# Included once from config/urls.py, under exchange/.
urlpatterns = [
    path("exchange/", include((pages, "exchange"))),
]
