"""The keys at work: the start-up check against the stored key check, and key rotation.

Rotation follows Fernet's MultiFernet: the operator puts a new key first in
``ENLACE_ENCRYPTION_KEYS`` (the first encrypts, every key decrypts) and
restarts; ``enlace keys rotate`` then re-encrypts every encrypted column with
it, batch by batch, while the application keeps running; when it reports
nothing left under an old key, the old key can be removed.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from cryptography.fernet import Fernet
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError, models, transaction
from django.db.models import ExpressionWrapper, F, Value

from enlace.core import crypto, trail
from enlace.core.fields import ENCRYPTED_FIELDS, EncryptedBinaryField
from enlace.core.models import KeyCheck

SENTINEL = "enlace key check"

# What else must agree with the configured keys before a database gets its key
# check: each returns why not, or None. linkage's encodings register one (linkage/hooks.py).
KEY_CHECKS: list[Callable[[], str | None]] = []


def key_check(check: Callable[[], str | None]) -> Callable[[], str | None]:
    KEY_CHECKS.append(check)
    return check


def key_generate() -> str:
    return Fernet.generate_key().decode()


def linkage_fingerprint(key: str | None = None) -> str:
    """A keyed hash of a constant: equal only for the same linkage key, revealing nothing of it."""
    key = settings.LINKAGE_KEY if key is None else key
    return hmac.new(key.encode(), b"enlace linkage key check", hashlib.sha256).hexdigest()


def key_check_store() -> None:
    """Record what the current keys make of the constant, once, when the database is created."""
    if KeyCheck.objects.exists():
        return
    # A database upgraded to the key check already holds encrypted values: the
    # keys recorded must be the ones that read them, or the check would guard
    # the wrong keys from now on.
    for model, fields in encrypted_models():
        if model is KeyCheck:
            continue
        raw = {f"_raw_{f.attname}": ExpressionWrapper(F(f.attname), _stored(f)) for f in fields}
        for row in model._base_manager.annotate(**raw).values_list(*raw)[:1]:
            for value in row:
                if value is not None and len(value):
                    crypto.decrypt_bytes(_as_bytes(value))
    for check in KEY_CHECKS:
        if problem := check():
            raise ImproperlyConfigured(problem)
    KeyCheck.objects.create(sentinel=SENTINEL, linkage_fingerprint=linkage_fingerprint())


def key_problems() -> list[str]:
    """Why the configured keys are not those the database was written with; empty if they are.

    A database without the key check table (before the first ``migrate``) or
    without its row (emptied) has nothing to compare with and passes.
    """
    try:
        crypto.fernet()
    except ImproperlyConfigured as exc:
        return [str(exc)]
    try:
        row = KeyCheck.objects.values_list("pk", "linkage_fingerprint").order_by("pk").first()
    except DatabaseError:
        return []
    if row is None:
        return []
    problems = []
    try:
        KeyCheck.objects.filter(pk=row[0]).values_list("sentinel", flat=True).get()
    except ImproperlyConfigured:
        problems.append(
            "ENLACE_ENCRYPTION_KEYS: no configured key decrypts the stored key check; this "
            "database was written with another key. Identities would be unreadable."
        )
    if not hmac.compare_digest(row[1], linkage_fingerprint()):
        problems.append(
            "ENLACE_LINKAGE_KEY is not the key this database's linkage tokens were made with: "
            "new records would never match stored ones. Set the right key, or after a "
            "deliberate change run `enlace keys accept-linkage-key` and `enlace link --encode`."
        )
    return problems


def keys_verify() -> None:
    """Stop the process if the keys are wrong: called by the WSGI entry point."""
    if problems := key_problems():
        raise ImproperlyConfigured(" ".join(problems))


def linkage_key_accept() -> None:
    with transaction.atomic():
        for check in KeyCheck.objects.all():
            check.linkage_fingerprint = linkage_fingerprint()
            check.save(update_fields=["linkage_fingerprint"])
            trail.record(actor=None, action="keys.accept_linkage_key", obj=check)


# --- rotation ----------------------------------------------------------------------------


@dataclass
class Rotation:
    """What a rotation of one model's encrypted columns did."""

    model: str
    rows: int = 0
    values: int = 0
    rotated: int = 0
    fields: list[str] = field(default_factory=list)


