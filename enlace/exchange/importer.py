"""Importing a submission: rows checked one by one, valid ones stored in batches.

Each row is checked with the rules of ``identification_record`` and the
model's own field validation. A row whose ``agency_record_id`` the agency
already used is compared with what is stored: the same values leave it
alone, different values update it through audited writes. New rows are
stored in batches (``enlace.exchange.bulk``), which write the same records
and audit rows as ``person_register`` and ``identification_record`` would,
one by one.

By default each batch is its own transaction, so an interrupted import
keeps whole rows only and running the file again completes it. With
``all_or_nothing`` the file is checked first and then stored in one
transaction: nothing is stored unless every row is valid, and an
interruption stores nothing.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from enlace.accounts.permissions import Action, membership_of, require
from enlace.audit.context import current_request_id
from enlace.audit.services import save_audited, snapshot
from enlace.core.retry import run_retried
from enlace.core.services import lock
from enlace.directory.models import Agency, Country, CountryProfile, Jurisdiction, Protocol
from enlace.directory.selectors import vocabulary_terms
from enlace.exchange.bulk import rows_create
from enlace.exchange.reading import read_table
from enlace.exchange.report import WITHHELD, RowError, record_id_shown
from enlace.exchange.rows import ParsedRow, parse_row
from enlace.exchange.values import COUNTRY_FIELDS, JURISDICTION_FIELDS, Lookups, lookups_build
from enlace.linkage.features import batch as linkage_batch
from enlace.registry.models import (
    Identification,
    IdentificationForm,
    TraffickingDetail,
    TraffickingPlace,
)
from enlace.registry.services import PlaceIn, identification_detail_set, identity_update

CHUNK = 1000
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
    home = CountryProfile.objects.filter(code=settings.COUNTRY_PROFILE).values("code")
    return lookups_build(
        jurisdictions=Jurisdiction.objects.values_list(*JURISDICTION_FIELDS, "aliases"),
        countries=Country.objects.values_list(*COUNTRY_FIELDS),
        protocols=Protocol.objects.values_list("pk", "code"),
        agencies=Agency.objects.values_list("code", flat=True),
        vocabularies={v: vocabulary_terms(v) for v in TraffickingDetail.Vocabulary.values},
        # The country whose places have states, as ``identification_detail_set`` decides.
        home_country=Country.objects.filter(iso2__in=home).values_list("pk", flat=True).first(),
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
            return
        # A chunk aborted by a deadlock runs again, its counts and errors as before it.
        kept = dataclasses.replace(result, errors=list(result.errors))

        def restore() -> None:
            for name in ("stored", "updated", "unchanged", "rejected"):
                setattr(result, name, getattr(kept, name))
            result.errors[:] = kept.errors

        run_retried(lambda: writer.apply(batch, result), before_retry=restore)

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
            .prefetch_related(
                "forms",
                "trafficking_details",
                Prefetch(
                    "trafficking_places",
                    queryset=TraffickingPlace.objects.select_related(
                        "country", "jurisdiction"
                    ).order_by("stage", "pk"),
                ),
            )
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
            rows_create(new, actor=self.actor, agency=self.agency, audit_base=self.audit_base)
            result.stored += len(new)

    def update(self, identification: Identification, row: ParsedRow) -> bool:
        """Bring a stored identification in line with its row; False if it already was."""
        person = identification.person
        wanted = row.identification_values()
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
        detail = _detail_wanted(identification, row)
        if not (id_changed or person_changed or identity_changes or detail is not None):
            return False
        if person_changed and theirs:
            raise PermissionDenied(
                _(
                    "The person was registered by another agency: only that agency may change "
                    "their sex, nationality or identity."
                )
            )
        # Lock order (docs/audit.md): the person before its records.
        lock(person)
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
            before = snapshot(person)
            for name, value in person_wanted.items():
                setattr(person, name, value)
            save_audited(actor=self.actor, action="person.update", obj=person, before=before)
        if identity_changes:
            identity_update(actor=self.actor, person=person, **identity_changes)
        if detail is not None:
            codes, places = detail
            identification_detail_set(
                actor=self.actor, identification=identification, codes=codes, places=places
            )
        return True


def _detail_wanted(
    identification: Identification, row: ParsedRow
) -> tuple[dict[str, list[str]], list[PlaceIn]] | None:
    """The trafficking detail the row asks for, with what its empty cells keep; None when
    the identification already has it."""
    if not (row.codes or row.places):
        return None
    stored: dict[str, list[str]] = {v: [] for v in TraffickingDetail.Vocabulary.values}
    for d in identification.trafficking_details.all():
        stored[d.vocabulary].append(d.code)
    codes = {v: sorted(row.codes.get(v, stored[v])) for v in stored}
    stored_places = list(identification.trafficking_places.all())
    kept = [p for p in stored_places if p.stage not in row.places]
    given = list(row.places.items())
    wanted = sorted(
        [(p.stage, p.country_id, p.jurisdiction_id, p.municipality) for p in kept]
        + [(stage, p.country_id, p.jurisdiction_id, p.municipality) for stage, p in given]
    )
    now = sorted((p.stage, p.country_id, p.jurisdiction_id, p.municipality) for p in stored_places)
    if codes == {v: sorted(c) for v, c in stored.items()} and wanted == now:
        return None
    countries = Country.objects.in_bulk([p.country_id for _stage, p in given])
    states = Jurisdiction.objects.in_bulk([p.jurisdiction_id for _stage, p in given])
    places = [PlaceIn(p.stage, p.country, p.jurisdiction, p.municipality) for p in kept] + [
        PlaceIn(stage, countries[p.country_id], states.get(p.jurisdiction_id or 0), p.municipality)
        for stage, p in given
    ]
    return codes, places


def _error_from(row: ParsedRow, exc: Exception) -> RowError:
    column = ""
    reason = str(exc)
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        column, errors = next(iter(exc.error_dict.items()))
        reason = " ".join(error_messages(errors))
    elif isinstance(exc, ValidationError):
        reason = " ".join(error_messages(exc.error_list))
    return RowError(row.row, record_id_shown(row.agency_record_id), column, "", reason)


def error_messages(errors: Iterable[ValidationError]) -> list[str]:
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
