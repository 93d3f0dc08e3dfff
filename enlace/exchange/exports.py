"""Exports: what a user may see as CSV, XLSX or HTCDS, and national aggregates as open data.

Case-level exports are pseudonymous: a person appears by public id, never by
name. They read through the same scoped selectors as the web.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.conf import settings
from django.db.models import Prefetch

from enlace.accounts.permissions import Action, can
from enlace.cases.selectors import case_list_for_user
from enlace.core.spreadsheet import write_csv, xlsx_save
from enlace.directory.models import Agency
from enlace.directory.selectors import vocabulary_terms
from enlace.exchange.kinds import IDENTIFICATIONS, columns_of
from enlace.immigration.models import PermitKind
from enlace.registry.access import person_read_audit
from enlace.registry.models import Identification, Person, TraffickingDetail, TraffickingPlace
from enlace.registry.selectors import identification_list_for_user
from enlace.statistics import disclosure
from enlace.statistics.indicators import REGISTRY
from enlace.statistics.services import PRIVATE_TABLES

CASE_COLUMNS: tuple[str, ...] = (
    "person_id",
    "national_id",
    "agency_code",
    "agency_record_id",
    "identified_on",
    "identification_status",
    "sex",
    "age_at_identification",
    "nationality",
    "jurisdiction",
    "country_abroad",
    "exploitation_forms",
    "protocol",
    "consent_to_share",
)

# HTCDS v2 field names (prefix: prs_ person, vic_ victim context, hte_ trafficking
# event, cas_ case). Fields with no HTCDS counterpart carry the local prefix enl_.
HTCDS_COLUMNS: tuple[str, ...] = (
    "prs_Id",
    "prs_Gender",
    "prs_Nationality",
    "vic_AgreementToManagePersonalData",
    "vic_TypeOfLabourExploitation",
    "vic_TypeOfSexExploitation",
    "vic_MethodOfRecruitment",
    "vic_MethodsOfControl",
    "vic_LabourIndustry",
    "vic_LocationOfRecruitment",
    "vic_LocationOfExploitation",
    "enl_LocationOfTransit",
    "hte_Country",
    "hte_State",
    "enl_NationalId",
    "enl_Agency",
    "enl_AgencyRecordId",
    "enl_IdentifiedOn",
    "enl_IdentificationStatus",
    "enl_AgeAtIdentification",
    "enl_ExploitationForms",
    "enl_ForcedCriminality",
    "cas_Status",
    "enl_CaseClosureReason",
)
HTCDS_GENDER = {"male": "Male", "female": "Female", "unspecified": "Unknown"}
HTCDS_STATUS = {"potential": "Possible", "identified": "Actual", "not_a_victim": "NotAVictim"}
# The identifying agency's case of the person (enlace.cases), empty where it has none.
HTCDS_CASE_STATUS = {
    "open": "Open",
    "in_assistance": "InAssistance",
    "closed": "Closed",
    "reopened": "Reopened",
}
# Forms HTCDS lists as kinds of labour exploitation. Forced criminality is
# "IllicitActivities" there; Mexican law counts it as its own purpose, so the
# local enl_ForcedCriminality keeps it apart.
HTCDS_LABOUR = {
    "forced_labour": "Other",
    "forced_begging": "Begging",
    "forced_criminality": "IllicitActivities",
}


def _identifications(user: Any, *, detail: bool = False) -> Iterator[Identification]:
    qs = identification_list_for_user(user=user).select_related("person", "person__nationality")
    if detail:
        places = TraffickingPlace.objects.select_related("country", "jurisdiction")
        qs = qs.prefetch_related(
            "trafficking_details", Prefetch("trafficking_places", queryset=places)
        )
    yield from qs.order_by("agency__code", "identified_on", "pk").iterator(chunk_size=2000)


def _national_id(user: Any) -> Callable[[Person], str]:
    """The national id, for the national level only: an agency's export leaves it empty,
    since it would tell the agency that another agency's record is the same person."""
    if can(user, Action.PSEUDONYMOUS_READ):
        return lambda person: person.national_id
    return lambda person: ""


