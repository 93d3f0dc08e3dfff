"""Submissions of records about people already identified: one kind of record per file.

A submission's kind says what one row records. ``identifications`` (the
default) is the template of ``enlace.exchange.template``, imported in bulk by
``enlace.exchange.importer``. Every other kind names a record that a page
writes (a detention, a protection measure, a visa extension…); its rows are
written one by one through the page's own service, so the permission check,
the identity rule, the audit row and the non-punishment alerts are the
page's.

A row names the person by ``person_record_id`` (the ``agency_record_id`` of an
earlier identification by the submitting agency) or by ``person`` (the public
id). A file of records is all or nothing: such records have no reference of
the agency's own, so a file stored in part could not be run again without
writing its first rows twice.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import TextChoices
from django.http import Http404
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from enlace.accounts.permissions import Action, can, membership_of
from enlace.assistance import services as assistance
from enlace.assistance.models import ServiceCategory, ServiceKind
from enlace.directory.models import Agency
from enlace.exchange.report import WITHHELD, RowError, record_id_shown
from enlace.exchange.template import COLUMNS, Column
from enlace.exchange.values import Lookups, choose, key, parse_date
from enlace.funds import services as funds
from enlace.funds.models import Fund, Grant
from enlace.immigration import services as immigration
from enlace.immigration.models import PermitKind, VisaRequest
from enlace.immigration.selectors import visa_request_list_for_user
from enlace.justice import services as justice
from enlace.justice.models import DetentionEvent, Participation, ProtectionMeasure
from enlace.justice.selectors import participation_list_for_user
from enlace.registry import services as registry
from enlace.registry.models import Identification, IdentityCorrection, Person
from enlace.registry.selectors import person_list_for_user


class SubmissionKind(StrEnum):
    """What one row of a submission records."""

    IDENTIFICATIONS = "identifications"
    DETENTIONS = "detentions"
    PROTECTION_MEASURES = "protection_measures"
    RESTITUTION_PAYMENTS = "restitution_payments"
    PROCEEDINGS_CONCLUDED = "proceedings_concluded"
    VISA_EXTENSIONS = "visa_extensions"
    REPATRIATIONS = "repatriations"
    IDENTITY_CORRECTIONS = "identity_corrections"
    RULED_OUT = "ruled_out"
    SERVICES = "services"
    GRANTS = "grants"


IDENTIFICATIONS = SubmissionKind.IDENTIFICATIONS.value
PUBLIC_ID = re.compile(r"[A-Z]-[0-9A-Z.]{1,12}")


def _choices(choices: type[TextChoices]) -> str:
    return ", ".join(choices.values)


# The columns every kind starts with: who the row is about.
PERSON_COLUMNS = (
    Column(
        "person_record_id",
        False,
        gettext_lazy(
            "The agency_record_id of an earlier identification by your agency that names "
            "the person; or leave it empty and give person."
        ),
        "PUE-2017-0001",
    ),
    Column("person", False, gettext_lazy("Or the person's public id."), ""),
)
PROCEEDING = Column(
    "case_reference",
    False,
    gettext_lazy(
        "The case reference of your agency's proceeding with the person; needed only when "
        "the person has more than one."
    ),
    "",
)


@dataclass(frozen=True)
class Kind:
    name: str
    label: str | Promise
    columns: tuple[Column, ...]
    write: Callable[[Row], Any]
    # A service's field name, where it is not the column's.
    fields: Mapping[str, str]

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @property
    def identity_columns(self) -> frozenset[str]:
        return frozenset(c.name for c in self.columns if c.identity)


class Row:
    """One data row of a record file: its cells, read column by column, and its errors."""

    def __init__(
        self,
        *,
        number: int,
        values: Mapping[str, str],
        kind: Kind,
        actor: Any,
        agency: Agency,
        lookups: Lookups,
        today: datetime.date,
    ) -> None:
        self.number = number
        self.v = {name: (values.get(name) or "").strip() for name in kind.column_names}
        self.kind = kind
        self.actor = actor
        self.agency = agency
        self.lookups = lookups
        self.today = today
        self.errors: list[RowError] = []

    @property
    def reference(self) -> str:
        """What the report shows of the row's person: the record id or the public id (nothing
        for a record about no one, a grant)."""
        if self.v.get("person_record_id"):
            return record_id_shown(self.v["person_record_id"])
        person = self.v.get("person", "")
        return person if PUBLIC_ID.fullmatch(person) else (WITHHELD if person else "")

    def fail(self, column: str, reason: Any) -> None:
        # The value is never shown: a cell may hold whatever was typed in it.
        value = WITHHELD if self.v.get(column) else ""
        self.errors.append(RowError(self.number, self.reference, column, value, str(reason)))

    def text(self, column: str, limit: int = 200) -> str:
        if len(self.v[column]) > limit:
            self.fail(column, _("At most %d characters.") % limit)
        return self.v[column]

    def date(self, column: str, *, required: bool = True) -> datetime.date | None:
        if not self.v[column]:
            if required:
                self.fail(column, _("Required."))
            return None
        try:
            value = parse_date(self.v[column])
        except ValueError:
            self.fail(column, _("Not a date: use YYYY-MM-DD or DD/MM/YYYY."))
            return None
        if value > self.today:
            self.fail(column, _("The date cannot be in the future."))
        return value

    def choice(
        self,
        column: str,
        choices: type[TextChoices] | list[tuple[str, str]],
        *,
        required: bool = True,
    ) -> str:
        """A code given by itself or by its label; ``choices`` a TextChoices or (code, label)s."""
        if not self.v[column]:
            if required:
                self.fail(column, _("Required."))
            return ""
        pairs = choices if isinstance(choices, list) else choices.choices
        table = {key(v): v for v, _label in pairs} | {key(str(lbl)): v for v, lbl in pairs}
        found = choose(self.v[column], table)
        if found is None:
            self.fail(column, _("Not one of: %s.") % ", ".join(v for v, _label in pairs))
            return ""
        return str(found)

    def amount(self, column: str) -> Decimal | None:
        if not self.v[column]:
            self.fail(column, _("Required."))
            return None
        try:
            value = Decimal(self.v[column].replace(",", ""))
        except InvalidOperation:
            value = Decimal(0)
        if value.is_finite() and value >= 10**12:
            self.fail(column, _("The amount is too large."))
            return None
        if not value.is_finite() or value <= 0 or value != value.quantize(Decimal("0.01")):
            self.fail(column, _("Not an amount: a positive number with at most two decimals."))
            return None
        return value

    def lookup(self, column: str, table: Mapping[str, int]) -> int | None:
        if not self.v[column]:
            return None
        found = table.get(key(self.v[column]))
        if found is None:
            self.fail(column, _("Unknown value."))
        return found

    def code(self, column: str, model: Any) -> Any:
        if not self.v[column]:
            return None
        found = model.objects.filter(code__iexact=self.v[column][:20]).first()
        if found is None:
            self.fail(column, _("Unknown code."))
        return found

    def person(self) -> Person | None:
        """The person the row is about, among those the agency holds."""
        record_id, public_id = self.v["person_record_id"], self.v["person"]
        if record_id and public_id:
            self.fail("person", _("Give person_record_id or person, not both."))
            return None
        if not record_id and not public_id:
            self.fail("person_record_id", _("Required: person_record_id or person."))
            return None
        held = person_list_for_user(user=self.actor)
        if record_id:
            found = held.filter(
                identifications__agency=self.agency,
                identifications__agency_record_id=record_id,
            ).first()
            if found is None:
                self.fail(
                    "person_record_id",
                    _("No identification of your agency has this agency_record_id."),
                )
            return found
        found = held.filter(public_id=public_id.upper()).first()
        if found is None:
            self.fail("person", _("No person your agency holds has this public id."))
        return found

    def proceeding(self, person: Person | None) -> Participation | None:
        """The agency's proceeding with the person: the only one, or the one of case_reference."""
        if person is None:
            return None
        found = participation_list_for_user(user=self.actor).filter(
            person=person, agency=self.agency
        )
        if self.v["case_reference"]:
            found = found.filter(case_reference=self.v["case_reference"])
        proceedings = list(found[:2])
        if not proceedings:
            self.fail("case_reference", _("Your agency has no such proceeding with the person."))
            return None
        if len(proceedings) > 1:
            self.fail(
                "case_reference",
                _("The person has more than one proceeding with your agency: give its reference."),
            )
            return None
        return proceedings[0]

    def run(self) -> int:
        """Write the row through its service in a savepoint; the number of records written."""
        try:
            with transaction.atomic():
                written = self.kind.write(self)
                if self.errors:
                    raise _RowFailed
        except _RowFailed:
            return 0
        except ValidationError as exc:
            self._failed(exc)
            return 0
        except (PermissionDenied, Http404) as exc:
            reason = str(exc) if isinstance(exc, PermissionDenied) else ""
            self.fail("", reason or _("Your agency may not write this record."))
            return 0
        return 1 if written is not None else 0

    def _failed(self, exc: ValidationError) -> None:
        from enlace.exchange.importer import error_messages

        if not hasattr(exc, "error_dict"):
            self.fail("", " ".join(error_messages(exc.error_list)))
            return
        for field, errors in exc.error_dict.items():
            column = self.kind.fields.get(field, field)
            reason = " ".join(error_messages(errors))
            self.fail(column if column in self.kind.column_names else "", reason)


