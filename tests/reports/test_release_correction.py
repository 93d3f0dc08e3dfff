"""Publishing 2017, then importing a late identification dated 2017, leaves the 2017 release
unchanged, shows the banner, and a version 2 shows the diff."""

from __future__ import annotations

import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from enlace.reports.models import Release
from enlace.reports.releases import (
    Change,
    frozen_or_live,
    release_changes,
    release_figures,
    release_publish,
    release_verify,
)
from tests.conftest import Cast
from tests.reports.conftest import import_late, visitor
from tests.web.conftest import signed_in

BANNER = "Records received since this release would change some of these figures"


def test_a_late_identification_leaves_the_release_and_version_2_shows_the_diff(
    cast: Cast, published: Release
) -> None:
    frozen = release_figures(published)
    assert frozen["identified"]["total"] == 7
    assert frozen["identified"]["by_sex"] == {"female": 6, "male": 1, "unspecified": 0}
    page = visitor().get("/releases/2017/1/").content.decode()
    assert BANNER not in page

    import_late(cast.alice)

    published.refresh_from_db()
    assert release_figures(published) == frozen
    assert release_verify(published)
    report, release, differs = frozen_or_live(2017)
    assert (report, release, differs) == (frozen, published, True)
    assert BANNER in visitor().get("/releases/2017/1/").content.decode()
    analyst = signed_in(cast.ana).get("/figures/?year=2017").content.decode()
    assert "were published as version 1" in analyst
    assert "identified.total: 7 → 8" in analyst
    out, err = io.StringIO(), io.StringIO()
    call_command("report", "--year", "2017", stdout=out, stderr=err)
    assert json.loads(out.getvalue())["identified"]["total"] == 7  # as published
    assert "release version 1, as published" in err.getvalue() and "other figures" in err.getvalue()
    out = io.StringIO()
    call_command("report", "--year", "2017", "--live", stdout=out, stderr=io.StringIO())
    assert json.loads(out.getvalue())["identified"]["total"] == 8

    with pytest.raises(ValidationError) as refused:
        release_publish(actor=cast.ana, year=2017)
    assert "reason" in refused.value.message_dict

    out = io.StringIO()
    call_command(
        "release", "publish", "--year", "2017", "--by", "ana", "--reason", "Late FGE-PUE file",
        stdout=out,
    )  # fmt: skip
    assert "identified.total: 7 -> 8" in out.getvalue()
    second = Release.objects.get(year=2017, version=2)
    assert second.previous_hash == published.hash and release_verify(second)
    changes = release_changes(second)
    assert Change("identified.total", 7, 8) in changes
    assert Change("identified.by_sex.female", 6, 7) in changes
    assert Change("identified.by_form.sex_trafficking", 7, 8) in changes
    assert release_figures(published) == frozen  # version 1 stays as it was

    page = visitor().get("/releases/2017/2/").content.decode()
    assert "Changes from version 1" in page and "Late FGE-PUE file" in page
    assert BANNER not in page
    assert (
        "Version 2 corrects these figures." in visitor().get("/releases/2017/1/").content.decode()
    )
    assert frozen_or_live(2017) == (release_figures(second), second, False)


def test_a_correction_must_change_a_figure(cast: Cast, published: Release) -> None:
    with pytest.raises(ValidationError) as refused:
        release_publish(actor=cast.ana, year=2017, reason="Nothing new")
    assert "year" in refused.value.message_dict
    assert Release.objects.count() == 1


def test_release_show_prints_the_frozen_figures_and_what_differs(
    cast: Cast, published: Release
) -> None:
    import_late(cast.alice)
    out, err = io.StringIO(), io.StringIO()
    call_command("release", "show", "--year", "2017", stdout=out, stderr=err)
    assert json.loads(out.getvalue()) == release_figures(published)
    assert "identified.total: 7 -> 8" in err.getvalue()
