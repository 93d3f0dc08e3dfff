import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

from enlace.audit import chain

BATCH = 2000


def chain_existing_rows(apps, schema_editor):
    """Chain the rows written before the chain existed, in id order."""
    AuditEvent = apps.get_model("audit", "AuditEvent")
    ChainHead = apps.get_model("audit", "ChainHead")
    db = schema_editor.connection.alias
    previous = chain.GENESIS
    last_id = 0
    while True:
        # Pages by id rather than one open cursor: the loop updates the table it reads.
        events = list(
            AuditEvent.objects.using(db).filter(id__gt=last_id).order_by("id")[:BATCH]
        )
        if not events:
            break
        for event in events:
            content = {name: getattr(event, name) for name in chain.CONTENT_FIELDS}
            event.prev_hash = previous
            event.hash = previous = chain.link(previous, content)
        AuditEvent.objects.using(db).bulk_update(events, ["prev_hash", "hash"])
        last_id = events[-1].id
    ChainHead.objects.using(db).get_or_create(pk=1)


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ChainHead",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
            ],
            options={
                "verbose_name": "audit chain head",
                "verbose_name_plural": "audit chain head",
            },
        ),
        migrations.AddField(
            model_name="auditevent",
            name="prev_hash",
            field=models.CharField(default="", editable=False, help_text="Hash of the row before.", max_length=64, verbose_name="previous hash"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="hash",
            field=models.CharField(default="", editable=False, help_text="SHA-256 over this row's content and the previous hash.", max_length=64, verbose_name="hash"),
            preserve_default=False,
        ),
        migrations.AlterModelOptions(
            name="auditevent",
            options={"base_manager_name": "objects", "ordering": ["-at", "-id"], "verbose_name": "audit event", "verbose_name_plural": "audit events"},
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="actor",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, to=settings.AUTH_USER_MODEL, verbose_name="actor"),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="actor_name",
            field=models.CharField(help_text="Username when the row was written.", max_length=150, verbose_name="actor name"),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="at",
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now, editable=False, verbose_name="time"),
        ),
        migrations.RunPython(chain_existing_rows, migrations.RunPython.noop, elidable=False),
    ]
