"""How a jurisdiction's name is matched, as agencies write it. Pure.

"Estado de México", "ESTADO DE MEXICO", "Edo. Méx." and "méxico" are one
state: case, accents and punctuation are ignored, and so is a leading
"Estado de", "Edo." or "Edo. de", which names the kind of division, not
which one.
"""

from __future__ import annotations

import re
import unicodedata

# Longest first: "estado de" must win over a bare "edo". "Estado Libre y
# Soberano de ..." is how each state's constitution names it.
PREFIXES = ("estado libre y soberano de", "estado de", "edo de", "edo")
_PREFIX = re.compile(rf"^(?:{'|'.join(PREFIXES)}) (?=\S)")


def fold(text: str) -> str:
    """Lower case, no accents, punctuation as spaces, single spaces: how an
    import compares every reference value (``enlace.exchange.values.key``)."""
    decomposed = unicodedata.normalize("NFKD", text)
    letters = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", letters).split())


def jurisdiction_key(text: str) -> str:
    """A name folded, a leading "Estado de"/"Edo." dropped: "Edo. de Méx." → "mex"."""
    return _PREFIX.sub("", fold(text), count=1)


def jurisdiction_keys(text: str) -> list[str]:
    """Every folded form that names what ``text`` names: the bare name and
    each prefix before it. Empty when ``text`` has no letters or digits.

    A cell is folded once and looked up, so the prefixes are spelled out here
    rather than stripped from every cell of every column.
    """
    bare = jurisdiction_key(text)
    if not bare:
        return []
    return [bare, *(f"{prefix} {bare}" for prefix in PREFIXES)]
