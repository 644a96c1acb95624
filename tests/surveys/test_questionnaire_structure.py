"""A questionnaire's sections and questions are read once per version of it (and per
process): a new version, or any saved or deleted section or question, is read afresh,
so the pages never show an outdated question. The answers are read on every request."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from regions.models import Organisation
from surveys.models import Answer, Questionnaire
from surveys.selectors.questionnaires import questionnaire_structure
from surveys.services import response_get_or_create
from tests.factories import QuestionFactory
from tests.surveys.helpers import fill_response

pytestmark = pytest.mark.django_db


def fresh(questionnaire: Questionnaire) -> Questionnaire:
    """The questionnaire as a request reads it (with the response)."""
    return Questionnaire.objects.get(pk=questionnaire.pk)


def test_the_structure_is_read_once_per_version(cycle_2024):
    region, read_again = fresh(cycle_2024["region"]), fresh(cycle_2024["region"])

    with CaptureQueriesContext(connection) as first:
        structure = questionnaire_structure(region)
    with CaptureQueriesContext(connection) as again:
        same = questionnaire_structure(read_again)

    assert len(first) == 2 and len(again) == 0
    assert same is structure
    assert len(structure.questions) == 54
    assert [s.position for s in structure.sections] == list(range(1, 11))
    assert sum(len(q) for q in structure.by_section.values()) == 54


def test_a_new_version_is_read_afresh(cycle_2024):
    region = fresh(cycle_2024["region"])
    before = questionnaire_structure(region)

    region.version += 1
    region.save()

    assert questionnaire_structure(fresh(region)) is not before


def test_a_saved_question_is_on_the_page_at_once(client, cycle_2024, region_respondent):
    region = cycle_2024["region"]
    response = response_get_or_create(
        questionnaire=region, organisation=Organisation.objects.get(code="01")
    )
    client.force_login(region_respondent)
    question = region.questions.order_by("position").first()
    url = reverse(
        "surveys:response-section", args=[response.pk, question.section.position]
    )
    assert question.text in client.get(url).content.decode()

    question.text = "En omformulerad fråga?"
    question.save()
    html = client.get(url).content.decode()

    assert "En omformulerad fråga?" in html
    added = QuestionFactory(
        section=question.section,
        questionnaire=region,
        position=1000,
        code="NY1",
        text="En ny fråga?",
    )
    assert added.text in client.get(url).content.decode()
    added.delete()
    assert added.text not in client.get(url).content.decode()


def test_the_answers_are_read_on_every_request(client, cycle_2024, region_respondent):
    region = cycle_2024["region"]
    response = fill_response(
        response_get_or_create(
            questionnaire=region, organisation=Organisation.objects.get(code="01")
        ),
        by=region_respondent,
    )
    client.force_login(region_respondent)
    answer = Answer.objects.filter(response=response, text="Text").first()
    url = reverse(
        "surveys:response-section",
        args=[response.pk, answer.question.section.position],
    )
    assert ">Text</textarea>" in client.get(url).content.decode()

    Answer.objects.filter(pk=answer.pk).update(text="Ett nytt svar")

    assert ">Ett nytt svar</textarea>" in client.get(url).content.decode()
