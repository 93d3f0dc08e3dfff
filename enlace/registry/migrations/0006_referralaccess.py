"""What accepted referrals give their receivers, kept by the registry itself.

The registry's reads (who holds a person, who reads an identity) looked the
referrals up; the referral services now write these rows in the transaction
that changes a referral. Filled here from the referrals already stored.
"""

from __future__ import annotations

import django.db.models.deletion
from django.db import migrations, models

HOLDING = ("accepted", "completed")


def backfill(apps, schema_editor):  # type: ignore[no-untyped-def]
    Referral = apps.get_model("referrals", "Referral")
    ReferralAccess = apps.get_model("registry", "ReferralAccess")
    rows = (
        ReferralAccess(
            referral_id=r.pk,
            person_id=r.person_id,
            agency_id=r.to_agency_id,
            from_agency_id=r.from_agency_id,
            identity=r.status == "accepted" and r.shares_identity,
        )
        for r in Referral.objects.filter(status__in=HOLDING).iterator(chunk_size=2000)
    )
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) == 2000:
            ReferralAccess.objects.bulk_create(batch)
            batch = []
    ReferralAccess.objects.bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0002_jurisdiction_aliases"),
        ("referrals", "0002_alter_referral_reason"),
        ("registry", "0005_national_ids_apart_from_public_ids"),
    ]

    operations = [
        migrations.CreateModel(
            name="ReferralAccess",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("referral_id", models.BigIntegerField(unique=True, verbose_name="referral")),
                (
                    "identity",
                    models.BooleanField(
                        help_text="The referral is accepted and shares the person's identity.",
                        verbose_name="reads the identity",
                    ),
                ),
                (
                    "agency",
                    models.ForeignKey(
                        help_text="The agency the referral went to, which accepted it.",
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="directory.agency",
                        verbose_name="agency",
                    ),
                ),
                (
                    "from_agency",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="directory.agency",
                        verbose_name="from agency",
                    ),
                ),
                (
                    "person",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="referral_access",
                        to="registry.person",
                        verbose_name="person",
                    ),
                ),
            ],
            options={
                "verbose_name": "referral access",
                "verbose_name_plural": "referral access",
            },
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
