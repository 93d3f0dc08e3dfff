"""Template helpers of the browser interface."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms, template
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from enlace.assistance.models import ServiceKind

register = template.Library()


@register.filter
def duration(value: datetime.timedelta | None) -> str:
    """A time span as a person says it: "3 days 2 hours", "45 minutes"."""
    if value is None:
        return ""
    minutes = int(value.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = []
    if days:
        parts.append(ngettext("%(n)d day", "%(n)d days", days) % {"n": days})
    if hours:
        parts.append(ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours})
    if minutes and not days:
        parts.append(ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes})
    return " ".join(parts) or _("less than a minute")


@register.filter
def is_checkbox(field: forms.BoundField) -> bool:
    return isinstance(field.field.widget, forms.CheckboxInput)


@register.filter
def is_multiple_checkbox(field: forms.BoundField) -> bool:
    # Radio buttons too (CheckboxSelectMultiple is a RadioSelect): a fieldset with a legend.
    return isinstance(field.field.widget, forms.RadioSelect)


@register.filter
def service_labels(codes: list[str]) -> str:
    labels = dict(ServiceKind.choices)
    return ", ".join(str(labels.get(c, c)) for c in codes)


@register.simple_tag(takes_context=True)
def page_query(context: Any, number: int) -> str:
    query = context.get("query") or ""
    return f"?{query}&page={number}" if query else f"?page={number}"


@register.simple_tag
def session_minutes() -> int:
    return max(int(settings.SESSION_COOKIE_AGE) // 60, 1)
