from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from regions.models import Organisation
from surveys.answers import Value
from surveys.models import AnswerChange, QuestionType, Response
from surveys.services import answers_map
from tests.conftest import FIELDWORK_DAY
from tests.factories import QuestionFactory, QuestionnaireFactory, SectionFactory
from tests.surveys.helpers import page, send_to_chosen_set, text

pytestmark = pytest.mark.django_db


def make_questionnaire(audience: str, questions: dict[str, str]):
    section = SectionFactory(
        questionnaire=QuestionnaireFactory(
            audience=audience, title=f"Enkät {audience}"
        ),
        position=1,
    )
    for position, (code, qtype) in enumerate(questions.items(), start=1):
        QuestionFactory(section=section, position=position, code=code, type=qtype)
    return section.questionnaire


@pytest.fixture
def questionnaires(national_frame):
    return {
        "region": make_questionnaire(
            "region", {"29": QuestionType.YES_NO, "31": QuestionType.FREE_TEXT}
        ),
        "municipality": make_questionnaire(
            "municipality", {"K06": QuestionType.YES_NO, "K07b": QuestionType.FREE_TEXT}
        ),
        "rss": make_questionnaire("rss", {"S02b": QuestionType.FREE_TEXT}),
    }


def response_of(questionnaire, code: str, **answers: str) -> Response:
    response = Response.objects.create(
        questionnaire=questionnaire, organisation=Organisation.objects.get(code=code)
    )
    for question_code, value in answers.items():
        response.answers.create(
            question=questionnaire.questions.get(code=question_code), text=value
        )
    return response


def url(name: str, response: Response, *args: int) -> str:
    return reverse(f"surveys:response-{name}", args=[response.pk, *args])


def start_url(questionnaire, code: str) -> str:
    return reverse("surveys:response-start", args=[questionnaire.pk, code])


def call(client, method: str, path: str, fields: dict[str, str]):
    """GET the page, or POST the fields with the response's first version."""
    if method == "get":
        return client.get(path)
    return client.post(path, {"version": 1, **fields})


# method, page, its arguments after the response's pk, status for the owner
PAGES = [
    ("get", "section", (1,), 200),
    ("post", "section", (1,), 302),
    ("get", "review", (), 200),
    ("get", "summary", (), 200),
    ("post", "submit", (), 302),
]


@pytest.mark.parametrize(("method", "name", "args", "status"), PAGES)
def test_the_owner_opens_the_pages_of_their_response(
    client, region_respondent, questionnaires, method, name, args, status
):
    response = response_of(questionnaires["region"], "01", **{"29": "Ja"})
    client.force_login(region_respondent)

    result = call(client, method, url(name, response, *args), {"q_29": "Ja"})

    assert result.status_code == status


@pytest.mark.parametrize(("method", "name", "args", "status"), PAGES)
def test_another_organisations_response_is_404(
    client, other_region_respondent, questionnaires, method, name, args, status
):
    response = response_of(questionnaires["region"], "01", **{"29": "Ja"})
    client.force_login(other_region_respondent)

    result = call(client, method, url(name, response, *args), {"q_29": "Nej"})

    assert result.status_code == 404
    assert answers_map(response) == {("29", ""): Value(text="Ja")}
    response.refresh_from_db()
    assert (response.version, response.status) == (1, Response.Status.DRAFT)


def test_fields_of_another_questionnaire_posted_to_a_section_change_nothing_else(
    client, region_respondent, questionnaires
):
    own = response_of(questionnaires["region"], "01")
    municipal = response_of(questionnaires["municipality"], "0114", K06="Nej")
    rss = response_of(questionnaires["rss"], "RSS-01", S02b="Vi fortsätter.")
    client.force_login(region_respondent)

    result = client.post(
        url("section", own, 1),
        {
            "version": own.version,
            "q_29": "Ja",
            "q_K06": "Ja",
            "q_K07b": "Inkräktare",
            "q_S02b": "Inkräktare",
            "response": municipal.pk,
        },
    )

    assert result.status_code == 302
    assert answers_map(own) == {("29", ""): Value(text="Ja")}
    assert answers_map(municipal) == {("K06", ""): Value(text="Nej")}
    assert answers_map(rss) == {("S02b", ""): Value(text="Vi fortsätter.")}
    assert not AnswerChange.objects.exclude(response=own).exists()


