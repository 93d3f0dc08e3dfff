"""accounts' hooks: the sign-in signals.

What second factor a session owes, and sign-ins, sign-outs, failures and
lockouts in the audit trail: receivers connected on import.
"""

from __future__ import annotations

from enlace.accounts import second_factor, sign_in_audit  # noqa: F401
