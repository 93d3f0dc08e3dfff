"""What ``audit`` gives the layers beneath it: the writer behind ``core.trail.record``."""

from __future__ import annotations

from enlace.audit.services import audit_record
from enlace.core.trail import trail_writer

trail_writer(audit_record)