def encrypted_models() -> Iterator[tuple[type[models.Model], list[models.Field[Any, Any]]]]:
    """Every model with encrypted columns, and those columns, from the app registry."""
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        fields: list[models.Field[Any, Any]] = [
            f for f in model._meta.concrete_fields if isinstance(f, ENCRYPTED_FIELDS)
        ]
        if fields:
            yield model, fields


def _stored(f: models.Field) -> models.Field:
    # The column as the database holds it: a token, not decrypted on the way out.
    return models.BinaryField() if isinstance(f, EncryptedBinaryField) else models.TextField()


def _as_bytes(value: str | bytes | memoryview) -> bytes:
    return value.encode() if isinstance(value, str) else bytes(value)


def rotate_model(
    model: type[models.Model],
    fields: list[models.Field],
    *,
    batch_size: int = 500,
    progress: Callable[[Rotation], None] | None = None,
) -> Rotation:
    """Re-encrypt ``fields`` of every row of ``model`` with the first key.

    Each batch is its own short transaction, its rows locked while they are
    rewritten, so the application keeps reading and writing meanwhile (old and
    new keys both decrypt). A value already under the first key is left alone,
    so an interrupted rotation resumes where it stopped when run again.
    """
    done = Rotation(model=model._meta.label, fields=[f.name for f in fields])
    raw = {f"_raw_{f.attname}": ExpressionWrapper(F(f.attname), _stored(f)) for f in fields}
    manager = model._base_manager
    last = None
    while True:
        with transaction.atomic():
            batch = manager.select_for_update().annotate(**raw).order_by("pk")
            if last is not None:
                batch = batch.filter(pk__gt=last)
            rows = list(batch.values("pk", *raw)[:batch_size])
            if not rows:
                break
            for row in rows:
                changes = {}
                for f in fields:
                    stored = row[f"_raw_{f.attname}"]
                    if stored is None or len(stored) == 0:
                        continue
                    done.values += 1
                    token = _as_bytes(stored)
                    if crypto.primary_key_encrypted(token):
                        continue
                    new = crypto.rotate(token)
                    changes[f.attname] = Value(
                        new if isinstance(f, EncryptedBinaryField) else new.decode(), _stored(f)
                    )
                if changes:
                    manager.filter(pk=row["pk"]).update(**changes)
                    done.rotated += len(changes)
            done.rows += len(rows)
            last = rows[-1]["pk"]
        if progress:
            progress(done)
    return done


def keys_rotate(
    *, batch_size: int = 500, progress: Callable[[Rotation], None] | None = None
) -> list[Rotation]:
    """Re-encrypt every encrypted column of every model with the first configured key.

    One audit row per model, with the counts: the values themselves do not change.
    """
    results = []
    for model, fields in encrypted_models():
        done = rotate_model(model, fields, batch_size=batch_size, progress=progress)
        trail.record(
            actor=None,
            action="keys.rotate",
            obj=model(),
            after={"model": done.model, "rows": done.rows, "rotated": done.rotated},
        )
        results.append(done)
    return results


def keys_pending() -> dict[str, int]:
    """Per model, how many stored values are not yet under the first key (read only)."""
    pending: dict[str, int] = {}
    for model, fields in encrypted_models():
        raw = {f"_raw_{f.attname}": ExpressionWrapper(F(f.attname), _stored(f)) for f in fields}
        count = 0
        for row in model._base_manager.annotate(**raw).values_list(*raw).iterator(2000):
            count += sum(
                1
                for v in row
                if v is not None and len(v) and not crypto.primary_key_encrypted(_as_bytes(v))
            )
        pending[model._meta.label] = count
    return pending
