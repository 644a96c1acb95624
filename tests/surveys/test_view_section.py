from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from regions.models import Organisation
from surveys.answers import Value
from surveys.models import Answer, AnswerChange, Question, QuestionType, Response
from surveys.services import answers_map, response_get_or_create
from tests.conftest import FIELDWORK_DAY
from tests.factories import QuestionFactory, SectionFactory
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

# A section page: session, user, membership with its organisation, response, answers
# with their confirmations, sections, questions (these two once per version of the
# questionnaire and process; no request transaction), and on an RSS page with
# count-per-option questions one count of the area's municipalities and one read of
# the area's submissions for the compilation card.
MAX_QUERIES = 9


def section_url(response: Response, position: int) -> str:
    return reverse("surveys:response-section", args=[response.pk, position])


def position_of(response: Response, code: str) -> int:
    return response.questionnaire.questions.get(code=code).section.position


def version_in(html_page) -> str:
    (field,) = find_all(html_page, "input", name="version")
    return attrs(field)["value"]


AUDIENCES = {
    "region": ("region_respondent", "01"),
    "rss": ("rss_coordinator", "RSS-01"),
    "municipality": ("municipality_respondent", "0114"),
    "extra": ("municipality_respondent", "0114"),
}


@pytest.mark.parametrize("audience", list(AUDIENCES))
def test_every_section_of_the_2024_questionnaires_renders_each_question(
    client, cycle_2024, request, audience
):
    fixture, code = AUDIENCES[audience]
    client.force_login(request.getfixturevalue(fixture))
    questionnaire = cycle_2024[audience]
    # The extra question opened late (2025-03-20); this test is about rendering.
    questionnaire.opens_on = min(questionnaire.opens_on, FIELDWORK_DAY)
    questionnaire.save(update_fields=["opens_on"])
    response = response_get_or_create(
        questionnaire=questionnaire, organisation=Organisation.objects.get(code=code)
    )
    questions = list(questionnaire.questions.order_by("position"))

    for section in questionnaire.sections.all():
        result = client.get(section_url(response, section.position))

        assert result.status_code == 200, section.title
        html = page(result)
        for question in [q for q in questions if q.section_id == section.pk]:
            fieldset = by_id(html, f"q-{question.code}")
            assert fieldset is not None, question.code
            assert fieldset.name == "fieldset"
            if question.type == QuestionType.MATRIX:
                assert_accessible_matrix(fieldset, question)


def assert_accessible_matrix(fieldset, question: Question) -> None:
    rows = find_all(fieldset, "th", scope="row")
    columns = find_all(fieldset, "th", scope="col")
    assert [text(th) for th in rows] == question.items
    assert [text(th) for th in columns] == question.choice_options
    header_ids = {attrs(th)["id"] for th in rows + columns}
    radios = find_all(fieldset, "input", type="radio")
    assert len(radios) == len(question.items) * len(question.choice_options)
    for radio in radios:
        labelled_by = attrs(radio)["aria-labelledby"].split()
        assert len(labelled_by) == 2
        assert set(labelled_by) <= header_ids


