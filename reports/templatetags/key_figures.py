"""Template filters of the reports pages."""

from __future__ import annotations

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def breakable_name(name: str) -> SafeString:
    """A key figure's name that a narrow cell breaks after a dot, not inside a word
    (<wbr> adds nothing to the text copied)."""
    escaped = (conditional_escape(segment) for segment in name.split("."))
    return mark_safe(".<wbr>".join(escaped))  # noqa: S308 (each segment is escaped)
