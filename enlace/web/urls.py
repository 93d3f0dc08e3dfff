from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import include, path

from enlace.web import (
    agency,
    assistance,
    dashboard,
    figures,
    funds,
    home,
    identification,
    immigration,
    justice,
    people,
    referrals,
)

urlpatterns = [
    path("", home.home, name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("enlace.accounts.urls")),
    path("people/", people.person_list, name="person-list"),
    path("people/search/", people.person_search, name="person-search"),
    path("people/new/", people.person_register, name="person-register"),
    path("people/<str:public_id>/", people.person_detail, name="person-detail"),
    path("people/<str:public_id>/screen/", identification.person_screen, name="person-screen"),
    path(
        "people/<str:public_id>/identify/", identification.person_identify, name="person-identify"
    ),
    path("people/<str:public_id>/refer/", referrals.person_refer, name="person-refer"),
    path("people/<str:public_id>/erase/", people.person_erase, name="person-erase"),
    path("people/<str:public_id>/services/new/", assistance.service_new, name="service-new"),
    path("people/<str:public_id>/stays/new/", assistance.stay_admit, name="stay-admit"),
    path("people/<str:public_id>/visas/new/", immigration.visa_new, name="visa-new"),
    path(
        "people/<str:public_id>/repatriations/new/",
        immigration.repatriation_new,
        name="repatriation-new",
    ),
    path("people/<str:public_id>/payments/new/", funds.disbursement_new, name="disbursement-new"),
    path("people/<str:public_id>/proceedings/new/", justice.proceeding_new, name="proceeding-new"),
    path("people/<str:public_id>/detentions/new/", justice.detention_new, name="detention-new"),
    path("stays/<int:pk>/discharge/", assistance.stay_discharge, name="stay-discharge"),
    path("visas/<int:pk>/decide/", immigration.visa_decide, name="visa-decide"),
    path("visas/<int:pk>/extend/", immigration.visa_extend, name="visa-extend"),
    path("proceedings/<int:pk>/restitution/", justice.restitution_new, name="restitution-new"),
    path("proceedings/<int:pk>/protection/", justice.protection_new, name="protection-new"),
    path(
        "identifications/<int:pk>/confirm/",
        identification.identification_confirm,
        name="identification-confirm",
    ),
    path(
        "identifications/<int:pk>/rule-out/",
        identification.identification_rule_out,
        name="identification-rule-out",
    ),
    path("alerts/<int:pk>/", justice.alert_detail, name="alert-detail"),
    path("alerts/<int:pk>/take/", justice.alert_take, name="alert-take"),
    path("alerts/<int:pk>/acknowledge/", justice.alert_acknowledge, name="alert-acknowledge"),
    path("referrals/", referrals.referral_list, name="referral-list"),
    path("referrals/inbox/", referrals.referral_inbox, name="referral-inbox"),
    path("referrals/<int:pk>/", referrals.referral_detail, name="referral-detail"),
    path("referrals/<int:pk>/<str:action>/", referrals.referral_answer, name="referral-answer"),
    path("break-glass/", people.break_glass, name="break-glass"),
    path("figures/", figures.figures, name="figures"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("agency/", agency.agency_dashboard, name="agency-dashboard"),
    path("figures/report.pdf", figures.figures_pdf, name="figures_pdf"),
    path("figures/report.xlsx", figures.figures_xlsx, name="figures_xlsx"),
]