class _RowFailed(Exception):
    pass


# The kinds ------------------------------------------------------------------------------------


def _detention(row: Row) -> Any:
    person = row.person()
    kind = row.choice("kind", DetentionEvent.Kind)
    occurred_on = row.date("occurred_on")
    place = row.lookup("jurisdiction", row.lookups.jurisdictions)
    if row.errors or person is None or occurred_on is None:
        return None
    return justice.detention_record(
        actor=row.actor,
        person=person,
        kind=kind,
        occurred_on=occurred_on,
        jurisdiction=_jurisdiction(place),
    )


def _jurisdiction(pk: int | None) -> Any:
    from enlace.directory.models import Jurisdiction

    return None if pk is None else Jurisdiction.objects.get(pk=pk)


def _protection(row: Row) -> Any:
    proceeding = row.proceeding(row.person())
    measure = row.choice("measure", ProtectionMeasure.Kind)
    ordered_on = row.date("ordered_on")
    if row.errors or proceeding is None or ordered_on is None:
        return None
    return justice.protection_measure_record(
        actor=row.actor, participation=proceeding, kind=measure, ordered_on=ordered_on
    )


def _payment(row: Row) -> Any:
    proceeding = row.proceeding(row.person())
    awarded_on = row.date("awarded_on", required=False)
    paid_on = row.date("paid_on")
    amount = row.amount("amount")
    fund = row.code("fund", Fund)
    if row.errors or proceeding is None or paid_on is None or amount is None:
        return None
    orders = proceeding.restitution_orders.all()
    if awarded_on:
        orders = orders.filter(awarded_on=awarded_on)
    found = list(orders[:2])
    if len(found) != 1:
        row.fail(
            "awarded_on",
            _("The proceeding has no restitution order awarded on this date.")
            if awarded_on
            else _("The proceeding has no restitution order, or more than one: give awarded_on."),
        )
        return None
    return justice.restitution_payment_record(
        actor=row.actor, order=found[0], paid_on=paid_on, amount=amount, fund=fund
    )


