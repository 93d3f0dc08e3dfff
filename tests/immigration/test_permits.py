"""Permits come from the country profile: their terms, extensions and who decides."""

from __future__ import annotations

import copy
import datetime
from collections.abc import Iterator
from typing import Any

import pytest
import yaml
from django.core.exceptions import ValidationError
from django.utils import translation

from enlace.directory.calendar import add_months
from enlace.directory.profile import profile_parse, profile_path
from enlace.directory.services import profile_load
from enlace.immigration.models import PermitKind, VisaRequest
from enlace.immigration.services import visa_decide, visa_extend, visa_request
from enlace.registry.models import Person
from tests.conftest import Cast

D = datetime.date

PERMITS = [
    {
        "code": "months_12",
        "name": "Permanencia por razones humanitarias",
        "name_en": "Stay on humanitarian grounds",
        "validity": {"unit": "months", "length": 12},
        "extension": {"terms": ["months_12"], "max_extensions": 1},
        "decided_by": "immigration",
    },
    {
        "code": "calendar_days_30",
        "name": "Periodo de reflexión",
        "name_en": "Reflection period",
        "validity": {"unit": "calendar_days", "length": 30},
        "decided_by": "immigration",
    },
    {
        "code": "court_order",
        "name": "Orden judicial",
        "name_en": "Court order",
        "validity": {"unit": "months", "length": 6},
        "decided_by": "prosecutor",
    },
]


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    # The messages are matched as written; Spanish is the default language.
    with translation.override("en"):
        yield


@pytest.fixture
def other_permits(cast: Cast) -> None:
    """Mexico's profile with another country's permits loaded on top."""
    data: dict[str, Any] = yaml.safe_load(profile_path("MX").read_text())
    data = copy.deepcopy(data) | {"permits": PERMITS}
    profile_load(profile=profile_parse(data))


def _granted(cast: Cast, person: Person, validity: str, on: D) -> VisaRequest:
    request = visa_request(actor=cast.alice, person=person, requested_on=on)
    return visa_decide(
        actor=cast.ines, request=request, decided_on=on, granted=True, validity=validity
    )


def test_mexico_lists_its_two_terms_sixty_working_days_first(cast: Cast) -> None:
    permits = list(PermitKind.objects.values_list("code", "unit", "length"))
    assert permits[:2] == [
        ("working_days_60", "working_days", 60),
        ("calendar_days_90", "calendar_days", 90),
    ]
    with translation.override("es-mx"):
        assert PermitKind.objects.get(code="working_days_60").label == "60 días hábiles"
    with translation.override("en"):
        assert PermitKind.objects.get(code="calendar_days_90").label == "90 calendar days"


def test_a_permit_in_months_ends_on_the_same_day(
    cast: Cast, foreigner: Person, other_permits: None
) -> None:
    visa = _granted(cast, foreigner, "months_12", D(2017, 12, 15))
    assert visa.valid_until == D(2018, 12, 15)
    extension = visa_extend(
        actor=cast.ines, request=visa, extended_on=D(2018, 12, 1), validity="months_12"
    )
    assert extension.valid_until == D(2019, 12, 15)


def test_a_month_shorter_than_the_day_ends_on_its_last_day(
    cast: Cast, foreigner: Person, other_permits: None
) -> None:
    assert _granted(cast, foreigner, "months_12", D(2019, 2, 28)).valid_until == D(2020, 2, 28)
    assert add_months(D(2017, 1, 31), 1) == D(2017, 2, 28)
    assert add_months(D(2019, 1, 31), 13) == D(2020, 2, 29)
    assert add_months(D(2017, 11, 30), 3) == D(2018, 2, 28)


def test_extensions_stop_at_the_profile_s_limit(
    cast: Cast, foreigner: Person, other_permits: None
) -> None:
    visa = _granted(cast, foreigner, "months_12", D(2017, 12, 15))
    visa_extend(actor=cast.ines, request=visa, extended_on=D(2018, 12, 1), validity="months_12")
    with pytest.raises(ValidationError, match="extensions its rules allow"):
        visa_extend(actor=cast.ines, request=visa, extended_on=D(2019, 12, 1), validity="months_12")
    assert visa.extensions.count() == 1


def test_a_permit_without_extension_terms_is_not_extended(
    cast: Cast, foreigner: Person, other_permits: None
) -> None:
    visa = _granted(cast, foreigner, "calendar_days_30", D(2017, 12, 15))
    assert visa.valid_until == D(2018, 1, 14)
    with pytest.raises(ValidationError, match="cannot be extended"):
        visa_extend(actor=cast.ines, request=visa, extended_on=D(2018, 1, 10), validity="months_12")


def test_an_extension_only_by_the_terms_the_permit_names(
    cast: Cast, foreigner: Person, other_permits: None
) -> None:
    visa = _granted(cast, foreigner, "months_12", D(2017, 12, 15))
    with pytest.raises(ValidationError, match="may be extended by"):
        visa_extend(
            actor=cast.ines, request=visa, extended_on=D(2018, 12, 1), validity="calendar_days_30"
        )


def test_only_the_kind_of_agency_the_profile_names_decides(
    cast: Cast, foreigner: Person, other_permits: None
) -> None:
    request = visa_request(actor=cast.alice, person=foreigner, requested_on=D(2017, 12, 1))
    with pytest.raises(ValidationError, match="Another kind of agency decides"):
        visa_decide(
            actor=cast.ines,
            request=request,
            decided_on=D(2017, 12, 15),
            granted=True,
            validity="court_order",
        )
    request.refresh_from_db()
    assert request.outcome == VisaRequest.Outcome.PENDING


def test_an_unknown_permit_is_refused(cast: Cast, foreigner: Person) -> None:
    request = visa_request(actor=cast.alice, person=foreigner, requested_on=D(2017, 12, 1))
    with pytest.raises(ValidationError, match="Choose a validity"):
        visa_decide(
            actor=cast.ines,
            request=request,
            decided_on=D(2017, 12, 15),
            granted=True,
            validity="forever",
        )
