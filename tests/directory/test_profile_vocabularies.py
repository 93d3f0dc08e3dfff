"""The trafficking vocabularies of a country profile: validated, stored, and read back."""

from __future__ import annotations

import pytest
import yaml
from django.utils import translation

from enlace.directory.profile import ProfileError, profile_parse, profile_path
from enlace.directory.selectors import vocabulary_choices, vocabulary_terms


def _mx() -> dict:
    data: dict = yaml.safe_load(profile_path("MX").read_text(encoding="utf-8"))
    return data


def test_the_mexican_profile_has_the_htcds_vocabularies(mx: None) -> None:
    industries = vocabulary_terms("labour_industries")
    assert [t["code"] for t in industries] == list("ABCDEFGHIJKLMNOPQRSTU")
    assert industries[0]["htcds"] == "A_AgricultureForestryAndFishing"
    sex = {t["code"]: t["htcds"] for t in vocabulary_terms("sex_exploitation_types")}
    assert sex == {
        "prostitution": "Prostitution",
        "pornography": "Pornography",
        "remote_interactive": "RemoteInteractiveServices",
        "private_sexual_services": "PrivateSexualServices",
    }
    assert len(vocabulary_terms("control_methods")) == 17
    with translation.override("es-mx"):
        assert ("debt_bondage", "Servidumbre por deudas") in vocabulary_choices("control_methods")
    with translation.override("en"):
        assert ("debt_bondage", "Debt bondage") in vocabulary_choices("control_methods")


def test_a_code_twice_in_a_vocabulary_is_refused() -> None:
    data = _mx()
    data["trafficking"]["control_methods"].append(
        {"code": "threats", "htcds": "Threats", "es": "Amenazas", "en": "Threats"}
    )
    with pytest.raises(ProfileError, match="control_methods: code 'threats' appears twice"):
        profile_parse(data)


def test_a_term_without_its_htcds_value_is_refused() -> None:
    data = _mx()
    del data["trafficking"]["sex_exploitation_types"][0]["htcds"]
    path = r"trafficking\.sex_exploitation_types\.0 \(prostitution\)\.htcds"
    with pytest.raises(ProfileError, match=path):
        profile_parse(data)


def test_a_profile_without_vocabularies_has_empty_ones() -> None:
    data = _mx()
    del data["trafficking"]
    assert profile_parse(data).trafficking.stored()["control_methods"] == []
