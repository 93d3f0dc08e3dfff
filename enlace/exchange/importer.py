"""Importing a submission: rows checked one by one, valid ones stored in batches.

Each row is checked with the rules of ``identification_record`` and the
model's own field validation. A row whose ``agency_record_id`` the agency
already used is compared with what is stored: the same values leave it
alone, different values update it through audited writes. New rows are
stored in batches (persons, identities, linkage encodings, identifications,
forms and one audit row per write), which is what makes a million rows
practical; the batch writes the same records and audit rows as
``person_register`` and ``identification_record`` would, one by one.

By default each batch is its own transaction, so an interrupted import
keeps whole rows only and running the file again completes it. With
``all_or_nothing`` the file is checked first and then stored in one
transaction: nothing is stored unless every row is valid, and an
interruption stores nothing.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from enlace.accounts.permissions import Action, membership_of, require
from enlace.audit.chain import CONTENT_FIELDS
from enlace.audit.context import current_request_id
from enlace.audit.models import AuditEvent
from enlace.audit.services import audit_chain_rows, object_label, snapshot
from enlace.core.services import lock, save_audited
from enlace.directory.models import Agency, Country, Jurisdiction, Protocol
from enlace.exchange.values import (
    COUNTRY_FIELDS,
    JURISDICTION_FIELDS,
    WITHHELD,
    Lookups,
    ParsedRow,
    RowError,
    lookups_build,
    parse_row,
    read_table,
    record_id_shown,
)
from enlace.linkage.features import Record
from enlace.linkage.features import batch as linkage_batch
from enlace.linkage.features import row as features_row
from enlace.linkage.models import Encoding
from enlace.linkage.services import BLOOMS, TOKENS, exact_keys
from enlace.registry.models import (
    Identification,
    IdentificationForm,
    Identity,
    Person,
)
from enlace.registry.services import (
    IDENTITY_FIELDS,
    fields_check,
    identity_new,
    identity_update,
    person_new,
    unused_person_ids,
)

CHUNK = 1000
IDENTIFICATION_FIELDS = (
    "identified_on",
    "status",
    "jurisdiction_id",
    "country_abroad_id",
    "protocol_id",
    "age_at_identification",
    "consent_to_share",
)
PERSON_FIELDS = ("sex", "nationality_id")
PERSON_COLUMNS = (
    "public_id",
    "national_id",
    "registered_by",
    "sex",
    "gender",
    "nationality",
    "created_at",
)

Progress = Callable[[str, int, int], None]


@dataclass
class ImportResult:
    total: int = 0
    stored: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    errors: list[RowError] = field(default_factory=list)
    # Set when nothing was stored although some rows were valid (all or nothing, dry run).
    nothing_stored: bool = False

    def summary(self) -> str:
        return (
            f"{self.stored} stored, {self.updated} updated, "
            f"{self.unchanged} unchanged, {self.rejected} rejected"
        )


class _Rollback(Exception):
    pass


def lookups_load() -> Lookups:
    return lookups_build(
        jurisdictions=Jurisdiction.objects.values_list(*JURISDICTION_FIELDS, "aliases"),
        countries=Country.objects.values_list(*COUNTRY_FIELDS),
        protocols=Protocol.objects.values_list("pk", "code"),
        agencies=Agency.objects.values_list("code", flat=True),
    )


@linkage_batch()  # names repeat across a file
def submission_import(
    *,
    actor: Any,
    data: bytes,
    dry_run: bool = False,
    all_or_nothing: bool = False,
    progress: Progress | None = None,
    chunk: int = CHUNK,
) -> ImportResult:
    """Import a CSV or XLSX submission for the actor's agency; see the module docstring.

    Raises ``SubmissionError`` when the file as a whole cannot be read, and
    ``PermissionDenied`` when the actor may not record identifications.
    """
    require(actor, Action.PERSON_REGISTER)
    membership = require(actor, Action.IDENTIFICATION_RECORD)
    agency = membership.agency
    assert agency is not None  # case roles have one
    lookups = lookups_load()
    today = timezone.localdate()
    header, _rows = read_table(data)
    total = sum(1 for _row in read_table(data)[1])
    result = ImportResult(total=total)
    report = progress or (lambda phase, done, total: None)

    def parsed_rows() -> Iterable[ParsedRow]:
        seen: dict[str, int] = {}
        for done, (number, values) in enumerate(read_table(data)[1], start=1):
            row, errors = parse_row(
                number,
                dict(zip(header, values, strict=False)),
                lookups=lookups,
                agency_code=agency.code,
                today=today,
            )
            if len(values) > len(header) and any(v.strip() for v in values[len(header) :]):
                errors.append(
                    RowError(number, "", "", "", _("More values than columns in the header."))
                )
                row = None
            if row is not None and row.agency_record_id in seen:
                shown_id = record_id_shown(row.agency_record_id)
                errors.append(
                    RowError(
                        number,
                        shown_id,
                        "agency_record_id",
                        shown_id,
                        _("Repeats the agency_record_id of row %d.") % seen[row.agency_record_id],
                    )
                )
                row = None
            if row is not None:
                seen[row.agency_record_id] = number
            if errors:
                result.errors.extend(errors)
                result.rejected += 1
            if row is not None:
                yield row
            if done % chunk == 0:
                report("checking", done, total)

    writer = _Writer(actor=actor, agency=agency)
    if all_or_nothing:
        valid = list(parsed_rows())
        report("checking", total, total)
        if result.rejected:
            result.nothing_stored = True
            return result
        rows: Iterable[ParsedRow] = valid
    else:
        rows = parsed_rows()

    def store_all() -> None:
        batch: list[ParsedRow] = []
        done = 0
        for row in rows:
            batch.append(row)
            if len(batch) == chunk:
                store(batch)
                done += len(batch)
                report("storing", done, total - result.rejected)
                batch = []
        if batch:
            store(batch)
            done += len(batch)
        report("storing", done, total - result.rejected)

    one_transaction = all_or_nothing or dry_run

    def store(batch: list[ParsedRow]) -> None:
        if one_transaction:
            writer.apply(batch, result)
        else:
            with transaction.atomic():
                writer.apply(batch, result)

    try:
        if one_transaction:
            with transaction.atomic():
                store_all()
                if dry_run or (all_or_nothing and result.rejected):
                    raise _Rollback
        else:
            store_all()
    except _Rollback:
        result.nothing_stored = True
    result.errors.sort(key=lambda e: e.row)
    return result


class _Writer:
    def __init__(self, *, actor: Any, agency: Agency) -> None:
        self.actor = actor
        self.agency = agency
        membership = membership_of(actor)
        self.audit_base: dict[str, Any] = {
            "actor": actor if getattr(actor, "pk", None) else None,
            "actor_name": getattr(actor, "username", "") or "system",
            "agency_code": membership.agency.code if membership and membership.agency else "",
            "request_id": current_request_id(),
        }

    def apply(self, batch: list[ParsedRow], result: ImportResult) -> None:
        existing = {
            i.agency_record_id: i
            for i in Identification.objects.filter(
                agency=self.agency, agency_record_id__in=[r.agency_record_id for r in batch]
            )
            .select_related("person", "person__identity")
            .prefetch_related("forms")
        }
        new = []
        for row in batch:
            found = existing.get(row.agency_record_id)
            if found is None:
                new.append(row)
                continue
            try:
                with transaction.atomic():
                    changed = self.update(found, row)
            except (ValidationError, PermissionDenied) as exc:
                result.rejected += 1
                result.errors.append(_error_from(row, exc))
                continue
            if changed:
                result.updated += 1
            else:
                result.unchanged += 1
        if new:
            self.create(new)
            result.stored += len(new)

    def update(self, identification: Identification, row: ParsedRow) -> bool:
        """Bring a stored identification in line with its row; False if it already was."""
        person = identification.person
        wanted = _identification_values(row)
        forms_now = sorted(f.form for f in identification.forms.all())
        id_changed = (
            any(getattr(identification, k) != v for k, v in wanted.items())
            or forms_now != row.forms
        )
        person_wanted = {"sex": row.sex, "nationality_id": row.nationality_id}
        person_changed = any(getattr(person, k) != v for k, v in person_wanted.items())
        vault = getattr(person, "identity", None)
        # Another agency's identity is not compared: whether a row's names
        # matched it would tell an agency that may not read it.
        theirs = person.registered_by_id != self.agency.pk
        identity_changes = {
            k: v
            for k, v in row.identity.items()
            if not theirs and (vault is None or getattr(vault, k) != v)
        }
        if not (id_changed or person_changed or identity_changes):
            return False
        if person_changed and theirs:
            raise PermissionDenied(
                _(
                    "The person was registered by another agency: only that agency may change "
                    "their sex, nationality or identity."
                )
            )
        if id_changed:
            require(self.actor, Action.IDENTIFICATION_RECORD)
            lock(identification)
            before = {**snapshot(identification), "forms": forms_now}
            for name, value in wanted.items():
                setattr(identification, name, value)
            save_audited(
                actor=self.actor,
                action="identification.update",
                obj=identification,
                before=before,
                also={"forms": row.forms},
            )
            identification.forms.all().delete()
            IdentificationForm.objects.bulk_create(
                [IdentificationForm(identification=identification, form=f) for f in row.forms]
            )
        if person_changed:
            require(self.actor, Action.PERSON_REGISTER)
            lock(person)
            before = snapshot(person)
            for name, value in person_wanted.items():
                setattr(person, name, value)
            save_audited(actor=self.actor, action="person.update", obj=person, before=before)
        if identity_changes:
            identity_update(actor=self.actor, person=person, **identity_changes)
        return True

    def create(self, rows: list[ParsedRow]) -> None:
        """Register a person and record an identification for each row, in bulk."""
        ids = unused_person_ids("public_id", len(rows))
        national_ids = unused_person_ids("national_id", len(rows))
        persons = []
        vaults = []
        encoded: list[dict[str, Any]] = []
        for row, pid, nid in zip(rows, ids, national_ids, strict=True):
            person = person_new(
                agency=self.agency,
                public_id=pid,
                national_id=nid,
                sex=row.sex,
                nationality_id=row.nationality_id,
            )
            vault = identity_new(person=person, identity=row.identity)
            persons.append(person)
            vaults.append(vault)
            encoded.append(
                features_row(
                    Record(
                        record_id=pid,
                        given_names=vault.given_names,
                        paternal_surname=vault.paternal_surname,
                        maternal_surname=vault.maternal_surname,
                        birth_date=vault.birth_date,
                        curp=vault.curp,
                        passport_number=vault.passport_number,
                    ),
                    "encoded",
                    settings.LINKAGE_KEY,
                )
            )
        relink = _link(persons, [exact_keys(e) for e in encoded])
        _insert_and_key(
            persons,
            PERSON_COLUMNS,
            key="public_id",
        )
        for old, target in relink.items():
            Person.objects.filter(national_id=old).update(national_id=target)
        moment = timezone.now()
        now = connection.ops.adapt_datetimefield_value(moment)
        # The leaf rows need no primary keys back, so they skip the ORM's
        # per-value compilation and go in as plain parameter tuples; the
        # values are prepared by the fields themselves (encryption, JSON).
        stored = (*IDENTITY_FIELDS, "erasure_reference")
        _insert(
            Identity,
            ("person", *stored, "updated_at"),
            [
                (p.pk, *(getattr(v, name) for name in stored), now)
                for p, v in zip(persons, vaults, strict=True)
            ],
            prepare=stored,
        )
        vault_ids = dict(
            Identity.objects.filter(person__in=[p.pk for p in persons]).values_list(
                "person_id", "pk"
            )
        )
        for p, v in zip(persons, vaults, strict=True):
            v.pk, v.person_id, v.updated_at = vault_ids[p.pk], p.pk, moment
        # The linkage encodings, as ``encoding_store`` writes them; the next
        # linkage run (or the next write-time match) scores them.
        _insert(
            Encoding,
            ("person", *ENCODING_COLUMNS, "birth_year", "birth_year_exact", "updated_at"),
            [
                (p.pk, *(e[c] for c in ENCODING_COLUMNS), *_birth_year(e, row), now)
                for p, e, row in zip(persons, encoded, rows, strict=True)
            ],
        )
        identifications = []
        for p, row in zip(persons, rows, strict=True):
            identification = Identification(
                person=p,
                agency=self.agency,
                agency_record_id=row.agency_record_id,
                recorded_by=self.actor,
                **_identification_values(row),
            )
            fields_check(identification)
            identifications.append(identification)
        _insert_and_key(
            identifications,
            (
                "person",
                "agency",
                "agency_record_id",
                "recorded_by",
                "created_at",
                *_identification_values(rows[0]),
            ),
            key="agency_record_id",
            scope={"agency": self.agency},
        )
        _insert(
            IdentificationForm,
            ("identification", "form"),
            [(i.pk, f) for i, row in zip(identifications, rows, strict=True) for f in row.forms],
        )
        base = self.audit_base
        actor_id = base["actor"].pk if base["actor"] else None
        head = (now, actor_id, base["actor_name"], base["agency_code"], base["request_id"])
        events = []
        for p, v, i, row in zip(persons, vaults, identifications, rows, strict=True):
            events.append(
                (*head, "person.register", "registry.person", p.public_id, None, snapshot(p))
            )
            events.append(
                (*head, "identity.create", "registry.identity", str(v.pk), None, snapshot(v))
            )
            after = {**snapshot(i), "forms": row.forms}
            events.append(
                (*head, "identification.record", "registry.identification", str(i.pk), None, after)
            )
        # The events join the audit hash chain; their columns are its content fields in order.
        contents = [dict(zip(CONTENT_FIELDS, (moment, *e[1:]), strict=True)) for e in events]
        links = audit_chain_rows(contents)
        _insert(
            AuditEvent,
            (*CONTENT_FIELDS, "prev_hash", "hash"),
            [(*e, *link) for e, link in zip(events, links, strict=True)],
            prepare=("before", "after"),
        )

    def _event(self, action: str, obj: models.Model, after: dict[str, Any]) -> AuditEvent:
        return AuditEvent(
            **self.audit_base,
            action=action,
            object_type=obj._meta.label_lower,
            object_id=object_label(obj),
            before=None,
            after=after,
        )


def _insert(
    model: type[models.Model],
    names: tuple[str, ...],
    rows: list[tuple[Any, ...]],
    *,
    prepare: tuple[str, ...] = (),
) -> None:
    """Insert ``rows`` (values of the fields ``names``) with multi-row statements.

    Values of the fields in ``prepare`` go through the field's own database
    preparation (encryption, JSON, time zones); the others are passed as they are.
    """
    if not rows:
        return
    fields: list[Any] = [model._meta.get_field(name) for name in names]
    prepared = [(i, fields[i]) for i, name in enumerate(names) if name in prepare]
    if prepared:
        values = []
        for row in rows:
            cells = list(row)
            for i, field in prepared:
                cells[i] = field.get_db_prep_save(cells[i], connection)
            values.append(tuple(cells))
        rows = values
    insert_rows(model._meta.db_table, [f.column for f in fields], rows)


def insert_rows(table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
    """``INSERT`` many rows with a few multi-row statements: the raw way, for both databases.

    Statements stay under SQLite's limit of 32,766 parameters.
    """
    quote = connection.ops.quote_name
    head = f"INSERT INTO {quote(table)} ({', '.join(quote(c) for c in columns)}) VALUES "  # noqa: S608
    mark = "(" + ", ".join(["%s"] * len(columns)) + ")"
    size = max(1, min(1000, 30_000 // len(columns)))
    with connection.cursor() as cursor:
        for start in range(0, len(rows), size):
            batch = rows[start : start + size]
            cursor.execute(head + ", ".join([mark] * len(batch)), [v for r in batch for v in r])


def _insert_and_key(
    objs: list[Any],
    names: tuple[str, ...],
    *,
    key: str,
    scope: dict[str, Any] | None = None,
) -> None:
    """Insert model instances and give each its primary key, found by a unique ``key``."""
    if not objs:
        return
    model = type(objs[0])
    fields = [model._meta.get_field(name) for name in names]
    # Database values as the ORM would send them (auto_now_add included).
    rows = [
        tuple(f.get_db_prep_save(f.pre_save(obj, add=True), connection) for f in fields)
        for obj in objs
    ]
    _insert(model, names, rows)
    pks = dict(
        model._default_manager.filter(
            **(scope or {}), **{f"{key}__in": [getattr(o, key) for o in objs]}
        ).values_list(key, "pk")
    )
    for obj in objs:
        obj.pk = pks[getattr(obj, key)]
        obj._state.adding = False


def _identification_values(row: ParsedRow) -> dict[str, Any]:
    return {
        "identified_on": row.identified_on,
        "status": row.status,
        "jurisdiction_id": row.jurisdiction_id,
        "country_abroad_id": row.country_abroad_id,
        "protocol_id": row.protocol_id,
        "age_at_identification": row.age_at_identification,
        "consent_to_share": row.consent_to_share,
    }


def _error_from(row: ParsedRow, exc: Exception) -> RowError:
    column = ""
    reason = str(exc)
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        column, errors = next(iter(exc.error_dict.items()))
        reason = " ".join(_messages(errors))
    elif isinstance(exc, ValidationError):
        reason = " ".join(_messages(exc.error_list))
    return RowError(row.row, record_id_shown(row.agency_record_id), column, "", reason)


def _messages(errors: Iterable[ValidationError]) -> list[str]:
    # Django's field messages quote the value ("Value 'x' is not a valid
    # choice."); a report names the column and the reason, not the value.
    messages = []
    for error in errors:
        message = str(error.message)
        params = error.params
        if params and isinstance(params, dict):
            message %= {k: WITHHELD if k == "value" else v for k, v in params.items()}
        messages.append(message)
    return messages


ENCODING_COLUMNS = (*TOKENS, *BLOOMS)


def _birth_year(encoded: dict[str, Any], row: ParsedRow) -> tuple[int | None, bool]:
    """The year of the birth date, or one estimated from the age, as ``encoding_store`` keeps."""
    if encoded["birth_year"] is not None:
        return encoded["birth_year"], True
    if row.age_at_identification is not None:
        return row.identified_on.year - row.age_at_identification, False
    return None, False


def _link(persons: list[Person], tokens: list[set[str]]) -> dict[str, str]:
    """Give new persons the national id of anyone sharing an exact key, as ``match_new`` does
    before any linkage run (a run then re-links everything with the model).

    Sets ``national_id`` on the new persons and returns the stored national
    ids that must change (two stored people joined by a new record).
    """
    values = {v for t in tokens for v in t}
    stored: dict[str, set[str]] = {}
    curps = {v.split("|", 1)[1] for v in values if v.startswith("curp|")}
    dobs = {v.rsplit("|", 1)[1] for v in values if v.startswith("names|")}
    if values:
        candidates = Encoding.objects.filter(Q(curp__in=curps) | Q(dob__in=dobs)).values(
            "curp", "given", "paternal", "maternal", "dob", "person__national_id"
        )
        for candidate in candidates:
            for value in exact_keys(candidate) & values:
                stored.setdefault(value, set()).add(candidate["person__national_id"])
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    first_new: dict[str, str] = {}
    for person, person_tokens in zip(persons, tokens, strict=True):
        for value in sorted(person_tokens):
            for other in stored.get(value, ()):
                parent[find(other)] = find(person.national_id)
            if value in first_new:
                parent[find(first_new[value])] = find(person.national_id)
            else:
                first_new[value] = person.national_id
        find(person.national_id)
    stored_ids = {n for ns in stored.values() for n in ns}
    order = {p.national_id: i for i, p in enumerate(persons)}
    groups: dict[str, list[str]] = {}
    for node in list(parent):
        groups.setdefault(find(node), []).append(node)
    target_of: dict[str, str] = {}
    for members in groups.values():
        old = [m for m in members if m in stored_ids]
        # A stored group keeps its (smallest) id; a group of new records takes the first's.
        target = min(old) if old else min(members, key=lambda m: order.get(m, 0))
        for m in members:
            target_of[m] = target
    for person in persons:
        person.national_id = target_of.get(person.national_id, person.national_id)
    return {m: t for m, t in target_of.items() if m in stored_ids and m != t}


def submission_errors_rows(errors: Iterable[RowError]) -> list[dict[str, Any]]:
    return [e.as_dict() for e in errors]


def today() -> datetime.date:
    return timezone.localdate()
