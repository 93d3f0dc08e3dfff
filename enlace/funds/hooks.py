"""funds' hooks: the country profile's funds."""

from __future__ import annotations

from enlace.directory.models import Agency, Jurisdiction
from enlace.directory.profile import Profile
from enlace.directory.services import LoadSummary, profile_section
from enlace.funds.models import Fund


@profile_section
def funds_load(
    profile: Profile,
    s: LoadSummary,
    agencies: dict[str, Agency],
    jurisdictions: dict[str, Jurisdiction],
) -> None:
    for f in profile.funds:
        s.upsert(
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
