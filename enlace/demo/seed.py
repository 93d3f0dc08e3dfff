"""Demo data: trafficking victims identified, referred and assisted in Mexico, 2015-2017.

Every record is written through the services, each by a hidden demo user
("demo.fevimtra", "demo.fge-pue"...) at the agency that would have made it,
so permissions, validation, linkage and audit rows all run as they do for
real caseworkers. The people are invented (Faker, es_MX) but the national
statistics counted from them are the figures of the protection section of
the 2018 US Trafficking in Persons report on Mexico: 1,814 victims
identified in 2015, 740 in 2016 (145 of them by both a federal agency and a
state prosecutor, registered twice and joined by linkage), 667 in 2017 with
the report's forms and sexes, 196 Mexicans identified abroad, 52 sheltered
by FEVIMTRA, 98 assisted by PGR, 78 by DIF, 126 by CNS, 31 by INM with 25
humanitarian visas, INDESOL's 598,500 pesos to two NGOs serving 76 people,
and CEAV's emergency fund paying from April 2017.

One ``random.Random`` and one seeded Faker are consumed in a fixed order,
so every load writes the same people with the same dates.
"""

from __future__ import annotations

import datetime
import random
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from faker import Faker

from enlace.accounts.models import Membership, Role
from enlace.assistance.models import ServiceCategory, ServiceKind, Shelter, Stay
from enlace.assistance.selectors import shelter_occupied_beds
from enlace.assistance.services import service_record, stay_admit, stay_discharge
from enlace.audit.context import current_request_id
from enlace.audit.models import AuditEvent
from enlace.directory.models import Agency, Country, Jurisdiction, Protocol
from enlace.funds.models import Fund, Grant
from enlace.funds.services import disbursement_record, grant_record
from enlace.immigration.models import Validity
from enlace.immigration.services import visa_decide, visa_request
from enlace.justice.models import Participation
from enlace.justice.services import participation_record
from enlace.linkage.features import batch
from enlace.linkage.normalise import (
    curp_check_digit,
    given_names_key,
    name_words,
    strip_accents,
    surname_key,
)
from enlace.referrals.models import Referral
from enlace.referrals.services import referral_accept, referral_decline, referral_send
from enlace.registry.models import ExploitationForm, Gender, Identification, Person, Sex
from enlace.registry.services import identification_record, person_register, screening_record

SEED = 2018
YEARS = (2015, 2016, 2017)
USER_PREFIX = "demo."

Form = ExploitationForm
Kind = ServiceKind
IDENTIFIED = Identification.Status.IDENTIFIED
POTENTIAL = Identification.Status.POTENTIAL
NOT_A_VICTIM = Identification.Status.NOT_A_VICTIM

# 2017 victims by form and sex. The report gives only the margins (forms:
# 429, 103, 8, 8, 4, 115; sexes: 100 male, 440 female, 127 unspecified); the
# cells are a plausible split with forced labour more often male. Earlier
# years draw from the same proportions.
FORMS_AND_SEXES_2017: dict[str, dict[str, int]] = {
    Form.SEX_TRAFFICKING: {Sex.FEMALE: 370, Sex.MALE: 20, Sex.UNSPECIFIED: 39},
    Form.FORCED_LABOUR: {Sex.FEMALE: 30, Sex.MALE: 55, Sex.UNSPECIFIED: 18},
    Form.FORCED_BEGGING: {Sex.FEMALE: 4, Sex.MALE: 3, Sex.UNSPECIFIED: 1},
    Form.FORCED_CRIMINALITY: {Sex.FEMALE: 1, Sex.MALE: 6, Sex.UNSPECIFIED: 1},
    Form.OTHER: {Sex.FEMALE: 2, Sex.MALE: 1, Sex.UNSPECIFIED: 1},
    Form.UNSPECIFIED: {Sex.FEMALE: 33, Sex.MALE: 15, Sex.UNSPECIFIED: 67},
}

# How state prosecutors' identifications spread over the country: larger in
# Mexico City, the State of Mexico, Puebla, Chiapas, Veracruz, Jalisco...
STATE_WEIGHTS: dict[str, int] = {
    "FGJ-CMX": 14, "FGE-MEX": 10, "FGE-PUE": 7, "FGE-CHP": 7, "FGE-VER": 6,
    "FGE-JAL": 5, "FGE-NLE": 5, "FGE-BCN": 5, "FGE-OAX": 4, "FGE-TLA": 4,
    "FGE-GRO": 3, "FGE-GUA": 3, "FGE-ROO": 3, "FGE-CHH": 3, "FGE-HID": 2,
    "FGE-MIC": 2, "FGE-MOR": 2, "FGE-QUE": 2, "FGE-TAM": 2, "FGE-SON": 2,
    "FGE-SIN": 2, "FGE-COA": 2, "FGE-TAB": 2, "FGE-YUC": 1, "FGE-SLP": 1,
    "FGE-AGU": 1, "FGE-ZAC": 1, "FGE-DUR": 1, "FGE-NAY": 1, "FGE-COL": 1,
    "FGE-CAM": 1, "FGE-BCS": 1,
}  # fmt: skip

# Federal identifications in 2015 and 2016 (the report gives only totals).
FEDERAL_SHARES = {"FEVIMTRA": 55, "PGR": 25, "CNS": 12, "INM": 8}
US_CONSULATES = {
    "CONS-LA": 50, "CONS-HOU": 35, "CONS-CHI": 30, "CONS-NY": 25, "CONS-PHX": 20, "CONS-SA": 20,
}  # fmt: skip
# Where INM meets foreign victims (INEGI codes): the southern border first.
INM_PLACES = {"07": 40, "27": 10, "30": 10, "20": 8, "09": 10, "23": 8, "02": 7, "19": 7}
FOREIGN_NATIONALITIES = {
    "GT": 30, "HN": 25, "SV": 15, "CO": 8, "VE": 6, "NI": 5, "CU": 5, "EC": 3, "DO": 3,
}  # fmt: skip

