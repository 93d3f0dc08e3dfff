"""Country profiles: a YAML file, validated before anything is stored.

A profile is the whole of what makes Enlace Mexican (or not): its
jurisdictions, agencies, identification protocols, shelters, funds,
currency, exchange rates and holiday calendar. Validation is pure; storing
a validated profile is ``services.profile_load``.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)

from enlace.directory.check_digits import CHECK_DIGITS
from enlace.directory.names import jurisdiction_keys

PROFILES_DIR = Path(__file__).parent / "profiles"

Code = Annotated[str, StringConstraints(pattern=r"^[A-Z0-9][A-Z0-9-]*$", max_length=20)]
Text = Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)]

LEVELS = ("federal", "state", "municipal", "consular", "ngo", "international")
KINDS = (
    "prosecutor",
    "immigration",
    "consular",
    "child_services",
    "victims_commission",
    "security",
    "social_development",
    "shelter_operator",
    "coordination",
)
SHELTER_KINDS = (
    "high_security",
    "public_private",
    "trafficking_specific",
    "justice_centre",
    "general",
)


class ProfileError(ValueError):
    """A profile that cannot be loaded; the message names each bad field."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class JurisdictionSpec(_Strict):
    code: Annotated[str, StringConstraints(pattern=r"^[0-9]{2,5}$")]
    name: Text
    name_en: str = ""
    abbreviation: Code
    # Every other way agencies write it: everyday and old names, ISO 3166-2
    # code, the statistical code without its leading zero.
    aliases: list[Text] = Field(default_factory=list)
    # A capital district that is not one of the states (Mexico City): the report's
    # count of states adopting a protocol leaves it out, as the seed's "17 of 31 states".
    capital: bool = False

    def spellings(self) -> list[tuple[str, str]]:
        """(field path within the entry, text) of every name this entry answers to."""
        named = [("code", self.code), ("name", self.name), ("name_en", self.name_en)]
        named.append(("abbreviation", self.abbreviation))
        named += [(f"aliases.{i}", alias) for i, alias in enumerate(self.aliases)]
        return [(path, text) for path, text in named if text]


class IndicatorSpec(_Strict):
    code: Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]+$")]
    es: Text
    en: Text
    weight: int = Field(default=1, ge=1, le=10)


class ProtocolSpec(_Strict):
    code: Code
    name: Text
    name_en: Text
    used_by: str
    threshold: int = Field(ge=1)
    indicators: list[IndicatorSpec] = Field(min_length=1)

    @model_validator(mode="after")
    def _check(self) -> ProtocolSpec:
        _choice("used_by", self.used_by, KINDS)
        if self.threshold > sum(i.weight for i in self.indicators):
            raise ValueError("threshold: higher than the sum of the indicator weights")
        _unique("indicators", [i.code for i in self.indicators])
        return self


class AgencySpec(_Strict):
    code: Code
    name: Text
    name_en: str = ""
    level: str
    kind: str
    jurisdiction: str | None = None
    country: str | None = None
    parent: str | None = None

    @model_validator(mode="after")
    def _check(self) -> AgencySpec:
        _choice("level", self.level, LEVELS)
        _choice("kind", self.kind, KINDS)
        return self


class ShelterSpec(_Strict):
    code: Code
    name: Text
    operator: Code
    kind: str
    jurisdiction: str
    capacity: int = Field(ge=1)
    accepts_children: bool
    residents_may_leave_alone: bool

    @model_validator(mode="after")
    def _check(self) -> ShelterSpec:
        _choice("kind", self.kind, SHELTER_KINDS)
        return self


class FundSpec(_Strict):
    code: Code
    name: Text
    name_en: str = ""
    administrator: Code
    established_on: datetime.date
    disbursing_from: datetime.date | None = None
    endowment: Decimal | None = Field(default=None, ge=0)


# Steps of casework that may wait for a supervisor's approval (enlace.cases).
ApprovableStep = Literal["case_closure"]


class CaseworkSpec(_Strict):
    # Each step named here waits for a supervisor of the case's agency.
    supervisor_approves: list[ApprovableStep] = Field(default_factory=list)

    @model_validator(mode="after")
    def _check(self) -> CaseworkSpec:
        _unique("supervisor_approves", list(self.supervisor_approves))
        return self


# The vocabularies of how a person was trafficked (registry.TraffickingDetail), each a
# list of terms: a local code, its value in the Human Trafficking Case Data Standard
# and a label per language. Labour industries are the sections of ISIC rev. 4.
VOCABULARIES = (
    "recruitment_methods",
    "control_methods",
    "sex_exploitation_types",
    "labour_industries",
)


class TermSpec(_Strict):
    code: Annotated[str, StringConstraints(pattern=r"^([a-z0-9_]+|[A-Z])$", max_length=40)]
    htcds: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_]+$", max_length=80)]
    es: Text
    en: Text


