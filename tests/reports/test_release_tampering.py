"""A release never changes: the application refuses, and the hash finds a change made in the
database behind its back."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client

from enlace.accounts.models import Membership, Role
from enlace.reports.models import ImmutableRelease, Release
from enlace.reports.releases import release_hash, release_verify
from tests.reports.conftest import visitor


def test_the_application_neither_changes_nor_deletes_a_release(published: Release) -> None:
    with pytest.raises(ImmutableRelease):
        published.save()
    with pytest.raises(ImmutableRelease):
        Release.objects.filter(pk=published.pk).update(reason="edited")
    with pytest.raises(ImmutableRelease):
        published.delete()
    with pytest.raises(ImmutableRelease):
        Release.objects.all().delete()


def test_the_hash_finds_figures_changed_in_the_database(published: Release) -> None:
    call_command("release", "verify")
    assert '"total": 7' in published.figures
    table = connection.ops.quote_name(Release._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET figures = REPLACE(figures, %s, %s) WHERE id = %s",  # noqa: S608
            ['"total": 7', '"total": 70', published.pk],
        )
    published.refresh_from_db()
    assert '"total": 70' in published.figures
    assert not release_verify(published)
    with pytest.raises(CommandError, match="2017 v1"):
        call_command("release", "verify")
    page = visitor().get("/releases/2017/1/").content.decode()
    assert "no longer matches the hash" in page and ">70<" not in page
    assert visitor().get("/releases/2017/1.csv").status_code == 404


def test_a_hash_computed_again_for_changed_figures_does_not_verify(published: Release) -> None:
    """Whoever edits the row can compute a new hash: the audit row still holds the published one."""
    published.figures = published.figures.replace('"total": 7', '"total": 70')
    forged = release_hash(published)
    table = connection.ops.quote_name(Release._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET figures = %s, hash = %s WHERE id = %s",  # noqa: S608
            [published.figures, forged, published.pk],
        )
    published.refresh_from_db()
    assert published.hash == release_hash(published)
    assert not release_verify(published)


def test_the_admin_reads_releases_and_changes_none(published: Release) -> None:
    root = User.objects.create_user("root", password="password", is_staff=True, is_superuser=True)
    Membership.objects.create(user=root, role=Role.ADMIN)
    client = Client()
    client.force_login(root)
    assert client.get("/admin/reports/release/").status_code == 200
    page = client.get(f"/admin/reports/release/{published.pk}/change/")
    assert page.status_code == 200 and b'type="submit"' not in page.content.split(b"<main")[-1]
    assert client.get("/admin/reports/release/add/").status_code == 403
    assert client.post(f"/admin/reports/release/{published.pk}/delete/").status_code == 403
    assert Release.objects.filter(pk=published.pk).exists()
