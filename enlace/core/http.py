"""Helpers every view may use."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def next_path(request: HttpRequest, default: str) -> str:
    """The request's ``next`` if it is a path of this site, else ``default``.

    ``next`` arrives in the request, so another site could set it: an address
    elsewhere (``https://evil.example/``, ``//evil.example``) would make this
    site's button a link away from it. Only a path is taken, and it is used as
    a path, never as a route name.
    """
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url.startswith("/") and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return default
