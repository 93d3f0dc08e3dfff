"""The production settings pass Django's deployment checks with no warning."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[2]


def _clean_environment() -> dict[str, str]:
    """This process's environment without Enlace's or Django's settings (a test run sets some)."""
    return {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("ENLACE_", "DJANGO_")) and k != "DATABASE_URL"
    }


def _production(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = _clean_environment()
    env.update(
        ENLACE_ENV="production",
        ENLACE_SECRET_KEY=secrets.token_urlsafe(50),
        ENLACE_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
        ENLACE_LINKAGE_KEY=secrets.token_urlsafe(32),
        ENLACE_ALLOWED_HOSTS="enlace.example.org",
        ENLACE_VAR_DIR=str(tmp_path),
        **extra,
    )
    return env


def _enlace(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - this interpreter, fixed arguments
        [sys.executable, "-m", "enlace", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_is_clean_in_production(tmp_path: Path) -> None:
    result = _enlace("check", "--deploy", "--fail-level", "WARNING", env=_production(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stderr and "security.W" not in result.stderr


def test_production_settings_are_strict(tmp_path: Path) -> None:
    code = (
        "from django.conf import settings as s; "
        "print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD, "
        "s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SECURE_PROXY_SSL_HEADER, s.TOTP_REQUIRED, s.DEBUG, s.AXES_FAILURE_LIMIT)"
    )
    result = _enlace("shell", "--no-imports", "-c", code, env=_production(tmp_path))
    assert result.stdout.split() == [
        "31536000",
        "True",
        "True",
        "True",
        "True",
        "True",
        "None",
        "True",
        "False",
        "5",
    ]
    # Behind one trusted proxy, its X-Forwarded-Proto says whether the request was HTTPS,
    # and the limit and the second factor follow the environment.
    extra = {
        "ENLACE_PROXY_COUNT": "1",
        "ENLACE_LOGIN_FAILURE_LIMIT": "3",
        "ENLACE_TOTP_REQUIRED": "false",
    }
    result = _enlace("shell", "--no-imports", "-c", code, env=_production(tmp_path, **extra))
    assert "('HTTP_X_FORWARDED_PROTO', 'https')" in result.stdout
    assert result.stdout.split()[-3:] == ["False", "False", "3"]


def test_development_needs_no_second_factor(tmp_path: Path) -> None:
    env = _clean_environment()
    env["ENLACE_VAR_DIR"] = str(tmp_path)
    code = "from django.conf import settings as s; print(s.TOTP_REQUIRED, s.SESSION_COOKIE_SECURE)"
    assert _enlace("shell", "--no-imports", "-c", code, env=env).stdout.split() == [
        "False",
        "False",
    ]
