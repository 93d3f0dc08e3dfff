"""The production process model, started for real: gunicorn and the worker on PostgreSQL.

Issue 17's acceptance: with ``ENLACE_ENV=production``, a caseworker signs in
(password and TOTP code), registers a person and uploads files that the
worker imports; a queued submission whose stored file was damaged fails
alone, with its reason, and the worker imports the next; ``/readyz`` says
ready. The database is made for the test, migrated, and dropped after.

The test stands where the reverse proxy would (docs/deployment.md): it talks
plain HTTP to gunicorn and sends ``X-Forwarded-Proto: https`` as the proxy
does (``ENLACE_PROXY_COUNT=1``), and its cookie jar, the browser's side of
the TLS the proxy ends, sends the Secure cookies back.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
import requests
from cryptography.fernet import Fernet
from django_otp.oath import totp

from tests.exchange.conftest import csv_file, row

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
SERVER = os.environ.get("ENLACE_STACK_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
PASSWORD = secrets.token_urlsafe(16)
TOTP_KEY = secrets.token_hex(20)
USER_SETUP = f"""
from django.contrib.auth.models import User
from django_otp.plugins.otp_totp.models import TOTPDevice
from enlace.accounts.models import Role
from enlace.accounts.services import OPERATOR, membership_set, user_create
from enlace.directory.models import Agency
user = User(username="alice")
user.set_password({PASSWORD!r})
user_create(actor=OPERATOR, user=user)
agency = Agency.objects.get(code="FGE-PUE")
membership_set(actor=OPERATOR, user=user, role=Role.CASEWORKER, agency=agency)
TOTPDevice.objects.create(user=user, name="phone", key={TOTP_KEY!r}, confirmed=True)
"""
PERSON = {
    "given_names": "Rosa Elena",
    "paternal_surname": "Martínez",
    "maternal_surname": "Ortega",
    "birth_date": "2001-05-09",
    "sex": "female",
    "gender": "woman",
    "indigenous": "true",
    "consent": "on",
}


@pytest.fixture
def database() -> Iterator[str]:
    """A new PostgreSQL database, dropped after; no PostgreSQL fails the test here."""
    name = f"enlace_stack_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(SERVER, autocommit=True) as server:
        server.execute(f'CREATE DATABASE "{name}"')
    try:
        yield SERVER.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(SERVER, autocommit=True) as server:
            server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture
def env(database: str, tmp_path: Path) -> dict[str, str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("ENLACE_", "DJANGO_")) and k != "DATABASE_URL"
    }
    return {
        **clean,
        "ENLACE_ENV": "production",
        "DATABASE_URL": database,
        "ENLACE_SECRET_KEY": secrets.token_urlsafe(50),
        "ENLACE_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "ENLACE_LINKAGE_KEY": secrets.token_urlsafe(32),
        "ENLACE_ALLOWED_HOSTS": "127.0.0.1",
        "ENLACE_PROXY_COUNT": "1",
        "ENLACE_VAR_DIR": str(tmp_path),
        # Files of more than two rows go to the worker.
        "ENLACE_IMPORT_INLINE_MAX_ROWS": "2",
    }


def _enlace(*args: str, env: dict[str, str]) -> None:
    result = subprocess.run(  # noqa: S603 - this interpreter, fixed arguments
        [sys.executable, "-m", "enlace", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def _start(*args: str, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(  # noqa: S603 - this interpreter, fixed arguments
        [sys.executable, "-m", "enlace", *args],
        cwd=ROOT,
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )


class Browser:
    def __init__(self, base: str) -> None:
        self.base = base
        self.session = requests.Session()
        self.session.headers.update(
            {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"}
        )
        self.session.headers["Accept-Language"] = "en"

    def _cookies(self) -> dict[str, str]:
        # The jar holds what the server set; requests would keep the Secure cookies back
        # from an http:// address, where the browser, on HTTPS, sends them.
        return {"Cookie": "; ".join(f"{c.name}={c.value}" for c in self.session.cookies)}

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        return self.session.get(self.base + path, headers=self._cookies(), timeout=30, **kwargs)

    def post_form(self, path: str, data: dict[str, str], **kwargs: Any) -> requests.Response:
        """Submit the form at ``path`` as a browser does: with the page's CSRF token."""
        page = self.get(path).text
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token, f"no form on {path}"
        origin = self.base.replace("http://", "https://")
        return self.session.post(
            self.base + path,
            data={"csrfmiddlewaretoken": token.group(1), **data},
            headers={"Origin": origin, **self._cookies()},
            allow_redirects=False,
            timeout=30,
            **kwargs,
        )


def _wait_until_answering(browser: Browser, server: subprocess.Popen[bytes], log: Path) -> None:
    for _ in range(300):
        assert server.poll() is None, log.read_text()
        try:
            if browser.get("/healthz").status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.1)
    raise AssertionError("gunicorn did not answer /healthz: " + log.read_text())


