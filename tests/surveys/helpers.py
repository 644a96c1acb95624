"""Helpers for the surveys tests: complete responses and read rendered pages."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from django.test.html import Element, parse_html
from django.utils import translation

from surveys.answers import Value, text_format, visible_questions
from surveys.models import Question, QuestionType, Response
from surveys.models.questionnaire import TICKED
from surveys.services import response_save_answers

Key = tuple[str, str]
CHOICES = {
    QuestionType.YES_NO,
    QuestionType.YES_PARTLY_NO,
    QuestionType.SINGLE_CHOICE,
    QuestionType.MATRIX,
}
# A figure inside the limits of each numeric type, before the question's own limits.
PREFERRED_NUMBER = {
    QuestionType.PERCENTAGE: 50,
    QuestionType.COUNT: 1000,
    QuestionType.INTEGER: 1,
    QuestionType.COUNT_PER_OPTION: 0,
    QuestionType.MONEY: 1000,
}
# A text in each format a free-text item can require.
FORMATTED_TEXT = {"email": "namn@exempel.se", "phone": "070-174 06 50"}


def valid_value(question: Question, item: str) -> Value:
    """A value that fits the question: first option, first item ticked, a number, text."""
    if question.type in CHOICES:
        return Value(text=question.choice_options[0])
    if question.type == QuestionType.MULTIPLE_CHOICE:
        return Value(text=TICKED if item == question.items[0] else "")
    if question.is_numeric:
        limits = question.validation or {}
        number = max(PREFERRED_NUMBER[question.type], limits.get("min", 0))
        return Value(number=min(number, limits.get("max", number)))
    return Value(text=FORMATTED_TEXT.get(text_format(question, item) or "", "Text"))


def complete_values(
    response: Response, overrides: Mapping[Key, Value] | None = None
) -> dict[Key, Value]:
    """Values for every question shown once the overrides and the defaults are given."""
    questions = list(response.questionnaire.questions.order_by("position"))
    values: dict[Key, Value] = dict(overrides or {})
    while True:
        added = False
        for question in visible_questions(questions, values):
            for item in question.answer_items:
                if (question.code, item) not in values:
                    values[(question.code, item)] = valid_value(question, item)
                    added = True
        if not added:
            return values


def fill_response(
    response: Response, *, by, overrides: Mapping[Key, Value] | None = None
) -> Response:
    """Answer every visible question of the response (a complete draft) and return it."""
    response.refresh_from_db()
    return response_save_answers(
        response=response,
        values=complete_values(response, overrides),
        by=by,
        version=response.version,
    )


def tr(message: str) -> str:
    """A message as the Swedish pages show it (the msgid while no catalogue is compiled)."""
    with translation.override("sv"):
        return translation.gettext(message)


def page(response) -> Element:
    """The parsed HTML of a test client response."""
    return parse_html(response.content.decode())


def walk(element: Element) -> Iterator[Element]:
    """Every element below (and including) the given one, in document order."""
    yield element
    for child in element.children:
        if isinstance(child, Element):
            yield from walk(child)


def attrs(element: Element) -> dict[str, str | None]:
    return dict(element.attributes)


def by_id(root: Element, element_id: str) -> Element | None:
    return next((e for e in walk(root) if attrs(e).get("id") == element_id), None)


def find_all(root: Element, tag: str, /, **attributes: str) -> list[Element]:
    """Elements with the tag whose attributes have the given values."""
    return [
        e
        for e in walk(root)
        if e.name == tag
        and all(attrs(e).get(key) == value for key, value in attributes.items())
    ]


def text(element: Element) -> str:
    """The element's text, whitespace collapsed."""
    parts: list[str] = []

    def collect(node: Element) -> None:
        for child in node.children:
            if isinstance(child, str):
                parts.append(child)
            else:
                collect(child)

    collect(element)
    return " ".join(" ".join(parts).split())


def send_to_chosen_set(questionnaire, *codes: str) -> None:
    """Make the questionnaire one sent to a chosen set (as an extra question made on the
    web is) and invite those organisations."""
    from regions.models import Organisation
    from surveys.models import Participation

    questionnaire.for_chosen_set = True
    questionnaire.save(update_fields=["for_chosen_set"])
    for code in codes:
        organisation = Organisation.objects.get(code=code)
        questionnaire.chosen_organisations.add(organisation)
        Participation.objects.get_or_create(
            questionnaire=questionnaire, organisation=organisation
        )


def post_confirmed(client, url: str, data: dict):
    """Post an action on many organisations, then confirm what its page shows."""
    shown = client.post(url, data)
    assert shown.status_code == 200, shown.status_code
    assert shown.templates[0].name == "surveys/confirm.html"
    return client.post(url, {**data, "confirmation": shown.context["key"]})
