from __future__ import annotations

from django.conf import settings

from enlace.core.datadictionary import data_dictionary


def test_the_data_dictionary_is_current() -> None:
    committed = (settings.BASE_DIR / "docs" / "data-dictionary.md").read_text()
    assert committed == data_dictionary(), "docs/data-dictionary.md is stale: run `make docs`"


def test_it_marks_identity_fields_encrypted() -> None:
    text = data_dictionary()
    assert "| `paternal_surname` | paternal surname | text, encrypted |" in text
    assert "| `birth_date` | birth date | date, encrypted |" in text
