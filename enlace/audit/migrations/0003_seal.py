"""Audit rows are sealed after commit by the sealer (audit/sealer.py): a seal number.

The rows written before are already chained, in id order: they get their seal
numbers in id order, 1 upwards. A row without a hash (none is expected) is
left unsealed for the sealer. The partial index of unsealed rows is made after
the numbering, so that the numbering's updates do not maintain it.
"""

from django.db import migrations, models

BATCH = 2000


def number_existing_rows(apps, schema_editor):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    db = schema_editor.connection.alias
    rows = AuditEvent.objects.using(db).exclude(hash="")
    seq = rows.filter(seq__isnull=False).aggregate(models.Max("seq"))["seq__max"] or 0
    last_id = 0
    while True:
        # Pages by id rather than one open cursor: the loop updates the table it reads.
        events = list(rows.filter(id__gt=last_id, seq__isnull=True).order_by("id")[:BATCH])
        if not events:
            break
        for event in events:
            seq += 1
            event.seq = seq
        AuditEvent.objects.using(db).bulk_update(events, ["seq"])
        last_id = events[-1].id


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0002_chain"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="seq",
            field=models.BigIntegerField(blank=True, db_index=True, editable=False, help_text="The row's place in the hash chain; empty until sealed.", null=True, verbose_name="seal number"),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="prev_hash",
            field=models.CharField(blank=True, default="", editable=False, help_text="Hash of the row before.", max_length=64, verbose_name="previous hash"),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="hash",
            field=models.CharField(blank=True, default="", editable=False, help_text="SHA-256 over this row's content and the previous hash.", max_length=64, verbose_name="hash"),
        ),
        migrations.RunPython(number_existing_rows, migrations.RunPython.noop, elidable=False),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(condition=models.Q(("seq__isnull", True)), fields=["id"], name="audit_unsealed"),
        ),
    ]
