from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse

from enlace.accounts.second_factor import ENROL, SESSION_KEY, second_factor_due

# Pages a signed-in user reaches before passing the second factor.
OPEN_BEFORE_SECOND_FACTOR = {
    "second-factor-verify",
    "second-factor-enrol",
    "logout",
    "set_language",
}


class SecondFactorMiddleware:
    """Sends a signed-in user who owes a second factor to verify (or enrol) first."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if not user.is_authenticated or user.is_verified():  # type: ignore[attr-defined]
            return self.get_response(request)
        due = request.session.get(SESSION_KEY)
        if due is None:  # a session from before second factors existed
            due = request.session[SESSION_KEY] = second_factor_due(user)
        if not due or self._open(request):
            return self.get_response(request)
        name = "second-factor-enrol" if due == ENROL else "second-factor-verify"
        url = f"{reverse(name)}?{urlencode({'next': request.get_full_path()})}"
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = url
            return response
        return redirect(url)

    @staticmethod
    def _open(request: HttpRequest) -> bool:
        try:
            return resolve(request.path_info).url_name in OPEN_BEFORE_SECOND_FACTOR
        except Resolver404:
            return False