def _conclusion(row: Row) -> Any:
    proceeding = row.proceeding(row.person())
    concluded_on = row.date("concluded_on")
    if row.errors or proceeding is None or concluded_on is None:
        return None
    return justice.participation_conclude(
        actor=row.actor, participation=proceeding, concluded_on=concluded_on
    )


def _extension(row: Row) -> Any:
    person = row.person()
    extended_on = row.date("extended_on")
    validity = row.choice("validity", [(p.code, str(p.label)) for p in PermitKind.objects.all()])
    if row.errors or person is None or extended_on is None:
        return None
    visa = (
        visa_request_list_for_user(user=row.actor)
        .filter(person=person, outcome=VisaRequest.Outcome.GRANTED)
        .order_by("-decided_on", "-pk")
        .first()
    )
    if visa is None:
        row.fail("person_record_id", _("The person has no granted visa to extend."))
        return None
    return immigration.visa_extend(
        actor=row.actor, request=visa, extended_on=extended_on, validity=validity
    )


def _repatriation(row: Row) -> Any:
    person = row.person()
    repatriated_on = row.date("repatriated_on")
    country = row.lookup("country", row.lookups.countries)
    if not row.v["country"]:
        row.fail("country", _("Required."))
    receiving = row.code("receiving_agency", Agency)
    organisation = row.text("receiving_organisation")
    if row.errors or person is None or repatriated_on is None or country is None:
        return None
    from enlace.directory.models import Country

    return immigration.repatriation_record(
        actor=row.actor,
        person=person,
        repatriated_on=repatriated_on,
        country=Country.objects.get(pk=country),
        receiving_agency=receiving,
        receiving_organisation=organisation,
    )


