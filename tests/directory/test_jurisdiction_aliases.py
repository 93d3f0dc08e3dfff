"""Jurisdictions answer to the names in the profile, and to no name of another."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.management import CommandError, call_command

from enlace.directory.models import Jurisdiction
from enlace.directory.names import jurisdiction_key, jurisdiction_keys
from enlace.directory.profile import ProfileError, profile_parse, profile_path, profile_read


@pytest.fixture(scope="module")
def mx() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(profile_path("MX").read_text())
    return data


def _error(data: dict[str, Any]) -> str:
    with pytest.raises(ProfileError) as exc:
        profile_parse(data, source="mx.yaml")
    return str(exc.value)


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Estado de México", "mexico"),
        ("ESTADO DE MEXICO", "mexico"),
        ("Edo. Méx.", "mex"),
        ("Edo. de Méx.", "mex"),
        ("edo mex", "mex"),
        ("Estado Libre y Soberano de Puebla", "puebla"),
        ("Edomex", "edomex"),
        ("D.F.", "d f"),
        ("Michoacán de Ocampo", "michoacan de ocampo"),
        # A prefix alone is no jurisdiction: it stays as written.
        ("Estado", "estado"),
        ("Edo.", "edo"),
    ],
)
def test_it_folds_case_accents_punctuation_and_the_kind_of_division(text: str, folded: str) -> None:
    assert jurisdiction_key(text) == folded


def test_every_key_of_a_name_carries_each_prefix() -> None:
    assert set(jurisdiction_keys("Puebla")) == {
        "puebla",
        "estado de puebla",
        "edo de puebla",
        "edo puebla",
        "estado libre y soberano de puebla",
    }
    assert jurisdiction_keys("...") == []


def test_each_alias_names_one_jurisdiction_in_the_shipped_profile() -> None:
    profile = profile_read(profile_path("MX"))
    owners: dict[str, str] = {}
    for j in profile.jurisdictions:
        for _path, text in j.spellings():
            for k in jurisdiction_keys(text):
                assert owners.setdefault(k, j.code) == j.code, (text, owners[k], j.code)
    assert owners["mexico"] == owners["edomex"] == "15"
    assert owners["cdmx"] == owners["distrito federal"] == owners["9"] == "09"


def test_an_ambiguous_alias_fails_naming_both_entries(mx: dict[str, Any]) -> None:
    data = copy.deepcopy(mx)
    cdmx = next(i for i, j in enumerate(data["jurisdictions"]) if j["code"] == "09")
    data["jurisdictions"][cdmx]["aliases"].append("México")
    assert _error(data) == (
        "mx.yaml: jurisdictions.14 (15).name: 'México' is ambiguous, "
        f"jurisdictions.8 (09).aliases.{len(data['jurisdictions'][cdmx]['aliases']) - 1} "
        "'México' names another jurisdiction the same way"
    )


def test_an_alias_ambiguous_only_once_folded_fails(mx: dict[str, Any]) -> None:
    data = copy.deepcopy(mx)
    data["jurisdictions"][0]["aliases"].append("EDO. PUEBLA")
    message = _error(data)
    assert "jurisdictions.20 (21).name: 'Puebla' is ambiguous" in message
    assert "jurisdictions.0 (01).aliases.3 'EDO. PUEBLA'" in message


def test_an_alias_without_letters_fails(mx: dict[str, Any]) -> None:
    data = copy.deepcopy(mx)
    data["jurisdictions"][3]["aliases"].append("--")
    assert "mx.yaml: jurisdictions.3 (04).aliases.3: '--' has no letters or digits" in _error(data)


@pytest.mark.django_db
def test_the_command_names_the_file_and_stores_nothing(mx: dict[str, Any], tmp_path: Path) -> None:
    data = copy.deepcopy(mx)
    data["jurisdictions"][18]["aliases"].append("Nuevo Leon")  # 19's own name: fine
    data["jurisdictions"][19]["aliases"].append("N. L.")  # 20 (Oaxaca) is not NL
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(data, allow_unicode=True))
    stored = list(Jurisdiction.objects.values().order_by("code"))

    with pytest.raises(
        CommandError,
        match=r"bad\.yaml: jurisdictions\.19 \(20\)\.aliases\.1: 'N\. L\.' is ambiguous, "
        r"jurisdictions\.18 \(19\)\.aliases\.2 'N\.L\.'",
    ):
        call_command("profile_load", str(bad))
    assert list(Jurisdiction.objects.values().order_by("code")) == stored


@pytest.mark.django_db
def test_the_database_holds_the_profile_aliases_and_a_second_load_changes_nothing(
    capsys: pytest.CaptureFixture[str],
) -> None:
    call_command("profile_load", "MX")
    profile = profile_read(profile_path("MX"))
    assert {j.code: j.aliases for j in Jurisdiction.objects.all()} == {
        j.code: j.aliases for j in profile.jurisdictions
    }
    assert "Edomex" in Jurisdiction.objects.get(code="15").aliases
    stored = list(Jurisdiction.objects.values().order_by("code"))
    capsys.readouterr()

    call_command("profile_load", "MX")

    assert "nothing changed" in capsys.readouterr().out
    assert list(Jurisdiction.objects.values().order_by("code")) == stored
