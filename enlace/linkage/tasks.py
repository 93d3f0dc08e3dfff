"""A linkage run as a background task (``enlace link --queue``), run by ``enlace worker``."""

from __future__ import annotations

import logging
import traceback

from django.contrib.auth import get_user_model
from django_tasks import task

from enlace.linkage.services import linkage_run

logger = logging.getLogger(__name__)


class LinkageRunFailed(Exception):
    """What the task table keeps of a failed run: the error's type, not its message."""


@task()
def linkage_run_task(*, user_id: int, upper: float, lower: float) -> str:
    """Link the registry as ``linkage_run`` does, audited under the analyst who asked."""
    actor = get_user_model().objects.get(pk=user_id)
    try:
        run = linkage_run(actor=actor, upper=upper, lower=lower)
    except Exception as exc:
        # A message may quote an identity's values: the log has the type and the frames.
        logger.error(
            "Linkage run failed: %s\n%s",
            type(exc).__name__,
            "".join(traceback.format_tb(exc.__traceback__)),
        )
        raise LinkageRunFailed(type(exc).__name__) from None
    return (
        f"{run.records} records, {run.pairs_linked} pairs linked, "
        f"{run.pairs_to_review} to review: {run.people} people"
    )
