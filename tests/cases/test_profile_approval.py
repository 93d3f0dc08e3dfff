"""The country profile says which casework steps wait for a supervisor."""

from __future__ import annotations

import pytest
import yaml

from enlace.directory.profile import ProfileError, profile_parse, profile_path


def _mx() -> dict[str, object]:
    data: dict[str, object] = yaml.safe_load(profile_path("MX").read_text(encoding="utf-8"))
    return data


def test_mexico_asks_a_supervisor_to_approve_closures() -> None:
    assert profile_parse(_mx()).casework.supervisor_approves == ["case_closure"]


def test_a_profile_without_it_approves_nothing() -> None:
    data = _mx()
    del data["casework"]
    assert profile_parse(data).casework.supervisor_approves == []


def test_it_names_a_step_it_does_not_know() -> None:
    data = {**_mx(), "casework": {"supervisor_approves": ["case_closure", "case_opening"]}}
    with pytest.raises(ProfileError) as exc:
        profile_parse(data, source="mx.yaml")
    assert str(exc.value) == (
        "mx.yaml: casework.supervisor_approves.1: Input should be 'case_closure'"
    )
