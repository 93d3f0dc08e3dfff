from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.management import CommandError, call_command

from enlace.directory.models import Agency
from enlace.directory.profile import ProfileError, profile_parse, profile_path


@pytest.fixture(scope="module")
def mx() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(profile_path("MX").read_text())
    return data


def _error(data: dict[str, Any]) -> str:
    with pytest.raises(ProfileError) as exc:
        profile_parse(data, source="mx.yaml")
    return str(exc.value)


def test_the_shipped_profile_is_valid(mx: dict[str, Any]) -> None:
    assert profile_parse(mx).code == "MX"


def test_it_names_a_bad_level(mx: dict[str, Any]) -> None:
    data = copy.deepcopy(mx)
    data["agencies"][2]["level"] = "galactic"
    code = data["agencies"][2]["code"]
    assert f"agencies.2 ({code}).level: 'galactic' is not one of federal" in _error(data)


def test_it_names_a_missing_field(mx: dict[str, Any]) -> None:
    data = copy.deepcopy(mx)
    del data["agencies"][0]["code"]
    assert "mx.yaml: agencies.0.code: Field required" in _error(data)


def test_it_names_an_unknown_parent(mx: dict[str, Any]) -> None:
    data = copy.deepcopy(mx)
    data["agencies"][1]["parent"] = "NOPE"
    assert f"agencies.1 ({data['agencies'][1]['code']}).parent: unknown agency 'NOPE'" in _error(
        data
    )


def test_it_names_an_unknown_jurisdiction(mx: dict[str, Any]) -> None:
    data = copy.deepcopy(mx)
    data["shelters"][0]["jurisdiction"] = "99"
    assert ".jurisdiction: unknown jurisdiction '99'" in _error(data)


def test_it_names_a_duplicate_code(mx: dict[str, Any]) -> None:
    data = copy.deepcopy(mx)
    data["jurisdictions"][1]["code"] = data["jurisdictions"][0]["code"]
    assert "jurisdictions: code '01' appears twice" in _error(data)


def test_it_names_an_unknown_key(mx: dict[str, Any]) -> None:
    data = copy.deepcopy(mx)
    data["funds"][0]["colour"] = "green"
    assert "funds.0 (CEAV-EMERGENCIA).colour: Extra inputs are not permitted" in _error(data)


def test_it_names_a_bad_rate(mx: dict[str, Any]) -> None:
    data = copy.deepcopy(mx)
    data["exchange_rates_usd"][2017] = "a lot"
    assert "exchange_rates_usd.2017: Input should be a valid decimal" in _error(data)


@pytest.mark.django_db
def test_the_command_reports_the_field_and_stores_nothing(
    mx: dict[str, Any], tmp_path: Path
) -> None:
    data = copy.deepcopy(mx)
    data["agencies"][-1]["kind"] = "bakery"
    data["agencies"][0]["name"] = "A name that must not be stored"
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(data, allow_unicode=True))
    stored = list(Agency.objects.values().order_by("code"))

    with pytest.raises(
        CommandError, match=r"bad.yaml: agencies.\d+ \([A-Z-]+\).kind: 'bakery' is not one of"
    ):
        call_command("profile_load", str(bad))
    assert list(Agency.objects.values().order_by("code")) == stored


def test_the_command_reports_invalid_yaml(tmp_path: Path) -> None:
    bad = tmp_path / "broken.yaml"
    bad.write_text("code: [MX\n")
    with pytest.raises(CommandError, match=r"broken\.yaml: not valid YAML"):
        call_command("profile_load", str(bad))


def test_it_names_a_permit_without_validity(mx: dict[str, Any]) -> None:
    data = copy.deepcopy(mx)
    del data["permits"][1]["validity"]
    assert "mx.yaml: permits.1 (calendar_days_90).validity: Field required" in _error(data)


def test_it_names_a_permit_counted_in_weeks(mx: dict[str, Any]) -> None:
    data = copy.deepcopy(mx)
    data["permits"][0]["validity"]["unit"] = "weeks"
    assert "mx.yaml: permits.0 (working_days_60).validity.unit: Input should be" in _error(data)


def test_it_names_an_extension_by_an_unknown_permit(mx: dict[str, Any]) -> None:
    data = copy.deepcopy(mx)
    data["permits"][0]["extension"]["terms"].append("forever")
    assert (
        "mx.yaml: permits.0 (working_days_60).extension.terms.2: unknown permit 'forever'"
        in _error(data)
    )


def test_it_names_a_permit_decided_by_no_kind_of_agency(mx: dict[str, Any]) -> None:
    data = copy.deepcopy(mx)
    data["permits"][1]["decided_by"] = "oracle"
    assert "mx.yaml: permits.1 (calendar_days_90).decided_by: 'oracle' is not one of" in _error(
        data
    )


def test_it_names_an_unknown_check_digit_algorithm(mx: dict[str, Any]) -> None:
    data = copy.deepcopy(mx)
    data["identity_documents"][0]["check_digit"] = "verhoeff"
    assert (
        "mx.yaml: identity_documents.0 (curp).check_digit: 'verhoeff' is not one of "
        "curp, cui, luhn, none" in _error(data)
    )


def test_it_names_a_pattern_that_is_no_regular_expression(mx: dict[str, Any]) -> None:
    data = copy.deepcopy(mx)
    data["identity_documents"][0]["pattern"] = "^[A-Z"
    assert "identity_documents.0 (curp).pattern: not a regular expression" in _error(data)


def test_it_names_an_example_with_a_wrong_check_digit(mx: dict[str, Any]) -> None:
    data = copy.deepcopy(mx)
    data["identity_documents"][0]["example"] = "PEGJ850315HPLRRN04"
    assert (
        "identity_documents.0 (curp).example: 'PEGJ850315HPLRRN04' fails the pattern or the "
        "curp check digit" in _error(data)
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d["identity_documents"][0].update(check_digit="verhoeff"),
            r"bad\.yaml: identity_documents\.0 \(curp\)\.check_digit: 'verhoeff' is not one of",
        ),
        (
            lambda d: d["jurisdictions"][20]["aliases"].append("Jalisco"),
            r"bad\.yaml: jurisdictions\.20 \(21\)\.aliases\.\d+: 'Jalisco' is ambiguous, "
            r"jurisdictions\.13 \(14\)\.name 'Jalisco' names another jurisdiction",
        ),
        (
            lambda d: d["permits"][0].pop("validity"),
            r"bad\.yaml: permits\.0 \(working_days_60\)\.validity: Field required",
        ),
    ],
    ids=["unknown check digit", "alias of two jurisdictions", "permit without validity"],
)
def test_the_command_stops_naming_file_field_and_entry(
    mx: dict[str, Any], tmp_path: Path, change: Any, message: str
) -> None:
    data = copy.deepcopy(mx)
    change(data)
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(data, allow_unicode=True))
    stored = list(Agency.objects.values().order_by("code"))
    with pytest.raises(CommandError, match=message):
        call_command("profile_load", str(bad))
    assert list(Agency.objects.values().order_by("code")) == stored
