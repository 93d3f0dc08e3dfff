"""The identity rule as an invariant over random sequences of the real services.

The rule (docs/security.md): an agency reads a person's identity if and only
if it registered that identity, or holds a live (accepted) referral from the
registering agency that shares it; a supervisor also while their break-glass
grant for the person is open. No write widens it; a revocation narrows it.

A Hypothesis state machine drives the services across four agencies:
register, import a row, refer with and without the identity (a plain
referral or a case's transfer, which moves the case when accepted), accept,
decline, complete, revoke, expire, identify, record a service, correct an
identity (directly or by a file of corrections), record a detention by file,
link the registry, erase, open and close break-glass. It keeps its
own model of what happened and computes the rule from that model alone.
After every step, for every user and person, what the system lets the user
read — the identity selector behind the person and referral pages, the
search by surname and by CURP, and the case exports, which carry neither
identities nor national ids for an agency — must equal the rule.

`make test` runs a small fixed-seed budget, `make test-slow` a larger one, and
`make test-deep` runs it long (``ENLACE_DEEP=1``).
"""

from __future__ import annotations

import datetime
import os
from dataclasses import dataclass, field

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from enlace.accounts.models import BreakGlass
from enlace.accounts.services import break_glass_open
from enlace.assistance.services import service_record
from enlace.cases.models import Case, Transfer
from enlace.cases.services import case_open, case_reopen, case_transfer
from enlace.exchange import exports
from enlace.exchange.importer import submission_import
from enlace.exchange.kinds import records_import
from enlace.linkage.normalise import curp_check_digit
from enlace.linkage.services import linkage_run
from enlace.referrals.models import Referral
from enlace.referrals.services import (
    referral_accept,
    referral_complete,
    referral_decline,
    referral_revoke,
    referral_send,
    referrals_expire,
)
from enlace.registry.models import Identification, Person
from enlace.registry.selectors import identity_get_for_user, person_search_for_user
from enlace.registry.services import (
    identification_record,
    identity_update,
    person_erase,
    person_register,
)
from tests.conftest import DAY, Cast

DEEP = os.environ.get("ENLACE_DEEP") == "1"
AGENCIES = ("FGE-PUE", "FGE-JAL", "FEVIMTRA", "INM")
# Few CURPs, so that registrations by different agencies link to one national person.
CURPS = tuple(s + curp_check_digit(s) for s in ("HEZG990314MPLRRD0", "LOPJ850101HDFRRN0"))
SURNAME = "Apellido"
REFUSED = (PermissionDenied, ValidationError, Http404)


@dataclass
class Known:
    """What the machine knows of a person, from the actions that succeeded."""

    person: Person
    registrar: str
    surname: str
    curp: str
    identified_by: set[str] = field(default_factory=set)
    erased: bool = False


@dataclass
class Sent:
    referral: Referral
    known: Known
    sender: str
    receiver: str
    shares: bool
    status: str = Referral.Status.SENT


