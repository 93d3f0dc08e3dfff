"""The HTCDS export carries how the person was trafficked, in HTCDS values: no column of it
stays empty for an identification whose record fills every field."""

from __future__ import annotations

from enlace.cases import services as cases
from enlace.directory.models import Country, Jurisdiction
from enlace.exchange import exports
from enlace.registry.services import (
    PlaceIn,
    identification_detail_set,
    identification_record,
    person_register,
)
from tests.conftest import DAY, IDENTITY, Cast


def _full_identification(cast: Cast) -> str:
    person = person_register(
        actor=cast.alice,
        identity=IDENTITY,
        sex="female",
        nationality=Country.objects.get(iso2="GT"),
    )
    identification = identification_record(
        actor=cast.alice,
        person=person,
        identified_on=DAY,
        forms=["sex_trafficking", "forced_labour"],
        status="identified",
        jurisdiction=Jurisdiction.objects.get(code="21"),
        age_at_identification=19,
        consent_to_share=True,
        agency_record_id="FGE-PUE/2017/7",
    )
    mexico = Country.objects.get(iso2="MX")
    identification_detail_set(
        actor=cast.alice,
        identification=identification,
        codes={
            "recruitment_methods": ["job_offer"],
            "control_methods": ["debt_bondage", "withholds_documents"],
            "sex_exploitation_types": ["prostitution", "pornography"],
            "labour_industries": ["I"],
        },
        places=[
            PlaceIn("recruitment", Country.objects.get(iso2="GT")),
            PlaceIn("transit", mexico, Jurisdiction.objects.get(code="07"), "Tapachula"),
            PlaceIn("exploitation", mexico, Jurisdiction.objects.get(code="21"), "Puebla"),
        ],
    )
    case = cases.case_open(actor=cast.alice, person=person)
    cases.case_close(actor=cast.sam, case=case, reason="returned")
    return person.public_id


def test_no_column_is_left_empty_when_the_record_fills_it(cast: Cast) -> None:
    public_id = _full_identification(cast)

    (row,) = [
        dict(zip(exports.HTCDS_COLUMNS, r, strict=True))
        for r in exports.htcds_rows(cast.ana)
        if r[0] == public_id
    ]
    assert [c for c, v in row.items() if v in ("", None)] == []
    assert row["vic_TypeOfSexExploitation"] == "Pornography;Prostitution"
    assert row["vic_MethodOfRecruitment"] == "JobOfferOrAdvertisement"
    assert row["vic_MethodsOfControl"] == "DebtBondage;WithholdsDocuments"
    assert row["vic_LabourIndustry"] == "I_AccommodationAndFoodServiceActivities"
    assert row["vic_LocationOfRecruitment"] == "GT"
    assert row["enl_LocationOfTransit"] == "MX/07/Tapachula"
    assert row["vic_LocationOfExploitation"] == "MX/21/Puebla"


def test_an_identification_without_detail_leaves_the_detail_empty(
    cast: Cast, person: object
) -> None:
    (row,) = [
        dict(zip(exports.HTCDS_COLUMNS, r, strict=True)) for r in exports.htcds_rows(cast.alice)
    ]
    assert row["vic_TypeOfSexExploitation"] == "" and row["vic_MethodsOfControl"] == ""
    assert row["vic_LocationOfExploitation"] == ""
