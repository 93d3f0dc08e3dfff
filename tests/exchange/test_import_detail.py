"""Importing how the person was trafficked: the profile's terms by code or label, places by
stage, checked as the detail page checks them, stored in bulk with the page's audit row, and
carried by the HTCDS export."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.utils import translation

from enlace.audit.models import AuditEvent
from enlace.directory.models import Country, Jurisdiction
from enlace.exchange import exports
from enlace.exchange.template import COLUMN_NAMES
from enlace.registry.models import Identification, TraffickingDetail, TraffickingPlace
from enlace.registry.services import PlaceIn, identification_detail_set
from tests.conftest import Cast


def row(**values: str) -> dict[str, str]:
    return {"identified_on": "2017-06-01", "jurisdiction": "21", "sex": "female", **values}


def csv_file(*rows: dict[str, str]) -> bytes:
    """A CSV in template order, quoted as a spreadsheet writes it (labels hold commas)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMN_NAMES)
    writer.writerows([r.get(c, "") for c in COLUMN_NAMES] for r in rows)
    return buffer.getvalue().encode()


DETAIL = {
    # A code, a Spanish label and an HTCDS value.
    "recruitment_methods": "job_offer",
    "control_methods": "Servidumbre por deudas; WithholdsDocuments",
    # An English label holding a semicolon of its own, beside an ISIC letter.
    "labour_industries": "Water supply; sewerage, waste management and remediation;I",
    "sex_exploitation_types": "prostitution",
    "recruitment_country": "Guatemala",
    # No country: a state is in the profile's country.
    "transit_jurisdiction": "Chiapas",
    "transit_municipality": "Tapachula",
    "exploitation_country": "MX",
    "exploitation_jurisdiction": "21",
    "exploitation_municipality": "Puebla",
}


def _htcds(user: Any, agency_record_id: str) -> dict[str, Any]:
    (found,) = [
        dict(zip(exports.HTCDS_COLUMNS, r, strict=True))
        for r in exports.htcds_rows(user)
        if r[exports.HTCDS_COLUMNS.index("enl_AgencyRecordId")] == agency_record_id
    ]
    return found


def test_a_file_with_detail_stores_it_with_the_pages_audit_row(cast: Cast, run: Any) -> None:
    result = run(csv_file(row(agency_record_id="D1", **DETAIL), row(agency_record_id="D2")))
    assert result.summary() == "2 stored, 0 updated, 0 unchanged, 0 rejected"

    identification = Identification.objects.get(agency_record_id="D1")
    assert sorted(identification.trafficking_details.values_list("vocabulary", "code")) == [
        ("control_methods", "debt_bondage"),
        ("control_methods", "withholds_documents"),
        ("labour_industries", "E"),
        ("labour_industries", "I"),
        ("recruitment_methods", "job_offer"),
        ("sex_exploitation_types", "prostitution"),
    ]
    row_d1 = _htcds(cast.ana, "D1")
    assert row_d1["vic_MethodOfRecruitment"] == "JobOfferOrAdvertisement"
    assert row_d1["vic_MethodsOfControl"] == "DebtBondage;WithholdsDocuments"
    assert row_d1["vic_LabourIndustry"] == (
        "E_WaterSupplySewerageWasteManagement;I_AccommodationAndFoodServiceActivities"
    )
    assert row_d1["vic_TypeOfSexExploitation"] == "Prostitution"
    assert row_d1["vic_LocationOfRecruitment"] == "GT"
    assert row_d1["enl_LocationOfTransit"] == "MX/07/Tapachula"
    assert row_d1["vic_LocationOfExploitation"] == "MX/21/Puebla"
    assert _htcds(cast.ana, "D2")["vic_MethodsOfControl"] == ""

    # One audit row for the detail, as the page writes it; none for the row without.
    (audit,) = AuditEvent.objects.filter(action="identification.detail")
    assert audit.object_id == str(identification.pk) and audit.actor == cast.alice
    assert audit.before == {
        "recruitment_methods": [],
        "control_methods": [],
        "sex_exploitation_types": [],
        "labour_industries": [],
        "places": [],
    }
    assert audit.after is not None
    assert audit.after["control_methods"] == ["debt_bondage", "withholds_documents"]
    assert audit.after["places"] == [
        {"stage": "exploitation", "country": "MX", "jurisdiction": "21", "municipality": "Puebla"},
        {"stage": "recruitment", "country": "GT", "jurisdiction": None, "municipality": ""},
        {"stage": "transit", "country": "MX", "jurisdiction": "07", "municipality": "Tapachula"},
    ]


