"""statistics' hooks: the path's indicators (``path.py``) join the registry at every start."""

from __future__ import annotations

from enlace.statistics import path  # noqa: F401
