"""immigration's hooks: the country profile's permits, and what an erasure clears of a
person's visa requests."""

from __future__ import annotations

from enlace.directory.models import Agency, Jurisdiction
from enlace.directory.profile import Profile
from enlace.directory.services import LoadSummary, profile_section
from enlace.immigration.models import PermitKind, VisaRequest
from enlace.registry.models import Person
from enlace.registry.services import erasure_step


@profile_section
def permits_load(
    profile: Profile,
    s: LoadSummary,
    agencies: dict[str, Agency],
    jurisdictions: dict[str, Jurisdiction],
) -> None:
    for position, p in enumerate(profile.permits):
        s.upsert(
            PermitKind,
            {"code": p.code},
            {
                "name": p.name,
                "name_en": p.name_en,
                "unit": p.validity.unit,
                "length": p.validity.length,
                "extension_terms": list(p.extension.terms),
                "max_extensions": p.extension.max_extensions,
                "decided_by": p.decided_by,
                "position": position,
            },
        )


@erasure_step
def _clear_reasons(person: Person) -> dict[str, int]:
    # Written about the person, a refusal reason may name them.
    cleared = (
        VisaRequest.objects.filter(person=person)
        .exclude(refusal_reason="")
        .update(refusal_reason="")
    )
    return {"visa_reasons_cleared": cleared}