def test_a_bad_term_or_place_is_reported_by_row_and_column_and_nothing_is_stored(
    run: Any,
) -> None:
    data = csv_file(
        row(agency_record_id="D1", **DETAIL),
        row(agency_record_id="D2", control_methods="threats;piracy"),
        row(agency_record_id="D3", recruitment_country="GT", recruitment_jurisdiction="21"),
        row(agency_record_id="D4", exploitation_municipality="Puebla"),
        row(agency_record_id="D5", transit_jurisdiction="Atlantis"),
    )
    with translation.override("en"):
        result = run(data, all_or_nothing=True)
    assert result.nothing_stored and result.rejected == 4
    assert [(e.row, e.column) for e in result.errors] == [
        (3, "control_methods"),
        (4, "recruitment_jurisdiction"),
        (5, "exploitation_municipality"),
        (6, "transit_jurisdiction"),
    ]
    reasons = [e.reason for e in result.errors]
    assert reasons[0].startswith("Part 2 of 2 is not in the country profile's list (")
    assert "debt_bondage" in reasons[0]
    assert reasons[1] == "A state is given only for a place in the country."
    assert reasons[2] == "Give the state of the municipality."
    assert reasons[3] == "Unknown jurisdiction."
    # The rejected term is not echoed; a known state is.
    assert result.errors[0].value == "[withheld]" and result.errors[1].value == "21"
    assert not Identification.objects.exists()
    assert not TraffickingDetail.objects.exists() and not TraffickingPlace.objects.exists()

    # Row by row, the good row is stored and the bad rows are not, detail and all.
    result = run(data)
    assert result.summary() == "1 stored, 0 updated, 0 unchanged, 4 rejected"
    assert list(Identification.objects.values_list("agency_record_id", flat=True)) == ["D1"]
    assert TraffickingDetail.objects.count() == 6 and TraffickingPlace.objects.count() == 3


def test_a_reimport_replaces_the_lists_it_fills_and_keeps_the_rest(cast: Cast, run: Any) -> None:
    run(csv_file(row(agency_record_id="D1")))
    identification = Identification.objects.get(agency_record_id="D1")
    # Recorded on the page after the first import.
    identification_detail_set(
        actor=cast.alice,
        identification=identification,
        codes={"control_methods": ["threats"], "labour_industries": ["A"]},
        places=[PlaceIn("recruitment", Country.objects.get(iso2="GT"))],
    )
    again = run(csv_file(row(agency_record_id="D1")))
    assert again.summary() == "0 stored, 0 updated, 1 unchanged, 0 rejected"

    changed = run(
        csv_file(
            row(
                agency_record_id="D1",
                control_methods="debt_bondage",
                exploitation_jurisdiction="Puebla",
            )
        )
    )
    assert changed.summary() == "0 stored, 1 updated, 0 unchanged, 0 rejected"
    assert sorted(identification.trafficking_details.values_list("vocabulary", "code")) == [
        ("control_methods", "debt_bondage"),
        ("labour_industries", "A"),
    ]
    assert sorted(
        identification.trafficking_places.values_list("stage", "country__iso2", "jurisdiction")
    ) == [
        ("exploitation", "MX", Jurisdiction.objects.get(code="21").pk),
        ("recruitment", "GT", None),
    ]
    last = AuditEvent.objects.filter(action="identification.detail").latest("pk")
    assert last.before is not None and last.after is not None
    assert last.before["control_methods"] == ["threats"]
    assert last.after["control_methods"] == ["debt_bondage"]
    assert not AuditEvent.objects.filter(action="identification.update").exists()
    same = run(csv_file(row(agency_record_id="D1", control_methods="debt_bondage")))
    assert same.summary() == "0 stored, 0 updated, 1 unchanged, 0 rejected"