def test_each_question_type_renders_its_inputs(client, region_respondent):
    section = SectionFactory(position=1)
    make = {
        QuestionType.YES_NO: {},
        QuestionType.YES_PARTLY_NO: {},
        QuestionType.SINGLE_CHOICE: {"options": ["Ja", "Nej", "Nej, men förslag"]},
        QuestionType.MULTIPLE_CHOICE: {"items": ["Via 1177.se", "På annat sätt"]},
        QuestionType.MATRIX: {"options": ["Ja", "Nej"], "items": ["Läkare", "Vård"]},
        QuestionType.PERCENTAGE: {"validation": {"min": 0, "max": 100}},
        QuestionType.COUNT: {"validation": {"min": 0}},
        QuestionType.INTEGER: {"validation": {"min": 0}},
        QuestionType.MONEY: {"validation": {"min": 0}},
        QuestionType.FREE_TEXT: {"items": ["Namn", "E-postadress"]},
        QuestionType.COUNT_PER_OPTION: {
            "cells": [
                {"label": "Ja", "item": "", "option": "Ja"},
                {"label": "Nej", "item": "", "option": "Nej"},
            ]
        },
    }
    assert set(make) == set(QuestionType.values)
    for position, (qtype, extra) in enumerate(make.items(), start=1):
        QuestionFactory(
            section=section, position=position, code=qtype, type=qtype, **extra
        )
    response = Response.objects.create(
        questionnaire=section.questionnaire,
        organisation=Organisation.objects.get(code="01"),
    )
    client.force_login(region_respondent)

    html = page(client.get(section_url(response, 1)))

    def inputs(code: str) -> list[tuple[str, str, str | None]]:
        fieldset = by_id(html, f"q-{code}")
        return [
            (e.name, attrs(e).get("name"), attrs(e).get("value"))
            for e in find_all(fieldset, "input") + find_all(fieldset, "textarea")
        ]

    assert inputs("yes_no") == [
        ("input", "q_yes_no", "Ja"),
        ("input", "q_yes_no", "Nej"),
    ]
    assert [v for _, _, v in inputs("yes_partly_no")] == ["Ja", "Delvis", "Nej"]
    assert [v for _, _, v in inputs("single_choice")] == [
        "Ja",
        "Nej",
        "Nej, men förslag",
    ]
    assert inputs("multiple_choice") == [
        ("input", "q_multiple_choice", "Via 1177.se"),
        ("input", "q_multiple_choice", "På annat sätt"),
    ]
    assert [n for _, n, _ in inputs("matrix")] == ["q_matrix_0"] * 2 + [
        "q_matrix_1"
    ] * 2
    assert [n for _, n, _ in inputs("percentage")] == [
        "q_percentage",
        "q_percentage_ce",
    ]
    assert [n for _, n, _ in inputs("count")] == ["q_count", "q_count_ce"]
    assert [n for _, n, _ in inputs("integer")] == ["q_integer"]
    assert [n for _, n, _ in inputs("money")] == ["q_money"]
    assert "kr" in text(by_id(html, "q-money"))
    assert [(e, n) for e, n, _ in inputs("free_text")] == [
        ("textarea", "q_free_text_0"),
        ("textarea", "q_free_text_1"),
    ]
    assert [n for _, n, _ in inputs("count_per_option")] == [
        "q_count_per_option_0",
        "q_count_per_option_1",
    ]


def test_saving_a_section_keeps_a_draft_without_checking_required_answers(
    respondent_client, region_response
):
    result = respondent_client.post(
        section_url(region_response, 1),
        {"version": region_response.version, "q_2": "Ja", "action": "save"},
    )

    assert result.status_code == 302
    assert result["Location"] == section_url(region_response, 1) + "#top"
    assert answers_map(region_response) == {("2", ""): Value(text="Ja")}
    region_response.refresh_from_db()
    assert region_response.status == Response.Status.DRAFT
    assert region_response.version == 2


def test_save_and_continue_goes_to_the_next_section(respondent_client, region_response):
    result = respondent_client.post(
        section_url(region_response, 1),
        {"version": region_response.version, "q_2": "Nej", "action": "next"},
    )

    assert result["Location"] == section_url(region_response, 2) + "#top"


def test_the_saved_answers_are_shown_when_the_section_is_opened_again(
    respondent_client, region_response
):
    position = position_of(region_response, "36")
    respondent_client.post(
        section_url(region_response, position),
        {
            "version": region_response.version,
            "q_29": "Ja",
            "q_36": "1 600 000",
            "q_37_ce": "on",
        },
    )

    html = page(respondent_client.get(section_url(region_response, position)))

    (ja,) = find_all(by_id(html, "q-29"), "input", value="Ja")
    assert "checked" in attrs(ja)
    (count,) = find_all(by_id(html, "q-36"), "input", name="q_36")
    assert attrs(count)["value"] == "1600000"
    (cannot,) = find_all(by_id(html, "q-37"), "input", name="q_37_ce")
    assert "checked" in attrs(cannot)


