"""Keyed linkage tokens: HMAC-SHA256 of normalised identifiers. Pure.

Without the linkage key a token reveals nothing and cannot be recomputed
from a guessed name; with it, equal identifiers give equal tokens.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
from dataclasses import dataclass

from enlace.linkage.normalise import birth_date_key, curp_key, given_names_key, surname_key


@dataclass(frozen=True)
class IdentityParts:
    given_names: str = ""
    paternal_surname: str = ""
    maternal_surname: str = ""
    birth_date: datetime.date | None = None
    curp: str = ""


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
