"""Reference values as agencies really write them: English or Spanish, with or without
accents, dates as ISO or dd/mm/yyyy, places and countries by code or name. Pure: no database.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from enlace.directory.names import fold, jurisdiction_keys


@dataclass
class Lookups:
    """Reference lists, keyed by every spelling a row may use (folded)."""

    jurisdictions: dict[str, int] = field(default_factory=dict)
    countries: dict[str, int] = field(default_factory=dict)
    protocols: dict[str, int] = field(default_factory=dict)
    # Upper case. Only to decide whether a report may show an agency_code.
    agencies: frozenset[str] = frozenset()
    # The profile's trafficking vocabularies: each term's code by its code, labels
    # and HTCDS value; and the profile's own country, where places have states.
    vocabularies: dict[str, dict[str, str]] = field(default_factory=dict)
    home_country: int | None = None


JURISDICTION_FIELDS = ("pk", "code", "name", "name_en", "abbreviation")
COUNTRY_FIELDS = ("pk", "iso2", "iso3", "name", "name_es")


def lookups_build(
    *,
    jurisdictions: Iterable[tuple[Any, ...]],
    countries: Iterable[tuple[Any, ...]],
    protocols: Iterable[tuple[Any, ...]],
    agencies: Iterable[str],
    vocabularies: Mapping[str, Iterable[Mapping[str, str]]] | None = None,
    home_country: int | None = None,
) -> Lookups:
    """The lookups from plain rows: jurisdictions as values of
    ``JURISDICTION_FIELDS`` followed by their aliases (a list), countries as
    values of ``COUNTRY_FIELDS``, protocols as (pk, code), agencies as codes.

    ``vocabularies`` are the profile's trafficking vocabularies, by name, as
    lists of terms (code, htcds, es, en); ``home_country`` the pk of the
    profile's country.

    Plain rows, so that a migration builds them from its historical models;
    one from before jurisdictions had aliases gives the five fields alone.
    Every way of writing a jurisdiction comes from the country profile, which
    has made sure that none names two (``enlace.directory.profile``).
    """
    lookups = Lookups(
        agencies=frozenset(code.upper() for code in agencies), home_country=home_country
    )
    for name, terms in (vocabularies or {}).items():
        table = lookups.vocabularies.setdefault(name, {})
        for term in terms:
            for spelling in (term["code"], term.get("htcds"), term.get("es"), term.get("en")):
                if spelling:
                    table.setdefault(key(spelling), term["code"])
    for pk, code, name, name_en, abbreviation, *rest in jurisdictions:
        aliases = rest[0] if rest else []
        for spelling in (code, name, name_en, abbreviation, *aliases):
            for folded in jurisdiction_keys(spelling or ""):
                lookups.jurisdictions.setdefault(key(folded), pk)
    for pk, iso2, iso3, name, name_es in countries:
        for spelling in (iso2, iso3, name, name_es):
            if spelling:
                lookups.countries.setdefault(key(spelling), pk)
    for pk, code in protocols:
        lookups.protocols[key(code)] = pk
    return lookups


def key(text: str) -> str:
    """How reference values are compared: lower case, no accents, single spaces."""
    return fold(text)


STATUSES = {
    "potential": "potential",
    "potencial": "potential",
    "victima potencial": "potential",
    "posible": "potential",
    "possible": "potential",
    "identified": "identified",
    "identificada": "identified",
    "identificado": "identified",
    "victima identificada": "identified",
    "actual": "identified",
    "not a victim": "not_a_victim",
    "not_a_victim": "not_a_victim",
    "no es victima": "not_a_victim",
    "no victima": "not_a_victim",
}
SEXES = {
    "male": "male",
    "m": "male",
    "man": "male",
    "hombre": "male",
    "h": "male",
    "masculino": "male",
    "female": "female",
    "f": "female",
    "woman": "female",
    "mujer": "female",
    "femenino": "female",
    "unspecified": "unspecified",
    "no especificado": "unspecified",
    "sin especificar": "unspecified",
    "x": "unspecified",
}
BOOLEANS = {
    "yes": True,
    "y": True,
    "si": True,
    "s": True,
    "true": True,
    "1": True,
    "no": False,
    "n": False,
    "false": False,
    "0": False,
}
FORMS = {
    "sex trafficking": "sex_trafficking",
    "explotacion sexual": "sex_trafficking",
    "trata con fines de explotacion sexual": "sex_trafficking",
    "forced labour": "forced_labour",
    "forced labor": "forced_labour",
    "trabajo forzoso": "forced_labour",
    "trabajos forzados": "forced_labour",
    "forced begging": "forced_begging",
    "mendicidad forzada": "forced_begging",
    "mendicidad forzosa": "forced_begging",
    "forced criminality": "forced_criminality",
    "criminalidad forzada": "forced_criminality",
    "actividades delictivas": "forced_criminality",
    "other": "other",
    "otro": "other",
    "otros": "other",
    "otros fines": "other",
    "unspecified": "unspecified",
    "no especificado": "unspecified",
    "sin especificar": "unspecified",
}
DATE_PATTERNS = (
    re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})$"),
    re.compile(r"^(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})$"),
    re.compile(r"^(?P<d>\d{1,2})-(?P<m>\d{1,2})-(?P<y>\d{4})$"),
)


def terms_parse(text: str, table: Mapping[str, str]) -> tuple[set[str], list[int], int]:
    """The codes of a semicolon-separated list of vocabulary terms (codes, labels in either
    language, HTCDS values), the numbers of the parts that are none, and the parts' count.

    A label may hold a semicolon itself ("Water supply; sewerage, waste management and
    remediation"): a part that is no term is tried joined with the next one.
    """
    parts = [part for part in text.split(";") if part.strip()]
    codes: set[str] = set()
    bad: list[int] = []
    i = 0
    while i < len(parts):
        code = table.get(key(parts[i]))
        step = 1
        if code is None and i + 1 < len(parts):
            code = table.get(key(parts[i] + ";" + parts[i + 1]))
            step = 2 if code is not None else 1
        if code is None:
            bad.append(i + 1)
        else:
            codes.add(code)
        i += step
    return codes, bad, len(parts)


def parse_date(text: str) -> datetime.date:
    for pattern in DATE_PATTERNS:
        if match := pattern.match(text):
            return datetime.date(int(match["y"]), int(match["m"]), int(match["d"]))
    raise ValueError(text)


def choose(value: str, choices: Mapping[str, Any]) -> Any:
    """The value ``choices`` gives for ``value``, folded or as written; None if none."""
    found = choices.get(key(value))
    return choices.get(value.lower()) if found is None else found
