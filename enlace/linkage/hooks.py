"""linkage's hooks: the encoding and match at every identity write, what an erasure
removes of linkage, and the check that the linkage key made the stored tokens.

The registry sits beneath linkage and calls these without knowing it; the
encoding and the match run in the transaction of the write, as before.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Q

from enlace.core.keys import key_check
from enlace.linkage.models import Encoding, MatchPair
from enlace.linkage.services import (
    encoding_store,
    encodings_agree_with_key,
    match_if_age_only,
    match_new,
)
from enlace.registry.models import Identity, Person
from enlace.registry.services import erasure_step, on_age_recorded, on_identity_written


@on_identity_written
def _encode_and_match(person: Person, identity: Identity) -> None:
    encoding_store(person=person, identity=identity)
    match_new(person=person)


@on_age_recorded
def _date_by_age(person: Person, age: int, on: datetime.date) -> None:
    match_if_age_only(person=person, age=age, on=on)


@erasure_step
def _erase_encoding(person: Person) -> dict[str, int]:
    encodings, _kinds = Encoding.objects.filter(person=person).delete()
    pairs = Q(left=person) | Q(right=person)
    pending, _kinds = MatchPair.objects.filter(pairs, status=MatchPair.Status.PENDING).delete()
    # A reviewer's reason was written looking at both identities.
    MatchPair.objects.filter(pairs).update(reason="")
    return {"encodings_deleted": encodings, "pending_pairs_deleted": pending}


@key_check
def _tokens_agree_with_key() -> str | None:
    if encodings_agree_with_key(settings.LINKAGE_KEY) is False:
        return (
            "ENLACE_LINKAGE_KEY is not the key this database's linkage tokens were made with: "
            "new records would never match stored ones. Set the right key, or after a "
            "deliberate change run `enlace link --encode` with the new key first."
        )
    return None