CORRECTED = ("given_names", "paternal_surname", "maternal_surname", "curp", "passport_number")


def _correction(row: Row) -> Any:
    from enlace.linkage.normalise import CURP_PATTERN
    from enlace.registry.models import identity_max_length

    person = row.person()
    reason = row.choice("reason", IdentityCorrection.Reason)
    corrected_on = row.date("corrected_on")
    values: dict[str, Any] = {}
    for name in (*CORRECTED, "contact"):
        if row.v[name]:
            values[name] = row.text(name, identity_max_length(name))
    if "curp" in values:
        values["curp"] = values["curp"].replace(" ", "").upper()
        if not CURP_PATTERN.match(values["curp"]):
            row.fail("curp", _("Not a well-formed CURP (18 letters and digits)."))
    birth_date = row.date("birth_date", required=False)
    if birth_date:
        values["birth_date"] = birth_date
    if not values and not row.errors:
        row.fail("", _("No identity column has a value: nothing to correct."))
    if row.errors or person is None or corrected_on is None:
        return None
    return registry.identity_correct(
        actor=row.actor, person=person, reason=reason, corrected_on=corrected_on, **values
    )


def _rule_out(row: Row) -> Any:
    person = row.person()
    reason = row.choice("reason", Identification.RuledOut)
    if not can(row.actor, Action.IDENTIFICATION_CONFIRM):
        row.fail(
            "",
            _(
                "Only a supervisor of the agency rules a person out: import this file "
                "as a supervisor."
            ),
        )
    if row.errors or person is None:
        return None
    found = Identification.objects.filter(person=person, agency=row.agency)
    if row.v["person_record_id"]:
        found = found.filter(agency_record_id=row.v["person_record_id"])
    else:
        found = found.filter(status=Identification.Status.POTENTIAL)
    identifications = list(found[:2])
    if len(identifications) != 1:
        row.fail("person", _("Your agency has no single potential identification of the person."))
        return None
    return registry.identification_rule_out(
        actor=row.actor, identification=identifications[0], reason=reason
    )


def _service(row: Row) -> Any:
    person = row.person()
    category = row.choice("category", ServiceCategory)
    kind = row.choice("kind", ServiceKind)
    started_on = row.date("started_on")
    ended_on = row.date("ended_on", required=False)
    fund = row.code("fund", Fund)
    grant = _grant_of(row)
    if row.errors or person is None or started_on is None:
        return None
    return assistance.service_record(
        actor=row.actor,
        person=person,
        category=category,
        kind=kind,
        started_on=started_on,
        ended_on=ended_on,
        fund=fund,
        grant=grant,
    )


def _grant_of(row: Row) -> Grant | None:
    """The grant a service was paid from: given to the agency by ``grant_from``, awarded on
    ``grant_awarded_on`` where the grantor gave it more than one."""
    grantor = row.code("grant_from", Agency)
    awarded_on = row.date("grant_awarded_on", required=False)
    if grantor is None:
        if awarded_on is not None:
            row.fail("grant_from", _("Required with grant_awarded_on."))
        return None
    grants = Grant.objects.filter(grantor=grantor, grantee=row.agency)
    if awarded_on is not None:
        grants = grants.filter(awarded_on=awarded_on)
    found = list(grants[:2])
    if len(found) != 1:
        row.fail(
            "grant_awarded_on" if awarded_on else "grant_from",
            _("Your agency received no grant from this agency on this date.")
            if awarded_on
            else _(
                "Your agency received no grant from this agency, or more than one: give "
                "grant_awarded_on."
            ),
        )
        return None
    return found[0]


def _grant(row: Row) -> Any:
    grantee = row.code("grantee", Agency)
    if not row.v["grantee"]:
        row.fail("grantee", _("Required."))
    amount = row.amount("amount")
    awarded_on = row.date("awarded_on")
    fund = row.code("fund", Fund)
    purpose = row.text("purpose")
    if row.errors or grantee is None or amount is None or awarded_on is None:
        return None
    return funds.grant_record(
        actor=row.actor,
        grantee=grantee,
        amount=amount,
        awarded_on=awarded_on,
        fund=fund,
        purpose=purpose,
    )


