from __future__ import annotations

import pytest
from django.urls import reverse

from surveys.answers import Value
from surveys.models import AnswerChange, Response
from surveys.services import (
    answers_map,
    response_save_answers,
)
from tests.surveys.helpers import (
    attrs,
    by_id,
    fill_response,
    find_all,
    page,
    text,
)

pytestmark = pytest.mark.django_db


def url(name: str, response: Response, *args: int) -> str:
    return reverse(f"surveys:response-{name}", args=[response.pk, *args])


def submit(client, response: Response):
    response.refresh_from_db()
    return client.post(url("submit", response), {"version": response.version})


def test_submitting_with_missing_answers_redirects_to_the_review(
    respondent_client, region_response
):
    result = submit(respondent_client, region_response)

    assert result.status_code == 302
    assert result["Location"] == url("review", region_response)
    region_response.refresh_from_db()
    assert region_response.status == Response.Status.DRAFT


def test_the_review_links_every_problem_to_its_question(
    respondent_client, region_respondent, region_response
):
    filled = fill_response(region_response, by=region_respondent)
    response_save_answers(
        response=filled,
        values={("2", ""): None, ("8", "Delaktighet"): None, ("35", ""): None},
        by=region_respondent,
        version=filled.version,
    )

    html = page(respondent_client.get(url("review", region_response)))

    problems = {
        attrs(a)["href"]: text(li)
        for li in find_all(html, "li")
        for a in find_all(li, "a")
        if "?check=1#" in attrs(a)["href"]
    }
    positions = {
        q.code: q.section.position
        for q in region_response.questionnaire.questions.select_related("section")
    }
    assert set(problems) == {
        url("section", region_response, positions[code]) + f"?check=1#q-{code}"
        for code in ("2", "8", "35")
    }
    row_problem = next(v for k, v in problems.items() if k.endswith("#q-8"))
    assert "”Delaktighet”" in row_problem


def test_the_section_with_check_shows_the_problems_at_their_questions(
    respondent_client, region_response
):
    section_url = url("section", region_response, 1)

    plain = page(respondent_client.get(section_url))
    checked = page(respondent_client.get(section_url + "?check=1"))

    codes = list(
        region_response.questionnaire.questions.filter(
            section__position=1, show_if__isnull=True
        ).values_list("code", flat=True)
    )
    assert codes
    for code in codes:
        assert by_id(plain, f"q-{code}-errors") is None
        assert text(by_id(checked, f"q-{code}-errors"))
        assert attrs(by_id(checked, f"q-{code}"))["aria-describedby"] == (
            f"q-{code}-errors"
        )
    assert by_id(checked, "q-2b-errors") is None
    assert text(by_id(checked, "q-2-errors")) == "Fel: Välj ett av svarsalternativen."


def test_a_complete_response_is_submitted_and_its_summary_shows_the_values(
    respondent_client, region_respondent, region_response
):
    fill_response(
        region_response,
        by=region_respondent,
        overrides={
            ("35", ""): Value(number=72),
            ("36", ""): Value(number=1_600_000),
            ("37", ""): Value(cannot_estimate=True),
            ("29", ""): Value(text="Ja"),
        },
    )

    result = submit(respondent_client, region_response)

    assert result.status_code == 302
    assert result["Location"] == url("summary", region_response)
    region_response.refresh_from_db()
    assert region_response.is_submitted
    assert region_response.submitted_by == region_respondent
    html = page(respondent_client.get(url("summary", region_response)))
    assert "anna@regionstockholm.se" in text(by_id(html, "response-status"))

    def shown(code: str) -> str:
        (answer,) = [
            dl.children[k + 1]
            for dl in find_all(html, "dl")
            for k, child in enumerate(dl.children)
            if not isinstance(child, str) and attrs(child).get("id") == f"a-{code}"
        ]
        return text(answer)

    assert shown("35") == "72 %"
    assert shown("36") == "1 600 000"
    assert shown("37") == "Andelen kan inte uppskattas"


def test_after_submitting_posts_to_a_section_change_nothing(
    respondent_client, region_respondent, region_response
):
    fill_response(
        region_response, by=region_respondent, overrides={("29", ""): Value(text="Ja")}
    )
    assert submit(respondent_client, region_response).status_code == 302
    region_response.refresh_from_db()
    before = answers_map(region_response)
    audited = AnswerChange.objects.count()
    position = region_response.questionnaire.questions.get(code="29").section.position

    result = respondent_client.post(
        url("section", region_response, position),
        {"version": region_response.version, "q_29": "Nej", "q_35": "10"},
    )

    assert result.status_code == 302
    assert result["Location"] == url("summary", region_response)
    assert answers_map(region_response) == before
    assert AnswerChange.objects.count() == audited


def test_the_review_of_a_submitted_response_redirects_to_the_summary(
    respondent_client, region_respondent, region_response
):
    fill_response(region_response, by=region_respondent)
    submit(respondent_client, region_response)

    result = respondent_client.get(url("review", region_response))

    assert result["Location"] == url("summary", region_response)