class TraffickingSpec(_Strict):
    recruitment_methods: list[TermSpec] = Field(default_factory=list)
    control_methods: list[TermSpec] = Field(default_factory=list)
    sex_exploitation_types: list[TermSpec] = Field(default_factory=list)
    labour_industries: list[TermSpec] = Field(default_factory=list)

    @model_validator(mode="after")
    def _check(self) -> TraffickingSpec:
        for name in VOCABULARIES:
            _unique(name, [t.code for t in getattr(self, name)])
        return self

    def stored(self) -> dict[str, list[dict[str, str]]]:
        """The vocabularies as ``CountryProfile.trafficking_vocabularies`` keeps them."""
        return {name: [t.model_dump() for t in getattr(self, name)] for name in VOCABULARIES}


class CurrencyWordsSpec(_Strict):
    """How reports in one language write the currency, and the US dollar beside it."""

    one: Text
    other: Text
    # "sign": $30,370; "words": 30,370 dollars, where readers take "$" for the currency.
    dollars: Literal["sign", "words"]


class IdentityDocumentSpec(_Strict):
    """A national identity document: its number's format and check digit."""

    # The scheme's code: an import's column is ``id_<code>``.
    code: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=20)]
    name: Text
    name_en: Text
    # A regular expression the whole number matches, once spaces are removed and
    # letters upper-cased.
    pattern: Text
    # One of the registry's algorithms (``check_digits.CHECK_DIGITS``).
    check_digit: str = "none"
    # One number, one person: two records sharing it are the same person for linkage.
    unique_for_linkage: bool = False
    # A valid number, shown as the example of a form or a template.
    example: str = ""

    @model_validator(mode="after")
    def _check(self) -> IdentityDocumentSpec:
        _choice("check_digit", self.check_digit, tuple(CHECK_DIGITS))
        try:
            pattern = re.compile(self.pattern)
        except re.error as exc:
            raise ValueError(f"pattern: not a regular expression: {exc}") from None
        if self.example and not self.accepts(self.example, pattern):
            raise ValueError(
                f"example: {self.example!r} fails the pattern or the {self.check_digit} check digit"
            )
        return self

    def accepts(self, value: str, pattern: re.Pattern[str] | None = None) -> bool:
        number = re.sub(r"\s+", "", value).upper()
        if not (pattern or re.compile(self.pattern)).fullmatch(number):
            return False
        return CHECK_DIGITS[self.check_digit](number)


# How a permit's validity is counted: working days skip weekends and the
# profile's public holidays (``calendar.add_working_days``).
PermitUnit = Literal["working_days", "calendar_days", "months"]


class PermitValiditySpec(_Strict):
    unit: PermitUnit
    length: int = Field(ge=1, le=3660)


class PermitExtensionSpec(_Strict):
    # The permits an extension may grant (each runs from the current end); empty: none.
    terms: list[str] = Field(default_factory=list)
    # At most this many extensions of one grant; missing: no limit.
    max_extensions: int | None = Field(default=None, ge=1)


class PermitSpec(_Strict):
    """A kind of humanitarian permit, stored on a visa request by its code."""

    code: Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]+$", max_length=20)]
    name: Text
    name_en: Text
    validity: PermitValiditySpec
    extension: PermitExtensionSpec = Field(default_factory=PermitExtensionSpec)
    # The kind of agency that grants, refuses and extends it.
    decided_by: str

    @model_validator(mode="after")
    def _check(self) -> PermitSpec:
        _choice("decided_by", self.decided_by, KINDS)
        _unique("extension.terms", self.extension.terms)
        return self