def _col(name: str, description: str | Promise, example: str, *, required: bool = False) -> Column:
    return Column(name, required, description, example)


DATE = gettext_lazy("YYYY-MM-DD or DD/MM/YYYY; not in the future.")

KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        Kind(
            "detentions",
            gettext_lazy("Detentions, transfers and deportations"),
            (
                *PERSON_COLUMNS,
                _col("kind", _choices(DetentionEvent.Kind), "detention", required=True),
                _col("occurred_on", DATE, "2017-06-01", required=True),
                _col(
                    "jurisdiction",
                    gettext_lazy("Where: the jurisdiction's statistical code or name."),
                    "21",
                ),
            ),
            _detention,
            {},
        ),
        Kind(
            "protection_measures",
            gettext_lazy("Protection measures"),
            (
                *PERSON_COLUMNS,
                PROCEEDING,
                _col("measure", _choices(ProtectionMeasure.Kind), "relocation", required=True),
                _col("ordered_on", DATE, "2017-06-01", required=True),
            ),
            _protection,
            {"kind": "measure"},
        ),
        Kind(
            "restitution_payments",
            gettext_lazy("Restitution payments"),
            (
                *PERSON_COLUMNS,
                PROCEEDING,
                _col(
                    "awarded_on",
                    gettext_lazy(
                        "The date the restitution order was awarded; needed only when the "
                        "proceeding has more than one order."
                    ),
                    "",
                ),
                _col("paid_on", DATE, "2017-09-01", required=True),
                _col(
                    "amount",
                    gettext_lazy("Amount paid, such as 15000.00."),
                    "15000.00",
                    required=True,
                ),
                _col("fund", gettext_lazy("The code of the fund it was paid from, if any."), ""),
            ),
            _payment,
            {},
        ),
        Kind(
            "proceedings_concluded",
            gettext_lazy("Conclusions of proceedings"),
            (
                *PERSON_COLUMNS,
                PROCEEDING,
                _col("concluded_on", DATE, "2018-02-01", required=True),
            ),
            _conclusion,
            {},
        ),
        Kind(
            "visa_extensions",
            gettext_lazy("Visa extensions (the person's latest granted visa)"),
            (
                *PERSON_COLUMNS,
                _col("extended_on", DATE, "2017-09-01", required=True),
                _col(
                    "validity",
                    gettext_lazy("A permit code of the country profile."),
                    "working_days_60",
                    required=True,
                ),
            ),
            _extension,
            {},
        ),
        Kind(
            "repatriations",
            gettext_lazy("Repatriations"),
            (
                *PERSON_COLUMNS,
                _col("repatriated_on", DATE, "2017-12-01", required=True),
                _col(
                    "country",
                    gettext_lazy("Country: ISO code or name in Spanish or English."),
                    "GT",
                    required=True,
                ),
                _col(
                    "receiving_agency",
                    gettext_lazy(
                        "The code of the receiving agency or consulate, if in the directory."
                    ),
                    "",
                ),
                _col(
                    "receiving_organisation",
                    gettext_lazy("Or the receiving organisation's name. Never a person's name."),
                    "",
                ),
            ),
            _repatriation,
            {},
        ),
        Kind(
            "identity_corrections",
            gettext_lazy("Identity corrections (by the registering agency)"),
            (
                *PERSON_COLUMNS,
                _col("reason", _choices(IdentityCorrection.Reason), "typing", required=True),
                _col("corrected_on", DATE, "2017-06-02", required=True),
                *(
                    Column(
                        c.name,
                        False,
                        gettext_lazy("The corrected value; empty keeps the stored one."),
                        "",
                        identity=True,
                    )
                    for c in COLUMNS
                    if c.name in (*CORRECTED, "birth_date")
                ),
                Column(
                    "contact",
                    False,
                    gettext_lazy("The corrected safe contact; empty keeps the stored one."),
                    "",
                    identity=True,
                ),
            ),
            _correction,
            {},
        ),
        Kind(
            "ruled_out",
            gettext_lazy("Ruled out: not a victim (supervisors only)"),
            (
                *PERSON_COLUMNS,
                _col("reason", _choices(Identification.RuledOut), "no_indicators", required=True),
            ),
            _rule_out,
            {"ruled_out_reason": "reason"},
        ),
        Kind(
            "services",
            gettext_lazy("Services delivered (with the fund or grant that paid them)"),
            (
                *PERSON_COLUMNS,
                _col("category", _choices(ServiceCategory), "emergency", required=True),
                _col("kind", _choices(ServiceKind), "psychological", required=True),
                _col("started_on", DATE, "2017-06-01", required=True),
                _col("ended_on", DATE, ""),
                _col("fund", gettext_lazy("The code of a fund your agency administers."), ""),
                _col(
                    "grant_from",
                    gettext_lazy("The code of the agency whose grant to yours paid the service."),
                    "",
                ),
                _col(
                    "grant_awarded_on",
                    gettext_lazy("The date of that grant; needed only when it gave you several."),
                    "",
                ),
            ),
            _service,
            {},
        ),
        Kind(
            "grants",
            gettext_lazy("Grants given to NGOs (supervisors only)"),
            (
                _col(
                    "grantee",
                    gettext_lazy("The code of the NGO given the grant."),
                    "",
                    required=True,
                ),
                _col(
                    "amount",
                    gettext_lazy("Amount given, such as 250000.00."),
                    "250000.00",
                    required=True,
                ),
                _col("awarded_on", DATE, "2017-03-01", required=True),
                _col("fund", gettext_lazy("The code of a fund your agency administers."), ""),
                _col("purpose", gettext_lazy("What the grant pays for (no names)."), ""),
            ),
            _grant,
            {},
        ),
    )
}