def test_starting_a_response_for_another_organisation_is_404(
    client, region_respondent, questionnaires
):
    client.force_login(region_respondent)

    result = client.post(start_url(questionnaires["region"], "03"))

    assert result.status_code == 404
    assert not Response.objects.exists()


def test_starting_a_questionnaire_of_another_audience_is_404(
    client, region_respondent, questionnaires
):
    client.force_login(region_respondent)

    result = client.post(start_url(questionnaires["municipality"], "01"))

    assert result.status_code == 404
    assert not Response.objects.exists()


def test_starting_creates_the_response_and_opens_its_first_section(
    client, region_respondent, questionnaires
):
    client.force_login(region_respondent)

    result = client.post(start_url(questionnaires["region"], "01"))

    response = Response.objects.get()
    assert (response.organisation.code, response.questionnaire) == (
        "01",
        questionnaires["region"],
    )
    assert result["Location"] == url("section", response, 1)
    assert client.post(start_url(questionnaires["region"], "01"))["Location"] == url(
        "section", response, 1
    )
    assert Response.objects.count() == 1


def test_an_rss_coordinator_enters_an_area_municipalitys_answers_from_paper(
    client, rss_coordinator, questionnaires
):
    client.force_login(rss_coordinator)

    started = client.post(start_url(questionnaires["municipality"], "0114"))
    response = Response.objects.get(organisation__code="0114")
    assert started["Location"] == url("section", response, 1)
    assert client.get(url("section", response, 1)).status_code == 200
    saved = client.post(
        url("section", response, 1),
        {"version": response.version, "q_K06": "Ja", "q_K07b": "Från papper"},
    )

    assert saved.status_code == 302
    response.refresh_from_db()
    assert response.source == Response.Source.PAPER
    assert answers_map(response) == {
        ("K06", ""): Value(text="Ja"),
        ("K07b", ""): Value(text="Från papper"),
    }
    assert set(
        AnswerChange.objects.filter(response=response).values_list("source", flat=True)
    ) == {AnswerChange.Source.PAPER}
    summary = client.get(url("summary", response))
    assert summary.status_code == 200
    assert "Från papper" in text(page(summary))


def test_a_municipalitys_own_answers_stay_web_answers(
    client, municipality_respondent, questionnaires
):
    response = response_of(questionnaires["municipality"], "0114")
    client.force_login(municipality_respondent)

    client.post(url("section", response, 1), {"version": 1, "q_K06": "Nej"})

    response.refresh_from_db()
    assert response.source == Response.Source.WEB
    assert AnswerChange.objects.get().source == AnswerChange.Source.WEB


def test_an_rss_coordinator_cannot_open_a_municipality_of_another_rss(
    client, rss_coordinator, questionnaires
):
    enkoping = response_of(questionnaires["municipality"], "0381", K06="Nej")
    client.force_login(rss_coordinator)

    assert (
        client.post(start_url(questionnaires["municipality"], "0381")).status_code
        == 404
    )
    assert client.get(url("section", enkoping, 1)).status_code == 404
    assert client.get(url("summary", enkoping)).status_code == 404
    assert (
        client.post(
            url("section", enkoping, 1), {"version": 1, "q_K06": "Ja"}
        ).status_code
        == 404
    )
    assert answers_map(enkoping) == {("K06", ""): Value(text="Nej")}


