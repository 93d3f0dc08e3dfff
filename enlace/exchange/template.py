"""The submission template: one row per identification, its columns and their rules."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Column:
    name: str
    required: bool
    description: str | Promise
    example: str
    # Identity columns are never echoed back in an error report or a log.
    identity: bool = False


COLUMNS: tuple[Column, ...] = (
    Column(
        "agency_record_id",
        True,
        _("The agency's own reference for the identification, unique within the agency."),
        "PUE-2017-0001",
    ),
    Column(
        "agency_code",
        False,
        _("The submitting agency's code; if given it must be the agency of the submission."),
        "FGE-PUE",
    ),
    Column(
        "identified_on",
        True,
        _("Date of the identification: YYYY-MM-DD or DD/MM/YYYY; not in the future."),
        "2017-06-01",
    ),
    Column(
        "identification_status",
        False,
        _("potential, identified or not_a_victim (Spanish accepted); potential if empty."),
        "identified",
    ),
    Column("given_names", False, _("Given names."), "María Guadalupe", identity=True),
    Column("paternal_surname", False, _("Paternal surname."), "Hernández", identity=True),
    Column("maternal_surname", False, _("Maternal surname."), "Zárate", identity=True),
    Column("sex", False, _("male, female or unspecified (hombre, mujer accepted)."), "female"),
    Column(
        "birth_date",
        False,
        _("Birth date: YYYY-MM-DD or DD/MM/YYYY."),
        "1999-03-14",
        identity=True,
    ),
    Column("age_at_identification", False, _("Whole years, 0 to 120."), "18"),
    Column(
        "nationality",
        False,
        _("Country: ISO code (two or three letters) or name in Spanish or English."),
        "MX",
    ),
    Column("curp", False, _("CURP, 18 characters."), "HEZG990314MPLRRD03", identity=True),
    Column("passport_number", False, _("Passport number."), "", identity=True),
    Column(
        "jurisdiction",
        False,
        _(
            "Where the identification took place: the jurisdiction's statistical code "
            "or name, accents optional."
        ),
        "21",
    ),
    Column(
        "country_abroad",
        False,
        _("For identifications abroad (consulates): the country; leave jurisdiction empty."),
        "",
    ),
    Column(
        "exploitation_forms",
        False,
        _(
            "Semicolon-separated: sex_trafficking, forced_labour, forced_begging, "
            "forced_criminality, other, unspecified (Spanish accepted)."
        ),
        "sex_trafficking",
    ),
    Column("protocol", False, _("Identification protocol code."), ""),
    Column("consent_to_share", False, _("yes or no (sí, no accepted); no if empty."), "yes"),
    Column(
        "notes",
        False,
        _("Free text for the agency's own use; checked for length, not stored."),
        "",
        identity=True,
    ),
)

# How the person was trafficked (``identification_detail_set``), all optional: a
# non-empty cell replaces what is stored of its list or stage, an empty one keeps it.
TERMS = _(
    "Semicolon-separated terms of the country profile's list: codes, or labels "
    "in Spanish or English; an empty cell keeps what is recorded."
)
DETAIL_COLUMNS: tuple[Column, ...] = (
    Column(
        "recruitment_methods",
        False,
        format_lazy("{} {}", _("Methods of recruitment."), TERMS),
        "job_offer",
    ),
    Column(
        "control_methods",
        False,
        format_lazy("{} {}", _("Methods of control."), TERMS),
        "debt_bondage;withholds_documents",
    ),
    Column(
        "sex_exploitation_types",
        False,
        format_lazy("{} {}", _("Types of sexual exploitation."), TERMS),
        "prostitution",
    ),
    Column(
        "labour_industries",
        False,
        format_lazy("{} {}", _("Labour industries: ISIC sections (A to U)."), TERMS),
        "",
    ),
)
STAGES = (
    ("recruitment", _("Place of recruitment"), ("GT", "", "")),
    ("transit", _("Place of transit"), ("", "07", "Tapachula")),
    ("exploitation", _("Place of exploitation"), ("", "21", "San Andrés Cholula")),
)
PLACE_COLUMNS: tuple[Column, ...] = tuple(
    column
    for stage, label, (country, state, municipality) in STAGES
    for column in (
        Column(
            f"{stage}_country",
            False,
            format_lazy(
                "{}: {}", label, _("country, as in nationality; empty with a state: this country.")
            ),
            country,
        ),
        Column(
            f"{stage}_jurisdiction",
            False,
            format_lazy("{}: {}", label, _("state, as in jurisdiction; only in this country.")),
            state,
        ),
        Column(
            f"{stage}_municipality",
            False,
            format_lazy("{}: {}", label, _("municipality, by name; give its state.")),
            municipality,
            # Free text, as notes: never echoed.
            identity=True,
        ),
    )
)
COLUMNS = (*COLUMNS, *DETAIL_COLUMNS, *PLACE_COLUMNS)

COLUMN_NAMES = tuple(c.name for c in COLUMNS)
BY_NAME = {c.name: c for c in COLUMNS}
IDENTITY_COLUMNS = frozenset(c.name for c in COLUMNS if c.identity)
