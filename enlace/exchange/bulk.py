"""Storing an import's new rows in bulk: persons, identities, linkage encodings,
identifications, their forms, their trafficking detail and one audit row per write,
in a few multi-row statements.

The records and audit rows are those ``person_register``, ``identification_record``
and (for a row with trafficking detail) ``identification_detail_set`` write one by
one, built by the same builders (``person_new``, ``identity_new``); the statements
skip the ORM's per-row work, which is what makes a million rows practical.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import connection, models
from django.db.models import Q
from django.utils import timezone

from enlace.audit.chain import CONTENT_FIELDS
from enlace.audit.models import AuditEvent
from enlace.audit.services import audit_rows_appended, snapshot
from enlace.directory.models import Agency, Country, Jurisdiction
from enlace.exchange.rows import ParsedRow
from enlace.linkage.features import Record, estimated_birth_year
from enlace.linkage.features import row as features_row
from enlace.linkage.models import Encoding
from enlace.linkage.services import BLOOMS, TOKENS, exact_keys
from enlace.registry.models import (
    Identification,
    IdentificationForm,
    Identity,
    Person,
    TraffickingDetail,
    TraffickingPlace,
)
from enlace.registry.services import (
    IDENTITY_FIELDS,
    fields_check,
    identity_new,
    person_new,
    unused_person_ids,
)

PERSON_COLUMNS = (
    "public_id",
    "national_id",
    "registered_by",
    "sex",
    "gender",
    "nationality",
    "created_at",
)


def rows_create(
    rows: list[ParsedRow], *, actor: Any, agency: Agency, audit_base: dict[str, Any]
) -> None:
    """Register a person and record an identification for each row, in bulk.

    ``audit_base`` holds the audit rows' actor, actor_name, agency_code and request_id.
    """
    ids = unused_person_ids("public_id", len(rows))
    national_ids = unused_person_ids("national_id", len(rows))
    persons = []
    vaults = []
    encoded: list[dict[str, Any]] = []
    for row, pid, nid in zip(rows, ids, national_ids, strict=True):
        person = person_new(
            agency=agency,
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
        Identity.objects.filter(person__in=[p.pk for p in persons]).values_list("person_id", "pk")
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
            agency=agency,
            agency_record_id=row.agency_record_id,
            recorded_by=actor,
            **row.identification_values(),
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
            *rows[0].identification_values(),
        ),
        key="agency_record_id",
        scope={"agency": agency},
    )
    _insert(
        IdentificationForm,
        ("identification", "form"),
        [(i.pk, f) for i, row in zip(identifications, rows, strict=True) for f in row.forms],
    )
    _insert(
        TraffickingDetail,
        ("identification", "vocabulary", "code"),
        [
            (i.pk, vocabulary, code)
            for i, row in zip(identifications, rows, strict=True)
            for vocabulary, codes in row.codes.items()
            for code in codes
        ],
    )
    _insert(
        TraffickingPlace,
        ("identification", "stage", "country", "jurisdiction", "municipality"),
        [
            (i.pk, stage, p.country_id, p.jurisdiction_id, p.municipality)
            for i, row in zip(identifications, rows, strict=True)
            for stage, p in row.places.items()
        ],
    )
    details = _details(rows)
    base = audit_base
    actor_id = base["actor"].pk if base["actor"] else None
    head = (now, actor_id, base["actor_name"], base["agency_code"], base["request_id"])
    events = []
    for p, v, i, row in zip(persons, vaults, identifications, rows, strict=True):
        events.append((*head, "person.register", "registry.person", p.public_id, None, snapshot(p)))
        events.append((*head, "identity.create", "registry.identity", str(v.pk), None, snapshot(v)))
        after = {**snapshot(i), "forms": row.forms}
        events.append(
            (*head, "identification.record", "registry.identification", str(i.pk), None, after)
        )
        if row.codes or row.places:
            # As ``identification_detail_set`` records it, after the identification.
            before, detail = details(row)
            events.append(
                (
                    *head,
                    "identification.detail",
                    "registry.identification",
                    str(i.pk),
                    before,
                    detail,
                )
            )
    # Inserted unsealed (no seal number, empty hashes): the sealer chains them after commit.
    _insert(
        AuditEvent,
        (*CONTENT_FIELDS, "prev_hash", "hash"),
        [(*e, "", "") for e in events],
        prepare=("before", "after"),
    )
    audit_rows_appended()


def _details(rows: list[ParsedRow]) -> Any:
    """A function giving a row's trafficking detail before and after, as the audit row of
    ``identification_detail_set`` has them (``trafficking_detail_of``'s values)."""
    places = [p for row in rows for p in row.places.values()]
    iso2 = dict(
        Country.objects.filter(pk__in={p.country_id for p in places}).values_list("pk", "iso2")
    )
    codes = dict(
        Jurisdiction.objects.filter(pk__in={p.jurisdiction_id for p in places}).values_list(
            "pk", "code"
        )
    )
    empty: dict[str, list[str]] = {v: [] for v in TraffickingDetail.Vocabulary.values}

    def detail(row: ParsedRow) -> tuple[dict[str, Any], dict[str, Any]]:
        after: dict[str, Any] = {v: row.codes.get(v, []) for v in empty}
        after["places"] = [
            {
                "stage": stage,
                "country": iso2[p.country_id],
                "jurisdiction": codes[p.jurisdiction_id] if p.jurisdiction_id else None,
                "municipality": p.municipality,
            }
            for stage, p in sorted(row.places.items())
        ]
        return {**empty, "places": []}, after

    return detail


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


ENCODING_COLUMNS = (*TOKENS, *BLOOMS)


def _birth_year(encoded: dict[str, Any], row: ParsedRow) -> tuple[int | None, bool]:
    """The year of the birth date, or one estimated from the age, as ``encoding_store`` keeps."""
    if encoded["birth_year"] is not None:
        return encoded["birth_year"], True
    if row.age_at_identification is not None:
        return estimated_birth_year(row.age_at_identification, row.identified_on), False
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