def test_a_municipality_user_cannot_open_its_rss_response(
    client, municipality_respondent, questionnaires
):
    rss = response_of(questionnaires["rss"], "RSS-01", S02b="Text")
    client.force_login(municipality_respondent)

    assert client.get(url("section", rss, 1)).status_code == 404
    assert client.get(url("summary", rss)).status_code == 404
    assert client.post(start_url(questionnaires["rss"], "RSS-01")).status_code == 404


def test_staff_see_every_response(client, staff, questionnaires):
    responses = [
        response_of(questionnaires["region"], "03", **{"29": "Ja"}),
        response_of(questionnaires["municipality"], "0381", K06="Nej"),
        response_of(questionnaires["rss"], "RSS-14-GR", S02b="Text"),
    ]
    client.force_login(staff)

    for response in responses:
        assert client.get(url("summary", response)).status_code == 200
        assert client.get(url("section", response, 1)).status_code == 200
        assert client.get(url("review", response)).status_code == 200


def test_staff_see_the_status_of_every_organisation_of_a_questionnaire(
    client, staff, questionnaires
):
    response_of(questionnaires["region"], "03", **{"29": "Ja"})
    client.force_login(staff)

    result = client.get(
        reverse("surveys:staff-questionnaire", args=[questionnaires["region"].pk])
    )

    assert result.status_code == 200
    content = text(page(result))
    for region in Organisation.objects.filter(kind=Organisation.Kind.REGION):
        assert region.full_name in content


@pytest.mark.parametrize(
    "user", ["region_respondent", "rss_coordinator", "municipality_respondent"]
)
def test_the_staff_questionnaire_page_is_403_for_others(
    client, request, questionnaires, user
):
    client.force_login(request.getfixturevalue(user))

    result = client.get(
        reverse("surveys:staff-questionnaire", args=[questionnaires["region"].pk])
    )

    # A staff-only page: refused, not hidden (surveys.permissions).
    assert result.status_code == 403


@pytest.mark.parametrize(
    ("method", "name"),
    [
        ("get", "home"),
        ("get", "section"),
        ("get", "review"),
        ("get", "summary"),
        ("post", "submit"),
        ("post", "section"),
        ("post", "start"),
        ("get", "staff-questionnaire"),
        ("get", "staff-import"),
    ],
)
def test_anonymous_users_are_sent_to_the_login(client, questionnaires, method, name):
    response = response_of(questionnaires["region"], "01")
    path = {
        "home": reverse("surveys:home"),
        "section": url("section", response, 1),
        "review": url("review", response),
        "summary": url("summary", response),
        "submit": url("submit", response),
        "start": start_url(questionnaires["region"], "01"),
        "staff-questionnaire": reverse(
            "surveys:staff-questionnaire", args=[questionnaires["region"].pk]
        ),
        "staff-import": reverse("surveys:staff-import"),
    }[name]

    result = call(client, method, path, {"q_29": "Ja"})

    assert result.status_code == 302
    assert result["Location"] == f"{reverse(settings.LOGIN_URL)}?next={path}"
    assert not response.answers.exists()


def test_an_organisation_not_invited_to_a_questionnaire_with_invitations_cannot_start_it(
    client, cycle_2024, municipality_respondent, other_municipality_respondent
):
    extra = cycle_2024["extra"]
    send_to_chosen_set(extra, municipality_respondent.membership.organisation.code)
    extra.opens_on = FIELDWORK_DAY  # it opened late (2025-03-20)
    extra.save(update_fields=["opens_on"])
    client.force_login(other_municipality_respondent)
    url = reverse("surveys:response-start", args=[extra.pk, "0381"])
    assert client.post(url).status_code == 404
    assert not Response.objects.filter(questionnaire=extra).exists()

    client.force_login(municipality_respondent)
    url = reverse("surveys:response-start", args=[extra.pk, "0114"])
    assert client.post(url).status_code == 302
    assert Response.objects.filter(
        questionnaire=extra, organisation__code="0114"
    ).exists()
