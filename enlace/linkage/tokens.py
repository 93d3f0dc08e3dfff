"""Keyed linkage tokens: HMAC-SHA256 of normalised identifiers. Pure.

Without the linkage key a token reveals nothing and cannot be recomputed
from a guessed name; with it, equal identifiers give equal tokens.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
from dataclasses import dataclass

from enlace.linkage.normalise import (
    birth_date_key,
    curp_key,
    fold,
    given_names_key,
    surname_key,
)


@dataclass(frozen=True)
class IdentityParts:
    given_names: str = ""
    paternal_surname: str = ""
    maternal_surname: str = ""
    birth_date: datetime.date | None = None
    curp: str = ""
    passport_number: str = ""


def token(key: str, kind: str, value: str) -> str:
    return hmac.new(key.encode(), f"{kind}|{value}".encode(), hashlib.sha256).hexdigest()


def linkage_tokens(key: str, identity: IdentityParts) -> dict[str, str]:
    """The exact-match tokens of an identity, by kind.

    ``curp``: the CURP, when well formed. ``name_birth``: given names (in any
    order), both surnames and the birth date, when all but the maternal
    surname are known. Two records sharing any token are the same person.
    """
    tokens: dict[str, str] = {}
    if curp := curp_key(identity.curp):
        tokens["curp"] = token(key, "curp", curp)
    given = given_names_key(identity.given_names)
    paternal = surname_key(identity.paternal_surname)
    born = birth_date_key(identity.birth_date)
    if given and paternal and born:
        maternal = surname_key(identity.maternal_surname)
        tokens["name_birth"] = token(key, "name_birth", f"{given}|{paternal}|{maternal}|{born}")
    return tokens


def comparison_tokens(key: str, identity: IdentityParts) -> dict[str, str]:
    """One token per identifier, for field-by-field exact comparison in probabilistic linkage.

    Unlike ``linkage_tokens`` these say nothing alone ("same birth year" is
    weak evidence); a matching model weighs them together with the Bloom
    encodings.
    """
    values = {
        "curp": curp_key(identity.curp),
        "passport": fold(identity.passport_number).replace(" ", "") or None,
        "given_names": given_names_key(identity.given_names) or None,
        "paternal_surname": surname_key(identity.paternal_surname) or None,
        "maternal_surname": surname_key(identity.maternal_surname) or None,
        "birth_date": birth_date_key(identity.birth_date),
        "birth_year": str(identity.birth_date.year) if identity.birth_date else None,
    }
    return {kind: token(key, kind, value) for kind, value in values.items() if value}
