"""Yes/no settings take true/false spellings only: a typo stops the start, never means false."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.settings import envbool
from tests.accounts.test_check_deploy import _clean_environment, _enlace

SPELLINGS = {"true": True, "1": True, "yes": True, "on": True}
SPELLINGS |= {"false": False, "0": False, "no": False, "off": False}


@pytest.mark.parametrize(("value", "expected"), sorted(SPELLINGS.items()))
def test_each_spelling_in_any_case(
    monkeypatch: pytest.MonkeyPatch, value: str, expected: bool
) -> None:
    for written in (value, value.upper(), value.capitalize()):
        monkeypatch.setenv("ENLACE_TEST_FLAG", written)
        assert envbool("ENLACE_TEST_FLAG", "false") is expected


def test_the_default_when_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ENLACE_TEST_FLAG", raising=False)
    assert envbool("ENLACE_TEST_FLAG", "true") is True
    assert envbool("ENLACE_TEST_FLAG", "off") is False


@pytest.mark.parametrize("value", ["ture", "flase", "y", "enabled", "2", ""])
def test_anything_else_is_refused_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("ENLACE_TEST_FLAG", value)
    with pytest.raises(ImproperlyConfigured, match="ENLACE_TEST_FLAG must be true or false"):
        envbool("ENLACE_TEST_FLAG", "false")


def test_a_misspelt_flag_stops_enlace_from_starting(tmp_path: Path) -> None:
    env = {**_clean_environment(), "ENLACE_VAR_DIR": str(tmp_path), "ENLACE_DEBUG": "ture"}
    result = _enlace("check", env=env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "ENLACE_DEBUG must be true or false" in result.stderr