def test_an_invalid_value_returns_400_with_the_error_at_its_question_and_saves_the_rest(
    respondent_client, region_response
):
    position = position_of(region_response, "35")
    assert {position_of(region_response, c) for c in ("29", "36", "37")} == {position}

    result = respondent_client.post(
        section_url(region_response, position),
        {
            "version": region_response.version,
            "q_29": "Ja",
            "q_35": "150",
            "q_36": "abc",
            "q_37": "50",
            "q_37_ce": "on",
        },
    )

    assert result.status_code == 400
    html = page(result)
    assert text(by_id(html, "q-35-errors")) == (
        "Fel: Ange en andel mellan 0 och 100, till exempel 45."
    )
    assert text(by_id(html, "q-36-errors")) == (
        "Fel: Ange antalet med siffror, till exempel 12 500."
    )
    assert text(by_id(html, "q-37-errors")) == (
        "Fel: Skriv antingen ett tal eller markera ”Andelen kan inte uppskattas”, "
        "inte båda."
    )
    assert by_id(html, "q-29-errors") is None
    assert "has-error" in attrs(by_id(html, "q-35"))["class"]
    # The valid answer is a saved draft; the three invalid ones are not stored.
    assert answers_map(region_response) == {("29", ""): Value(text="Ja")}
    assert list(
        AnswerChange.objects.filter(response=region_response).values_list(
            "question__code", flat=True
        )
    ) == ["29"]
    region_response.refresh_from_db()
    assert region_response.version == 2
    assert version_in(html) == "2"


def test_the_page_with_errors_keeps_what_was_typed(respondent_client, region_response):
    position = position_of(region_response, "35")

    result = respondent_client.post(
        section_url(region_response, position),
        {"version": region_response.version, "q_35": "150", "q_36": "4 245 026"},
    )

    (count,) = find_all(page(result), "input", name="q_36")
    assert attrs(count)["value"] == "4 245 026"


def test_follow_up_29b_is_hidden_until_29_is_saved_as_ja(
    respondent_client, region_response
):
    url = section_url(region_response, position_of(region_response, "29b"))

    before = by_id(page(respondent_client.get(url)), "q-29b")
    assert "hidden" in attrs(before)
    assert attrs(before)["data-show-if-question"] == "29"
    assert attrs(before)["data-show-if-equals"] == "Ja"

    respondent_client.post(url, {"version": region_response.version, "q_29": "Ja"})
    after = by_id(page(respondent_client.get(url)), "q-29b")
    assert "hidden" not in attrs(after)
    assert "hidden" not in attrs(by_id(page(respondent_client.get(url)), "q-29"))

    region_response.refresh_from_db()
    respondent_client.post(url, {"version": region_response.version, "q_29": "Nej"})
    assert "hidden" in attrs(by_id(page(respondent_client.get(url)), "q-29b"))


def test_a_stale_post_returns_409_and_keeps_the_colleagues_answer(
    client, region_respondent, region_colleague, region_response
):
    url = section_url(region_response, position_of(region_response, "29"))
    client.force_login(region_respondent)
    opened = version_in(page(client.get(url)))
    colleague = Client()
    colleague.force_login(region_colleague)
    saved = colleague.post(url, {"version": opened, "q_29": "Nej"})
    assert saved.status_code == 302

    result = client.post(url, {"version": opened, "q_29": "Ja", "q_36": "5000"})

    assert result.status_code == 409
    html = page(result)
    alert = text(by_id(html, "stale-alert"))
    assert "bo@regionstockholm.se" in alert
    assert tr("Not saved.") in alert
    assert tr("Saved by a colleague:") + " Nej" in text(by_id(html, "q-29"))
    assert version_in(html) == str(int(opened) + 1)
    assert answers_map(region_response) == {("29", ""): Value(text="Nej")}
    assert set(
        AnswerChange.objects.filter(response=region_response).values_list(
            "changed_by", flat=True
        )
    ) == {region_colleague.pk}


def test_the_section_of_a_submitted_response_redirects_to_the_summary(
    respondent_client, region_response
):
    Response.objects.filter(pk=region_response.pk).update(
        status=Response.Status.SUBMITTED
    )

    result = respondent_client.get(section_url(region_response, 1))

    assert result.status_code == 302
    assert result["Location"] == reverse(
        "surveys:response-summary", args=[region_response.pk]
    )


def test_an_unknown_section_is_404(respondent_client, region_response):
    sections = region_response.questionnaire.sections.count()

    assert (
        respondent_client.get(section_url(region_response, sections + 1)).status_code
        == 404
    )


