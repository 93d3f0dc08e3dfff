from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pycountry
from django.db import models, transaction
from django.utils import translation

from enlace.core import trail
from enlace.directory.models import (
    Agency,
    Country,
    CountryProfile,
    ExchangeRate,
    IdentityDocument,
    Jurisdiction,
    Protocol,
    ProtocolIndicator,
)
from enlace.directory.profile import AgencySpec, Profile


@dataclass
class LoadSummary:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)

    def count(self, model: type[models.Model], created: bool, changed: bool) -> None:
        with translation.override("en"):  # an operator's log line, like Django's own
            name = str(model._meta.verbose_name_plural)
        if created:
            self.created[name] = self.created.get(name, 0) + 1
        elif changed:
            self.updated[name] = self.updated.get(name, 0) + 1

    def upsert(
        self, model: type[models.Model], lookup: dict[str, Any], values: dict[str, Any]
    ) -> Any:
        """Create or update one row, touching the database only when something differs."""
        obj = model._default_manager.filter(**lookup).first()
        if obj is None:
            obj = model._default_manager.create(**lookup, **values)
            self.count(model, created=True, changed=True)
            return obj
        changed = [k for k, v in values.items() if getattr(obj, k) != v]
        if changed:
            for k in changed:
                setattr(obj, k, values[k])
            obj.save(update_fields=changed)
            self.count(model, created=False, changed=True)
        return obj

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)

    def __str__(self) -> str:
        if not self.changed:
            return "nothing changed"
        parts = [f"{n} {k} created" for k, n in self.created.items()]
        parts += [f"{n} {k} updated" for k, n in self.updated.items()]
        return ", ".join(parts)


# What other apps keep of the profile, loaded after the agencies: each app registers
# its loader in its hooks.py (assistance the shelters, funds the funds), called with
# the profile, the summary and the stored agencies and jurisdictions by code.
Section = Callable[[Profile, LoadSummary, dict[str, Agency], dict[str, Jurisdiction]], None]
PROFILE_SECTIONS: list[Section] = []


def profile_section(loader: Section) -> Section:
    PROFILE_SECTIONS.append(loader)
    return loader


@transaction.atomic
def profile_load(*, profile: Profile) -> LoadSummary:
    """Store a validated profile; loading the same profile again changes nothing.

    Run from the command line, with the operator's rights on the server.
    """
    s = LoadSummary()
    country = s.upsert(
        CountryProfile,
        {"code": profile.code},
        {
            "name": profile.name,
            "currency": profile.currency,
            "holidays_country": profile.holidays_country,
            "languages": list(profile.languages),
            "nationality_adjective": dict(profile.nationality_adjective),
            "currency_words": {k: v.model_dump() for k, v in profile.currency_words.items()},
            "supervisor_approves": list(profile.casework.supervisor_approves),
            "trafficking_vocabularies": profile.trafficking.stored(),
        },
    )
    for year, rate in profile.exchange_rates_usd.items():
        s.upsert(ExchangeRate, {"profile": country, "year": year}, {"usd_per_unit": rate})

    existing = set(Country.objects.values_list("iso2", flat=True))
    spanish = pycountry_spanish()
    Country.objects.bulk_create(
        [
            Country(iso2=c.alpha_2, iso3=c.alpha_3, name=c.name, name_es=spanish(c.name))
            for c in pycountry.countries
            if c.alpha_2 not in existing
        ]
    )
    if added := len(pycountry.countries) - len(existing):
        s.created["countries"] = added

    jurisdictions = {
        j.code: s.upsert(
            Jurisdiction,
            {"code": j.code},
            {
                "name": j.name,
                "name_en": j.name_en,
                "abbreviation": j.abbreviation,
                "aliases": list(j.aliases),
                "is_capital": j.capital,
            },
        )
        for j in profile.jurisdictions
    }
    agencies: dict[str, Agency] = {}
    for a in _parents_first(profile.agencies):
        agencies[a.code] = s.upsert(
            Agency,
            {"code": a.code},
            {
                "name": a.name,
                "name_en": a.name_en,
                "level": a.level,
                "kind": a.kind,
                "jurisdiction": jurisdictions.get(a.jurisdiction or ""),
                "country": Country.objects.get(iso2=a.country) if a.country else None,
                "parent": agencies[a.parent] if a.parent else None,
                "active": True,
            },
        )

    for p in profile.protocols:
        protocol = s.upsert(
            Protocol,
            {"code": p.code},
            {"name": p.name, "name_en": p.name_en, "used_by": p.used_by, "threshold": p.threshold},
        )
        for position, i in enumerate(p.indicators):
            s.upsert(
                ProtocolIndicator,
                {"protocol": protocol, "code": i.code},
                {"text_es": i.es, "text_en": i.en, "weight": i.weight, "position": position},
            )
    for position, d in enumerate(profile.identity_documents):
        s.upsert(
            IdentityDocument,
            {"code": d.code},
            {
                "name": d.name,
                "name_en": d.name_en,
                "pattern": d.pattern,
                "check_digit": d.check_digit,
                "unique_for_linkage": d.unique_for_linkage,
                "example": d.example,
                "position": position,
            },
        )
    for load in PROFILE_SECTIONS:
        load(profile, s, agencies, jurisdictions)
    if s.changed:
        trail.record(actor=None, action="profile.load", obj=country, after={"summary": str(s)})
    return s


def _parents_first(specs: list[AgencySpec]) -> list[AgencySpec]:
    by_code = {a.code: a for a in specs}

    def depth(a: AgencySpec) -> int:
        return 0 if not a.parent else 1 + depth(by_code[a.parent])

    return sorted(specs, key=depth)


def pycountry_spanish() -> Any:
    import gettext

    try:
        return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["es"]).gettext
    except FileNotFoundError:
        return lambda name: name
