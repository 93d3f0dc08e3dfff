"""National ids drawn apart from public ids.

National ids used to be the first record's public id with an "N": whoever
saw one learned another agency's record's public id. Every national person
gets a new random id; records that shared one still share the new one.
"""

from __future__ import annotations

import secrets

from django.db import migrations

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def _draw(taken: set[str]) -> str:
    while True:
        candidate = "N-" + "".join(secrets.choice(ALPHABET) for _ in range(6))
        if candidate not in taken:
            taken.add(candidate)
            return candidate


def rekey(apps, schema_editor):  # type: ignore[no-untyped-def]
    Person = apps.get_model("registry", "Person")
    old = list(Person.objects.values_list("national_id", flat=True).distinct())
    taken = set(old)
    new = {nid: _draw(taken) for nid in old}
    batch = []
    for person in Person.objects.only("pk", "national_id").iterator(chunk_size=2000):
        person.national_id = new[person.national_id]
        batch.append(person)
        if len(batch) == 2000:
            Person.objects.bulk_update(batch, ["national_id"])
            batch = []
    Person.objects.bulk_update(batch, ["national_id"])


class Migration(migrations.Migration):
    dependencies = [("registry", "0004_identity_erasure_reference")]

    operations = [migrations.RunPython(rekey, migrations.RunPython.noop, elidable=True)]
