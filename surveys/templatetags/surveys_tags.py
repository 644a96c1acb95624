from __future__ import annotations

from django import template
from django.forms import BoundField, Form

register = template.Library()


@register.filter
def bound(form: Form, name: str) -> BoundField:
    """The bound field of a form by its (dynamic) name."""
    return form[name]


@register.filter
def is_chosen(bound_field: BoundField, option: str) -> bool:
    """Whether an option is the current value (or among the values) of a field."""
    value = bound_field.value()
    if isinstance(value, list | tuple):
        return option in value
    return value == option


@register.filter
def ticked(value: object) -> bool:
    return bool(value) and value not in ("False", "false", "0", "off")
