"""The loader: what one load keeps (its random draws, look-ups, counts) and draws from it.

Invented actors, dates, identities and cases. It writes nothing but the
hidden demo users; ``records`` writes the cases through the services.
"""

from __future__ import annotations

import datetime
import random
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from faker import Faker

from enlace.accounts.models import Membership, Role
from enlace.assistance.models import Shelter
from enlace.demo.seed.cases import IDENTIFIED, Case, age_on, spread
from enlace.demo.seed.tables import (
    FOREIGN_NATIONALITIES,
    FORMS_AND_SEXES_2017,
    INM_PLACES,
    LONG_DISTANCE_CODES,
    RENAPO,
    SEED,
    SERVICES_BY_AGENCY,
    STATE_WEIGHTS,
    USER_PREFIX,
    YEARS,
)
from enlace.directory.models import Agency, Country, Jurisdiction, Protocol
from enlace.funds.models import Fund
from enlace.linkage.normalise import curp_check_digit, given_names_key, name_words, surname_key
from enlace.registry.models import ExploitationForm as Form
from enlace.registry.models import Sex


class Loader:
    # The country profile a load needs (and agencies of it that must be there), the
    # locale of its invented names, the protocols it screens with before identifying,
    # the services each agency gives, and its last year (services still running there).
    PROFILE = "MX"
    REQUIRED: frozenset[str] = frozenset({"ONG-CMX", "FEVIMTRA", "CEAV"})
    LOCALE = "es_MX"
    SCREENED: frozenset[str] = frozenset({"INM-PDIA"})
    SERVICES: Mapping[str, list[str]] = SERVICES_BY_AGENCY
    LAST_YEAR = YEARS[-1]
    RANDOM_SEED = SEED

    def __init__(self, progress: Callable[[str], None] | None) -> None:
        self.rng = random.Random(self.RANDOM_SEED)  # noqa: S311 - repeatable on purpose, never a secret
        self.fake = Faker(self.LOCALE)
        self.fake.seed_instance(self.RANDOM_SEED)
        self.progress = progress or (lambda message: None)
        self.agencies = {
            a.code: a for a in Agency.objects.select_related("jurisdiction", "country")
        }
        missing = self.REQUIRED - set(self.agencies)
        if missing:
            raise ImproperlyConfigured(
                f"Load the country profile first (enlace profile_load {self.PROFILE}): "
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

    def answers(self, protocol: Protocol) -> dict[str, bool]:
        """A questionnaire that proposes a potential victim."""
        indicators = list(protocol.indicators.all())
        while True:
            yes = set(self.rng.sample([i.code for i in indicators], k=self.rng.randint(2, 4)))
            if sum(i.weight for i in indicators if i.code in yes) >= protocol.threshold:
                return {i.code: i.code in yes for i in indicators}

    def kinds(self, agency: str, *, k: int | None = None, include: str | None = None) -> list[str]:
        offered = self.SERVICES[agency]
        chosen = self.rng.sample(offered, k=min(k or self.rng.choice([1, 2, 2, 3]), len(offered)))
        if include and include not in chosen:
            chosen[0] = include
        return chosen

    def consented(self, cases: Iterable[Case], *, exclude: Iterable[Case] = ()) -> list[Case]:
        excluded = {id(c) for c in exclude}
        return [c for c in cases if c.consent and id(c) not in excluded]
