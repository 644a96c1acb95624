"""Drafts that never lose work: partial saves, the error summary, the autosave POST."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from surveys.answers import Value
from surveys.models import Answer, AnswerChange, Response
from surveys.services import answers_map, response_get_or_create, response_save_answers
from tests.surveys.helpers import attrs, by_id, find_all, page, text, tr

pytestmark = pytest.mark.django_db

AUTOSAVE = {"HTTP_X_AUTOSAVE": "1"}


def section_url(response: Response, position: int) -> str:
    return reverse("surveys:response-section", args=[response.pk, position])


def position_of(response: Response, code: str) -> int:
    return response.questionnaire.questions.get(code=code).section.position


def page_title(html) -> str:
    (title,) = find_all(html, "title")
    return text(title)


# Partial drafts and the error summary -------------------------------------------------


def test_a_draft_with_one_bad_field_keeps_the_others_and_says_which_was_not_saved(
    respondent_client, region_response
):
    url = section_url(region_response, position_of(region_response, "35"))

    result = respondent_client.post(
        url,
        {
            "version": region_response.version,
            "q_29": "Ja",
            "q_35": "150",
            "q_36": "4 245 026",
            "action": "save",
        },
    )

    assert result.status_code == 400
    assert answers_map(region_response) == {
        ("29", ""): Value(text="Ja"),
        ("36", ""): Value(number=4245026),
    }
    html = page(result)
    summary = by_id(html, "error-summary")
    assert attrs(summary)["role"] == "alert"
    assert attrs(summary)["tabindex"] == "-1"
    assert tr("There is a problem") in text(summary)
    assert tr(
        "Your other answers are saved. The answers below are not saved: correct them "
        "and save again."
    ) in text(summary)
    (link,) = find_all(summary, "a")
    assert attrs(link)["href"] == "#id_q_35"
    assert "Ange en andel mellan 0 och 100, till exempel 45." in text(link)
    # The bad value is kept on screen with its error; the link's target exists.
    (field,) = find_all(html, "input", id="id_q_35")
    assert attrs(field)["value"] == "150"
    assert page_title(html).startswith(tr("Error:") + " ")


def test_a_bad_row_of_a_matrix_keeps_the_other_rows(
    client, cycle_2024, municipality_respondent
):
    response = response_get_or_create(
        questionnaire=cycle_2024["municipality"],
        organisation=municipality_respondent.membership.organisation,
    )
    client.force_login(municipality_respondent)

    result = client.post(
        section_url(response, position_of(response, "K07")),
        {"version": response.version, "q_K07_0": "Ja", "q_K07_1": "Kanske"},
    )

    assert result.status_code == 400
    assert answers_map(response) == {("K07", "Samverkan"): Value(text="Ja")}
    (link,) = find_all(by_id(page(result), "error-summary"), "a")
    assert attrs(link)["href"] == "#id_q_K07_1_0"


def test_an_invalid_draft_that_changes_nothing_stored_is_not_saved_again(
    respondent_client, region_response
):
    result = respondent_client.post(
        section_url(region_response, position_of(region_response, "35")),
        {"version": region_response.version, "q_35": "150", "action": "next"},
    )

    assert result.status_code == 400  # stays on the section, not the next one
    region_response.refresh_from_db()
    assert region_response.version == 1
    assert not Answer.objects.filter(response=region_response).exists()


def test_the_error_summary_after_a_refused_submit_links_each_question(
    respondent_client, region_response
):
    html = page(respondent_client.get(section_url(region_response, 1) + "?check=1"))

    links = find_all(by_id(html, "error-summary"), "a")
    assert attrs(links[0])["href"] == "#id_q_1_0"  # the first radio button of 1
    assert text(links[0]).startswith(tr("Question %(code)s") % {"code": "1"} + ":")
    for link in links:
        target = attrs(link)["href"][1:]
        assert find_all(html, "input", id=target) or find_all(
            html, "textarea", id=target
        ), target
    assert page_title(html).startswith(tr("Error:"))


def test_a_section_without_errors_has_no_summary_and_a_plain_title(
    respondent_client, region_response
):
    html = page(respondent_client.get(section_url(region_response, 1)))

    assert by_id(html, "error-summary") is None
    assert not page_title(html).startswith(tr("Error:"))
    status = by_id(html, "autosave-status")
    assert attrs(status)["aria-live"] == "polite"


def test_a_save_that_removes_follow_up_answers_says_so(
    respondent_client, region_response, region_respondent
):
    response_save_answers(
        response=region_response,
        values={
            ("29", ""): Value(text="Ja"),
            ("29b", "Legitimerad läkare"): Value(text="Ja"),
        },
        by=region_respondent,
        version=None,
    )
    region_response.refresh_from_db()
    url = section_url(region_response, position_of(region_response, "29"))

    result = respondent_client.post(
        url, {"version": region_response.version, "q_29": "Nej"}, follow=True
    )

    assert not any(code == "29b" for code, _item in answers_map(region_response))
    shown = [str(m) for m in result.context["messages"]]
    assert (
        tr(
            "The answer to question %(codes)s was removed: after your change the "
            "question no longer applies."
        )
        % {"codes": "29b"}
        in shown
    )


# The autosave: the same POST, answered in JSON -----------------------------------------


def test_autosave_saves_through_the_same_service_and_returns_version_and_time(
    respondent_client, region_response, region_respondent
):
    url = section_url(region_response, position_of(region_response, "36"))

    result = respondent_client.post(
        url, {"version": 1, "q_36": "1 600 000"}, **AUTOSAVE
    )

    assert result.status_code == 200
    body = result.json()
    assert body["status"] == "saved"
    assert body["version"] == 2
    assert body["invalid"] == []
    # Stockholm time, Swedish style: the tests run from 10:00 on the fieldwork day.
    assert re.fullmatch(r"10\.0\d", body["saved_at"])
    assert body["message"] == tr("Saved %(time)s") % {"time": body["saved_at"]}
    assert answers_map(region_response) == {("36", ""): Value(number=1600000)}
    (change,) = AnswerChange.objects.filter(response=region_response)
    assert change.changed_by == region_respondent
    assert change.source == AnswerChange.Source.WEB


def test_autosave_with_an_invalid_field_saves_the_rest_and_names_the_invalid_one(
    respondent_client, region_response
):
    url = section_url(region_response, position_of(region_response, "35"))

    result = respondent_client.post(
        url, {"version": 1, "q_29": "Ja", "q_35": "150"}, **AUTOSAVE
    )

    body = result.json()
    assert result.status_code == 200
    assert body["version"] == 2
    (invalid,) = body["invalid"]
    assert invalid["code"] == "35"
    assert invalid["anchor"] == "id_q_35"
    assert invalid["label"] == tr("Question %(code)s") % {"code": "35"}
    assert invalid["errors"][0] == "Ange en andel mellan 0 och 100, till exempel 45."
    assert answers_map(region_response) == {("29", ""): Value(text="Ja")}


def test_autosave_that_changes_nothing_keeps_the_version(
    respondent_client, region_response
):
    url = section_url(region_response, 1)
    respondent_client.post(url, {"version": 1, "q_2": "Ja"}, **AUTOSAVE)

    again = respondent_client.post(url, {"version": 2, "q_2": "Ja"}, **AUTOSAVE)

    assert again.json()["version"] == 2
    region_response.refresh_from_db()
    assert region_response.version == 2


def test_autosave_after_a_colleague_saved_is_a_conflict_and_overwrites_nothing(
    respondent_client, region_response, region_colleague
):
    response_save_answers(
        response=region_response,
        values={("2", ""): Value(text="Nej")},
        by=region_colleague,
        version=1,
    )

    result = respondent_client.post(
        section_url(region_response, 1), {"version": 1, "q_2": "Ja"}, **AUTOSAVE
    )

    assert result.status_code == 409
    body = result.json()
    assert body["status"] == "conflict"
    assert "bo@regionstockholm.se" in body["message"]
    assert answers_map(region_response) == {("2", ""): Value(text="Nej")}


def test_autosave_of_an_unchanged_page_after_a_colleague_saved_is_a_conflict_too(
    respondent_client, region_response, region_colleague
):
    response_save_answers(
        response=region_response,
        values={("2", ""): Value(text="Nej")},
        by=region_colleague,
        version=1,
    )

    result = respondent_client.post(
        section_url(region_response, 1), {"version": 1, "q_2": "Nej"}, **AUTOSAVE
    )

    assert result.status_code == 409


def test_autosave_of_a_submitted_response_is_refused_with_a_message(
    respondent_client, region_response
):
    Response.objects.filter(pk=region_response.pk).update(
        status=Response.Status.SUBMITTED
    )

    result = respondent_client.post(
        section_url(region_response, 1), {"version": 1, "q_2": "Ja"}, **AUTOSAVE
    )

    assert result.status_code == 403
    assert result.json() == {
        "status": "locked",
        "message": tr("The questionnaire is submitted; this is what was sent."),
    }
    assert not Answer.objects.filter(response=region_response).exists()


def test_autosave_of_a_locked_questionnaire_is_refused_with_the_reason(
    respondent_client, region_response
):
    questionnaire = region_response.questionnaire
    questionnaire.locked_at = timezone.now()
    questionnaire.save(update_fields=["locked_at"])

    result = respondent_client.post(
        section_url(region_response, 1), {"version": 1, "q_2": "Ja"}, **AUTOSAVE
    )

    assert result.status_code == 403
    assert result.json()["status"] == "locked"
    assert result.json()["message"]
    assert not Answer.objects.filter(response=region_response).exists()


def test_autosave_without_a_version_is_refused_and_saves_nothing(
    respondent_client, region_response
):
    result = respondent_client.post(
        section_url(region_response, 1), {"q_2": "Ja"}, **AUTOSAVE
    )

    assert result.status_code == 400
    assert result.json()["status"] == "error"
    assert not Answer.objects.filter(response=region_response).exists()


def test_autosave_when_logged_out_goes_to_the_login_and_saves_nothing(
    client, region_response
):
    result = client.post(
        section_url(region_response, 1), {"version": 1, "q_2": "Ja"}, **AUTOSAVE
    )

    assert result.status_code == 302
    assert result["Location"].startswith(reverse("login"))
    assert not Answer.objects.filter(response=region_response).exists()


def test_autosave_of_another_organisations_response_is_404(
    client, other_region_respondent, region_response
):
    client.force_login(other_region_respondent)

    result = client.post(
        section_url(region_response, 1), {"version": 1, "q_2": "Ja"}, **AUTOSAVE
    )

    assert result.status_code == 404
    assert not Answer.objects.filter(response=region_response).exists()


def test_autosave_needs_the_csrf_token_like_the_form(
    region_respondent, region_response
):
    client = Client(enforce_csrf_checks=True)
    client.force_login(region_respondent)
    url = section_url(region_response, 1)

    refused = client.post(url, {"version": 1, "q_2": "Ja"}, **AUTOSAVE)
    client.get(url)  # sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    accepted = client.post(
        url, {"version": 1, "q_2": "Ja"}, HTTP_X_CSRFTOKEN=token, **AUTOSAVE
    )

    assert refused.status_code == 403
    assert accepted.status_code == 200
    assert answers_map(region_response) == {("2", ""): Value(text="Ja")}