SERVICES_BY_AGENCY: dict[str, tuple[str, ...]] = {
    "PGR": (Kind.LEGAL, Kind.PSYCHOLOGICAL, Kind.MEDICAL),
    "DIF": (Kind.HOUSING, Kind.FOOD, Kind.PSYCHOLOGICAL, Kind.MEDICAL, Kind.SOCIAL),
    "CNS": (Kind.MEDICAL, Kind.PSYCHOLOGICAL, Kind.FOOD, Kind.HOUSING, Kind.LEGAL),
    "INM": (Kind.FOOD, Kind.HOUSING, Kind.MEDICAL, Kind.LEGAL),
    "CEAV": (Kind.FOOD, Kind.HOUSING, Kind.MEDICAL, Kind.LEGAL, Kind.PSYCHOLOGICAL),
    "ONG-PUE": (Kind.PSYCHOLOGICAL, Kind.LEGAL, Kind.SOCIAL, Kind.MEDICAL, Kind.HOUSING),
    "ONG-CMX": (Kind.PSYCHOLOGICAL, Kind.LEGAL, Kind.SOCIAL, Kind.MEDICAL),
    "REF-CMX": (Kind.HOUSING, Kind.MEDICAL, Kind.LEGAL, Kind.PSYCHOLOGICAL, Kind.SOCIAL),
    "REF-MEX": (Kind.HOUSING, Kind.MEDICAL, Kind.PSYCHOLOGICAL, Kind.SOCIAL),
    "CJM-HGO": (Kind.HOUSING, Kind.LEGAL, Kind.PSYCHOLOGICAL),
    "CJM-GTO": (Kind.HOUSING, Kind.LEGAL, Kind.PSYCHOLOGICAL),
}
EMERGENCY_KINDS = (Kind.FOOD, Kind.HOUSING)

DECLINE_REASONS = {
    "PGR": "El caso es de competencia local; se orienta a la fiscalía del estado.",
    "CNS": "Sin capacidad de atención en la entidad en este momento.",
    "DIF": "La persona es mayor de edad; corresponde a otra institución.",
    "CEAV": "Falta la inscripción en el Registro Nacional de Víctimas.",
}
VISA_REFUSALS = (
    "No se acreditó la condición de víctima u ofendido del delito.",
    "La persona cuenta con una condición de estancia vigente.",
)

# RENAPO's two-letter entity codes in CURPs, by INEGI code.
RENAPO = {
    "01": "AS", "02": "BC", "03": "BS", "04": "CC", "05": "CL", "06": "CM", "07": "CS", "08": "CH",
    "09": "DF", "10": "DG", "11": "GT", "12": "GR", "13": "HG", "14": "JC", "15": "MC", "16": "MN",
    "17": "MS", "18": "NT", "19": "NL", "20": "OC", "21": "PL", "22": "QT", "23": "QR", "24": "SP",
    "25": "SL", "26": "SR", "27": "TC", "28": "TS", "29": "TL", "30": "VZ", "31": "YN", "32": "ZS",
}  # fmt: skip
# Telephone area codes of the biggest cities, by INEGI code; elsewhere any three digits.
LONG_DISTANCE_CODES = {"09": "55", "15": "55", "14": "33", "19": "81", "21": "222", "02": "664"}

NAME_FIELDS = ("given_names", "paternal_surname", "maternal_surname")
GENDER_OF_SEX: dict[str, str] = {
    Sex.FEMALE: Gender.WOMAN,
    Sex.MALE: Gender.MAN,
    Sex.UNSPECIFIED: Gender.UNKNOWN,
}


@dataclass
class DemoSummary:
    counts: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0

    def __str__(self) -> str:
        c = self.counts
        return (
            f"Demo data {YEARS[0]}-{YEARS[-1]} loaded in {self.seconds:.1f} s: "
            f"{c['person']:,} persons, {c['identification']:,} identifications, "
            f"{c['referral']:,} referrals, {c['service']:,} services, {c['stay']:,} stays, "
            f"{c['visa']:,} visa requests, {c['grant']:,} grants, "
            f"{c['disbursement']:,} disbursements, {c['participation']:,} participations."
        )


@dataclass
class Case:
    """One person as one agency records them: the plan, then the stored ``person``."""

    agency: str
    identified_on: datetime.date
    sex: str
    forms: tuple[str, ...]
    age: int | None
    identity: dict[str, Any] = field(default_factory=dict)
    status: str = IDENTIFIED
    nationality: str = "MX"
    jurisdiction: str | None = None
    country_abroad: str | None = None
    protocol: str | None = None
    consent: bool = True
    indigenous: bool | None = None
    disability: bool | None = None
    minor: bool = False
    person: Person | None = None
    # Agencies asked to take the person, whatever they answered.
    asked: set[str] = field(default_factory=set)
    # Agencies holding the person on an accepted referral: the referral and its day.
    held: dict[str, tuple[Referral, datetime.date]] = field(default_factory=dict)

    @property
    def year(self) -> int:
        return self.identified_on.year


def apportion(total: int, weights: Mapping[str, float]) -> dict[str, int]:
    """Split ``total`` in proportion to ``weights``, largest remainders first: exact and stable."""
    whole = sum(weights.values())
    shares = {k: total * w / whole for k, w in weights.items()}
    counts = {k: int(s) for k, s in shares.items()}
    for k in sorted(shares, key=lambda k: counts[k] - shares[k])[: total - sum(counts.values())]:
        counts[k] += 1
    return counts


def spread(total: int, weights: Mapping[str, float]) -> list[str]:
    """The keys of ``weights``, each repeated its apportioned number of times."""
    return [k for k, n in apportion(total, weights).items() for _ in range(n)]


