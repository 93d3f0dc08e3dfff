"""assistance's hooks: the country profile's shelters."""

from __future__ import annotations

from enlace.assistance.models import Shelter
from enlace.directory.models import Agency, Jurisdiction
from enlace.directory.profile import Profile
from enlace.directory.services import LoadSummary, profile_section


@profile_section
def shelters_load(
    profile: Profile,
    s: LoadSummary,
    agencies: dict[str, Agency],
    jurisdictions: dict[str, Jurisdiction],
) -> None:
    for sh in profile.shelters:
        s.upsert(
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
