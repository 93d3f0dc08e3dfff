"""Identity field lengths are the model's: the services enforce them, and the web forms,
the API and imports read them from there."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from enlace.api.persons import IdentityIn
from enlace.exchange.importer import submission_import
from enlace.registry.models import Identity, Person, identity_max_length
from enlace.registry.selectors import identity_get_for_user
from enlace.registry.services import identity_update, person_erase, person_register
from enlace.web.people import ErasureForm, PersonRegisterForm, PersonSearchForm
from tests.conftest import Cast
from tests.exchange.conftest import csv_file, row

LIMITS = {
    "given_names": 200,
    "paternal_surname": 200,
    "maternal_surname": 200,
    "curp": 18,
    "passport_number": 40,
    "contact": 500,
    "erasure_reference": 200,
}


def test_the_limits_are_the_models() -> None:
    assert {name: identity_max_length(name) for name in LIMITS} == LIMITS


@pytest.mark.parametrize("name", ["given_names", "passport_number", "contact"])
def test_registering_refuses_a_value_over_the_limit(cast: Cast, name: str) -> None:
    too_long = "x" * (LIMITS[name] + 1)
    with pytest.raises(ValidationError) as exc:
        person_register(actor=cast.alice, identity={name: too_long})
    assert list(exc.value.message_dict) == [name]
    assert not Person.objects.exists() and not Identity.objects.exists()
    person_register(actor=cast.alice, identity={name: too_long[1:]})


def test_an_update_refuses_a_value_over_the_limit(cast: Cast, person: Person) -> None:
    with pytest.raises(ValidationError) as exc:
        identity_update(actor=cast.alice, person=person, passport_number="G" * 41)
    assert list(exc.value.message_dict) == ["passport_number"]
    assert identity_get_for_user(user=cast.alice, person=person).passport_number != "G" * 41


def test_an_erasure_reference_over_the_limit_is_refused(cast: Cast, person: Person) -> None:
    with pytest.raises(ValidationError) as exc:
        person_erase(actor=cast.sam, person=person, legal_reference="R" * 201)
    assert list(exc.value.message_dict) == ["legal_reference"]


def _form_limit(form: Any, name: str) -> int | None:
    limit: int | None = form.base_fields[name].max_length
    return limit


def test_the_forms_and_the_api_read_the_models_limits() -> None:
    for form in (PersonSearchForm, PersonRegisterForm):
        for name in ("given_names", "paternal_surname", "maternal_surname", "curp"):
            assert _form_limit(form, name) == LIMITS[name]
    for name in ("passport_number", "contact"):
        assert _form_limit(PersonRegisterForm, name) == LIMITS[name]
    assert _form_limit(ErasureForm, "legal_reference") == LIMITS["erasure_reference"]
    schema = IdentityIn.model_json_schema()["properties"]
    for name in ("given_names", "paternal_surname", "maternal_surname", "curp"):
        assert schema[name]["maxLength"] == LIMITS[name]
    assert schema["passport_number"]["maxLength"] == LIMITS["passport_number"]
    assert schema["contact"]["maxLength"] == LIMITS["contact"]


def test_an_import_row_over_a_limit_is_rejected_naming_the_column(cast: Cast) -> None:
    data = csv_file(
        row(agency_record_id="A1", passport_number="P" * 41),
        row(agency_record_id="A2", passport_number="P" * 40),
    )
    result = submission_import(actor=cast.alice, data=data)
    assert (result.stored, result.rejected) == (1, 1)
    assert [(e.row, e.column) for e in result.errors] == [(2, "passport_number")]
    assert "40" in result.errors[0].reason
