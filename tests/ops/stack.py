"""The production stack started for real: a new PostgreSQL database, gunicorn, the worker.

Shared by the acceptance test (tests/ops/test_production_stack.py) and the load
benchmark (bench/load.py). Everything runs as an operator would run it:
``enlace`` commands in subprocesses with ``ENLACE_ENV=production`` and every
secret given, and a client that stands where the reverse proxy would
(docs/deployment.md): plain HTTP to gunicorn, ``X-Forwarded-Proto: https`` as
the proxy sends it (``ENLACE_PROXY_COUNT=1``), and the Secure cookies sent
back as the browser, on HTTPS, sends them.
"""

from __future__ import annotations

import os
import re
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
import requests
from cryptography.fernet import Fernet
from django_otp.oath import totp

ROOT = Path(__file__).resolve().parents[2]
# The server the databases are made on (its maintenance database).
SERVER = os.environ.get("ENLACE_STACK_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")


@contextmanager
def new_database(name: str, *, server: str = SERVER, keep: bool = False) -> Iterator[str]:
    """A new, empty PostgreSQL database ``name`` (one left by a run before is dropped
    first); yields its URL and drops it after, unless ``keep``."""
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield server.rsplit("/", 1)[0] + "/" + name
    finally:
        if not keep:
            with psycopg.connect(server, autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def production_env(database_url: str, var_dir: Path, **settings: str) -> dict[str, str]:
    """The environment of a production start: this process's, without any Enlace or
    Django setting of its own, plus new secrets and ``settings`` (``ENLACE_*`` names)."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("ENLACE_", "DJANGO_")) and k != "DATABASE_URL"
    }
    return {
        **clean,
        "ENLACE_ENV": "production",
        "DATABASE_URL": database_url,
        "ENLACE_SECRET_KEY": secrets.token_urlsafe(50),
        "ENLACE_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "ENLACE_LINKAGE_KEY": secrets.token_urlsafe(32),
        "ENLACE_ALLOWED_HOSTS": "127.0.0.1",
        "ENLACE_PROXY_COUNT": "1",
        "ENLACE_VAR_DIR": str(var_dir),
        **settings,
    }


def enlace(*args: str, env: dict[str, str], timeout: float = 300) -> str:
    """Run ``enlace ARGS`` to its end; returns what it printed, fails with its output."""
    result = subprocess.run(  # noqa: S603 - this interpreter, fixed arguments
        [sys.executable, "-m", "enlace", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert result.returncode == 0, f"enlace {args[0]}: " + result.stdout + result.stderr
    return result.stdout


def prepare(env: dict[str, str], setup: str = "") -> str:
    """What an operator does before the first start (docs/deployment.md), then
    ``setup`` (Python run by ``enlace shell``); returns what the setup printed."""
    enlace("migrate", "--noinput", "-v0", env=env)
    enlace("profile_load", "MX", env=env)
    enlace("collectstatic", "--noinput", "-v0", env=env)
    return enlace("shell", "-c", setup, env=env) if setup else ""


def start(*args: str, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """Start ``enlace ARGS`` (``serve``, ``worker``) in the background, its output to ``log``."""
    return subprocess.Popen(  # noqa: S603 - this interpreter, fixed arguments
        [sys.executable, "-m", "enlace", *args],
        cwd=ROOT,
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )


def stop(*processes: subprocess.Popen[bytes] | None) -> None:
    """SIGTERM, as systemd stops them, and wait for each to end."""
    for process in processes:
        if process is not None:
            process.terminate()
            process.wait(timeout=30)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def user_setup(username: str, password: str, totp_key: str, agency: str) -> str:
    """Python for ``enlace shell``: a caseworker of ``agency`` with a confirmed authenticator."""
    return f"""
from django.contrib.auth.models import User
from django_otp.plugins.otp_totp.models import TOTPDevice
from enlace.accounts.models import Role
from enlace.accounts.services import OPERATOR, membership_set, user_create
from enlace.directory.models import Agency
user = User(username={username!r})
user.set_password({password!r})
user_create(actor=OPERATOR, user=user)
agency = Agency.objects.get(code={agency!r})
membership_set(actor=OPERATOR, user=user, role=Role.CASEWORKER, agency=agency)
TOTPDevice.objects.create(user=user, name="phone", key={totp_key!r}, confirmed=True)
"""


TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Browser:
    """One user's browser: a persistent HTTP session (cookies, keep-alive) behind the proxy."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.origin = base.replace("http://", "https://")
        self.session = requests.Session()
        self.session.headers.update(
            {
                "X-Forwarded-Proto": "https",
                "X-Forwarded-For": "203.0.113.7",
                "Accept-Language": "en",
            }
        )

    def _cookies(self) -> dict[str, str]:
        # The jar holds what the server set; requests would keep the Secure cookies back
        # from an http:// address, where the browser, on HTTPS, sends them.
        return {"Cookie": "; ".join(f"{c.name}={c.value}" for c in self.session.cookies)}

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        headers = {**self._cookies(), **kwargs.pop("headers", {})}
        return self.session.get(self.base + path, headers=headers, timeout=30, **kwargs)

    def token(self, path: str) -> str:
        """The CSRF token of the form at ``path``."""
        found = TOKEN.search(self.get(path).text)
        assert found, f"no form on {path}"
        return found.group(1)

    def post(self, path: str, data: dict[str, Any], token: str, **kwargs: Any) -> requests.Response:
        """Submit a form with a CSRF token the page gave; redirects are not followed."""
        return self.session.post(
            self.base + path,
            data={"csrfmiddlewaretoken": token, **data},
            headers={"Origin": self.origin, **self._cookies()},
            allow_redirects=False,
            timeout=30,
            **kwargs,
        )

    def post_form(self, path: str, data: dict[str, Any], **kwargs: Any) -> requests.Response:
        """Submit the form at ``path`` as a browser does: the page, then the form with its token."""
        return self.post(path, data, self.token(path), **kwargs)

    def sign_in(self, username: str, password: str, totp_key: str) -> None:
        """Password, then the authenticator's code."""
        response = self.post_form("/accounts/login/", {"username": username, "password": password})
        assert response.status_code == 302, response.text
        code = totp(bytes.fromhex(totp_key))
        response = self.post_form("/accounts/two-step/", {"token": f"{code:06d}"})
        assert response.status_code == 302, response.text

    def wait_until_answering(self, server: subprocess.Popen[bytes], log: Path) -> None:
        for _ in range(300):
            assert server.poll() is None, log.read_text()
            try:
                if self.get("/healthz").status_code == 200:
                    return
            except requests.ConnectionError:
                pass
            time.sleep(0.1)
        raise AssertionError("gunicorn did not answer /healthz: " + log.read_text())
