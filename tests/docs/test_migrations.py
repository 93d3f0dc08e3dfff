from __future__ import annotations

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_the_models_have_no_changes_without_a_migration() -> None:
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
