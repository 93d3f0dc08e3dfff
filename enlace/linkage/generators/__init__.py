"""Invented registries with known truth, each with its own names and noise.

``mexico`` (``linkage.synthetic``) is the generator the model was first
written against; ``latam`` and ``agencies`` were written apart from it, with
other name sources and other ways of getting a record wrong, so that the
benchmark and the tests judge linkage on data it was not tuned to.
"""

from __future__ import annotations

from collections.abc import Callable

from enlace.linkage import synthetic
from enlace.linkage.features import Record
from enlace.linkage.generators import agencies, latam

Generator = Callable[..., tuple[list[Record], dict[str, int]]]

GENERATORS: dict[str, Generator] = {
    "mexico": synthetic.registry,
    "latam": latam.registry,
    "agencies": agencies.registry,
}
