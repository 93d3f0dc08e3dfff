"""Frozen releases of a year's annual figures: publish, verify, and compare with today's records.

A release keeps the annual report as it was computed, with what is needed to
reproduce it (the counting-rule version, the code version, the data
watermark) and a hash over all of it. A correction is a new version with a
reason; no version is ever changed. Every later view of a published year
shows the frozen figures (``frozen_or_live``) and says when recomputing
them today would give other numbers (``live_changes``). See docs/releases.md.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import shutil
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache as django_cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from enlace.accounts.permissions import Action, require
from enlace.audit.models import AuditEvent
from enlace.audit.services import save_audited
from enlace.registry.models import Identification
from enlace.reports.annual import annual_report
from enlace.reports.markdown import report_value
from enlace.reports.models import Release
from enlace.statistics import disclosure
from enlace.statistics.indicators import REGISTRY

# Who publishes: the role that already releases national statistics to the public
# (the differentially private open data), the national analyst.
PUBLISH = Action.STATISTICS_RELEASE
SUPPRESSED = "suppressed"

# The report's figures the public sees, in the report's order: (path, rule), where
# the rule is "national" (a national total: published as the government publishes
# it), "partition" (cells adding up to identified.total) or "breakdown" (cells
# below the national level that need not add up). Cells pass disclosure control.
PUBLIC_TABLES: tuple[tuple[tuple[str, str], str], ...] = (
    (("identified", "total"), "national"),
    (("identified", "by_sex"), "partition"),
    (("identified", "by_form"), "breakdown"),
    (("identified", "by_level"), "breakdown"),
    (("identified_abroad", "total"), "national"),
    (("identified_abroad", "by_country"), "breakdown"),
    (("identified_abroad", "by_form"), "breakdown"),
    (("assisted", "by_agency"), "breakdown"),
    (("sheltered", "by_shelter"), "breakdown"),
    (("humanitarian_visas", "granted"), "national"),
)

# The fields the hash covers, each as stored.
HASHED = (
    "year",
    "version",
    "reason",
    "published_at",
    "published_by_id",
    "rules_version",
    "code_version",
    "watermark",
    "figures",
    "public",
    "previous_hash",
)


@dataclass(frozen=True)
class Change:
    """One figure that differs: its path in the report (``identified.by_sex.female``)."""

    figure: str
    old: Any
    new: Any


# --- what a release records ----------------------------------------------------------------


def rules_version() -> str:
    """A hash of every indicator's written scope, unit and rule (in English).

    Computed, not a constant someone must remember to raise: a rule whose text
    changes changes it. A change of computation without a change of text is
    caught by the code version instead.
    """
    with translation.override("en"):
        text = "\n".join(
            f"{i.name}\t{i.scope}\t{i.unit}\t{i.rule}"
            for i in sorted(REGISTRY.values(), key=lambda i: i.name)
        )
    return "rules-" + hashlib.sha256(text.encode()).hexdigest()[:16]


@cache
def code_version() -> str:
    """The package version, and ``git describe`` where the code runs from a git checkout."""
    try:
        version = metadata.version("enlace")
    except metadata.PackageNotFoundError:
        version = "unknown"
    git = shutil.which("git")
    if git is None:
        return version
    try:
        described = subprocess.run(  # noqa: S603 - a fixed command, no input
            [git, "describe", "--always", "--dirty", "--tags"],
            cwd=Path(__file__).resolve().parent,
            capture_output=True,
            text=True,
            timeout=5,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return version
    return f"{version} ({described})" if described else version


def data_watermark() -> dict[str, Any]:
    """The newest writes when the figures are computed.

    Every write goes through a service that writes an audit row, so the newest
    audit row moves with any change to what is counted (a late import, a
    linkage run); the newest identification is kept too, readable on its own.
    """
    event = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
    last = Identification.objects.order_by("-pk").values("pk", "created_at").first()
    return {
        "audit_event": event or 0,
        "identification": last["pk"] if last else 0,
        "identification_stored_at": last["created_at"].isoformat() if last else None,
    }


def release_hash(release: Release) -> str:
    """SHA-256 over the release's stored content, in a canonical JSON form."""
    content = {name: getattr(release, name) for name in HASHED}
    content["published_at"] = release.published_at.isoformat()
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def public_tables(report: Mapping[str, Any], *, threshold: int) -> dict[str, Any]:
    """The tables of ``report`` the public may see: national totals, and cells through
    small-cell and complementary suppression (``statistics.disclosure``)."""
    tables = []
    for path, rule in PUBLIC_TABLES:
        value = report_value(report, path)
        if value is None or value == {}:
            continue
        if rule == "national":
            rows = [{"category": disclosure.TOTAL, "people": value, "suppressed": False}]
        else:
            total = report_value(report, ("identified", "total")) if rule == "partition" else None
            cells, _total = disclosure.suppress_1d(value, threshold=threshold, total=total)
            rows = [
                {"category": k, "people": c.shown, "suppressed": c.hidden} for k, c in cells.items()
            ]
        tables.append({"table": ".".join(path), "rows": rows})
    return {"threshold": threshold, "tables": tables}