KIND_NAMES = (IDENTIFICATIONS, *KINDS)
assert set(KIND_NAMES) == {k.value for k in SubmissionKind}


def kind_choices() -> list[tuple[str, str]]:
    return [
        (IDENTIFICATIONS, _("Identifications")),
        *((k.name, str(k.label)) for k in KINDS.values()),
    ]


def columns_of(kind: str) -> tuple[Column, ...]:
    """The template columns of a kind of submission; KeyError for an unknown kind."""
    return COLUMNS if kind == IDENTIFICATIONS else KINDS[kind].columns


def records_import(
    *,
    actor: Any,
    kind: str,
    data: bytes,
    dry_run: bool = False,
    progress: Callable[[str, int, int], None] | None = None,
) -> Any:
    """Import a file of records of ``kind`` for the actor's agency: all rows, or nothing.

    Raises ``SubmissionError`` when the file as a whole cannot be read, and
    ``PermissionDenied`` when the actor works no agency's cases.
    """
    from enlace.exchange.importer import ImportResult, lookups_load
    from enlace.exchange.reading import read_table

    spec = KINDS[kind]
    membership = membership_of(actor)
    if membership is None or membership.agency is None:
        raise PermissionDenied(_("Only an agency's staff import its records."))
    header, _rows = read_table(data, columns=spec.columns)
    total = sum(1 for _row in read_table(data, columns=spec.columns)[1])
    result = ImportResult(total=total)
    lookups = lookups_load()
    today = timezone.localdate()
    report = progress or (lambda phase, done, total: None)
    with transaction.atomic():
        for done, (number, values) in enumerate(_rows, start=1):
            row = Row(
                number=number,
                values=dict(zip(header, values, strict=False)),
                kind=spec,
                actor=actor,
                agency=membership.agency,
                lookups=lookups,
                today=today,
            )
            if len(values) > len(header) and any(v.strip() for v in values[len(header) :]):
                row.fail("", _("More values than columns in the header."))
                written = 0
            else:
                written = row.run()
            if row.errors:
                result.rejected += 1
                result.errors.extend(row.errors)
            result.stored += written
            if done % 100 == 0:
                report("storing", done, total)
        report("storing", total, total)
        if result.rejected or dry_run:
            result.nothing_stored = True
            if result.rejected:
                result.stored = 0
            transaction.set_rollback(True)
    return result


def kinds_described() -> Iterable[tuple[str, str | Promise, tuple[Column, ...]]]:
    """Each kind of record file, for the docs: its name, label and columns."""
    for spec in KINDS.values():
        yield spec.name, spec.label, spec.columns
