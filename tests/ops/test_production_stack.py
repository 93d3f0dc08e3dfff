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
import re
import secrets
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from tests.exchange.conftest import csv_file, row
from tests.ops.stack import (
    Browser,
    free_port,
    new_database,
    prepare,
    production_env,
    start,
    stop,
    user_setup,
)

pytestmark = pytest.mark.slow

PASSWORD = secrets.token_urlsafe(16)
TOTP_KEY = secrets.token_hex(20)
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
    with new_database(f"enlace_stack_{uuid.uuid4().hex[:12]}") as url:
        yield url


@pytest.fixture
def env(database: str, tmp_path: Path) -> dict[str, str]:
    # Files of more than two rows go to the worker.
    return production_env(database, tmp_path, ENLACE_IMPORT_INLINE_MAX_ROWS="2")


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
    prepare(env, user_setup("alice", PASSWORD, TOTP_KEY, "FGE-PUE"))
    port = free_port()
    web_log, worker_log = tmp_path / "web.log", tmp_path / "worker.log"
    web = start("serve", "--bind", f"127.0.0.1:{port}", "--workers", "2", env=env, log=web_log)
    worker = None
    try:
        browser = Browser(f"http://127.0.0.1:{port}")
        browser.wait_until_answering(web, web_log)

        # Signs in: password, then the authenticator's code.
        browser.sign_in("alice", PASSWORD, TOTP_KEY)

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

        worker = start("worker", "--interval", "0.2", env=env, log=worker_log)

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
        stop(worker, web)

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
