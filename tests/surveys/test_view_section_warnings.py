from __future__ import annotations

import pytest
from django.urls import reverse

from regions.models import Organisation
from surveys.answers import Value
from surveys.forms.responses import SectionForm
from surveys.models import Answer, AnswerChange, Membership, Response
from surveys.services import answers_map, response_get_or_create, response_save_answers
from tests.factories import MembershipFactory, UserFactory
from tests.surveys.helpers import (
    attrs,
    by_id,
    fill_response,
    find_all,
    page,
    text,
    tr,
)

pytestmark = pytest.mark.django_db

# Värmland, population 283 000: 63 % with a named doctor gives about 178 290 persons.
THOUSANDS_TRAP = {("35", ""): Value(number=63), ("36", ""): Value(number=179)}
PLAUSIBLE = {("35", ""): Value(number=63), ("36", ""): Value(number=178_290)}
CONFIRM = "I confirm that the value is correct"
# A region's section page with warnings: no more than without (test_view_section's
# MAX_QUERIES less the two of an RSS page), the confirmed cells read with the answers.
MAX_QUERIES = 7


@pytest.fixture
def varmland_respondent(national_frame):
    """A respondent at Region Värmland (county 17)."""
    user = UserFactory(username="hanna@regionvarmland.se")
    MembershipFactory(
        user=user,
        organisation=Organisation.objects.get(code="17"),
        role=Membership.Role.RESPONDENT,
    )
    return user


@pytest.fixture
def varmland_response(cycle_2024):
    return response_get_or_create(
        questionnaire=cycle_2024["region"],
        organisation=Organisation.objects.get(code="17"),
    )


@pytest.fixture
def respondent_client(client, varmland_respondent):
    client.force_login(varmland_respondent)
    return client


def position_of(response: Response, code: str) -> int:
    return response.questionnaire.questions.get(code=code).section.position


def section_url(response: Response, code: str = "36") -> str:
    return reverse(
        "surveys:response-section", args=[response.pk, position_of(response, code)]
    )


def post_data(response: Response, code: str, **changes: object) -> dict:
    """What the browser sends for the section of a question: the stored answers, changed."""
    response.refresh_from_db()
    position = position_of(response, code)
    questions = list(
        response.questionnaire.questions.filter(section__position=position).order_by(
            "position"
        )
    )
    form = SectionForm(questions=questions, answers=answers_map(response))
    data: dict = {"version": response.version, "action": "save"}
    for name in form.fields:
        value = form.initial.get(name)
        if value not in (None, "", False, []):
            data[name] = "on" if value is True else value
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return data


def with_class(root, tag: str, name: str) -> list:
    return [e for e in find_all(root, tag) if name in attrs(e).get("class", "").split()]


def stored(response: Response, code: str) -> Answer:
    return Answer.objects.get(response=response, question__code=code, item="")


def test_a_saved_implausible_count_shows_a_warning_at_its_question(
    respondent_client, varmland_response, varmland_respondent
):
    fill_response(varmland_response, by=varmland_respondent, overrides=THOUSANDS_TRAP)

    html = page(respondent_client.get(section_url(varmland_response)))

    box = by_id(html, "q-36-warnings")
    assert box is not None
    assert "alert-warning" in attrs(box)["class"]
    assert (
        "Antalet 179 motsvarar 0,1 % av befolkningen (283 000), men fråga 35 anger 63 %."
        in text(box)
    )
    fieldset = by_id(html, "q-36")
    assert "q-36-warnings" in attrs(fieldset)["aria-describedby"].split()
    (number,) = find_all(fieldset, "input", name="q_36")
    assert "q-36-warnings" in attrs(number)["aria-describedby"].split()
    (checkbox,) = find_all(box, "input", name="q_36_ok")
    assert "checked" not in attrs(checkbox)
    (label,) = find_all(box, "label", **{"for": attrs(checkbox)["id"]})
    assert text(label) == tr(CONFIRM)


def test_the_warning_box_is_the_only_one_on_the_page(
    respondent_client, varmland_response, varmland_respondent
):
    fill_response(varmland_response, by=varmland_respondent, overrides=THOUSANDS_TRAP)

    html = page(respondent_client.get(section_url(varmland_response)))

    boxes = with_class(html, "div", "quality-warnings")
    assert [attrs(box)["id"] for box in boxes] == ["q-36-warnings"]
    assert by_id(html, "q-35-warnings") is None


def test_a_plausible_count_shows_no_warning(
    respondent_client, varmland_response, varmland_respondent
):
    fill_response(varmland_response, by=varmland_respondent, overrides=PLAUSIBLE)

    html = page(respondent_client.get(section_url(varmland_response)))

    assert by_id(html, "q-36-warnings") is None
    assert find_all(html, "input", name="q_36_ok") == []
    assert "aria-describedby" not in attrs(by_id(html, "q-36"))


def test_a_warning_is_shown_after_the_save_that_stored_the_value(
    respondent_client, varmland_response, varmland_respondent
):
    fill_response(varmland_response, by=varmland_respondent, overrides=PLAUSIBLE)

    result = respondent_client.post(
        section_url(varmland_response),
        post_data(varmland_response, "36", q_36="179"),
        follow=True,
    )

    assert result.status_code == 200
    assert by_id(page(result), "q-36-warnings") is not None
    assert stored(varmland_response, "36").number == 179