def _upload(browser: Browser, name: str, data: bytes) -> str:
    response = browser.post_form("/exchange/submissions/new/", {}, files={"file": (name, data)})
    assert response.status_code == 302, response.text
    match = re.fullmatch(r"/exchange/submissions/([\w-]+)/", response.headers["Location"])
    assert match
    return match.group(1)


def _finished(browser: Browser, public_id: str) -> str:
    """The submission's page once it stops refreshing itself (the worker is done with it)."""
    for _ in range(600):
        page = browser.get(f"/exchange/submissions/{public_id}/").text
        if 'http-equiv="refresh"' not in page:
            return page
        time.sleep(0.1)
    raise AssertionError(f"{public_id} was never run")


def test_gunicorn_and_the_worker_serve_a_caseworker(env: dict[str, str], tmp_path: Path) -> None:
    _enlace("migrate", "--noinput", "-v0", env=env)
    _enlace("profile_load", "MX", env=env)
    _enlace("collectstatic", "--noinput", "-v0", env=env)
    _enlace("shell", "-c", USER_SETUP, env=env)
    port = _free_port()
    web_log, worker_log = tmp_path / "web.log", tmp_path / "worker.log"
    web = _start("serve", "--bind", f"127.0.0.1:{port}", "--workers", "2", env=env, log=web_log)
    worker = None
    try:
        browser = Browser(f"http://127.0.0.1:{port}")
        _wait_until_answering(browser, web, web_log)

        # Signs in: password, then the authenticator's code.
        response = browser.post_form(
            "/accounts/login/", {"username": "alice", "password": PASSWORD}
        )
        assert response.status_code == 302, response.text
        response = browser.post_form(
            "/accounts/two-step/", {"token": f"{totp(bytes.fromhex(TOTP_KEY)):06d}"}
        )
        assert response.status_code == 302, response.text

        # Registers a person.
        response = browser.post_form("/people/new/", PERSON)
        assert response.status_code == 302, response.text
        assert re.fullmatch(r"/people/[\w-]+/screen/", response.headers["Location"])
        register_request_id = response.headers["X-Request-ID"]
        page = browser.get(response.headers["Location"].replace("screen/", "")).text
        assert "Rosa Elena" in page

        # The page's style sheet comes from what collectstatic gathered (WhiteNoise).
        sheet = re.search(r'href="(/static/[^"]+\.css)"', page)
        assert sheet and browser.get(sheet.group(1)).status_code == 200

        # Two files of three rows, queued; the first one's stored file is then damaged.
        poisoned = _upload(
            browser, "a.csv", csv_file(*(row(agency_record_id=f"A{i}") for i in range(3)))
        )
        good = _upload(
            browser, "b.csv", csv_file(*(row(agency_record_id=f"B{i}") for i in range(3)))
        )
        with psycopg.connect(env["DATABASE_URL"], autocommit=True) as db:
            db.execute(
                "UPDATE exchange_submission SET content = %s WHERE public_id = %s",
                [b"damaged", poisoned],
            )

        worker = _start("worker", "--interval", "0.2", env=env, log=worker_log)

        page = _finished(browser, poisoned)
        assert "Failed" in page and '<p class="error">' in page
        page = _finished(browser, good)
        assert "3 stored, 0 updated, 0 unchanged, 0 rejected" in page, worker_log.read_text()
        with psycopg.connect(env["DATABASE_URL"]) as db:
            tasks = db.execute(
                "SELECT s.public_id, t.status, t.exception_class_path"
                " FROM django_tasks_database_dbtaskresult t JOIN exchange_submission s"
                " ON s.id = (t.args_kwargs->'args'->>0)::bigint"
                " WHERE t.task_path LIKE 'enlace.exchange.%' ORDER BY t.enqueued_at"
            ).fetchall()
        assert tasks == [
            (poisoned, "FAILED", "enlace.exchange.services.SubmissionRunFailed"),
            (good, "SUCCESSFUL", ""),
        ]
        assert worker.poll() is None, worker_log.read_text()

        response = browser.get("/readyz")
        assert response.status_code == 200
        assert response.json() == {
            "status": "ok",
            "database": "ok",
            "keys": "ok",
            "migrations": "ok",
        }
    finally:
        for process in (worker, web):
            if process is not None:
                process.terminate()
                process.wait(timeout=30)

    # The web log: JSON lines, the registration's under its request id, no name in any.
    lines = [json.loads(line) for line in web_log.read_text().splitlines() if line.startswith("{")]
    access = [
        line
        for line in lines
        if line["logger"] == "enlace.access" and line["path"] == "/people/new/"
    ]
    assert {"POST"} <= {line["method"] for line in access}
    assert register_request_id in {line["request_id"] for line in access}
    for log in (web_log, worker_log):
        assert "Martínez" not in log.read_text() and "Rosa" not in log.read_text()
