from __future__ import annotations

from django.urls import path

from enlace.linkage import views

urlpatterns = [
    path("review/", views.review_list, name="linkage-review"),
    path("review/<int:pk>/", views.review_detail, name="linkage-review-detail"),
]