def test_the_section_page_query_count_does_not_grow_with_its_questions(
    respondent_client,
    region_respondent,
    region_response,
    django_assert_max_num_queries,
):
    fill_response(region_response, by=region_respondent)
    sizes = {
        s.position: s.questions.count()
        for s in region_response.questionnaire.sections.all()
    }
    largest = max(sizes, key=sizes.get)
    smallest = min(sizes, key=sizes.get)
    assert sizes[largest] >= 10
    assert sizes[smallest] <= 2

    for position in (largest, smallest):
        with django_assert_max_num_queries(MAX_QUERIES):
            result = respondent_client.get(section_url(region_response, position))
        assert result.status_code == 200


def test_the_count_per_option_section_counts_the_area_once(
    client, cycle_2024, rss_coordinator, django_assert_max_num_queries
):
    response = response_get_or_create(
        questionnaire=cycle_2024["rss"],
        organisation=Organisation.objects.get(code="RSS-01"),
    )
    position = position_of(response, "S03-K06")
    counted = response.questionnaire.questions.filter(
        section__position=position, type=QuestionType.COUNT_PER_OPTION
    )
    assert counted.count() >= 10
    client.force_login(rss_coordinator)

    # One more: whether the counts were fetched, to tell whether they went stale.
    with django_assert_max_num_queries(MAX_QUERIES + 1):
        result = client.get(section_url(response, position))

    html = page(result)
    hint = tr(
        "Number of municipalities of the area (%(n)s in all) per answer option."
    ) % {"n": 26}
    for question in counted:
        assert hint in text(by_id(html, f"q-{question.code}"))


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("100000000000000000000", "Ange ett antal som är högst 1 000 000 000 000."),
        ("9223372036854775808", "Ange ett antal som är högst 1 000 000 000 000."),
        ("9" * 39, "Ange ett antal som är högst 1 000 000 000 000."),
        ("9" * 41, "Ange antalet med siffror, till exempel 12 500."),
        ("-5", "Ange ett antal som är 0 eller mer."),
        ("٣٣", "Ange antalet med siffror, till exempel 12 500."),
    ],
)
def test_a_number_beyond_the_bounds_is_a_field_error_not_a_server_error(
    respondent_client, region_response, raw, message
):
    position = position_of(region_response, "36")

    result = respondent_client.post(
        section_url(region_response, position),
        {"version": region_response.version, "q_36": raw},
    )

    assert result.status_code == 400
    assert message in text(by_id(page(result), "q-36-errors"))
    assert not Answer.objects.filter(response=region_response).exists()


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("x" * 40_000, "Korta texten till högst 10 000 tecken (den har 40 000 nu)."),
        ("Mobila\x1bteam", "styrtecken (U+001B)"),
    ],
)
def test_free_text_too_long_or_with_control_characters_is_a_field_error(
    respondent_client, region_response, raw, message
):
    question = (
        region_response.questionnaire.questions.filter(
            type=QuestionType.FREE_TEXT, show_if__isnull=True, items=[]
        )
        .order_by("position")
        .first()
    )
    position = question.section.position

    result = respondent_client.post(
        section_url(region_response, position),
        {"version": region_response.version, f"q_{question.code}": raw},
    )

    assert result.status_code == 400
    errors = text(by_id(page(result), f"q-{question.code}-errors"))
    assert message in errors
    assert not Answer.objects.filter(response=region_response).exists()


def test_the_rss_paper_path_refuses_control_characters_and_overlong_text(
    client, cycle_2024, rss_coordinator
):
    """The coordinator entering a municipality's paper answers meets the same rules."""
    response = response_get_or_create(
        questionnaire=cycle_2024["municipality"],
        organisation=Organisation.objects.get(code="0114"),
    )
    question = (
        response.questionnaire.questions.filter(
            type=QuestionType.FREE_TEXT, show_if__isnull=True, items=[]
        )
        .order_by("position")
        .first()
    )
    client.force_login(rss_coordinator)

    result = client.post(
        section_url(response, question.section.position),
        {"version": response.version, f"q_{question.code}": "Pappers\x1bsvar"},
    )

    assert result.status_code == 400
    errors = text(by_id(page(result), f"q-{question.code}-errors"))
    assert "styrtecken (U+001B) vid tecken 8" in errors
    assert not Answer.objects.filter(response=response).exists()
