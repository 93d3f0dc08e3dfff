"""The data dictionary, generated from the models so it cannot drift from them."""

from __future__ import annotations

import inspect

from django.apps import apps
from django.db import models
from django.utils import translation

from enlace.core.fields import EncryptedBinaryField, EncryptedDateField, EncryptedTextField


def _type(field: models.Field) -> str:
    if isinstance(field, EncryptedDateField):
        return "date, encrypted"
    if isinstance(field, EncryptedTextField):
        return "text, encrypted"
    if isinstance(field, EncryptedBinaryField):
        return "binary, encrypted"
    if field.is_relation and field.related_model is not None:
        return f"→ {field.related_model.__name__}"
    return field.get_internal_type().removesuffix("Field").lower() or "text"


def _notes(field: models.Field) -> str:
    notes = []
    if field.help_text:
        notes.append(str(field.help_text))
    if field.choices:
        notes.append("One of: " + ", ".join(f"`{value}`" for value, _ in field.flatchoices))
    if field.unique and not field.primary_key:
        notes.append("Unique.")
    return " ".join(notes).replace("|", "\\|")


def data_dictionary() -> str:
    lines = [
        "# Data dictionary",
        "",
        "Generated from the models by `enlace data_dictionary`; `make docs` rewrites",
        "this file and a test fails when it is stale. Fields marked *encrypted* are",
        "stored as Fernet tokens and never leave the identity vault in clear.",
    ]
    with translation.override("en"):
        for config in sorted(apps.get_app_configs(), key=lambda c: c.name):
            if not config.name.startswith("enlace."):
                continue
            app_models = list(config.get_models())
            if not app_models:
                continue
            lines += ["", f"## {config.verbose_name} (`{config.label}`)"]
            for model in app_models:
                meta = model._meta
                lines += ["", f"### {model.__name__} — {meta.verbose_name}", ""]
                doc = inspect.getdoc(model)
                if doc and not doc.startswith(f"{model.__name__}("):
                    lines += [" ".join(doc.split()), ""]
                lines += [
                    f"Table `{meta.db_table}`.",
                    "",
                    "| field | label | type | required | description |",
                    "|---|---|---|---|---|",
                ]
                for field in meta.get_fields():
                    if not field.concrete or (field.auto_created and not field.primary_key):
                        continue
                    assert isinstance(field, models.Field)
                    required = "no" if field.null or field.blank or field.has_default() else "yes"
                    name = field.attname if field.is_relation else field.name
                    lines.append(
                        f"| `{name}` | {field.verbose_name} | {_type(field)} | {required} "
                        f"| {_notes(field)} |"
                    )
    return "\n".join(lines) + "\n"
