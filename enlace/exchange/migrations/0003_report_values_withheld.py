"""Stored import reports pass the report rule: a value is shown only when shaped
like what its column holds (``enlace.exchange.report.shown``).

Reports stored before the rule showed any value of a non-identity column, so a
row whose cells had shifted (an unquoted comma in a name) left surnames and
birth dates in them. The rule is applied as the code states it now: it only
ever withholds, so running it again later changes nothing.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

from enlace.exchange.report import report_scrub
from enlace.exchange.values import (
    COUNTRY_FIELDS,
    JURISDICTION_FIELDS,
    lookups_build,
)


def withhold(apps: Any, schema_editor: Any) -> None:
    def model(label: str) -> Any:
        return apps.get_model(*label.split("."))

    lookups = lookups_build(
        jurisdictions=model("directory.Jurisdiction").objects.values_list(*JURISDICTION_FIELDS),
        countries=model("directory.Country").objects.values_list(*COUNTRY_FIELDS),
        protocols=model("directory.Protocol").objects.values_list("pk", "code"),
        agencies=model("directory.Agency").objects.values_list("code", flat=True),
    )
    submissions = model("exchange.Submission")._base_manager
    for pk, errors in submissions.values_list("pk", "errors").iterator(chunk_size=200):
        if not errors:
            continue
        scrubbed = report_scrub(errors, lookups)
        if scrubbed != errors:
            submissions.filter(pk=pk).update(errors=scrubbed)


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0001_initial"),
        ("exchange", "0002_alter_submission_content"),
    ]

    operations = [
        # Withheld values cannot come back: backwards leaves the reports as they are.
        migrations.RunPython(withhold, migrations.RunPython.noop),
    ]
