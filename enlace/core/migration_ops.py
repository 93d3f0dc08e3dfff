"""Helpers for migrations that turn a clear column into an encrypted one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import models
from django.db.models import ExpressionWrapper, F, Value

from enlace.core import crypto


def encrypt_in_place(
    app_label: str, model_name: str, field_name: str, *, binary: bool = False
) -> Callable[[Any, Any], None]:
    """A ``RunPython`` function encrypting the values a column held in clear."""

    def forward(apps: Any, schema_editor: Any) -> None:
        model = apps.get_model(app_label, model_name)
        column: models.Field[Any, Any] = models.BinaryField() if binary else models.TextField()
        raw = ExpressionWrapper(F(field_name), column)
        rows = model._base_manager.annotate(_raw=raw).values_list("pk", "_raw")
        for pk, value in rows.iterator(chunk_size=2000):
            if value is None or len(value) == 0:
                continue
            clear = bytes(value) if binary else value.encode()
            token = crypto.encrypt_bytes(clear)
            model._base_manager.filter(pk=pk).update(
                **{field_name: Value(token if binary else token.decode(), column)}
            )

    return forward
