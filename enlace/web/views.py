from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from enlace.accounts.permissions import membership_of


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html", {"membership": membership_of(request.user)})
