from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pycountry
from django.db import models, transaction
from django.utils import translation

from enlace.accounts.permissions import Action, require
from enlace.assistance.models import Shelter
from enlace.audit.services import audit_record
from enlace.directory.models import (
    Agency,
    Country,
    CountryProfile,
    ExchangeRate,
    Jurisdiction,
    Protocol,
    ProtocolIndicator,
)
from enlace.directory.profile import AgencySpec, Profile
from enlace.funds.models import Fund


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

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)

    def __str__(self) -> str:
        if not self.changed:
            return "nothing changed"
        parts = [f"{n} {k} created" for k, n in self.created.items()]
        parts += [f"{n} {k} updated" for k, n in self.updated.items()]
        return ", ".join(parts)


def _upsert(
    summary: LoadSummary, model: type[models.Model], lookup: dict[str, Any], values: dict[str, Any]
) -> Any:
    """Create or update one row, touching the database only when something differs."""
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        obj = model._default_manager.create(**lookup, **values)
        summary.count(model, created=True, changed=True)
        return obj
    changed = [k for k, v in values.items() if getattr(obj, k) != v]
    if changed:
        for k in changed:
            setattr(obj, k, values[k])
        obj.save(update_fields=changed)
        summary.count(model, created=False, changed=True)
    return obj


@transaction.atomic
def profile_load(*, profile: Profile, actor: Any = None) -> LoadSummary:
    """Store a validated profile; loading the same profile again changes nothing.

    ``actor`` is None only for the command line, which runs with the
    operator's rights on the server; in the application it must be an admin.
    """
    if actor is not None:
        require(actor, Action.PROFILE_LOAD)
    s = LoadSummary()
    country = _upsert(
        s,
        CountryProfile,
        {"code": profile.code},
        {
            "name": profile.name,
            "currency": profile.currency,
            "holidays_country": profile.holidays_country,
            "languages": list(profile.languages),
            "nationality_adjective": dict(profile.nationality_adjective),
        },
    )
    for year, rate in profile.exchange_rates_usd.items():
        _upsert(s, ExchangeRate, {"profile": country, "year": year}, {"usd_per_unit": rate})

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
        j.code: _upsert(
            s,
            Jurisdiction,
            {"code": j.code},
            {
                "name": j.name,
                "name_en": j.name_en,
                "abbreviation": j.abbreviation,
                "aliases": list(j.aliases),
            },
        )
        for j in profile.jurisdictions
    }
    agencies: dict[str, Agency] = {}
    for a in _parents_first(profile.agencies):
        agencies[a.code] = _upsert(
            s,
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
        protocol = _upsert(
            s,
            Protocol,
            {"code": p.code},
            {"name": p.name, "name_en": p.name_en, "used_by": p.used_by, "threshold": p.threshold},
        )
        for position, i in enumerate(p.indicators):
            _upsert(
                s,
                ProtocolIndicator,
                {"protocol": protocol, "code": i.code},
                {"text_es": i.es, "text_en": i.en, "weight": i.weight, "position": position},
            )
    for sh in profile.shelters:
        _upsert(
            s,
            Shelter,
            {"code": sh.code},
            {
                "name": sh.name,
                "operator": agencies[sh.operator],
                "kind": sh.kind,
                "jurisdiction": jurisdictions[sh.jurisdiction],
                "capacity": sh.capacity,
                "accepts_children": sh.accepts_children,
                "residents_may_leave_alone": sh.residents_may_leave_alone,
            },
        )
    for f in profile.funds:
        _upsert(
            s,
            Fund,
            {"code": f.code},
            {
                "name": f.name,
                "name_en": f.name_en,
                "administrator": agencies[f.administrator],
                "established_on": f.established_on,
                "disbursing_from": f.disbursing_from,
                "endowment": f.endowment,
            },
        )
    if s.changed:
        audit_record(actor=actor, action="profile.load", obj=country, after={"summary": str(s)})
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