# --- comparing figures ------------------------------------------------------------------------


def _flatten(node: Any, prefix: str, out: dict[str, Any]) -> None:
    if isinstance(node, Mapping):
        for key, value in node.items():
            _flatten(value, f"{prefix}.{key}" if prefix else str(key), out)
    elif isinstance(node, list):
        for i, item in enumerate(node):
            # A fund or a grantor names its own entry; anything else by position.
            name = (item.get("fund") or item.get("grantor")) if isinstance(item, Mapping) else None
            _flatten(item, f"{prefix}.{name or i}", out)
    else:
        out[prefix] = node


def flatten_figures(report: Mapping[str, Any]) -> dict[str, Any]:
    """Every figure of a report by its path, leaving out the names the prose uses."""
    out: dict[str, Any] = {}
    _flatten({k: v for k, v in report.items() if k not in ("year", "names")}, "", out)
    return out


def figures_diff(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Change]:
    """The figures that differ between two reports, old → new (None: absent), in report order."""
    a, b = flatten_figures(old), flatten_figures(new)
    keys = [*a, *(k for k in b if k not in a)]
    return [Change(k, a.get(k), b.get(k)) for k in keys if a.get(k) != b.get(k)]


def flatten_public(public: Mapping[str, Any]) -> dict[str, Any]:
    return {
        f"{t['table']}.{r['category']}": SUPPRESSED if r["suppressed"] else r["people"]
        for t in public["tables"]
        for r in t["rows"]
    }


def _live(year: int) -> dict[str, Any]:
    # Through JSON, as a release stores it: compared value for value.
    result: dict[str, Any] = json.loads(json.dumps(annual_report(year)))
    return result


# --- the service ------------------------------------------------------------------------------


@transaction.atomic
def release_publish(*, actor: Any, year: int, reason: str = "") -> Release:
    """Freeze ``year``'s annual figures as its next version.

    The first version may give a reason; a correction (version 2 on) must, and
    must change at least one figure. Refused for a year without figures.
    """
    require(actor, PUBLISH)
    reason = reason.strip()
    previous = Release.objects.select_for_update().filter(year=year).order_by("-version").first()
    figures = _live(year)
    if not flatten_figures(figures):
        raise ValidationError({"year": _("%(year)s has no figures to publish.") % {"year": year}})
    if previous is not None:
        if not reason:
            raise ValidationError(
                {"reason": _("A correction needs a reason: say what changed and why.")}
            )
        if not figures_diff(release_figures(previous), figures):
            raise ValidationError(
                {
                    "year": _(
                        "The figures of %(year)s are those of version %(version)s: "
                        "there is nothing to correct."
                    )
                    % {"year": year, "version": previous.version}
                }
            )
    release = Release(
        year=year,
        version=previous.version + 1 if previous else 1,
        reason=reason,
        published_at=timezone.now(),
        published_by=actor,
        rules_version=rules_version(),
        code_version=code_version(),
        watermark=data_watermark(),
        figures=json.dumps(figures, ensure_ascii=False),
        public=json.dumps(
            public_tables(figures, threshold=settings.OPEN_DATA_MIN_CELL), ensure_ascii=False
        ),
        previous_hash=previous.hash if previous else "",
    )
    release.hash = release_hash(release)
    save_audited(actor=actor, action="release.publish", obj=release)
    return release


