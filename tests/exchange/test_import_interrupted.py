"""An import killed mid-file: all or nothing leaves nothing; by default, only whole rows."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from enlace.registry.models import Identification, IdentificationForm, Identity, Person
from tests.conftest import Cast

ROWS = 3000


def _database_url() -> str:
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    return f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def _import_and_kill(path: Path, *options: str) -> None:
    """Start ``enlace import``, wait until it has written a batch, and kill it."""
    env = {**os.environ, "DATABASE_URL": _database_url(), "ENLACE_DEBUG": "false"}
    process = subprocess.Popen(  # noqa: S603 - our own command, fixed arguments
        [sys.executable, "-m", "enlace", "import", str(path), "--agency", "FGE-PUE", *options],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None
    try:
        for line in process.stderr:
            if line.startswith("storing") and not line.rstrip().endswith(f"{ROWS}/{ROWS}"):
                process.send_signal(signal.SIGKILL)
                break
        else:
            pytest.fail(f"the import ended before it could be killed: {process.stdout!r}")
    finally:
        process.wait(timeout=60)
    assert process.returncode == -signal.SIGKILL


# Each test kills an import process mid-file: make test-slow runs them.
pytestmark = pytest.mark.slow


@pytest.fixture
def submission(tmp_path: Path, cast: Cast) -> Path:
    from enlace.exchange.generate import submission_generate

    path = tmp_path / "large.csv"
    path.write_bytes(submission_generate(ROWS, agency_code="FGE-PUE")[0])
    return path


@pytest.mark.django_db(transaction=True)
def test_all_or_nothing_killed_mid_file_stores_nothing(submission: Path) -> None:
    _import_and_kill(submission, "--all-or-nothing")
    assert Person.objects.count() == 0
    assert Identification.objects.count() == 0
    assert Identity.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_by_default_killed_mid_file_keeps_whole_rows_and_a_rerun_completes(
    submission: Path, run: Any
) -> None:
    _import_and_kill(submission)
    stored = Identification.objects.count()
    assert 0 < stored < ROWS
    # Whole rows only: every identification has its person, identity and forms.
    assert Person.objects.count() == Identity.objects.count() == stored
    assert IdentificationForm.objects.values("identification").distinct().count() == stored
    result = run(submission.read_bytes())
    assert (result.stored, result.unchanged) == (ROWS - stored, stored)
