"""Out of the box, no environment variable set, Enlace shows nobody its insides.

DEBUG is off unless ``ENLACE_DEBUG`` turns it on, in development as in
production. pytest-django turns DEBUG off in the test process whatever the
settings say, so these tests run Enlace in a process of its own, with an
environment that holds only what each test gives it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.accounts.test_check_deploy import _clean_environment, _enlace, _production

# Run inside `enlace shell`: a missing page, a page that fails and an API call that
# fails, through the whole middleware stack, as a browser on localhost would.
PROBE = """
import json
from django.conf import settings
from django.contrib.auth.views import LoginView
from django.test import Client
from enlace.api import api

def boom(*args, **kwargs):
    raise RuntimeError("the failure's own words")

LoginView.get = boom
api.TokenAuth.authenticate = lambda self, request, token: object()
api.exports.open_data_rows = boom
client = Client(HTTP_HOST="localhost", raise_request_exception=False)
answers = {"debug": settings.DEBUG}
for name, path in [
    ("missing", "/no-such-page/"),
    ("page", "/accounts/login/"),
    ("api", "/api/v1/statistics/2017"),
]:
    response = client.get(path, HTTP_AUTHORIZATION="Bearer any")
    answers[name] = [response.status_code, response.content.decode()]
print(json.dumps(answers))
"""


def _probe(env: dict[str, str]) -> dict[str, Any]:
    result = _enlace("shell", "--no-imports", "-c", PROBE, env=env)
    assert result.returncode == 0, result.stderr
    answers: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return answers


def _development(tmp_path: Path, **extra: str) -> dict[str, str]:
    return {**_clean_environment(), "ENLACE_VAR_DIR": str(tmp_path), **extra}


def test_by_default_nothing_of_the_inside_shows(tmp_path: Path) -> None:
    answers = _probe(_development(tmp_path))

    assert answers["debug"] is False
    status, page = answers["missing"]
    assert status == 404
    assert "URLconf" not in page and "people/<str:public_id>/" not in page and "admin/" not in page
    status, page = answers["page"]
    assert status == 500
    assert "Traceback" not in page and "the failure's own words" not in page
    assert "Something went wrong" in page or "Algo salió mal" in page
    status, body = answers["api"]
    assert status == 500
    assert json.loads(body) == {"detail": "Internal server error."}


@pytest.mark.parametrize(
    ("value", "debug"), [("1", True), ("true", True), ("0", False), ("false", False)]
)
def test_enlace_debug_alone_turns_debug_on(tmp_path: Path, value: str, debug: bool) -> None:
    code = "from django.conf import settings as s; print(s.DEBUG)"
    env = _development(tmp_path, ENLACE_DEBUG=value)
    assert _enlace("shell", "--no-imports", "-c", code, env=env).stdout.split() == [str(debug)]


def test_production_is_not_debug_either(tmp_path: Path) -> None:
    code = "from django.conf import settings as s; print(s.DEBUG, s.WHITENOISE_USE_FINDERS)"
    result = _enlace("shell", "--no-imports", "-c", code, env=_production(tmp_path))
    assert result.stdout.split() == ["False", "False"]
