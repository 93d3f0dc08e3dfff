"""The demo's fixed numbers: its seed and years, and the tables of weights.yaml.

The tables are data, read once; only what names the models' choices stays here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from enlace.assistance.models import ServiceKind
from enlace.registry.models import Gender, Sex

SEED = 2018
YEARS = (2015, 2016, 2017)
USER_PREFIX = "demo."

# YAML mappings load in the order written, so every draw from them does too.
_WEIGHTS: dict[str, Any] = yaml.safe_load(
    (Path(__file__).parent / "weights.yaml").read_text(encoding="utf-8")
)
FORMS_AND_SEXES_2017: dict[str, dict[str, int]] = _WEIGHTS["forms_and_sexes_2017"]
STATE_WEIGHTS: dict[str, int] = _WEIGHTS["state_weights"]
FEDERAL_SHARES: dict[str, int] = _WEIGHTS["federal_shares"]
US_CONSULATES: dict[str, int] = _WEIGHTS["us_consulates"]
INM_PLACES: dict[str, int] = _WEIGHTS["inm_places"]
FOREIGN_NATIONALITIES: dict[str, int] = _WEIGHTS["foreign_nationalities"]
SERVICES_BY_AGENCY: dict[str, list[str]] = _WEIGHTS["services_by_agency"]
DECLINE_REASONS: dict[str, str] = _WEIGHTS["decline_reasons"]
VISA_REFUSALS: list[str] = _WEIGHTS["visa_refusals"]
RENAPO: dict[str, str] = _WEIGHTS["renapo"]
LONG_DISTANCE_CODES: dict[str, str] = _WEIGHTS["long_distance_codes"]

EMERGENCY_KINDS = (ServiceKind.FOOD, ServiceKind.HOUSING)
NAME_FIELDS = ("given_names", "paternal_surname", "maternal_surname")
GENDER_OF_SEX: dict[str, str] = {
    Sex.FEMALE: Gender.WOMAN,
    Sex.MALE: Gender.MAN,
    Sex.UNSPECIFIED: Gender.UNKNOWN,
}
