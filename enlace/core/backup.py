"""Backups that restore: one file per backup, checksummed, never holding a key.

A backup is a tar file, ``enlace-<UTC time>.tar``, with two members:

- ``database.dump`` (PostgreSQL: ``pg_dump`` custom format) or
  ``database.sqlite3`` (SQLite: the online backup API, consistent while the
  application writes);
- ``manifest.json``: the engine, when, the dump's SHA-256 and size, the
  migrations applied, and a key check — the Fernet token of a public
  constant under the current encryption key and the linkage key's keyed
  fingerprint. Neither reveals a key; both tell a restore whether the keys it
  runs with can read what it restores.

The keys themselves are never in a backup (identities in it stay encrypted):
they are backed up apart, as docs/operations.md says.

A restore checks the file before it writes anything: the checksum, the
engine, the keys, and that the target database is empty.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import io
import json
import os
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from enlace.core import crypto
from enlace.core.keys import SENTINEL, linkage_fingerprint

FORMAT = 1
MANIFEST = "manifest.json"
DUMPS = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}


class BackupError(Exception):
    """A backup that cannot be written or a file that must not be restored; says why."""


def _pg_env(db: dict[str, Any]) -> dict[str, str]:
    env = {**os.environ, "PGDATABASE": db["NAME"]}
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if db.get(key):
            env[var] = str(db[key])
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return env


def _run(args: list[str], env: dict[str, str]) -> None:
    """pg_dump or pg_restore, run with arguments, never through a shell."""
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode:
        raise BackupError(f"{args[0]} failed: {done.stderr.strip()[:500]}")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _dump(path: Path) -> None:
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(path)], _pg_env(db))
    elif connection.vendor == "sqlite":
        source, target = sqlite3.connect(db["NAME"]), sqlite3.connect(path)
        with target:
            source.backup(target)
        source.close()
        target.close()
    else:
        raise BackupError(f"No backup for the {connection.vendor} engine.")


def backup_write(directory: Path, *, keep: int | None = None) -> Path:
    """Write one backup file into ``directory``; keep the ``keep`` newest, if given."""
    directory.mkdir(parents=True, exist_ok=True)
    now = datetime.datetime.now(datetime.UTC)
    out = directory / f"enlace-{now:%Y%m%dT%H%M%S%fZ}.tar"
    name = DUMPS.get(connection.vendor, "database")
    with tempfile.TemporaryDirectory() as tmp:
        dump = Path(tmp) / name
        _dump(dump)
        manifest = {
            "format": FORMAT,
            "engine": connection.vendor,
            "created_at": now.isoformat(),
            "database": name,
            "sha256": _sha256(dump),
            "size": dump.stat().st_size,
            "migrations": sorted(
                MigrationRecorder.Migration.objects.values_list("app", "name").order_by("id")
            ),
            "key_check": crypto.encrypt(SENTINEL),
            "linkage_fingerprint": linkage_fingerprint(),
        }
        partial = out.with_suffix(".partial")
        with tarfile.open(partial, "w") as tar:
            data = json.dumps(manifest, indent=2).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime = len(data), int(now.timestamp())
            tar.addfile(info, io.BytesIO(data))
            tar.add(dump, arcname=name)
        partial.rename(out)
    if keep is not None:
        for old in sorted(directory.glob("enlace-*.tar"), reverse=True)[keep:]:
            old.unlink()
    return out


def _read(path: Path, into: Path) -> tuple[dict[str, Any], Path]:
    """The manifest and the extracted dump, both checked against each other."""
    try:
        with tarfile.open(path) as tar:
            names = tar.getnames()
            manifest_file = tar.extractfile(MANIFEST) if MANIFEST in names else None
            if manifest_file is None:
                raise BackupError("Not an Enlace backup: it has no manifest.")
            manifest = json.loads(manifest_file.read())
            name = manifest.get("database")
            if name not in DUMPS.values() or name not in names:
                raise BackupError("Not an Enlace backup: the manifest names no database dump.")
            member = tar.extractfile(name)
            assert member is not None
            dump = into / name
            with dump.open("wb") as f:
                for block in iter(lambda: member.read(1 << 20), b""):
                    f.write(block)
    except (tarfile.TarError, json.JSONDecodeError, KeyError, EOFError) as exc:
        raise BackupError(f"The backup file cannot be read: {exc}") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Backup format {manifest.get('format')} is not {FORMAT}.")
    if not hmac.compare_digest(_sha256(dump), str(manifest.get("sha256"))):
        raise BackupError("The checksum does not match: the backup is damaged or was changed.")
    return manifest, dump


def _keys_read(manifest: dict[str, Any]) -> None:
    try:
        readable = crypto.decrypt(str(manifest.get("key_check"))) == SENTINEL
    except ImproperlyConfigured:
        readable = False
    if not readable:
        raise BackupError(
            "ENLACE_ENCRYPTION_KEYS cannot read this backup: it was written under another key. "
            "Restore the keys it was made with first."
        )
    if not hmac.compare_digest(str(manifest.get("linkage_fingerprint")), linkage_fingerprint()):
        raise BackupError("ENLACE_LINKAGE_KEY is not the linkage key this backup was made with.")


def backup_restore(path: Path) -> dict[str, Any]:
    """Restore ``path`` into the configured database, which must be empty; returns the manifest."""
    with tempfile.TemporaryDirectory() as tmp:
        manifest, dump = _read(path, Path(tmp))
        if manifest.get("engine") != connection.vendor:
            raise BackupError(
                f"This is a {manifest.get('engine')} backup; the database is {connection.vendor}."
            )
        _keys_read(manifest)
        if tables := connection.introspection.table_names():
            raise BackupError(
                f"The database {connection.settings_dict['NAME']} is not empty "
                f"({len(tables)} tables): restore only into a new, empty database."
            )
        db = connection.settings_dict
        if connection.vendor == "postgresql":
            connection.close()
            args = ["pg_restore", "--no-owner", "--exit-on-error", "--dbname", db["NAME"]]
            _run([*args, str(dump)], _pg_env(db))
        else:
            connection.close()
            source, target = sqlite3.connect(dump), sqlite3.connect(db["NAME"])
            with target:
                source.backup(target)
            source.close()
            target.close()
    return manifest
