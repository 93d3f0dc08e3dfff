"""Guatemala's demo data: a few hundred invented people, 2022-2024, on Guatemala's profile.

Illustrative, not a published series: no figure here is Guatemala's. Every
record goes through the services, each by a hidden demo user at the agency
that would have made it, as Mexico's demo does (``enlace.demo.seed``): the
Ministerio Público's Fiscalía contra la Trata (MP-FCTP) and its Quetzaltenango
office identify, after screening with the profile's indicators; children go
to the PGN's Procuraduría de la Niñez and from there to the shelters of the
SBS and of two NGOs; adults to the SVET; the Fiscalía's cases become
proceedings; the IGM identifies foreign victims, grants the profile's
humanitarian stay, extends one and repatriates some; consulates in the
United States identify Guatemalans abroad and bring some home.

Nothing Mexican: no CURP (the CUI is not stored until identities follow the
profile), Guatemalan telephone numbers, departments and agencies of gt.yaml.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Sequence

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from enlace.audit.sealer import seal
from enlace.demo.seed import DemoSummary, demo_data_remove
from enlace.demo.seed.cases import IDENTIFIED, NOT_A_VICTIM, POTENTIAL, Case, age_on, spread
from enlace.demo.seed.loader import Loader
from enlace.demo.seed.records import identify, refer, refer_and_serve, serve, shelter
from enlace.immigration.services import (
    repatriation_record,
    visa_decide,
    visa_extend,
    visa_request,
)
from enlace.justice.models import Participation
from enlace.justice.services import participation_record
from enlace.linkage.features import batch
from enlace.referrals.models import Referral
from enlace.registry.models import ExploitationForm as Form
from enlace.registry.models import Sex

YEARS = (2022, 2023, 2024)
PROTOCOL = "GT-INDICADORES"
PERMIT = "humanitarian_12m"

# How many people each agency identifies in a year (the Fiscalía's and its
# Quetzaltenango office's include the few not confirmed as victims).
PLAN = {
    2022: {"MP-FCTP": 56, "MP-QZ": 10, "PGN-PNA": 8, "abroad": 4, "IGM": 5},
    2023: {"MP-FCTP": 64, "MP-QZ": 12, "PGN-PNA": 9, "abroad": 5, "IGM": 6},
    2024: {"MP-FCTP": 72, "MP-QZ": 14, "PGN-PNA": 10, "abroad": 6, "IGM": 7},
}
# Where the Fiscalía identifies victims (INE department codes): the capital first,
# then the border, tourist and port departments.
DEPARTMENTS = {
    "01": 30, "05": 8, "17": 6, "12": 5, "13": 5, "18": 5, "22": 4, "16": 4, "04": 3,
    "03": 3, "20": 3, "11": 3, "10": 3, "14": 3, "06": 2, "07": 2, "19": 2, "08": 1,
    "02": 1, "15": 1, "21": 1,
}  # fmt: skip
# Where the IGM meets foreign victims: the borders with Mexico, Belize,
# Honduras and El Salvador, and the capital's airport.
BORDERS = {"12": 4, "13": 3, "17": 3, "20": 3, "22": 3, "01": 4}
FOREIGN = {"HN": 40, "SV": 30, "NI": 15, "VE": 8, "CO": 7}
FORMS_AND_SEXES = {
    Form.SEX_TRAFFICKING: {Sex.FEMALE: 60, Sex.MALE: 4, Sex.UNSPECIFIED: 3},
    Form.FORCED_LABOUR: {Sex.FEMALE: 6, Sex.MALE: 12, Sex.UNSPECIFIED: 1},
    Form.FORCED_BEGGING: {Sex.FEMALE: 2, Sex.MALE: 2, Sex.UNSPECIFIED: 0},
    Form.OTHER: {Sex.FEMALE: 2, Sex.MALE: 1, Sex.UNSPECIFIED: 0},
    Form.UNSPECIFIED: {Sex.FEMALE: 3, Sex.MALE: 2, Sex.UNSPECIFIED: 3},
}
SERVICES = {
    "MP-FCTP": ["legal", "psychological", "medical"],
    "MP-QZ": ["legal", "psychological"],
    "PGN-PNA": ["legal", "psychological", "social", "housing"],
    "SVET": ["psychological", "social", "medical"],
    "SBS": ["housing", "food", "medical", "psychological"],
    "ONG-REFUGIO": ["housing", "food", "psychological", "medical", "social"],
    "ONG-ALIANZA": ["housing", "food", "psychological", "social"],
    "IGM": ["food", "housing", "medical", "legal"],
    "MINEX-LA": ["legal", "social"],
    "MINEX-HOU": ["legal", "social"],
}
# The shelter each children's operator runs.
SHELTERS = {"SBS": "SBS-RESIDENCIA", "ONG-REFUGIO": "REFUGIO-NINEZ", "ONG-ALIANZA": "ALIANZA-HOGAR"}
SVET_DECLINES = "Sin capacidad de atención psicosocial en el departamento en este momento."
REFUSAL = "No se acreditó la condición de víctima de trata de personas."


class GuatemalaLoader(Loader):
    PROFILE = "GT"
    REQUIRED = frozenset({"MP-FCTP", "MP-QZ", "SVET", "PGN-PNA", "IGM", "SBS", "ONG-REFUGIO"})
    LOCALE = "es_CO"  # Latin American Spanish names; Faker has no Guatemalan locale
    SCREENED = frozenset({PROTOCOL})
    SERVICES = SERVICES
    LAST_YEAR = YEARS[-1]
    RANDOM_SEED = 2024

    def phone(self, state: str | None) -> str:
        """A Guatemalan eight-digit number, 4-4: mobiles begin 3, 4 or 5, fixed lines 2."""
        first = f"{self.rng.choice('23455')}{self.rng.randint(0, 999):03d}"
        return f"{first} {self.rng.randint(0, 9999):04d}"

    def gt_case(
        self,
        *,
        agency: str,
        year: int,
        jurisdiction: str | None,
        minor: bool | None = None,
        status: str = IDENTIFIED,
        nationality: str = "GT",
        country_abroad: str | None = None,
        forms: tuple[str, ...] | None = None,
        identified_on: datetime.date | None = None,
    ) -> Case:
        cells = [(f, s, n) for f, sexes in FORMS_AND_SEXES.items() for s, n in sexes.items()]
        form, sex, _ = self.rng.choices(cells, weights=[n for *_, n in cells])[0]
        day = identified_on or self.day(year, end=(12, 15))
        age = self.age(minor=minor, minor_share=0.3)
        born = None if self.rng.random() < 0.05 else self.born(age, day)
        a = self.agencies[agency]
        case = Case(
            agency=agency,
            identified_on=day,
            sex=sex,
            forms=forms or (form,),
            age=age_on(born, day) if born else age,
            status=status,
            nationality=nationality,
            jurisdiction=jurisdiction,
            country_abroad=country_abroad,
            protocol=PROTOCOL if a.kind == a.Kind.PROSECUTOR else None,
            consent=self.rng.random() < 0.9,
            indigenous=self.rng.choices([True, False, None], weights=[40, 45, 15])[0],
            disability=self.rng.choices([True, False, None], weights=[3, 70, 27])[0],
            minor=age < 18,
        )
        foreign = nationality != "GT"
        case.identity = self.identity(
            sex=sex,
            born=born,
            state=jurisdiction,
            curp=False,
            maternal=not foreign or self.rng.random() < 0.8,
            passport=foreign and self.rng.random() < 0.5,
        )
        return case


def year(loader: GuatemalaLoader, year: int) -> None:
    plan = PLAN[year]
    rng = loader.rng
    loader.progress(f"{year}: identifications")
    fiscalia = [
        loader.gt_case(agency="MP-FCTP", year=year, jurisdiction=j)
        for j in rng.choices(
            list(DEPARTMENTS), weights=list(DEPARTMENTS.values()), k=plan["MP-FCTP"]
        )
    ]
    # Three not yet confirmed, two found not to be victims: never counted.
    for case, status in zip(fiscalia[-5:], [POTENTIAL] * 3 + [NOT_A_VICTIM] * 2, strict=True):
        case.status = status
        if status == NOT_A_VICTIM:
            case.forms = ()
    xela = [
        loader.gt_case(agency="MP-QZ", year=year, jurisdiction="09") for _ in range(plan["MP-QZ"])
    ]
    children = [
        loader.gt_case(
            agency="PGN-PNA",
            year=year,
            minor=True,
            jurisdiction=rng.choice(["01", "01", "05", "16", "17"]),
        )
        for _ in range(plan["PGN-PNA"])
    ]
    abroad = [
        loader.gt_case(
            agency=consulate,
            year=year,
            jurisdiction=None,
            minor=False,
            country_abroad="US",
            forms=(Form.FORCED_LABOUR,),
        )
        for consulate in spread(plan["abroad"], {"MINEX-LA": 3, "MINEX-HOU": 2})
    ]
    foreign = [
        loader.gt_case(
            agency="IGM",
            year=year,
            jurisdiction=rng.choices(list(BORDERS), weights=list(BORDERS.values()))[0],
            nationality=rng.choices(list(FOREIGN), weights=list(FOREIGN.values()))[0],
            identified_on=loader.day(year, end=(11, 10)),
        )
        for _ in range(plan["IGM"])
    ]
    identify(loader, [*fiscalia, *xela, *children, *abroad, *foreign])
    victims = [c for c in [*fiscalia, *xela] if c.status == IDENTIFIED]

    loader.progress(f"{year}: referrals, services, proceedings")
    minors = loader.consented([c for c in victims if c.minor])
    refer_and_serve(loader, minors, "PGN-PNA", include="legal")
    adults = loader.consented([c for c in victims if not c.minor])
    to_svet = rng.sample(adults, k=len(adults) // 2)
    refer_and_serve(loader, to_svet, "SVET")
    for case in rng.sample([c for c in adults if c not in to_svet], k=2):
        refer(
            loader,
            case,
            "SVET",
            kinds=["psychological"],
            outcome=Referral.Status.DECLINED,
            reason=SVET_DECLINES,
        )
    if year == YEARS[-1]:
        for case in rng.sample([c for c in adults if "SVET" not in c.asked], k=2):
            sent_on = loader.day(year, (12, 16), (12, 30))
            refer(
                loader,
                case,
                "SVET",
                kinds=["social"],
                outcome=Referral.Status.SENT,
                sent_on=sent_on,
            )
    for case in victims:
        if case.consent and rng.random() < 0.5:
            serve(
                loader,
                case,
                case.agency,
                start=loader.after(case.identified_on, 0, 5),
                kinds=loader.kinds(case.agency),
            )
        if rng.random() < 0.45:
            _proceeding(loader, case)
    for case in children:
        serve(
            loader,
            case,
            "PGN-PNA",
            start=loader.after(case.identified_on, 0, 5),
            kinds=loader.kinds("PGN-PNA"),
        )

    loader.progress(f"{year}: shelters")
    # The PGN places children in the shelters, girls first at the SBS's residence.
    placed = [c for c in loader.consented([*children, *minors]) if c.identified_on.month < 12]
    rng.shuffle(placed)
    girls = [c for c in placed if c.sex == Sex.FEMALE]
    others = [c for c in placed if c.sex != Sex.FEMALE]
    by_operator = {"SBS": girls[::2], "ONG-REFUGIO": girls[1::2], "ONG-ALIANZA": others}
    for operator, cases in by_operator.items():
        residents: list[tuple[Case, datetime.date, Referral | None]] = []
        for case in sorted(cases, key=lambda c: c.identified_on):
            accepted = refer(loader, case, operator, kinds=["housing", "food"])
            referral = case.held[operator][0]
            serve(
                loader,
                case,
                operator,
                start=accepted,
                kinds=loader.kinds(operator, include="housing"),
            )
            residents.append((case, accepted, referral))
        shelter(loader, SHELTERS[operator], residents, close_by_year_end=year < YEARS[-1])

    loader.progress(f"{year}: immigration and repatriation")
    _immigration(loader, year, foreign)
    _home(loader, year, abroad)


def _proceeding(loader: GuatemalaLoader, case: Case) -> None:
    assert case.person is not None
    started_on = loader.after(case.identified_on, 0, 30)
    loader.record_numbers[f"{case.agency}-case", started_on.year] += 1
    number = loader.record_numbers[f"{case.agency}-case", started_on.year]
    participation_record(
        actor=loader.actor(case.agency),
        person=case.person,
        role=loader.rng.choices(
            [Participation.Role.COMPLAINANT, Participation.Role.WITNESS], weights=[70, 30]
        )[0],
        started_on=started_on,
        case_reference=f"{case.agency}/{number:05d}/{started_on.year}",
        testified=loader.rng.random() < 0.4,
    )
    loader.counts["participation"] += 1


def _immigration(loader: GuatemalaLoader, year: int, cases: Sequence[Case]) -> None:
    """The IGM assists each foreign victim; most ask for the humanitarian stay."""
    igm = loader.actor("IGM")
    outcomes = ["granted"] * (len(cases) - 2) + [
        "refused",
        "pending" if year == YEARS[-1] else None,
    ]
    for case, outcome in zip(cases, outcomes, strict=True):
        assert case.person is not None
        serve(
            loader,
            case,
            "IGM",
            start=loader.after(case.identified_on, 0, 3),
            kinds=loader.kinds("IGM"),
        )
        if outcome is None:
            # Went home instead: returned to the country of nationality.
            repatriation_record(
                actor=igm,
                person=case.person,
                repatriated_on=loader.after(case.identified_on, 10, 40),
                country=loader.countries[case.nationality],
                receiving_organisation="Consulado del país de origen",
            )
            loader.counts["repatriation"] += 1
            continue
        requested_on = loader.after(case.identified_on, 1, 10)
        if outcome == "pending":
            requested_on = loader.day(year, (12, 10), (12, 20))
        request = visa_request(actor=igm, person=case.person, requested_on=requested_on)
        loader.counts["visa"] += 1
        if outcome == "pending":
            continue
        decided_on = loader.after(requested_on, 7, 30)
        if outcome == "granted":
            visa_decide(
                actor=igm, request=request, decided_on=decided_on, granted=True, validity=PERMIT
            )
            # The first stay of the first year is extended when it runs out.
            if year == YEARS[0] and loader.counts["extension"] == 0:
                assert request.valid_until is not None
                visa_extend(
                    actor=igm,
                    request=request,
                    extended_on=request.valid_until - datetime.timedelta(days=10),
                    validity=PERMIT,
                )
                loader.counts["extension"] += 1
        else:
            visa_decide(
                actor=igm,
                request=request,
                decided_on=decided_on,
                granted=False,
                refusal_reason=REFUSAL,
            )


def _home(loader: GuatemalaLoader, year: int, cases: Sequence[Case]) -> None:
    """Consulates bring two Guatemalans home a year; the SVET receives them."""
    for case in loader.rng.sample(list(cases), k=2):
        assert case.person is not None
        serve(
            loader,
            case,
            case.agency,
            start=loader.after(case.identified_on, 0, 5),
            kinds=loader.kinds(case.agency),
        )
        repatriation_record(
            actor=loader.actor(case.agency),
            person=case.person,
            repatriated_on=loader.after(case.identified_on, 15, 60),
            country=loader.countries["GT"],
            receiving_agency=loader.agencies["SVET"],
        )
        loader.counts["repatriation"] += 1


@batch()
def gt_demo_load(
    *, years: Iterable[int] = YEARS, progress: Callable[[str], None] | None = None
) -> DemoSummary:
    """(Re)load Guatemala's demo in one transaction, as ``demo_load`` does Mexico's."""
    if settings.PRODUCTION:
        raise ImproperlyConfigured("Demo data is never loaded in production.")
    if settings.COUNTRY_PROFILE != GuatemalaLoader.PROFILE:
        raise ImproperlyConfigured(
            "Guatemala's demo runs on Guatemala's profile: set ENLACE_COUNTRY_PROFILE=GT "
            "on a database of its own (make run PROFILE=GT)."
        )
    chosen = tuple(sorted(set(years)))
    if not chosen or not set(chosen) <= set(YEARS):
        raise ValueError(f"Guatemala's demo years are {YEARS}, not {chosen}.")
    started = timezone.now()
    with transaction.atomic():
        loader = GuatemalaLoader(progress)
        loader.progress("removing an earlier demo load")
        demo_data_remove()
        for y in chosen:
            year(loader, y)
    loader.progress("sealing the audit rows")
    seal()
    return DemoSummary(
        counts=loader.counts,
        seconds=(timezone.now() - started).total_seconds(),
        years=chosen,
        all_years=YEARS,
    )
