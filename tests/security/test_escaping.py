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
