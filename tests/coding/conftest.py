"""Free-text answers to code: real 2024 questionnaires, answers written as rows."""

from __future__ import annotations

import pytest

from coding.models import Codebook
from coding.services import codebook_get_or_create, theme_create
from regions.models import Organisation
from surveys.models import Answer, Questionnaire, Response
from tests.factories import UserFactory


def answer(
    questionnaire: Questionnaire,
    code: str,
    question: str,
    text: str,
    *,
    item: str = "",
    submitted: bool = True,
) -> Response:
    """The organisation's response with a free-text answer to the question (item)."""
    response, _ = Response.objects.get_or_create(
        questionnaire=questionnaire,
        organisation=Organisation.objects.get(code=code),
        defaults={
            "status": Response.Status.SUBMITTED if submitted else Response.Status.DRAFT
        },
    )
    Answer.objects.create(
        response=response,
        question=questionnaire.questions.get(code=question),
        item=item,
        text=text,
    )
    return response


@pytest.fixture
def second_staff(db):
    return UserFactory(username="second@socialstyrelsen.se", is_staff=True)


@pytest.fixture
def region_codebook(cycle_2024, staff) -> Codebook:
    """Region question 3 with the themes Samverkan (1) and Bemanning (2)."""
    question = cycle_2024["region"].questions.get(code="3")
    codebook = codebook_get_or_create(question=question, item="", by=staff)
    theme_create(codebook=codebook, name="Samverkan", keywords="samverkan", by=staff)
    theme_create(
        codebook=codebook, name="Bemanning", keywords="bemanning, kompetens", by=staff
    )
    return codebook