# --- reads: no person is in a release, so they need no user ----------------------------------


def release_list() -> QuerySet[Release]:
    return Release.objects.order_by("-year", "-version")


def release_for_year(year: int, version: int | None = None) -> Release | None:
    """The latest release of ``year`` (or the version asked for), None if never published."""
    releases = Release.objects.filter(year=year)
    if version is not None:
        releases = releases.filter(version=version)
    return releases.order_by("-version").first()


def release_figures(release: Release) -> dict[str, Any]:
    figures: dict[str, Any] = json.loads(release.figures)
    return figures


def release_public(release: Release) -> dict[str, Any]:
    public: dict[str, Any] = json.loads(release.public)
    return public


def release_previous(release: Release) -> Release | None:
    if release.version == 1:
        return None
    return Release.objects.filter(year=release.year, version=release.version - 1).first()


def release_verify(release: Release) -> bool:
    """Whether the stored release is what was published: its content against its hash, its
    hash against the audit row of its publication, and the previous version's hash.

    The hash takes no key, so someone who changes a row can compute a matching one;
    the audit row, chained in the audit trail (``enlace audit_verify``), keeps the
    hash as published.
    """
    if not hmac.compare_digest(release.hash, release_hash(release)):
        return False
    published = (
        AuditEvent.objects.filter(
            action="release.publish", object_type="reports.release", object_id=str(release.pk)
        )
        .values_list("after", flat=True)
        .first()
    )
    if not published or not hmac.compare_digest(published.get("hash", ""), release.hash):
        return False
    previous = release_previous(release)
    if previous is None:
        return release.version == 1 and release.previous_hash == ""
    return hmac.compare_digest(release.previous_hash, previous.hash)


def release_changes(release: Release) -> list[Change]:
    """What this version changed in the figures of the version before it."""
    previous = release_previous(release)
    if previous is None:
        return []
    return figures_diff(release_figures(previous), release_figures(release))


def public_changes(release: Release) -> list[Change]:
    """What this version changed in the public tables of the version before it."""
    previous = release_previous(release)
    if previous is None:
        return []
    a = flatten_public(release_public(previous))
    b = flatten_public(release_public(release))
    keys = [*a, *(k for k in b if k not in a)]
    return [Change(k, a.get(k), b.get(k)) for k in keys if a.get(k) != b.get(k)]


def live_changes(release: Release) -> list[Change]:
    """What recomputing the release's year from today's records would change.

    Cached under the data watermark and the code version: the report is
    computed again only after a write (or a new deployment), not for every
    visitor of a public page.
    """
    mark = data_watermark()
    key = (
        "enlace:release-live:"
        + hashlib.sha256(
            f"{release.hash}|{mark['audit_event']}|{mark['identification']}|{code_version()}".encode()
        ).hexdigest()
    )
    changes: list[Change] | None = django_cache.get(key)
    if changes is None:
        changes = figures_diff(release_figures(release), _live(release.year))
        django_cache.set(key, changes, timeout=3600)
    return changes


def frozen_or_live(year: int) -> tuple[dict[str, Any], Release | None, bool]:
    """The figures to show for ``year``: a published year's frozen ones, else today's.

    Returns (report, release or None, whether recomputing today would differ).
    A view of a published year shows a banner when the last is true.
    """
    release = release_for_year(year)
    if release is None:
        return annual_report(year), None, False
    return release_figures(release), release, bool(live_changes(release))


@dataclass(frozen=True)
class ReleaseStatus:
    """For a banner on a page of live figures: the year's release and what differs now."""

    release: Release
    changes: list[Change]


def release_status(year: int) -> ReleaseStatus | None:
    release = release_for_year(year)
    return None if release is None else ReleaseStatus(release, live_changes(release))
