from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, resolve_url
from django.urls import Resolver404, resolve, reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control

from enlace.accounts.access import ANONYMOUS, access_denied_audit
from enlace.accounts.routes import rule_for
from enlace.accounts.second_factor import ENROL, SESSION_KEY, second_factor_due, totp_required

DENIED = (401, 403, 404)
RENEWED_AT = "enlace_session_renewed_at"


class SessionRenewMiddleware:
    """Push an open session's end back, writing it at most once a ``SESSION_RENEW_SECONDS``.

    The idle timeout counts from the session's last save (its ``expire_date``
    is the save plus ``SESSION_COOKIE_AGE``). Saving on every request
    (``SESSION_SAVE_EVERY_REQUEST``) cost a database write per page; this saves
    when the last save is at least ``SESSION_RENEW_SECONDS`` (60) old, so a
    session ends between that many seconds early and on time. Placed after
    ``SessionMiddleware``, which then saves what this marks as changed. A
    request without a session (or with one that has ended) gets none.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = request.session
        if not session.session_key:
            return response
        renewed_at = session.get(RENEWED_AT)  # loads it: an ended session loses its key
        now = time.time()
        if session.session_key and (
            session.modified
            or not isinstance(renewed_at, (int, float))
            or now - renewed_at >= settings.SESSION_RENEW_SECONDS
        ):
            session[RENEWED_AT] = now
        return response


class AccessDeniedAuditMiddleware:
    """Audit every refused request whose route names a record (see ``accounts.routes``).

    A refusal is a 401, 403 or 404 answer, or a redirect of an anonymous
    visitor to the login page. A refusal of an id no record has is audited
    too, in the same way: auditing only real records made their refusals
    slower, and so told anyone timing a 404 which ids exist.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        match = request.resolver_match
        if match is None or not self._refused(request, response):
            return response
        rule = rule_for(match.route, match.namespace)
        if rule is None or rule.record is None or rule.param not in match.kwargs:
            return response
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            user = ANONYMOUS
        access_denied_audit(
            actor=user,
            record=rule.record,
            param=rule.param,
            value=match.kwargs[rule.param],
            route=match.view_name,
            status=response.status_code,
        )
        return response

    @staticmethod
    def _refused(request: HttpRequest, response: HttpResponse) -> bool:
        if response.status_code in DENIED:
            return True
        if response.status_code != 302 or getattr(request, "user", None) is None:
            return False
        if request.user.is_authenticated:
            return False
        return str(response.get("Location", "")).startswith(resolve_url(settings.LOGIN_URL))


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
        if due is None or (not due and totp_required(user)):
            # A session from before second factors existed, or one whose user has
            # since been given a role that needs one.
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


class NoStoreMiddleware:
    """Tells browsers and proxies to keep no copy of what a signed-in user sees.

    Pages and downloads show names; on a shared computer (a shelter's office)
    a cached copy would stay reachable with Back after sign-out.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
            patch_cache_control(response, private=True)
        return response
