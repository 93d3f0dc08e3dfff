from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import include, path

from enlace.web import views

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("enlace.accounts.urls")),
    path("people/", views.person_list, name="person-list"),
    path("people/search/", views.person_search, name="person-search"),
    path("people/new/", views.person_register, name="person-register"),
    path("people/<str:public_id>/", views.person_detail, name="person-detail"),
    path("people/<str:public_id>/screen/", views.person_screen, name="person-screen"),
    path("people/<str:public_id>/identify/", views.person_identify, name="person-identify"),
    path("people/<str:public_id>/refer/", views.person_refer, name="person-refer"),
    path("people/<str:public_id>/erase/", views.person_erase, name="person-erase"),
    path("people/<str:public_id>/services/new/", views.service_new, name="service-new"),
    path("people/<str:public_id>/stays/new/", views.stay_admit, name="stay-admit"),
    path("people/<str:public_id>/visas/new/", views.visa_new, name="visa-new"),
    path("people/<str:public_id>/payments/new/", views.disbursement_new, name="disbursement-new"),
    path("people/<str:public_id>/proceedings/new/", views.proceeding_new, name="proceeding-new"),
    path("stays/<int:pk>/discharge/", views.stay_discharge, name="stay-discharge"),
    path("visas/<int:pk>/decide/", views.visa_decide, name="visa-decide"),
    path("proceedings/<int:pk>/restitution/", views.restitution_new, name="restitution-new"),
    path(
        "identifications/<int:pk>/confirm/",
        views.identification_confirm,
        name="identification-confirm",
    ),
    path("alerts/<int:pk>/acknowledge/", views.alert_acknowledge, name="alert-acknowledge"),
    path("referrals/", views.referral_list, name="referral-list"),
    path("referrals/inbox/", views.referral_inbox, name="referral-inbox"),
    path("referrals/<int:pk>/", views.referral_detail, name="referral-detail"),
    path("referrals/<int:pk>/<str:action>/", views.referral_answer, name="referral-answer"),
    path("break-glass/", views.break_glass, name="break-glass"),
    path("figures/", views.figures, name="figures"),
]
