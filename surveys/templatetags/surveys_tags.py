from __future__ import annotations

from django import template
from django.forms import BoundField, Form
from django.template import Context
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from surveys.models import (
    Question,
    Questionnaire,
    QuestionType,
    Response,
    Section,
)
from surveys.numbers import format_thousands
from surveys.selectors.compilation import compilation_status

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
def thousands(value: int) -> str:
    """A whole number with spaces between thousands: "15 460 474"."""
    return format_thousands(value)


@register.filter
def ticked(value: object) -> bool:
    return bool(value) and value not in ("False", "false", "0", "off")


@register.filter
def question_label(question: Question) -> str:
    """How a page names a question: "Fråga 12", or the start of its text for a question
    without a number (the contact details: never its internal code)."""
    if question.number:
        return _("Question %(number)s") % {"number": question.number}
    return Truncator(question.text).words(12, truncate="…")


@register.inclusion_tag("surveys/_compilation.html", takes_context=True)
def compilation_card(context: Context, response: Response, section: Section) -> dict:
    """An RSS's card to fill its counts from the area's answers, on a section with counts.

    Renders nothing elsewhere; on such a section it costs one query (the area's status).
    """
    empty: dict = {"status": None}
    if (
        response.is_submitted
        or response.questionnaire.audience != Questionnaire.Audience.RSS
    ):
        return empty
    blocks = context.get("blocks")
    if blocks is not None:
        has_counts = any(
            getattr(getattr(block.get("spec"), "question", None), "type", None)
            == QuestionType.COUNT_PER_OPTION
            for block in blocks
        )
    else:
        has_counts = section.questions.filter(
            type=QuestionType.COUNT_PER_OPTION
        ).exists()
    if not has_counts:
        return empty
    from surveys.services.compilation import rss_compilation_drift

    status = compilation_status(response)
    return {
        "status": status,
        "drift": rss_compilation_drift(response=response, status=status),
        "response": response,
        "section": section,
        "csrf_token": context.get("csrf_token"),
    }
