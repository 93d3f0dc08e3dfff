"""Only a national analyst publishes a release, and each publication leaves its audit row."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from enlace.audit.models import AuditEvent
from enlace.reports.models import Release
from enlace.reports.releases import release_publish
from tests.conftest import Cast


@pytest.mark.usefixtures("identified")
def test_only_a_national_analyst_publishes(cast: Cast) -> None:
    for user in (cast.alice, cast.sam, cast.audrey, cast.nobody):
        with pytest.raises(PermissionDenied):
            release_publish(actor=user, year=2017)
    with pytest.raises(CommandError):
        call_command("release", "publish", "--year", "2017", "--by", "sam")
    assert Release.objects.count() == 0
    assert not AuditEvent.objects.filter(action="release.publish").exists()


def test_publishing_writes_its_audit_row(cast: Cast, published: Release) -> None:
    row = AuditEvent.objects.get(action="release.publish")
    assert (row.actor, row.agency_code) == (cast.ana, "CIT")
    assert (row.object_type, row.object_id) == ("reports.release", str(published.pk))
    assert row.after is not None and row.after["hash"] == published.hash


@pytest.mark.usefixtures("identified")
def test_a_year_without_figures_is_not_published(cast: Cast) -> None:
    with pytest.raises(ValidationError):
        release_publish(actor=cast.ana, year=2010)
    assert Release.objects.count() == 0