class Profile(_Strict):
    code: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
    name: Text
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
    holidays_country: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
    languages: list[str] = Field(min_length=1)
    nationality_adjective: dict[str, str] = Field(default_factory=dict)
    exchange_rates_usd: dict[int, Decimal] = Field(default_factory=dict)
    # The currency's name by language (singular, plural) and how dollars are written.
    currency_words: dict[Literal["en", "es"], CurrencyWordsSpec] = Field(default_factory=dict)
    jurisdictions: list[JurisdictionSpec] = Field(min_length=1)
    agencies: list[AgencySpec] = Field(min_length=1)
    protocols: list[ProtocolSpec] = Field(default_factory=list)
    shelters: list[ShelterSpec] = Field(default_factory=list)
    funds: list[FundSpec] = Field(default_factory=list)
    casework: CaseworkSpec = Field(default_factory=CaseworkSpec)
    trafficking: TraffickingSpec = Field(default_factory=TraffickingSpec)
    # The country's identity documents, its national id first.
    identity_documents: list[IdentityDocumentSpec] = Field(default_factory=list)
    # Humanitarian permits for foreign victims; the first is a decision's default.
    permits: list[PermitSpec] = Field(default_factory=list)

    @model_validator(mode="after")
    def _check_references(self) -> Profile:
        import holidays
        import pycountry

        if self.holidays_country not in holidays.list_supported_countries():
            raise ValueError(f"holidays_country: no holiday calendar for {self.holidays_country!r}")
        for year, rate in self.exchange_rates_usd.items():
            if rate <= 0:
                raise ValueError(f"exchange_rates_usd.{year}: must be positive")
        _unique("jurisdictions", [j.code for j in self.jurisdictions])
        _unique("agencies", [a.code for a in self.agencies])
        _unique("protocols", [p.code for p in self.protocols])
        _unique("shelters", [s.code for s in self.shelters])
        _unique("funds", [f.code for f in self.funds])
        _check_jurisdiction_names(self.jurisdictions)
        jurisdictions = {j.code for j in self.jurisdictions}
        agencies = {a.code for a in self.agencies}
        for i, a in enumerate(self.agencies):
            where = f"agencies.{i} ({a.code})"
            if a.jurisdiction and a.jurisdiction not in jurisdictions:
                raise ValueError(f"{where}.jurisdiction: unknown jurisdiction {a.jurisdiction!r}")
            if a.country and pycountry.countries.get(alpha_2=a.country) is None:
                raise ValueError(f"{where}.country: not an ISO 3166 country {a.country!r}")
            if a.parent and a.parent not in agencies:
                raise ValueError(f"{where}.parent: unknown agency {a.parent!r}")
        parents = {a.code: a.parent for a in self.agencies}
        for i, a in enumerate(self.agencies):
            seen, code = {a.code}, a.parent
            while code:
                if code in seen:
                    raise ValueError(
                        f"agencies.{i} ({a.code}).parent: agencies are their own parent"
                    )
                seen.add(code)
                code = parents.get(code)
        for i, s in enumerate(self.shelters):
            where = f"shelters.{i} ({s.code})"
            if s.operator not in agencies:
                raise ValueError(f"{where}.operator: unknown agency {s.operator!r}")
            if s.jurisdiction not in jurisdictions:
                raise ValueError(f"{where}.jurisdiction: unknown jurisdiction {s.jurisdiction!r}")
        for i, f in enumerate(self.funds):
            if f.administrator not in agencies:
                raise ValueError(
                    f"funds.{i} ({f.code}).administrator: unknown agency {f.administrator!r}"
                )
        _unique("identity_documents", [d.code for d in self.identity_documents])
        _check_permits(self.permits)
        return self


def _check_permits(permits: list[PermitSpec]) -> None:
    _unique("permits", [p.code for p in permits])
    codes = {p.code for p in permits}
    for i, p in enumerate(permits):
        for j, term in enumerate(p.extension.terms):
            if term not in codes:
                raise ValueError(
                    f"permits.{i} ({p.code}).extension.terms.{j}: unknown permit {term!r}"
                )


def _check_jurisdiction_names(specs: list[JurisdictionSpec]) -> None:
    """Each way of writing a jurisdiction names one jurisdiction only.

    Checked on the folded forms the importer matches, so "Mexico" given to
    Mexico City collides with "México", the state.
    """
    seen: dict[str, tuple[str, str]] = {}
    for i, j in enumerate(specs):
        where = f"jurisdictions.{i} ({j.code})"
        for path, text in j.spellings():
            keys = jurisdiction_keys(text)
            if not keys:
                raise ValueError(f"{where}.{path}: {text!r} has no letters or digits")
            for k in keys:
                other = seen.setdefault(k, (where, f"{where}.{path} {text!r}"))
                if other[0] != where:
                    raise ValueError(
                        f"{where}.{path}: {text!r} is ambiguous, "
                        f"{other[1]} names another jurisdiction the same way"
                    )


def _choice(field: str, value: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise ValueError(f"{field}: {value!r} is not one of {', '.join(allowed)}")


def _unique(field: str, codes: list[str]) -> None:
    seen: set[str] = set()
    for code in codes:
        if code in seen:
            raise ValueError(f"{field}: code {code!r} appears twice")
        seen.add(code)


def profile_parse(data: Any, *, source: str = "profile") -> Profile:
    """Validate profile data; raise ProfileError naming every bad field."""
    try:
        return Profile.model_validate(data)
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            path = _error_path(data, err["loc"])
            msg = err["msg"].removeprefix("Value error, ")
            # A model's own check names its field first ("kind: ..."): join it to the path.
            if path and re.match(r"^\w+: ", msg):
                lines.append(f"{source}: {path}.{msg}")
            else:
                lines.append(f"{source}: {path + ': ' if path else ''}{msg}")
        raise ProfileError("\n".join(lines)) from None


def _error_path(data: Any, loc: tuple[int | str, ...]) -> str:
    """A field's dotted path, each list entry followed by its code: "permits.0 (x).validity"."""
    parts: list[str] = []
    for key in loc:
        part = str(key)
        try:
            data = data[key]
        except (KeyError, IndexError, TypeError):
            data = None
        code = data.get("code") if isinstance(key, int) and isinstance(data, dict) else None
        parts.append(f"{part} ({code})" if isinstance(code, str) and code else part)
    return ".".join(parts)


def profile_read(path: Path) -> Profile:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ProfileError(f"{path.name}: not valid YAML: {exc}") from None
    return profile_parse(data, source=path.name)


def profile_path(name: str) -> Path:
    """A shipped profile by country code (``MX``), or a path to a file."""
    shipped = PROFILES_DIR / f"{name.lower()}.yaml"
    return shipped if shipped.exists() else Path(name)