class IdentityRule(RuleBasedStateMachine):
    def __init__(self, cast: Cast) -> None:
        super().__init__()
        self.worker = {
            "FGE-PUE": cast.alice,
            "FGE-JAL": cast.charlie,
            "FEVIMTRA": cast.fernanda,
            "INM": cast.ines,
        }
        self.agency = {code: cast.agency(code) for code in AGENCIES}
        self.supervisor = cast.sam  # FGE-PUE
        self.analyst = cast.ana
        self.agency_of: dict[int, str] = {u.pk: code for code, u in self.worker.items()}
        self.agency_of[cast.sam.pk] = "FGE-PUE"
        self.readers: list[User] = [*self.worker.values(), cast.sam, cast.ana]
        self.people: list[Known] = []
        self.referrals: list[Sent] = []
        self.grants: set[int] = set()  # people the supervisor holds a live grant for
        self.serial = 0
        self.linked = False
        # Each example starts from the same database: everything it writes is rolled back.
        self.atomic = transaction.atomic()
        self.atomic.__enter__()

    def teardown(self) -> None:
        transaction.set_rollback(True)
        self.atomic.__exit__(None, None, None)

    # --- the rule, from the model alone ------------------------------------------------

    def holds(self, agency: str, known: Known) -> bool:
        return (
            known.registrar == agency
            or agency in known.identified_by
            or any(
                s.known is known and s.receiver == agency and s.status in ("accepted", "completed")
                for s in self.referrals
            )
        )

    def agency_reads(self, agency: str, known: Known) -> bool:
        return known.registrar == agency or any(
            s.known is known
            and s.receiver == agency
            and s.sender == known.registrar
            and s.shares
            and s.status == "accepted"
            for s in self.referrals
        )

    def reads(self, user: User, known: Known) -> bool:
        agency = self.agency_of.get(user.pk)
        if agency is None:
            return False
        if user == self.supervisor and known.person.pk in self.grants:
            return True
        return self.agency_reads(agency, known)

    # --- choosing -----------------------------------------------------------------

    def _surname(self) -> str:
        self.serial += 1
        n = self.serial
        # Three letters: no surname is a part of another, so a search finds one.
        return SURNAME + "".join(chr(97 + (n // 26**i) % 26) for i in (2, 1, 0))

    def _person(self, data: st.DataObject) -> Known:
        return data.draw(st.sampled_from(self.people), label="person")

    def _writer(self, data: st.DataObject) -> tuple[Known, str]:
        """A person and an agency to write about them: often an agency that holds the
        person without having registered them (where a write could widen the rule),
        sometimes any holder, sometimes one that does not hold them (to be refused)."""
        anyone = [(k, a) for k in self.people for a in AGENCIES]
        holding = [(k, a) for k, a in anyone if self.holds(a, k)]
        foreign = [(k, a) for k, a in holding if a != k.registrar]
        choices = [st.sampled_from(foreign)] if foreign else []
        choices += [st.sampled_from(holding), st.sampled_from(anyone)]
        return data.draw(st.one_of(choices), label="writer")

    # --- actions ------------------------------------------------------------------
    # Few rules, each choosing among related actions, so that the short
    # sequences of a small budget still reach deep states (refer, accept, identify).

    @initialize()
    def two_agencies_register(self) -> None:
        # Every sequence starts with people to refer, so a short one reaches deep states.
        self.register("FEVIMTRA", CURPS[0], imported=False)
        self.register("FGE-PUE", "", imported=True)

    @rule(
        agency=st.sampled_from(AGENCIES),
        curp=st.sampled_from(("", *CURPS)),
        imported=st.booleans(),
    )
    def register(self, agency: str, curp: str, imported: bool) -> None:
        surname = self._surname()
        if not imported:
            identity = {"given_names": "María", "paternal_surname": surname, "curp": curp}
            person = person_register(actor=self.worker[agency], identity=identity)
            self.people.append(Known(person, agency, surname, curp))
            return
        record_id = f"R-{self.serial}"
        data = (
            "agency_record_id,identified_on,given_names,paternal_surname,curp\n"
            f"{record_id},{DAY.isoformat()},Rosa,{surname},{curp}\n"
        ).encode()
        result = submission_import(actor=self.worker[agency], data=data)
        assert result.stored == 1, result.errors
        identification = Identification.objects.select_related("person").get(
            agency__code=agency, agency_record_id=record_id
        )
        known = Known(identification.person, agency, surname, curp, identified_by={agency})
        self.people.append(known)

    def _transfer(self, sender: str, known: Known, receiver: str, shares: bool) -> Referral:
        """The sender's case of the person (opened or reopened as needed), transferred."""
        actor = self.worker[sender]
        case = Case.objects.filter(person=known.person, agency=self.agency[sender]).first()
        if case is None:
            case = case_open(actor=actor, person=known.person)
        elif case.is_closed:
            case_reopen(actor=actor, case=case)
        transfer = case_transfer(
            actor=actor,
            case=case,
            to_agency=self.agency[receiver],
            services=["legal"],
            consent=True,
            shares_identity=shares,
        )
        return transfer.referral

    @precondition(lambda self: self.people)
    @rule(data=st.data(), shares=st.booleans(), as_case=st.booleans())
    def refer(self, data: st.DataObject, shares: bool, as_case: bool) -> None:
        known = self._person(data)
        holders = [a for a in AGENCIES if self.holds(a, known)]
        sender = data.draw(st.sampled_from(holders), label="sender")
        receiver = data.draw(st.sampled_from([a for a in AGENCIES if a != sender]))
        # One transfer of a case waits at a time: another goes as a plain referral.
        waiting = Transfer.objects.filter(
            case__person=known.person, case__agency=self.agency[sender], referral__status="sent"
        )
        try:
            if as_case and not waiting.exists():
                referral = self._transfer(sender, known, receiver, shares)
            else:
                referral = referral_send(
                    actor=self.worker[sender],
                    person=known.person,
                    to_agency=self.agency[receiver],
                    services=["legal"],
                    consent=True,
                    shares_identity=shares,
                )
        except REFUSED:
            assert shares and sender != known.registrar
            return
        sent = Sent(referral, known, sender, receiver, shares)
        self.referrals.append(sent)
        # Often answered at once, as a receiving agency does.
        if data.draw(st.booleans(), label="accepted at once"):
            referral_accept(actor=self.worker[receiver], referral=referral)
            sent.status = "accepted"

    @precondition(lambda self: any(s.status in ("sent", "accepted") for s in self.referrals))
    @rule(data=st.data())
    def answer(self, data: st.DataObject) -> None:
        open_ = [s for s in self.referrals if s.status in ("sent", "accepted")]
        sent = data.draw(st.sampled_from(open_), label="referral")
        moves = {
            "sent": ("accepted", "accepted", "declined", "revoked", "expired"),
            "accepted": ("completed", "revoked"),
        }[sent.status]
        move = data.draw(st.sampled_from(moves), label="move")
        receiver, sender = self.worker[sent.receiver], self.worker[sent.sender]
        if move == "accepted":
            referral_accept(actor=receiver, referral=sent.referral)
        elif move == "declined":
            referral_decline(actor=receiver, referral=sent.referral, reason="No beds.")
        elif move == "completed":
            referral_complete(actor=receiver, referral=sent.referral)
        elif move == "revoked":
            referral_revoke(actor=sender, referral=sent.referral, reason="Consent withdrawn.")
        else:
            referrals_expire(unanswered_for=datetime.timedelta(0))
            for other in self.referrals:
                if other.status == "sent":
                    other.status = "expired"
        sent.status = move

    @precondition(lambda self: self.people)
    @rule(
        data=st.data(),
        kind=st.sampled_from(("identify", "serve", "correct", "correct by file", "detain by file")),
    )
    def record(self, data: st.DataObject, kind: str) -> None:
        """Write something about a person: it must never widen who reads the identity.

        The files are records of a kind (``enlace.exchange.kinds``), naming the person
        by public id: written row by row through the pages' services."""
        known, agency = self._writer(data)
        actor = self.worker[agency]
        self.serial += 1
        try:
            if kind == "correct by file":
                self._file(
                    actor,
                    "identity_corrections",
                    "person,reason,corrected_on,given_names\n"
                    f"{known.person.public_id},typing,{DAY.isoformat()},Rosa{self.serial}\n",
                )
            elif kind == "detain by file":
                self._file(
                    actor,
                    "detentions",
                    "person,kind,occurred_on\n"
                    f"{known.person.public_id},detention,{DAY.isoformat()}\n",
                )
            elif kind == "identify":
                identification_record(
                    actor=actor, person=known.person, identified_on=DAY, forms=["forced_labour"]
                )
            elif kind == "serve":
                service_record(
                    actor=actor,
                    person=known.person,
                    category="emergency",
                    kind="medical",
                    started_on=DAY,
                )
            else:
                identity_update(actor=actor, person=known.person, given_names="Rosa")
        except REFUSED:
            if kind in ("correct", "correct by file"):
                assert agency != known.registrar or known.erased
            else:
                assert not self.holds(agency, known)
            return
        if kind == "identify":
            known.identified_by.add(agency)
        if kind in ("correct", "correct by file"):
            assert agency == known.registrar

    @staticmethod
    def _file(actor: User, kind: str, text: str) -> None:
        """Import a one-row file of records; a refused row is a refusal, as the service's."""
        result = records_import(actor=actor, kind=kind, data=text.encode())
        if result.rejected:
            raise PermissionDenied(result.errors[0].reason)
        assert result.stored == 1

    # A national run trains a model (seconds): once an example, on a few people.
    @precondition(lambda self: len(self.people) >= 4 and self.referrals and not self.linked)
    @rule()
    def link(self) -> None:
        linkage_run(actor=self.analyst)
        self.linked = True

    @precondition(lambda self: self.people)
    @rule(data=st.data())
    def erase(self, data: st.DataObject) -> None:
        known = self._person(data)
        try:
            person_erase(actor=self.supervisor, person=known.person, legal_reference="Oficio 12")
        except REFUSED:
            assert known.registrar != "FGE-PUE" or known.erased
            return
        known.erased = True

    @precondition(lambda self: self.people)
    @rule(data=st.data())
    def break_glass(self, data: st.DataObject) -> None:
        """The supervisor opens a grant, or one of their grants runs out."""
        if self.grants and data.draw(st.booleans(), label="ends") is True:
            pk = data.draw(st.sampled_from(sorted(self.grants)))
            ended = timezone.now() - datetime.timedelta(seconds=1)
            BreakGlass.objects.filter(person_id=pk).update(expires_at=ended)
            self.grants.discard(pk)
            return
        known = self._person(data)
        try:
            break_glass_open(
                actor=self.supervisor,
                person=known.person,
                reason="A detention hearing needs the record now.",
                hours=1,
            )
        except REFUSED:
            assert self.holds("FGE-PUE", known)
            return
        self.grants.add(known.person.pk)

    # --- the promise ----------------------------------------------------------------

    @invariant()
    def only_the_rule_reads_identities(self) -> None:
        for user in self.readers:
            for known in self.people:
                try:
                    identity_get_for_user(user=user, person=known.person)
                    read = True
                except Http404:
                    read = False
                assert read == self.reads(user, known), (user.username, known.person.public_id)

    @invariant()
    def search_finds_only_what_the_rule_opens(self) -> None:
        for user in self.readers:
            agency = self.agency_of.get(user.pk)

            def expected(known: Known, agency: str | None = agency) -> bool:
                # Search is the agency's, never a break-glass grant's.
                return agency is not None and self.agency_reads(agency, known)

            found = person_search_for_user(user=user, paternal_surname=SURNAME, limit=10_000)
            assert {p.pk for p in found} == {
                k.person.pk for k in self.people if expected(k) and not k.erased
            }, user.username
            for curp in CURPS:
                found = person_search_for_user(user=user, curp=curp, limit=10_000)
                assert {p.pk for p in found} == {
                    k.person.pk
                    for k in self.people
                    if k.curp == curp and expected(k) and not k.erased
                }, (user.username, curp)

    @invariant()
    def exports_carry_no_identity_and_no_national_id(self) -> None:
        column = exports.CASE_COLUMNS.index("national_id")
        for user in self.worker.values():
            rows = list(exports.case_rows(user))
            text = repr(rows).upper()
            assert SURNAME.upper() not in text and not any(c in text for c in CURPS)
            assert all(row[column] == "" for row in rows)


def _run(cast: Cast, examples: int, steps: int) -> None:
    run_state_machine_as_test(
        lambda: IdentityRule(cast),  # type: ignore[arg-type]  # a factory is documented
        settings=settings(
            max_examples=200 if DEEP else examples,
            stateful_step_count=40 if DEEP else steps,
            derandomize=not DEEP,
            database=None,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
            print_blob=True,
        ),
    )


def test_the_identity_rule_holds_over_random_sequences(cast: Cast) -> None:
    _run(cast, examples=6, steps=15)


@pytest.mark.slow
def test_the_identity_rule_holds_over_more_random_sequences(cast: Cast) -> None:
    _run(cast, examples=30, steps=20)