def test_saving_with_the_box_ticked_confirms_the_value(
    respondent_client, varmland_response, varmland_respondent
):
    fill_response(varmland_response, by=varmland_respondent, overrides=THOUSANDS_TRAP)

    result = respondent_client.post(
        section_url(varmland_response),
        post_data(varmland_response, "36", q_36_ok="on"),
    )

    assert result.status_code == 302
    answer = stored(varmland_response, "36")
    assert answer.warning_confirmed is True
    assert answer.number == 179
    html = page(respondent_client.get(section_url(varmland_response)))
    (checkbox,) = find_all(by_id(html, "q-36-warnings"), "input", name="q_36_ok")
    assert "checked" in attrs(checkbox)


def test_unticking_the_box_withdraws_the_confirmation(
    respondent_client, varmland_response, varmland_respondent
):
    fill_response(varmland_response, by=varmland_respondent, overrides=THOUSANDS_TRAP)
    respondent_client.post(
        section_url(varmland_response),
        post_data(varmland_response, "36", q_36_ok="on"),
    )

    respondent_client.post(
        section_url(varmland_response),
        post_data(varmland_response, "36", q_36_ok=None),
    )

    assert stored(varmland_response, "36").warning_confirmed is False


def test_a_changed_value_is_no_longer_confirmed(
    respondent_client, varmland_response, varmland_respondent
):
    fill_response(varmland_response, by=varmland_respondent, overrides=THOUSANDS_TRAP)
    respondent_client.post(
        section_url(varmland_response),
        post_data(varmland_response, "36", q_36_ok="on"),
    )

    # The box is still ticked, but it confirmed the old value.
    respondent_client.post(
        section_url(varmland_response),
        post_data(varmland_response, "36", q_36="180", q_36_ok="on"),
    )

    answer = stored(varmland_response, "36")
    assert answer.number == 180
    assert answer.warning_confirmed is False


def test_an_import_that_changes_a_confirmed_value_resets_the_confirmation(
    varmland_response, varmland_respondent
):
    fill_response(varmland_response, by=varmland_respondent, overrides=THOUSANDS_TRAP)
    Answer.objects.filter(response=varmland_response, question__code="36").update(
        warning_confirmed=True
    )
    varmland_response.refresh_from_db()

    response_save_answers(
        response=varmland_response,
        values={("36", ""): Value(number=178_000)},
        by=None,
        version=None,
        source=AnswerChange.Source.IMPORT,
    )

    assert stored(varmland_response, "36").warning_confirmed is False


def test_a_confirmation_alone_changes_no_value_and_logs_no_change(
    varmland_response, varmland_respondent
):
    fill_response(varmland_response, by=varmland_respondent, overrides=THOUSANDS_TRAP)
    varmland_response.refresh_from_db()
    changes = AnswerChange.objects.count()

    response_save_answers(
        response=varmland_response,
        values={("36", ""): Value(number=179)},
        by=varmland_respondent,
        version=varmland_response.version,
        confirmations={("36", ""): True},
    )

    answer = stored(varmland_response, "36")
    assert (answer.number, answer.warning_confirmed) == (179, True)
    assert AnswerChange.objects.count() == changes


def test_a_warning_does_not_block_the_save_or_the_submit(
    respondent_client, varmland_response, varmland_respondent
):
    fill_response(varmland_response, by=varmland_respondent, overrides=THOUSANDS_TRAP)
    varmland_response.refresh_from_db()

    result = respondent_client.post(
        reverse("surveys:response-submit", args=[varmland_response.pk]),
        {"version": varmland_response.version},
    )

    assert result.status_code == 302
    varmland_response.refresh_from_db()
    assert varmland_response.status == Response.Status.SUBMITTED
    assert stored(varmland_response, "36").number == 179


def test_the_review_lists_unconfirmed_warnings_as_warnings(
    respondent_client, varmland_response, varmland_respondent
):
    fill_response(varmland_response, by=varmland_respondent, overrides=THOUSANDS_TRAP)

    html = page(
        respondent_client.get(
            reverse("surveys:response-review", args=[varmland_response.pk])
        )
    )

    assert by_id(html, "review-problems") is None
    summary = by_id(html, "review-warnings")
    assert "alert-warning" in attrs(summary)["class"]
    (listed,) = with_class(html, "ul", "review-warnings")
    items = find_all(listed, "li")
    assert len(items) == 2
    assert "Antalet 179 motsvarar 0,1 %" in text(items[0])
    (link,) = find_all(items[0], "a")
    assert attrs(link)["href"] == section_url(varmland_response) + "#q-36"


def test_the_review_leaves_out_confirmed_warnings(
    respondent_client, varmland_response, varmland_respondent
):
    fill_response(varmland_response, by=varmland_respondent, overrides=THOUSANDS_TRAP)
    Answer.objects.filter(response=varmland_response, question__code="36").update(
        warning_confirmed=True
    )

    html = page(
        respondent_client.get(
            reverse("surveys:response-review", args=[varmland_response.pk])
        )
    )

    assert by_id(html, "review-warnings") is None
    assert with_class(html, "ul", "review-warnings") == []


def test_another_organisation_cannot_see_the_warnings(
    client, other_region_respondent, varmland_response, varmland_respondent
):
    fill_response(varmland_response, by=varmland_respondent, overrides=THOUSANDS_TRAP)
    client.force_login(other_region_respondent)

    assert client.get(section_url(varmland_response)).status_code == 404
    assert (
        client.get(
            reverse("surveys:response-review", args=[varmland_response.pk])
        ).status_code
        == 404
    )


def test_the_section_page_with_warnings_has_a_fixed_query_count(
    respondent_client,
    varmland_response,
    varmland_respondent,
    django_assert_max_num_queries,
):
    fill_response(varmland_response, by=varmland_respondent, overrides=THOUSANDS_TRAP)
    url = section_url(varmland_response)

    with django_assert_max_num_queries(MAX_QUERIES):
        result = respondent_client.get(url)

    assert by_id(page(result), "q-36-warnings") is not None
