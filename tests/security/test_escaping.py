"""Free text with HTML or script is shown as text in every page that shows answers."""

from __future__ import annotations

import pytest
from django.urls import reverse

from regions.models import Organisation
from surveys.answers import Value
from surveys.services import response_get_or_create, response_save_answers

pytestmark = pytest.mark.django_db

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)><b>fet</b>'


@pytest.fixture
def hostile_response(cycle_2024, municipality_respondent):
    response = response_get_or_create(
        questionnaire=cycle_2024["municipality"],
        organisation=Organisation.objects.get(code="0114"),
    )
    return response_save_answers(
        response=response,
        values={("K02", ""): Value(text=HOSTILE)},
        by=municipality_respondent,
        version=None,
    )


def _pages(response):
    section = response.questionnaire.questions.get(code="K02").section.position
    return [
        reverse("surveys:response-section", args=[response.pk, section]),
        reverse("surveys:response-summary", args=[response.pk]),
        reverse("surveys:response-audit", args=[response.pk]),
    ]


@pytest.mark.parametrize("role", ["municipality_respondent", "staff"])
def test_free_text_html_is_escaped_in_the_pages_that_show_it(
    client, hostile_response, role, request
):
    client.force_login(request.getfixturevalue(role))

    for url in _pages(hostile_response):
        page = client.get(url).content.decode()

        assert "<script>alert" not in page, url
        assert "<img src=x" not in page, url
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page, url


def test_question_texts_options_and_items_with_html_are_escaped_on_the_section_page(
    client, cycle_2024, region_respondent
):
    """The section page builds its questions' markup in Python: every text from the
    definitions is escaped there as the templates escape it."""
    region = cycle_2024["region"]
    kinds = {q.type: q for q in region.questions.order_by("position")}
    changed = []
    for qtype in ("matrix", "multiple_choice", "single_choice", "percentage"):
        question = kinds.get(qtype)
        if question is None:
            continue
        question.text = HOSTILE
        question.help_text = HOSTILE
        if question.items:
            question.items = [HOSTILE, *question.items[1:]]
        if question.options:
            question.options = [HOSTILE, *question.options[1:]]
        question.save()
        changed.append(question)
    assert {q.type for q in changed} >= {"matrix", "multiple_choice"}
    response = response_get_or_create(
        questionnaire=region, organisation=Organisation.objects.get(code="01")
    )
    client.force_login(region_respondent)

    for question in changed:
        url = reverse(
            "surveys:response-section", args=[response.pk, question.section.position]
        )
        page = client.get(url).content.decode()

        assert "<script>alert" not in page, question.type
        assert "<img src=x" not in page, question.type
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
        assert 'value="&lt;script&gt;' in page or not (
            question.items or question.options
        )
