"""How a person was trafficked: codes of the profile's vocabularies and places, recorded by
the identifying agency, audited, and refused when a code is not in the profile."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from enlace.audit.models import AuditEvent
from enlace.directory.models import Country, Jurisdiction
from enlace.registry.models import Identification, Person, TraffickingDetail, TraffickingPlace
from enlace.registry.services import PlaceIn, identification_detail_set, trafficking_detail_of
from tests.conftest import Cast

CODES = {
    "recruitment_methods": ["job_offer", "internet"],
    "control_methods": ["debt_bondage", "withholds_documents"],
    "sex_exploitation_types": ["prostitution"],
    "labour_industries": ["I"],
}


def _record(cast: Cast, identification: Identification, **kwargs: object) -> Identification:
    mexico = Country.objects.get(iso2="MX")
    places = [
        PlaceIn("recruitment", mexico, Jurisdiction.objects.get(code="07"), "Tapachula"),
        PlaceIn("transit", Country.objects.get(iso2="GT")),
        PlaceIn("exploitation", mexico, Jurisdiction.objects.get(code="21")),
    ]
    return identification_detail_set(
        actor=kwargs.get("actor", cast.alice),
        identification=identification,
        codes=kwargs.get("codes", CODES),  # type: ignore[arg-type]
        places=kwargs.get("places", places),  # type: ignore[arg-type]
    )


def test_it_records_codes_and_places(cast: Cast, person: Person) -> None:
    identification = _record(cast, person.identifications.get())

    detail = trafficking_detail_of(Identification.objects.get(pk=identification.pk))
    assert detail["recruitment_methods"] == ["internet", "job_offer"]
    assert detail["control_methods"] == ["debt_bondage", "withholds_documents"]
    assert detail["sex_exploitation_types"] == ["prostitution"]
    assert detail["labour_industries"] == ["I"]
    places = {p["stage"]: p for p in detail["places"]}
    assert places["recruitment"] == {
        "stage": "recruitment",
        "country": "MX",
        "jurisdiction": "07",
        "municipality": "Tapachula",
    }
    assert places["transit"]["country"] == "GT" and places["transit"]["jurisdiction"] is None
    assert places["exploitation"]["jurisdiction"] == "21"


def test_it_replaces_and_audits_before_and_after(cast: Cast, person: Person) -> None:
    identification = _record(cast, person.identifications.get())
    _record(cast, identification, codes={"control_methods": ["threats"]}, places=[])

    assert list(TraffickingDetail.objects.values_list("vocabulary", "code")) == [
        ("control_methods", "threats")
    ]
    assert not TraffickingPlace.objects.exists()
    first, second = AuditEvent.objects.filter(action="identification.detail").order_by("id")
    assert first.after and second.before and second.after
    assert first.after["labour_industries"] == ["I"]
    assert second.before["labour_industries"] == ["I"]
    assert second.after["control_methods"] == ["threats"] and second.after["places"] == []
    assert second.object_id == str(identification.pk)


def test_a_code_outside_the_profile_is_refused_naming_it(cast: Cast, person: Person) -> None:
    identification = person.identifications.get()
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        _record(cast, identification, codes={"sex_exploitation_types": ["prostitution", "X9"]})
    assert refused.value.message_dict == {
        "sex_exploitation_types": ["Not in the country profile's list: X9"]
    }
    assert not TraffickingDetail.objects.exists()
    assert not AuditEvent.objects.filter(action="identification.detail").exists()


@pytest.mark.parametrize(
    ("place", "reason"),
    [
        (("GT", "07", ""), "a state is given only for a place in the country"),
        (("MX", None, "Tapachula"), "give the state of the municipality"),
    ],
)
def test_a_place_must_hold_together(
    cast: Cast, person: Person, place: tuple[str, str | None, str], reason: str
) -> None:
    iso2, state, municipality = place
    bad = PlaceIn(
        "exploitation",
        Country.objects.get(iso2=iso2),
        Jurisdiction.objects.get(code=state) if state else None,
        municipality,
    )
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        _record(cast, person.identifications.get(), places=[bad])
    assert reason in refused.value.message_dict["places"][0]
    assert "place 1 (exploitation)" in refused.value.message_dict["places"][0]
    assert not TraffickingPlace.objects.exists()


@pytest.mark.parametrize("who", ["charlie", "ana", "audrey", "nobody"])
def test_only_the_identifying_agency_records_it(cast: Cast, person: Person, who: str) -> None:
    with pytest.raises(PermissionDenied):
        _record(cast, person.identifications.get(), actor=getattr(cast, who))
    assert not TraffickingDetail.objects.exists()
    assert not AuditEvent.objects.filter(action="identification.detail").exists()