def case_rows(user: Any) -> Iterator[list[Any]]:
    """One row per identification the user may see, in the submission template's vocabulary."""
    national_id = _national_id(user)
    for i in _identifications(user):
        person = i.person
        yield [
            person.public_id,
            national_id(person),
            i.agency.code,
            i.agency_record_id or "",
            i.identified_on.isoformat(),
            i.status,
            person.sex,
            "" if i.age_at_identification is None else i.age_at_identification,
            person.nationality.iso2 if person.nationality else "",
            i.jurisdiction.code if i.jurisdiction else "",
            i.country_abroad.iso2 if i.country_abroad else "",
            ";".join(sorted(f.form for f in i.forms.all())),
            i.protocol.code if i.protocol else "",
            "yes" if i.consent_to_share else "no",
        ]


def _htcds_values() -> dict[str, dict[str, str]]:
    """Each trafficking vocabulary's codes with their HTCDS values, from the country profile."""
    return {
        v: {t["code"]: t["htcds"] for t in vocabulary_terms(v)}
        for v in TraffickingDetail.Vocabulary.values
    }


def _place(p: TraffickingPlace) -> str:
    """A place as ``country/state/municipality``: ISO alpha-2, the state's code, a name."""
    parts = [p.country.iso2, p.jurisdiction.code if p.jurisdiction else "", p.municipality]
    return "/".join(parts).rstrip("/")


def htcds_rows(user: Any) -> Iterator[list[Any]]:
    national_id = _national_id(user)
    htcds = _htcds_values()
    # Where no country abroad is recorded, the person was identified at home.
    home = settings.COUNTRY_PROFILE
    cases = {
        (person, agency): (status, reason)
        for person, agency, status, reason in case_list_for_user(user=user)
        .prefetch_related(None)
        .values_list("person_id", "agency_id", "status", "closure_reason")
    }
    for i in _identifications(user, detail=True):
        person = i.person
        case_status, closure_reason = cases.get((person.pk, i.agency_id), ("", ""))
        forms = sorted(f.form for f in i.forms.all())
        labour = sorted({HTCDS_LABOUR[f] for f in forms if f in HTCDS_LABOUR})
        terms: dict[str, set[str]] = {v: set() for v in htcds}
        for d in i.trafficking_details.all():
            # A code the profile no longer lists keeps its local code rather than vanish.
            terms[d.vocabulary].add(htcds[d.vocabulary].get(d.code, d.code))
        places: dict[str, list[str]] = {s: [] for s in TraffickingPlace.Stage.values}
        for p in i.trafficking_places.all():
            places[p.stage].append(_place(p))
        yield [
            person.public_id,
            HTCDS_GENDER[person.sex],
            person.nationality.iso2 if person.nationality else "",
            "true" if i.consent_to_share else "false",
            ";".join(labour),
            ";".join(sorted(terms["sex_exploitation_types"])),
            ";".join(sorted(terms["recruitment_methods"])),
            ";".join(sorted(terms["control_methods"])),
            ";".join(sorted(terms["labour_industries"])),
            ";".join(places["recruitment"]),
            ";".join(places["exploitation"]),
            ";".join(places["transit"]),
            i.country_abroad.iso2 if i.country_abroad else home,
            i.jurisdiction.name if i.jurisdiction else "",
            national_id(person),
            i.agency.code,
            i.agency_record_id or "",
            i.identified_on.isoformat(),
            HTCDS_STATUS[i.status],
            "" if i.age_at_identification is None else i.age_at_identification,
            ";".join(forms),
            "true" if "forced_criminality" in forms else "false",
            HTCDS_CASE_STATUS.get(case_status, ""),
            closure_reason,
        ]


# Published with small-cell and complementary suppression (statistics/disclosure.py).
OPEN_DATA_TABLES: tuple[str, ...] = (
    "identified_total",
    "identified_by_form",
    "identified_by_sex",
    "identified_by_level",
    "identified_abroad_total",
    "identified_abroad_by_country",
    "assisted_by_agency",
    "sheltered_by_shelter",
    "visas_granted",
)


def export_read_audit(*, user: Any, kind: str) -> int:
    """An export reads people's records: one ``person.view`` row per person in it,
    from the page and the command alike. Both exports hold the identifications
    the user's selector gives."""
    scoped = identification_list_for_user(user=user).values("person_id")
    people = Person.objects.filter(pk__in=scoped).order_by("pk").iterator(chunk_size=2000)
    return person_read_audit(actor=user, people=people, via=f"export.{kind}")