def age_on(born: datetime.date, day: datetime.date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def second_registration(identity: Mapping[str, Any], rng: random.Random) -> dict[str, Any]:
    """How another agency writes the same person: what a real second registration changes.

    Accents dropped, capitals, stray spaces, given names in another order:
    all of which the linkage normalisation ignores, so both records keep
    the same names-and-birth-date token.
    """
    given = str(identity["given_names"])
    paternal = str(identity["paternal_surname"])
    maternal = str(identity["maternal_surname"])
    changes = rng.sample(["accents", "capitals", "spaces", "order"], k=rng.randint(1, 3))
    if len(given.split()) < 2 and "order" in changes:
        changes.remove("order")
    if not changes or changes == ["spaces"]:
        changes.append("capitals")
    if "order" in changes:
        given = " ".join(reversed(given.split()))
    if "accents" in changes:
        given, paternal, maternal = (strip_accents(v) for v in (given, paternal, maternal))
    if "capitals" in changes:
        given, paternal, maternal = (v.upper() for v in (given, paternal, maternal))
    if "spaces" in changes:
        given = "  ".join(given.split()) + " "
        paternal = f" {paternal}"
    if (given, paternal, maternal) == tuple(identity[k] for k in NAME_FIELDS):
        given, paternal, maternal = (v.upper() for v in (given, paternal, maternal))
    return dict(identity, **dict(zip(NAME_FIELDS, (given, paternal, maternal), strict=True)))


class _Loader:
    def __init__(self, progress: Callable[[str], None] | None) -> None:
        self.rng = random.Random(SEED)  # noqa: S311 - repeatable on purpose, never a secret
        self.fake = Faker("es_MX")
        self.fake.seed_instance(SEED)
        self.progress = progress or (lambda message: None)
        self.agencies = {
            a.code: a for a in Agency.objects.select_related("jurisdiction", "country")
        }
        missing = {"ONG-CMX", "FEVIMTRA", "CEAV"} - set(self.agencies)
        if missing:
            raise ImproperlyConfigured(
                "Load the country profile first (enlace profile_load MX): "
                f"missing {', '.join(sorted(missing))}."
            )
        self.jurisdictions = {j.code: j for j in Jurisdiction.objects.all()}
        self.state_of = {
            a.code: a.jurisdiction.code
            for a in self.agencies.values()
            if a.level == Agency.Level.STATE and a.jurisdiction is not None
        }
        self.countries = {c.iso2: c for c in Country.objects.all()}
        self.protocols = {p.code: p for p in Protocol.objects.prefetch_related("indicators")}
        self.shelters = {s.code: s for s in Shelter.objects.all()}
        self.funds = {f.code: f for f in Fund.objects.all()}
        self.users: dict[str, User] = {}
        self.curps: set[str] = set()
        self.name_keys: set[tuple[str, str, str, datetime.date]] = set()
        self.record_numbers: Counter[tuple[str, int]] = Counter()
        self.counts: Counter[str] = Counter()

    # --- actors ---------------------------------------------------------------

    def actor(self, code: str, role: str = Role.CASEWORKER) -> User:
        username = f"{USER_PREFIX}{code.lower()}"
        if username not in self.users:
            user, _ = User.objects.get_or_create(username=username)
            # Hidden: nobody logs in as a demo actor, they only sign the records.
            user.set_unusable_password()
            user.is_active = False
            user.save()
            Membership.objects.update_or_create(
                user=user, defaults={"agency": self.agencies[code], "role": role}
            )
            self.users[username] = User.objects.select_related("membership__agency").get(pk=user.pk)
        return self.users[username]

    # --- dates ----------------------------------------------------------------

    def day(
        self, year: int, start: tuple[int, int] = (1, 1), end: tuple[int, int] = (12, 31)
    ) -> datetime.date:
        first, last = datetime.date(year, *start), datetime.date(year, *end)
        return first + datetime.timedelta(days=self.rng.randint(0, (last - first).days))

    def after(self, day: datetime.date, low: int, high: int) -> datetime.date:
        """A day ``low`` to ``high`` days later, never past the year's end."""
        later = day + datetime.timedelta(days=self.rng.randint(low, high))
        return min(later, datetime.date(day.year, 12, 31))

    def moment(self, day: datetime.date) -> datetime.datetime:
        time = datetime.time(self.rng.randint(8, 18), self.rng.randint(0, 59))
        return timezone.make_aware(datetime.datetime.combine(day, time))

    # --- identities -------------------------------------------------------------

    def given_names(self, sex: str) -> str:
        pick = self.fake.first_name_female if sex == Sex.FEMALE else self.fake.first_name_male
        first = pick()
        if " " not in first and self.rng.random() < 0.45:
            second = pick()
            if second != first:
                return f"{first} {second}"
        return first

    def curp(
        self,
        *,
        given: str,
        paternal: str,
        maternal: str,
        born: datetime.date,
        sex: str,
        state: str,
    ) -> str:
        """A well-formed CURP built the way RENAPO builds one, unique in this load."""

        def word(text: str, skip: tuple[str, ...] = ()) -> str:
            words = name_words(text)
            if len(words) > 1 and words[0] in skip:
                words = words[1:]
            return words[0] if words else "X"

        def vowel(w: str) -> str:
            return next((c for c in w[1:] if c in "AEIOU"), "X")

        def consonant(w: str) -> str:
            return next((c for c in w[1:] if c.isalpha() and c not in "AEIOU"), "X")

        p, m = word(paternal), word(maternal)
        g = word(given, skip=("MARIA", "MA", "JOSE", "J"))
        head = f"{p[0]}{vowel(p)}{m[0]}{g[0]}{born:%y%m%d}{'H' if sex == Sex.MALE else 'M'}"
        head += f"{RENAPO[state]}{consonant(p)}{consonant(m)}{consonant(g)}"
        while True:
            pool = "0123456789" if born.year < 2000 else "ABCDEFGHIJKLMNPQRSTUVWXYZ"
            body = head + self.rng.choice(pool)
            curp = body + curp_check_digit(body)
            if curp not in self.curps:
                self.curps.add(curp)
                return curp

    def identity(
        self,
        *,
        sex: str,
        born: datetime.date | None,
        state: str | None,
        curp: bool,
        maternal: bool = True,
        passport: bool = False,
    ) -> dict[str, Any]:
        """Invented names, unique with their birth date so no two people link by accident."""
        name_sex = sex if sex != Sex.UNSPECIFIED else self.rng.choice([Sex.FEMALE, Sex.MALE])
        while True:
            given = self.given_names(name_sex)
            paternal = self.fake.last_name()
            mother = self.fake.last_name() if maternal else ""
            if born is None:
                break
            key = (given_names_key(given), surname_key(paternal), surname_key(mother), born)
            if key not in self.name_keys:
                self.name_keys.add(key)
                break
        identity: dict[str, Any] = {
            "given_names": given,
            "paternal_surname": paternal,
            "maternal_surname": mother,
        }
        if born is not None:
            identity["birth_date"] = born
            if curp and state:
                identity["curp"] = self.curp(
                    given=given,
                    paternal=paternal,
                    maternal=mother,
                    born=born,
                    sex=name_sex,
                    state=state,
                )
        if passport:
            identity["passport_number"] = (
                f"{self.rng.choice('ABCEGHNPRS')}{self.rng.randint(10**7, 10**8 - 1)}"
            )
        if self.rng.random() < 0.6:
            identity["contact"] = self.phone(state)
        return identity

    def phone(self, state: str | None) -> str:
        """A Mexican ten-digit number: area code, then the local number."""
        area = LONG_DISTANCE_CODES.get(state or "", "")
        if not area:
            area = str(self.rng.randint(220, 999))
        digits = f"{self.rng.randint(0, 10 ** (10 - len(area)) - 1):0{10 - len(area)}d}"
        half = len(digits) // 2 if len(area) == 2 else 3
        return f"{area} {digits[:half]} {digits[half:]}"

    # --- planning ---------------------------------------------------------------

    def form_and_sex(self) -> tuple[tuple[str, ...], str]:
        cells = [(f, s, n) for f, sexes in FORMS_AND_SEXES_2017.items() for s, n in sexes.items()]
        form, sex, _ = self.rng.choices(cells, weights=[n for *_, n in cells])[0]
        forms: tuple[str, ...] = (form,)
        if form == Form.SEX_TRAFFICKING and self.rng.random() < 0.04:
            forms = (Form.SEX_TRAFFICKING, Form.FORCED_LABOUR)
        return forms, sex

    def age(self, *, minor: bool | None = None, minor_share: float = 0.1) -> int:
        if minor is None:
            minor = self.rng.random() < minor_share
        if minor:
            return self.rng.choice([9, 11, 12, 13, 14, 14, 15, 15, 16, 16, 16, 17, 17, 17])
        return 18 + int(self.rng.triangular(0, 34, 4))

    def born(self, age: int, day: datetime.date) -> datetime.date:
        try:
            birthday = day.replace(year=day.year - age)
        except ValueError:  # 29 February
            birthday = day.replace(year=day.year - age, day=28)
        return birthday - datetime.timedelta(days=self.rng.randint(0, 364))

    def case(
        self,
        *,
        agency: str,
        year: int,
        forms: tuple[str, ...],
        sex: str,
        minor: bool | None = None,
        status: str = IDENTIFIED,
        identified_on: datetime.date | None = None,
        nationality: str = "MX",
        curp_share: float = 0.55,
    ) -> Case:
        a = self.agencies[agency]
        day = identified_on or self.day(year)
        age = self.age(minor=minor, minor_share=0.06 if a.level == Agency.Level.CONSULAR else 0.1)
        foreign = nationality != "MX"
        jurisdiction = country = protocol = None
        if a.level == Agency.Level.CONSULAR:
            assert a.country is not None
            country, protocol = a.country.iso2, "SRE-VENTANILLAS"
        elif a.kind == Agency.Kind.IMMIGRATION:
            jurisdiction = self.rng.choices(list(INM_PLACES), weights=list(INM_PLACES.values()))[0]
            protocol = "INM-PDIA"
        elif a.level == Agency.Level.STATE:
            assert a.jurisdiction is not None
            jurisdiction = a.jurisdiction.code
        else:
            # Federal agencies work where the state prosecutors find victims.
            where = self.rng.choices(list(STATE_WEIGHTS), weights=list(STATE_WEIGHTS.values()))[0]
            jurisdiction = self.state_of[where]
            protocol = "FED-RESCATE" if a.kind == Agency.Kind.PROSECUTOR else None
        # An unknown birth date happens; so does a missing CURP, often.
        born = None if self.rng.random() < 0.05 else self.born(age, day)
        case = Case(
            agency=agency,
            identified_on=day,
            sex=sex,
            forms=forms,
            age=age_on(born, day) if born else age,
            status=status,
            nationality=nationality,
            jurisdiction=jurisdiction,
            country_abroad=country,
            protocol=protocol,
            consent=self.rng.random() < 0.9,
            indigenous=self.rng.choices([True, False, None], weights=[8, 60, 32])[0],
            disability=self.rng.choices([True, False, None], weights=[3, 70, 27])[0],
            minor=age < 18,
        )
        birth_state = jurisdiction or self.rng.choice(list(RENAPO))
        case.identity = self.identity(
            sex=sex,
            born=born,
            state=birth_state,
            curp=not foreign and self.rng.random() < curp_share,
            maternal=foreign or self.rng.random() < 0.96,
            passport=foreign and self.rng.random() < 0.4,
        )
        return case

    def foreigner(self) -> str:
        nationalities = list(FOREIGN_NATIONALITIES)
        return self.rng.choices(nationalities, weights=list(FOREIGN_NATIONALITIES.values()))[0]

    def federal_and_state(
        self, year: int, federal: Mapping[str, int], state: int
    ) -> tuple[list[Case], list[Case]]:
        """Cases of federal agencies and state prosecutors, forms and sexes drawn freely."""
        fed = []
        for agency in [a for a, n in federal.items() for _ in range(n)]:
            forms, sex = self.form_and_sex()
            nationality = self.foreigner() if agency == "INM" else "MX"
            fed.append(
                self.case(agency=agency, year=year, forms=forms, sex=sex, nationality=nationality)
            )
        states = spread(state, STATE_WEIGHTS)
        self.rng.shuffle(states)
        local = []
        for agency in states:
            forms, sex = self.form_and_sex()
            local.append(self.case(agency=agency, year=year, forms=forms, sex=sex))
        return fed, local

    def consular(self, year: int, counts: Mapping[str, int]) -> list[Case]:
        cases = []
        for agency in [a for a, n in counts.items() for _ in range(n)]:
            sex = self.rng.choices([Sex.MALE, Sex.FEMALE, Sex.UNSPECIFIED], weights=[60, 35, 5])[0]
            cases.append(
                self.case(
                    agency=agency, year=year, forms=(Form.FORCED_LABOUR,), sex=sex, curp_share=0.7
                )
            )
        return cases

    # --- writing through the services ---------------------------------------------

    def identify(self, cases: Iterable[Case]) -> None:
        for case in sorted(cases, key=lambda c: c.identified_on):
            actor = self.actor(case.agency)
            person = person_register(
                actor=actor,
                identity=case.identity,
                sex=case.sex,
                gender=GENDER_OF_SEX[case.sex],
                nationality=self.countries[case.nationality],
                indigenous=case.indigenous,
                disability=case.disability,
            )
            self.counts["person"] += 1
            protocol = self.protocols[case.protocol] if case.protocol else None
            if protocol is not None and protocol.code == "INM-PDIA":
                screening_record(
                    actor=actor,
                    person=person,
                    protocol=protocol,
                    answers=self.answers(protocol),
                    screened_on=case.identified_on,
                )
            self.record_numbers[case.agency, case.year] += 1
            identification_record(
                actor=actor,
                person=person,
                identified_on=case.identified_on,
                forms=[] if case.status == NOT_A_VICTIM else case.forms,
                status=case.status,
                jurisdiction=self.jurisdictions[case.jurisdiction] if case.jurisdiction else None,
                country_abroad=self.countries[case.country_abroad] if case.country_abroad else None,
                protocol=protocol,
                age_at_identification=case.age,
                consent_to_share=case.consent,
                agency_record_id=(
                    f"{case.agency}/{case.year}/{self.record_numbers[case.agency, case.year]:05d}"
                ),
            )
            self.counts["identification"] += 1
            case.person = person

    def answers(self, protocol: Protocol) -> dict[str, bool]:
        """A questionnaire that proposes a potential victim."""
        indicators = list(protocol.indicators.all())
        while True:
            yes = set(self.rng.sample([i.code for i in indicators], k=self.rng.randint(2, 4)))
            if sum(i.weight for i in indicators if i.code in yes) >= protocol.threshold:
                return {i.code: i.code in yes for i in indicators}

    def kinds(self, agency: str, *, k: int | None = None, include: str | None = None) -> list[str]:
        offered = SERVICES_BY_AGENCY[agency]
        chosen = self.rng.sample(offered, k=min(k or self.rng.choice([1, 2, 2, 3]), len(offered)))
        if include and include not in chosen:
            chosen[0] = include
        return chosen

    def refer(
        self,
        case: Case,
        to: str,
        *,
        kinds: Sequence[str],
        outcome: str = Referral.Status.ACCEPTED,
        sent_on: datetime.date | None = None,
    ) -> datetime.date:
        """Send a referral and answer it; returns the day of the answer (or of sending)."""
        assert case.person is not None
        sent_on = sent_on or self.after(case.identified_on, 0, 10)
        referral = referral_send(
            actor=self.actor(case.agency),
            person=case.person,
            to_agency=self.agencies[to],
            services=kinds,
            consent=True,
            # Drawn for every referral, so the rest of the demo stays the same data.
            shares_identity=self.rng.random() < 0.6
            and case.person.registered_by_id == self.agencies[case.agency].pk,
            at=self.moment(sent_on),
        )
        answered_on = None
        if outcome == Referral.Status.ACCEPTED:
            answered_on = self.after(sent_on, 0, 6)
            referral = referral_accept(
                actor=self.actor(to),
                referral=referral,
                at=self._answer_moment(referral, answered_on),
            )
            case.held[to] = (referral, answered_on)
        elif outcome == Referral.Status.DECLINED:
            answered_on = self.after(sent_on, 1, 8)
            referral = referral_decline(
                actor=self.actor(to),
                referral=referral,
                reason=DECLINE_REASONS[to],
                at=self._answer_moment(referral, answered_on),
            )
        case.asked.add(to)
        self.counts["referral"] += 1
        return answered_on or sent_on

    def serve(
        self,
        case: Case,
        agency: str,
        *,
        start: datetime.date,
        kinds: Sequence[str],
        grant: Grant | None = None,
    ) -> None:
        """Services ``agency`` gave ``case``, one per kind, starting on or after ``start``."""
        assert case.person is not None
        referral = case.held[agency][0] if agency in case.held else None
        for i, kind in enumerate(kinds):
            started = self.after(start, 0, 3 * i)
            emergency = kind in EMERGENCY_KINDS or (kind == Kind.MEDICAL and i == 0)
            end = started + datetime.timedelta(
                days=self.rng.randint(1, 20) if emergency else self.rng.randint(20, 180)
            )
            if end.year > started.year:
                # Still running at the end of the last year; earlier ones are closed.
                end = datetime.date(started.year, 12, 31)
                ended = None if end.year == YEARS[-1] and self.rng.random() < 0.7 else end
            else:
                ended = end
            service_record(
                actor=self.actor(agency),
                person=case.person,
                category=ServiceCategory.EMERGENCY if emergency else ServiceCategory.LONG_TERM,
                kind=kind,
                started_on=started,
                ended_on=ended,
                grant=grant,
                referral=referral,
            )
            self.counts["service"] += 1

    def refer_and_serve(
        self, cases: Iterable[Case], to: str, *, include: str | None = None
    ) -> None:
        for case in sorted(cases, key=lambda c: c.identified_on):
            kinds = self.kinds(to, include=include)
            accepted = self.refer(case, to, kinds=kinds)
            self.serve(case, to, start=self.after(accepted, 0, 7), kinds=kinds)

    def participate(self, case: Case, agency: str, started_on: datetime.date) -> None:
        assert case.person is not None
        self.record_numbers[f"{agency}-case", started_on.year] += 1
        number = self.record_numbers[f"{agency}-case", started_on.year]
        participation_record(
            actor=self.actor(agency),
            person=case.person,
            role=self.rng.choices(
                [Participation.Role.COMPLAINANT, Participation.Role.WITNESS], weights=[65, 35]
            )[0],
            started_on=started_on,
            case_reference=f"FED/{agency}/{number:06d}/{started_on.year}",
            testified=self.rng.random() < 0.4,
        )
        self.counts["participation"] += 1

    def shelter(
        self,
        code: str,
        residents: Sequence[tuple[Case, datetime.date, Referral | None]],
        *,
        close_by_year_end: bool,
    ) -> None:
        """Admit and discharge in date order, so the shelter is never over capacity.

        ``stay_admit`` counts the beds taken now, not on the admission day:
        every stay that ended by a day is discharged before anyone is admitted
        on it, and an admission waits for a bed when the shelter is full.
        """
        shelter = self.shelters[code]
        actor = self.actor(shelter.operator.code)
        taken = shelter_occupied_beds(shelter)
        leaving: list[tuple[datetime.date, Stay, int]] = []

        def discharge(until: datetime.date) -> None:
            nonlocal taken
            for when, stay, beds in sorted(leaving, key=lambda x: (x[0], x[1].pk)):
                if when <= until:
                    stay_discharge(
                        actor=actor,
                        stay=stay,
                        discharged_on=when,
                        reason=self.rng.choices(
                            [
                                r
                                for r in Stay.DischargeReason
                                if r != Stay.DischargeReason.REPATRIATED
                            ],
                            weights=[30, 30, 10, 20, 10],
                        )[0],
                    )
                    leaving.remove((when, stay, beds))
                    taken -= beds

        for case, admitted, referral in sorted(residents, key=lambda r: r[1]):
            assert case.person is not None
            year_end = datetime.date(admitted.year, 12, 31)
            children = 0
            if shelter.accepts_children and not case.minor:
                children = self.rng.choices([0, 1, 2, 3], weights=[65, 22, 10, 3])[0]
            discharge(admitted)
            while taken + 1 + children > shelter.capacity:
                if not leaving:
                    raise RuntimeError(f"{code} is full for good on {admitted}.")
                admitted = max(admitted, min(when for when, *_ in leaving))
                discharge(admitted)
            if admitted > year_end:
                raise RuntimeError(f"{code} has no bed left in {year_end.year}.")
            stay = stay_admit(
                actor=actor,
                person=case.person,
                shelter=shelter,
                admitted_on=admitted,
                accompanying_children=children,
                referral=referral,
            )
            self.counts["stay"] += 1
            taken += 1 + children
            leaves = admitted + datetime.timedelta(days=self.rng.randint(14, 120))
            if leaves > year_end and (close_by_year_end or self.rng.random() < 0.6):
                leaves = min(self.after(admitted, 7, 60), year_end)
            if leaves <= year_end:
                leaving.append((leaves, stay, 1 + children))
        discharge(datetime.date.max)

    def foreign_potential(self, year: int, outcomes: Sequence[str | None]) -> list[Case]:
        """INM's potential foreign victims, screened, assisted, and the visa each asked for.

        ``outcomes``: "granted", "refused", "pending" or None (no request), one per person.
        """
        cases = []
        for outcome in outcomes:
            form = self.rng.choices(
                [Form.FORCED_LABOUR, Form.SEX_TRAFFICKING, Form.UNSPECIFIED], weights=[50, 40, 10]
            )[0]
            sex = self.rng.choices([Sex.FEMALE, Sex.MALE, Sex.UNSPECIFIED], weights=[55, 40, 5])[0]
            # A request still pending at the year's end was made in December.
            day = (
                self.day(year, (12, 1), (12, 20))
                if outcome == "pending"
                else self.day(year, end=(11, 10))
            )
            cases.append(
                self.case(
                    agency="INM",
                    year=year,
                    forms=(form,),
                    sex=sex,
                    status=POTENTIAL,
                    identified_on=day,
                    nationality=self.foreigner(),
                )
            )
        self.identify(cases)
        inm = self.actor("INM")
        for case, outcome in zip(cases, outcomes, strict=True):
            assert case.person is not None
            kinds = self.kinds("INM")
            self.serve(case, "INM", start=self.after(case.identified_on, 0, 3), kinds=kinds)
            if outcome is None:
                continue
            requested_on = self.after(case.identified_on, 1, 10)
            request = visa_request(actor=inm, person=case.person, requested_on=requested_on)
            self.counts["visa"] += 1
            if outcome == "pending":
                continue
            decided_on = self.after(requested_on, 7, 40)
            if outcome == "granted":
                validity = self.rng.choice([Validity.WORKING_DAYS_60, Validity.CALENDAR_DAYS_90])
                visa_decide(
                    actor=inm,
                    request=request,
                    decided_on=decided_on,
                    granted=True,
                    validity=validity,
                )
            else:
                visa_decide(
                    actor=inm,
                    request=request,
                    decided_on=decided_on,
                    granted=False,
                    refusal_reason=self.rng.choice(VISA_REFUSALS),
                )
        return cases

    def consented(self, cases: Iterable[Case], *, exclude: Iterable[Case] = ()) -> list[Case]:
        excluded = {id(c) for c in exclude}
        return [c for c in cases if c.consent and id(c) not in excluded]

    # --- the years ----------------------------------------------------------------

    def earlier_year(
        self, year: int, *, federal: int, state: int, both: int, consular: int
    ) -> None:
        """2015 and 2016: the report's totals, and enough services and stays to look real."""
        shares = apportion(federal, FEDERAL_SHARES)
        fed, local = self.federal_and_state(year, {"INM": shares["INM"]}, state)
        # The other federal records: the first ``both`` are people a state
        # prosecutor also identified, registered a second time.
        others = spread(federal - shares["INM"], {k: shares[k] for k in ("FEVIMTRA", "PGR", "CNS")})
        self.rng.shuffle(others)
        linkable = [
            c for c in local if "birth_date" in c.identity and c.identity["maternal_surname"]
        ]
        for i, agency in enumerate(others):
            if i < both:
                fed.append(self.twin(linkable[i], agency))
            else:
                forms, sex = self.form_and_sex()
                fed.append(self.case(agency=agency, year=year, forms=forms, sex=sex))
        abroad = self.consular(year, apportion(consular, US_CONSULATES)) if consular else []
        self.identify([*fed, *local, *abroad])

        minors = [c for c in self.consented(local) if c.minor]
        self.refer_and_serve(self.rng.sample(minors, k=25), "DIF")
        for agency, n in (("PGR", 60), ("CNS", 30)):
            own = [c for c in fed if c.agency == agency]
            for case in self.rng.sample(own, k=min(n, len(own))):
                start = self.after(case.identified_on, 0, 10)
                self.serve(case, agency, start=start, kinds=self.kinds(agency))
        for case in self.rng.sample(self.consented(local, exclude=minors), k=4):
            self.refer(case, "CNS", kinds=self.kinds("CNS"), outcome=Referral.Status.DECLINED)
        women = [
            c
            for c in fed
            if c.agency == "FEVIMTRA"
            and c.sex == Sex.FEMALE
            and not c.minor
            and c.identified_on.month < 12
        ]
        residents = [
            (c, self.after(c.identified_on, 0, 2), None) for c in self.rng.sample(women, k=35)
        ]
        self.shelter("REF-FEVIMTRA", residents, close_by_year_end=True)
        if year == 2016:
            self.foreign_potential(year, ["granted"] * 4)

    def twin(self, first: Case, agency: str) -> Case:
        """The person of ``first`` as a federal agency registers them again."""
        first.consent = True
        identity = second_registration(first.identity, self.rng)
        curp = first.identity.pop("curp", None)
        identity.pop("curp", None)
        sides = ["first", "second", "both", "neither"]
        where = self.rng.choices(sides, weights=[30, 30, 25, 15])[0]
        if curp and where in ("first", "both"):
            first.identity["curp"] = curp
        if curp and where in ("second", "both"):
            identity["curp"] = curp.lower() if self.rng.random() < 0.3 else curp
        gap = self.after(first.identified_on, 1, 40) - first.identified_on
        # Either agency may have met the person first.
        day = first.identified_on + gap
        if self.rng.random() < 0.5:
            day = max(datetime.date(first.year, 1, 1), first.identified_on - gap)
        return Case(
            agency=agency,
            identified_on=day,
            sex=first.sex,
            forms=first.forms,
            age=age_on(identity["birth_date"], day),
            identity=identity,
            jurisdiction=first.jurisdiction,
            protocol="FED-RESCATE"
            if self.agencies[agency].kind == Agency.Kind.PROSECUTOR
            else None,
            consent=True,
            indigenous=first.indigenous,
            disability=first.disability,
            minor=first.minor,
        )

    def year_2017(self) -> None:
        year = 2017
        table = [
            (form, sex)
            for form, sexes in FORMS_AND_SEXES_2017.items()
            for sex, n in sexes.items()
            for _ in range(n)
        ]
        self.rng.shuffle(table)
        # FEVIMTRA's shelter takes women (with their children): its 52 residents
        # come first and take 52 of the table's women.
        women = [i for i, (_, sex) in enumerate(table) if sex == Sex.FEMALE][:52]
        sheltered = [table[i] for i in women]
        chosen = set(women)
        rest = [t for i, t in enumerate(table) if i not in chosen]
        federal = ["FEVIMTRA"] * 90 + ["PGR"] * 30 + ["CNS"] * 20
        states = spread(527, STATE_WEIGHTS)
        self.rng.shuffle(states)
        cells = iter(sheltered + rest)
        fed = []
        for i, agency in enumerate(federal):
            form, sex = next(cells)
            fed.append(
                self.case(
                    agency=agency,
                    year=year,
                    forms=(form,),
                    sex=sex,
                    minor=False if i < 52 else None,
                )
            )
        local = []
        for i, agency in enumerate(states):
            form, sex = next(cells)
            # The first 78 are the children DIF will assist.
            local.append(
                self.case(
                    agency=agency, year=year, forms=(form,), sex=sex, minor=True if i < 78 else None
                )
            )
        for case in local[:78]:
            case.consent = True
        # Records that are not identified victims and must not be counted.
        unconfirmed = []
        for status, n in ((POTENTIAL, 40), (NOT_A_VICTIM, 15)):
            for agency in self.rng.choices(
                list(STATE_WEIGHTS), weights=list(STATE_WEIGHTS.values()), k=n
            ):
                forms, sex = self.form_and_sex()
                unconfirmed.append(
                    self.case(agency=agency, year=year, forms=forms[:1], sex=sex, status=status)
                )
        abroad = self.consular(
            year, {**apportion(180, US_CONSULATES), "CONS-TOR": 8, "CONS-GT": 5, "CONS-BCN": 3}
        )
        self.progress(f"{year}: identifications")
        self.identify([*fed, *local, *unconfirmed, *abroad])

        fevimtra, pgr, cns = (
            [c for c in fed if c.agency == code] for code in ("FEVIMTRA", "PGR", "CNS")
        )
        for case in fevimtra[:52]:
            case.consent = True
        self.progress(f"{year}: referrals and services")
        # DIF: the 78 children, referred by the state prosecutors.
        self.refer_and_serve(local[:78], "DIF")
        # PGR: its own 30 and 68 referred, all taking part in proceedings.
        to_pgr = self.rng.sample(self.consented(fevimtra), k=28) + self.rng.sample(
            self.consented(local), k=40
        )
        for case in pgr:
            self.serve(
                case, "PGR", start=self.after(case.identified_on, 0, 10), kinds=self.kinds("PGR")
            )
        self.refer_and_serve(to_pgr, "PGR", include=Kind.LEGAL)
        for case in sorted([*pgr, *to_pgr], key=lambda c: c.identified_on):
            since = case.held["PGR"][1] if "PGR" in case.held else case.identified_on
            self.participate(case, "PGR", self.after(since, 0, 20))
        # CNS: its own 20 and 106 referred.
        to_cns = self.rng.sample(self.consented(fevimtra), k=26) + self.rng.sample(
            self.consented(local), k=80
        )
        for case in cns:
            self.serve(
                case, "CNS", start=self.after(case.identified_on, 0, 10), kinds=self.kinds("CNS")
            )
        self.refer_and_serve(to_cns, "CNS")
        # CEAV: referred for its emergency fund, which pays from April.
        to_ceav = self.rng.sample(self.consented(fevimtra), k=14) + self.rng.sample(
            self.consented(local), k=26
        )
        fund = self.funds["CEAV-EMERGENCIA"]
        opens = fund.disbursing_from or fund.established_on
        paid_twice = set(map(id, self.rng.sample(to_ceav, k=5)))
        for case in sorted(to_ceav, key=lambda c: c.identified_on):
            kinds = self.kinds("CEAV", k=2)
            accepted = self.refer(case, "CEAV", kinds=kinds)
            paid_on = self.after(max(accepted, opens), 0, 25)
            for purpose in kinds[: 2 if id(case) in paid_twice else 1]:
                assert case.person is not None
                disbursement_record(
                    actor=self.actor("CEAV"),
                    fund=fund,
                    person=case.person,
                    amount=Decimal(self.rng.randrange(50, 401) * 100),
                    paid_on=paid_on,
                    purpose=purpose,
                )
                self.counts["disbursement"] += 1
                paid_on = self.after(paid_on, 20, 60)
        # INDESOL's grants to two NGOs, and the people they served with them.
        grants = {}
        for grantee, amount, awarded_on, purpose in (
            (
                "ONG-PUE",
                "300000.00",
                datetime.date(2017, 3, 6),
                "Atención integral a víctimas de trata en Puebla",
            ),
            (
                "ONG-CMX",
                "298500.00",
                datetime.date(2017, 3, 21),
                "Atención psicológica y jurídica a víctimas de trata",
            ),
        ):
            grants[grantee] = grant_record(
                actor=self.actor("INDESOL", Role.SUPERVISOR),
                grantee=self.agencies[grantee],
                amount=Decimal(amount),
                awarded_on=awarded_on,
                fund=self.funds["INDESOL-PCS"],
                purpose=purpose,
            )
            self.counts["grant"] += 1
        near = {
            "ONG-PUE": ("FGE-PUE", "FGE-TLA", "FGE-VER", "FGE-OAX"),
            "ONG-CMX": ("FGJ-CMX", "FGE-MEX"),
        }
        served = {}
        for ngo, n in (("ONG-PUE", 40), ("ONG-CMX", 36)):
            pool = self.consented([c for c in local if c.agency in near[ngo]])
            served[ngo] = self.rng.sample(pool, k=n)
            grant = grants[ngo]
            for case in sorted(served[ngo], key=lambda c: c.identified_on):
                kinds = self.kinds(ngo)
                accepted = self.refer(case, ngo, kinds=kinds)
                start = max(accepted, grant.awarded_on + datetime.timedelta(days=1))
                self.serve(case, ngo, start=self.after(start, 0, 7), kinds=kinds, grant=grant)
        # State shelters, for people their prosecutors referred.
        for operator, senders, n in (
            ("REF-CMX", ("FGJ-CMX",), 10),
            ("REF-MEX", ("FGE-MEX",), 9),
            ("CJM-HGO", ("FGE-HID",), 4),
            ("CJM-GTO", ("FGE-GUA",), 4),
        ):
            pool = self.consented([c for c in local if c.agency in senders])
            self.refer_and_serve(self.rng.sample(pool, k=n), operator, include=Kind.HOUSING)
        # Declined and pending referrals: they never let the receiver in.
        for to, outcome, n in (
            ("PGR", Referral.Status.DECLINED, 3),
            ("CNS", Referral.Status.DECLINED, 3),
            ("DIF", Referral.Status.DECLINED, 2),
            ("CEAV", Referral.Status.DECLINED, 2),
            ("PGR", Referral.Status.SENT, 1),
            ("CNS", Referral.Status.SENT, 2),
            ("CEAV", Referral.Status.SENT, 2),
        ):
            pool = [
                c
                for c in self.consented(local)
                if to not in c.asked and not (to == "DIF" and c.minor)
            ]
            for case in self.rng.sample(pool, k=n):
                sent_on = (
                    self.day(year, (12, 4), (12, 29)) if outcome == Referral.Status.SENT else None
                )
                self.refer(case, to, kinds=self.kinds(to), outcome=outcome, sent_on=sent_on)

        self.progress(f"{year}: shelters")
        self.shelter(
            "REF-FEVIMTRA",
            [(c, self.after(c.identified_on, 0, 2), None) for c in fevimtra[:52]],
            close_by_year_end=False,
        )
        puebla = [c for c in served["ONG-PUE"] if not c.minor][:15]
        self.shelter(
            "REF-PUE",
            [(c, self.after(c.held["ONG-PUE"][1], 0, 3), c.held["ONG-PUE"][0]) for c in puebla],
            close_by_year_end=False,
        )
        operated = {
            "REF-CMX": ["REF-CMX"],
            "REF-MEX": ["REF-MEX-1", "REF-MEX-2", "REF-MEX-3"],
            "CJM-HGO": ["CJM-HGO-REF"],
            "CJM-GTO": ["CJM-GTO-REF"],
        }
        for operator, codes in operated.items():
            residents: dict[str, list[tuple[Case, datetime.date, Referral | None]]] = {
                c: [] for c in codes
            }
            for i, case in enumerate([c for c in local if operator in c.held]):
                referral, accepted = case.held[operator]
                residents[codes[i % len(codes)]].append((case, accepted, referral))
            for code, people in residents.items():
                self.shelter(code, people, close_by_year_end=False)

        self.progress(f"{year}: immigration")
        outcomes: list[str | None] = (
            ["granted"] * 25 + ["refused"] * 2 + ["pending"] * 2 + [None] * 2
        )
        self.rng.shuffle(outcomes)
        self.foreign_potential(year, outcomes)

    def _answer_moment(self, referral: Referral, day: datetime.date) -> datetime.datetime:
        moment = self.moment(day)
        return max(moment, referral.sent_at + datetime.timedelta(hours=2))


def demo_users() -> QuerySet[User]:
    return User.objects.filter(username__startswith=USER_PREFIX)


def demo_data_remove() -> int:
    """Remove what earlier demo loads wrote; returns how many persons went.

    Their persons (with every record about them) and their grants. The audit
    trail is append-only: its rows stay, and one more records the removal.
    """
    users = demo_users()
    registered = AuditEvent.objects.filter(action="person.register", actor__in=users)
    identified = Identification.objects.filter(recorded_by__in=users)
    persons = Person.objects.filter(
        Q(public_id__in=registered.values("object_id")) | Q(pk__in=identified.values("person_id"))
    )
    removed = persons.count()
    if removed:
        persons.delete()
        Grant.objects.filter(recorded_by__in=users).delete()
        AuditEvent.objects.create(
            actor_name="system",
            request_id=current_request_id(),
            action="demo.remove",
            object_type="demo",
            object_id="demo",
            after={"persons": removed},
        )
    return removed


def demo_data_loaded() -> bool:
    return Identification.objects.filter(recorded_by__in=demo_users()).exists()


@batch()  # thousands of identities, encoded at registration
def demo_load(*, progress: Callable[[str], None] | None = None) -> DemoSummary:
    """(Re)load the demo data in one transaction: what an earlier load wrote goes first."""
    if settings.PRODUCTION:
        raise ImproperlyConfigured("Demo data is never loaded in production.")
    started = timezone.now()
    with transaction.atomic():
        loader = _Loader(progress)
        loader.progress("removing an earlier demo load")
        demo_data_remove()
        for year, federal, state, both, consular in (
            (2015, 876, 938, 0, 0),
            (2016, 194, 691, 145, 20),
        ):
            loader.progress(f"{year}")
            loader.earlier_year(year, federal=federal, state=state, both=both, consular=consular)
        loader.year_2017()
    return DemoSummary(counts=loader.counts, seconds=(timezone.now() - started).total_seconds())
