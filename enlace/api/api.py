"""The REST API, version 1: thin over the same selectors and services as the web.

Every request carries ``Authorization: Bearer <key>``; the key acts as one
agency system's account, so a token sees and writes what that agency may.
"""

# The API object, its authentication and its answers to errors; each domain's
# endpoints are a Router in a module of their own, mounted at the end.

from typing import Any

from django.core.exceptions import (
    BadRequest,
    PermissionDenied,
    SuspiciousOperation,
    ValidationError,
)
from django.core.signals import got_request_exception
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.log import log_response
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.operation import Operation
from ninja.security import HttpBearer

from enlace.api import (
    cases,
    casework,
    detentions,
    identifications,
    persons,
    proceedings,
    statistics,
    submissions,
)
from enlace.api.services import api_token_authenticate

# Bound here because tests/security/test_safe_by_default.py makes the statistics
# endpoint fail through ``enlace.api.api.exports``.
from enlace.exchange import exports  # noqa: F401


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = api_token_authenticate(token)
        if user is not None:
            request.user = user
        return user


class EnlaceAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation: Operation) -> str:
        """The operation ids version 1 published: ``enlace_api_api_<function>``.

        django-ninja names an operation after its module; the ids are part of the
        API's contract, so they stay whichever module an endpoint is written in.
        """
        return f"enlace_api_api_{operation.view_func.__name__}"


api = EnlaceAPI(
    title="Enlace API",
    version="1",
    description=__doc__ or "",
    urls_namespace="api-v1",
    auth=TokenAuth(),
)


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    detail = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return api.create_response(request, {"detail": detail}, status=422)


@api.exception_handler(NinjaValidationError)
def _invalid_request(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors = [
        {"loc": [str(x) for x in e.get("loc", ())], "msg": str(e.get("msg", ""))}
        for e in exc.errors
    ]
    return api.create_response(request, {"detail": errors}, status=422)


@api.exception_handler(PermissionDenied)
def _denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or "Forbidden."}, status=403)


@api.exception_handler(Http404)
def _missing(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": "Not found."}, status=404)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(request, {"detail": "Unauthorized."}, status=401)


@api.exception_handler(Exception)
def _server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    """A JSON 500 for what nothing above handles, whatever DEBUG says.

    django-ninja's own handler answers with the traceback when DEBUG is on and
    leaves Django to answer an HTML page otherwise; an API client gets neither.
    The traceback goes to the log, as Django logs a page's, and the signal
    tells whatever listens for failed requests (the test client among them).
    """
    if isinstance(exc, BadRequest | SuspiciousOperation | MultiPartParserError):
        raise exc  # a client's fault: Django answers 400 (and logs a suspicious one)
    got_request_exception.send(sender=None, request=request)
    response = api.create_response(request, {"detail": "Internal server error."}, status=500)
    log_response(
        "%s: %s",
        "Internal Server Error",
        request.path,
        response=response,
        request=request,
        exception=exc,
    )
    return response


api.add_router("/persons", persons.router)
api.add_router("/identifications", identifications.router)
api.add_router("/referrals", casework.referrals)
api.add_router("/services", casework.services)
api.add_router("/stays", casework.stays)
api.add_router("/visa-requests", casework.visa_requests)
api.add_router("/repatriations", casework.repatriations)
api.add_router("/detentions", detentions.router)
api.add_router("/proceedings", proceedings.proceedings)
api.add_router("/grants", proceedings.grants)
api.add_router("/cases", cases.router)
api.add_router("/follow-ups", cases.follow_ups)
api.add_router("/submissions", submissions.router)
api.add_router("/statistics", statistics.router)