def open_data_rows(year: int, *, threshold: int | None = None) -> list[list[Any]]:
    """National aggregates of ``year``, every table through disclosure control.

    Each row: table, category, count (or empty when suppressed), suppressed.
    A suppressed cell is shown as empty with ``suppressed`` true, never as 0.
    Each table's categories are taken to add up to a public total (for a
    partition such as sex it is published: identified_total), so complementary
    suppression keeps a hidden cell from being recovered by subtraction.
    """
    limit = settings.OPEN_DATA_MIN_CELL if threshold is None else threshold
    rows: list[list[Any]] = []
    for name in OPEN_DATA_TABLES:
        value = REGISTRY[name].compute(year)
        if isinstance(value, dict):
            cells, _total = disclosure.suppress_1d(value, threshold=limit)
        else:
            cells = {disclosure.TOTAL: disclosure.Cell(value, disclosure.is_small(value, limit))}
        for category, cell in cells.items():
            rows.append(
                [
                    name,
                    category,
                    "" if cell.hidden else cell.count,
                    "true" if cell.hidden else "false",
                ]
            )
    return rows


def open_data_private_rows(releases: Iterable[Any]) -> list[list[Any]]:
    """The rows of a differentially private release (`statistics.PrivateRelease` rows).

    Categories come in the order the table declares them: PostgreSQL's jsonb
    does not keep the order the counts were stored in.
    """
    rows = []
    for r in releases:
        declared = PRIVATE_TABLES[r.table].categories if r.table in PRIVATE_TABLES else None
        order = [c for c in declared or () if c in r.counts] or sorted(r.counts)
        rows += [
            [r.table, c, r.counts[c], r.mechanism, r.epsilon, round(r.scale, 4)] for c in order
        ]
    return rows


OPEN_DATA_COLUMNS: tuple[str, ...] = ("indicator", "category", "people", "suppressed")
OPEN_DATA_PRIVATE_COLUMNS: tuple[str, ...] = (
    "indicator",
    "category",
    "people",
    "mechanism",
    "epsilon",
    "noise_scale",
)


def template_examples(columns: Iterable[Any]) -> list[str]:
    """The example row of a template, in the loaded country's words.

    The columns' examples are written for Mexico's directory (its Puebla
    prosecutor). Where the directory has no agency of that code, another
    country's profile is loaded: the agency, the record ids, the jurisdiction
    and the nationality come from it (its first prosecutor with a
    jurisdiction), the permit is its first, and the national id is left empty.
    """
    columns = list(columns)
    written = next((c.example for c in columns if c.name == "agency_code"), "FGE-PUE")
    if Agency.objects.filter(code=written).exists():
        return [c.example for c in columns]
    agency = (
        Agency.objects.filter(kind=Agency.Kind.PROSECUTOR, jurisdiction__isnull=False)
        .select_related("jurisdiction")
        .order_by("code")
        .first()
    )
    if agency is None or agency.jurisdiction is None:
        return [c.example for c in columns]
    record = f"{agency.code}-2017-0001"
    country: dict[str, str] = {
        "agency_record_id": record,
        "person_record_id": record,
        "agency_code": agency.code,
        "jurisdiction": agency.jurisdiction.code,
        "nationality": str(settings.COUNTRY_PROFILE),
        "curp": "",
    }
    permit = PermitKind.objects.first()
    if permit is not None:
        country["validity"] = permit.code
    return [country.get(c.name, c.example) for c in columns]


def template_csv(kind: str = IDENTIFICATIONS) -> str:
    """The template of a kind of submission (``enlace.exchange.kinds``): its columns, an example."""
    columns = columns_of(kind)
    return write_csv([c.name for c in columns], [template_examples(columns)])


def template_xlsx(kind: str = IDENTIFICATIONS) -> bytes:
    """The template workbook: a data sheet with one example row, and the data dictionary."""
    columns = columns_of(kind)
    buffer = io.BytesIO()
    dictionary = [[c.name, "yes" if c.required else "no", str(c.description)] for c in columns]
    xlsx_save(
        buffer,
        [
            ("data", [c.name for c in columns], [template_examples(columns)]),
            ("dictionary", ["column", "required", "description"], dictionary),
        ],
    )
    return buffer.getvalue()
