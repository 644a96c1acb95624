"""The region questionnaire's section pages take a number of SQL queries that does not
grow with their questions: every section of the 54 questions takes the same number, and a
section with many more questions takes no more."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from regions.models import Organisation
from surveys import quality
from surveys.answers import Value
from surveys.models import QuestionType, Response
from surveys.services import answers_map, response_get_or_create
from surveys.services.responses import response_save_answers
from tests.factories import QuestionFactory
from tests.surveys.helpers import fill_response

pytestmark = pytest.mark.django_db


@pytest.fixture
def region_response(cycle_2024, region_respondent) -> Response:
    """Region Stockholm's complete draft of the 54-question region questionnaire."""
    response = response_get_or_create(
        questionnaire=cycle_2024["region"],
        organisation=Organisation.objects.get(code="01"),
    )
    return fill_response(response, by=region_respondent)


def page_queries(client, response: Response, position: int) -> int:
    url = reverse("surveys:response-section", args=[response.pk, position])
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url)
    assert page.status_code == 200
    return len(queries)


def test_every_section_of_the_54_questions_takes_the_same_number_of_queries(
    client, region_respondent, region_response
):
    """The same where the page shows plausibility warnings (their confirmations are read
    with the answers); one more only where it shows the introduction (the
    organisation's deadline)."""
    questionnaire = region_response.questionnaire
    assert questionnaire.questions.count() == 54
    client.force_login(region_respondent)
    page_queries(client, region_response, 1)  # the session's first request
    answers = answers_map(region_response)
    sections = list(questionnaire.sections.prefetch_related("questions"))
    warned = {
        section.position
        for section in sections
        if quality.answer_warnings(
            questions=section.questions.all(),
            answers=answers,
            organisation=region_response.organisation,
        )
    }

    counts = {
        section.position: page_queries(client, region_response, section.position)
        for section in sections
    }

    sizes = {section.position: section.questions.count() for section in sections}
    assert min(sizes.values()) <= 2 and max(sizes.values()) >= 10
    # The first section shows the introduction with the organisation's deadline: one
    # read of its extension.
    introduced = {1} if questionnaire.introduction else set()
    assert warned, "the draft shows warnings somewhere"
    plain = {counts[p] for p in counts if p not in introduced}
    assert len(plain) == 1, (counts, warned)
    (base,) = plain
    assert all(counts[p] == base + 1 for p in introduced), counts
    # The session, the user with their membership and its organisation, the response,
    # its answers with their confirmations.
    assert base == 4, counts


def test_a_section_with_40_more_questions_takes_no_more_queries(
    client, region_respondent, region_response
):
    questionnaire = region_response.questionnaire
    section = questionnaire.sections.order_by("position").first()
    client.force_login(region_respondent)
    page_queries(client, region_response, section.position)
    before = page_queries(client, region_response, section.position)

    last = questionnaire.questions.order_by("-position").first().position
    kinds = [
        {"type": QuestionType.YES_NO},
        {
            "type": QuestionType.MATRIX,
            "items": ["A", "B", "C"],
            "options": ["Ja", "Nej"],
        },
        {"type": QuestionType.PERCENTAGE, "validation": {"min": 0, "max": 100}},
        {"type": QuestionType.FREE_TEXT},
    ]
    added = [
        QuestionFactory(
            section=section,
            questionnaire=questionnaire,
            position=last + number + 1,
            code=f"X{number}",
            **kinds[number % len(kinds)],
        )
        for number in range(40)
    ]
    fill_response(region_response, by=region_respondent)  # the new ones answered too
    after = page_queries(client, region_response, section.position)

    url = reverse(
        "surveys:response-section", args=[region_response.pk, section.position]
    )
    html = client.get(url).content.decode()
    assert all(f'name="q_{question.code}' in html for question in added)
    assert after == before


def _answer_reads(queries: CaptureQueriesContext) -> list[str]:
    return [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith("SELECT") and 'FROM "surveys_answer"' in q["sql"]
    ]


def test_the_page_and_the_save_read_the_answers_without_their_default_ordering(
    client, region_respondent, region_response
):
    """Answer's default ordering (by response, which orders by questionnaire, cycle and
    organisation code) would join five more tables and sort every read; the page and
    the save read the answers into a map, where order does not matter."""
    client.force_login(region_respondent)
    page_queries(client, region_response, 2)
    with CaptureQueriesContext(connection) as page:
        page_queries(client, region_response, 2)
    response = Response.objects.get(pk=region_response.pk)
    question = next(
        q
        for q in response.questionnaire.questions.order_by("position")
        if q.type == QuestionType.FREE_TEXT and not q.show_if
    )
    with CaptureQueriesContext(connection) as save:
        response_save_answers(
            response=response,
            values={
                (question.code, question.answer_items[0]): Value(text="Ändrat i testet")
            },
            by=region_respondent,
            version=response.version,
        )

    reads = _answer_reads(page) + _answer_reads(save)
    # The page's answers with their confirmations; the save's answers and the stored
    # row of the changed cell.
    assert len(_answer_reads(page)) == 1 and len(_answer_reads(save)) == 2, reads
    for sql in reads:
        assert "ORDER BY" not in sql, sql
        for table in ("surveys_response", "surveys_questionnaire", "surveys_cycle"):
            assert f'JOIN "{table}"' not in sql, sql


def test_the_first_section_reads_the_deadline_without_joining_other_tables(
    client, region_respondent, region_response
):
    """The introduction names the organisation's deadline: one read of its
    participation, by key, not in Participation's default ordering (which joins the
    questionnaire, its cycle and the organisation)."""
    assert region_response.questionnaire.introduction
    client.force_login(region_respondent)
    page_queries(client, region_response, 1)
    with CaptureQueriesContext(connection) as page:
        page_queries(client, region_response, 1)
    (read,) = [
        q["sql"]
        for q in page.captured_queries
        if 'FROM "surveys_participation"' in q["sql"]
    ]
    assert "JOIN" not in read, read
