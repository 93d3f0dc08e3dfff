"""A backup restores into a new database with the same report and an intact audit chain;
a changed backup, the wrong keys and a database that is not empty are refused.

The restore runs as an operator would, ``enlace restore`` in its own process against
the new database, on SQLite and on PostgreSQL (whichever this lane runs on)."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tarfile
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from enlace.registry.models import Person
from enlace.registry.services import identification_confirm
from enlace.reports.annual import annual_report
from tests.conftest import Cast

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def target(tmp_path: Path) -> Iterator[str]:
    """The URL of a new, empty database of this lane's engine."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    name = f"{db['NAME']}_restored"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    user, host, port = db["USER"], db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    yield f"postgres://{user}@{host}:{port}/{name}"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _enlace(*args: str, url: str, **env: str) -> subprocess.CompletedProcess[str]:
    keys = {
        "DATABASE_URL": url,
        "ENLACE_ENCRYPTION_KEYS": ",".join(settings.ENCRYPTION_KEYS),
        "ENLACE_LINKAGE_KEY": settings.LINKAGE_KEY,
        "ENLACE_SECRET_KEY": settings.SECRET_KEY,
        **env,
    }
    return subprocess.run(  # noqa: S603 - the test's own interpreter and arguments
        [sys.executable, "-m", "enlace", *args],
        env={**os.environ, **keys},
        capture_output=True,
        text=True,
        check=False,
    )


def _backup(directory: Path, *args: str) -> Path:
    out = StringIO()
    call_command("backup", "--output", str(directory), *args, stdout=out)
    return Path(out.getvalue().strip())


def _changed(backup: Path, into: Path) -> Path:
    """The same backup with one byte of its database changed, the manifest kept."""
    with tarfile.open(backup) as tar:
        members = {m.name: tar.extractfile(m).read() for m in tar.getmembers()}  # type: ignore[union-attr]
    name = json.loads(members["manifest.json"])["database"]
    data = bytearray(members[name])
    data[len(data) // 2] ^= 0xFF
    members[name] = bytes(data)
    changed = into / "changed.tar"
    with tarfile.open(changed, "w") as tar:
        for member, content in members.items():
            info = tarfile.TarInfo(member)
            info.size = len(content)
            tar.addfile(info, io.BytesIO(content))
    return changed


# Five processes of enlace and a flushed database: make test-slow runs it.
@pytest.mark.slow
def test_a_backup_restores_into_a_new_database(
    cast: Cast, person: Person, tmp_path: Path, target: str
) -> None:
    identification_confirm(actor=cast.sam, identification=person.identifications.get())
    call_command("audit_verify", stdout=StringIO())
    expected = json.loads(json.dumps(annual_report(2017)))
    assert expected["identified"]["total"] == 1
    backup = _backup(tmp_path / "backups")
    assert backup.name.startswith("enlace-") and backup.suffix == ".tar"
    with tarfile.open(backup) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())  # type: ignore[union-attr]
        dumped = tar.extractfile(manifest["database"]).read()  # type: ignore[union-attr]
    # No key is in the file: not the encryption key, not the linkage key.
    for key in [*settings.ENCRYPTION_KEYS, settings.LINKAGE_KEY]:
        assert key.encode() not in dumped and key not in json.dumps(manifest)

    # Refused before anything is written: a changed file, then the wrong keys.
    changed = _enlace("restore", str(_changed(backup, tmp_path)), url=target)
    assert changed.returncode != 0 and "checksum" in changed.stderr
    other = Fernet.generate_key().decode()
    wrong = _enlace("restore", str(backup), url=target, ENLACE_ENCRYPTION_KEYS=other)
    assert wrong.returncode != 0 and "cannot read this backup" in wrong.stderr

    restored = _enlace("restore", str(backup), url=target)
    assert restored.returncode == 0, restored.stderr
    report = _enlace("report", "--year", "2017", "--format", "json", url=target)
    assert report.returncode == 0, report.stderr
    assert json.loads(report.stdout) == expected
    verified = _enlace("audit_verify", url=target)
    assert verified.returncode == 0 and "The chain is intact" in verified.stdout

    again = _enlace("restore", str(backup), url=target)
    assert again.returncode != 0 and "is not empty" in again.stderr


def test_only_the_newest_backups_are_kept(person: Any, tmp_path: Path) -> None:
    made = [_backup(tmp_path, "--keep", "2") for _ in range(3)]

    assert sorted(tmp_path.glob("enlace-*.tar")) == made[1:]
