from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from regions.models import County, Organisation
from surveys.models import (
    ContactPerson,
    EmailLog,
    Participation,
    Questionnaire,
    QuestionType,
    Response,
)
from surveys.selectors import rates
from surveys.selectors.questionnaires import questionnaires_for_organisation
from surveys.services import questionnaires_load
from surveys.services.cycles import extra_question_create
from tests.surveys.helpers import post_confirmed

pytestmark = pytest.mark.django_db

OPENS = datetime.date(2025, 1, 7)
CLOSES = datetime.date(2025, 2, 28)


def create(cycle, staff, codes, **kwargs):
    values = {
        "title": "Extra fråga om hemsjukvård 2024",
        "text": "Hur har hemsjukvården utvecklats under 2024?",
        "question_type": QuestionType.FREE_TEXT,
        "opens_on": OPENS,
        "closes_on": CLOSES,
        "reminder_dates": None,
        "organisations": Organisation.objects.filter(code__in=codes),
    }
    return extra_question_create(cycle=cycle, by=staff, **(values | kwargs))


@pytest.fixture
def cycle(cycle_2024):
    return cycle_2024["extra"].cycle


def test_an_extra_question_is_a_one_question_questionnaire_for_the_chosen(cycle, staff):
    extra = create(cycle, staff, ["0114", "0115", "0381"])

    assert (extra.audience, extra.is_current, extra.version) == ("extra", True, 1)
    assert extra.source_file == "web:extra-fraga-om-hemsjukvard-2024"
    assert (extra.opens_on, extra.closes_on) == (OPENS, CLOSES)
    # Three weeks and one week before closing
    assert extra.reminder_dates == ["2025-02-07", "2025-02-21"]
    question = extra.questions.get()
    assert (question.code, question.type, question.text) == (
        "E01",
        QuestionType.FREE_TEXT,
        "Hur har hemsjukvården utvecklats under 2024?",
    )
    assert sorted(
        extra.participations.values_list("organisation__code", flat=True)
    ) == ["0114", "0115", "0381"]
    assert extra.events.get().kind == "created"


def test_several_extra_questions_are_current_beside_extra_yaml(cycle, staff):
    first = create(cycle, staff, ["0114"])
    second = create(cycle, staff, ["0115"], question_type=QuestionType.YES_NO)

    current = Questionnaire.objects.filter(
        cycle=cycle, audience="extra", is_current=True
    )

    assert current.count() == 3
    assert second.source_file == first.source_file + "-2"
    assert second.questions.get().rule == "yes_count"


def test_reloading_the_definitions_finds_extra_yaml_and_leaves_web_questions_alone(
    cycle, staff
):
    web = create(cycle, staff, ["0114"])

    result = questionnaires_load(year=2024)

    assert "2024/extra.yaml: unchanged (version 1)" in result.lines
    web.refresh_from_db()
    assert web.is_current
    assert web.questions.get().code == "E01"


def test_only_the_invited_municipalities_see_it_on_their_start_page(cycle, staff):
    extra = create(cycle, staff, ["0114"])
    invited = Organisation.objects.get(code="0114")
    other = Organisation.objects.get(code="0115")

    assert extra in questionnaires_for_organisation(invited)
    assert extra not in questionnaires_for_organisation(other)
    # Questionnaires without invitations are for the whole audience.
    assert {q.audience for q in questionnaires_for_organisation(other)} == {
        "municipality",
        "extra",
    }


def test_the_start_page_lists_it_for_the_invited(
    client, cycle, staff, municipality_respondent, other_municipality_respondent
):
    extra = create(cycle, staff, ["0114"])

    client.force_login(municipality_respondent)
    mine = [row.questionnaire for row in client.get("/").context["rows"]]
    client.force_login(other_municipality_respondent)
    theirs = [row.questionnaire for row in client.get("/").context["rows"]]

    assert extra in mine
    assert extra not in theirs


def test_the_extra_question_has_its_own_response_rate(cycle, staff):
    extra = create(cycle, staff, ["0114", "0115", "0117"])
    Response.objects.create(
        questionnaire=extra,
        organisation=Organisation.objects.get(code="0114"),
        status=Response.Status.SUBMITTED,
    )
    Response.objects.create(
        questionnaire=cycle.questionnaires.get(key="municipality"),
        organisation=Organisation.objects.get(code="0115"),
        status=Response.Status.SUBMITTED,
    )

    result = rates.rates_per_questionnaire(rates.rates_frame(questionnaires=[extra]))

    assert result.to_dict("records") == [
        {
            "questionnaire_id": extra.pk,
            "invited": 3,
            "started": 1,
            "submitted": 1,
            "rate": 33,
        }
    ]


def test_an_extra_question_needs_municipalities_a_type_and_dates_in_order(cycle, staff):
    with pytest.raises(ValidationError) as caught:
        create(
            cycle,
            staff,
            ["01"],
            question_type=QuestionType.MATRIX,
            text=" ",
        )
    with pytest.raises(ValidationError) as dates:
        create(
            cycle,
            staff,
            ["0114"],
            closes_on=datetime.date(2025, 1, 1),
            reminder_dates=[datetime.date(2025, 3, 1)],
        )
    with pytest.raises(ValidationError) as nobody:
        create(cycle, staff, [])

    assert set(caught.value.message_dict) == {"organisations", "question_type", "text"}
    assert set(dates.value.message_dict) == {"closes_on", "reminder_dates"}
    assert set(nobody.value.message_dict) == {"organisations"}
    assert not Questionnaire.objects.filter(source_file__startswith="web:").exists()


# The staff page


def form(cycle, **fields):
    return {
        "cycle": cycle.pk,
        "title": "Extra fråga 2024",
        "text": "Vilka resultat har uppföljningarna visat?",
        "question_type": "free_text",
        "opens_on": "2025-01-07",
        "closes_on": "2025-02-28",
        "reminder_dates": "",
        **fields,
    }


def test_staff_send_an_extra_question_to_all_290_municipalities(client, cycle, staff):
    client.force_login(staff)

    result = post_confirmed(
        client, reverse("surveys:staff-extra-question"), form(cycle, everyone="on")
    )

    extra = Questionnaire.objects.get(source_file__startswith="web:")
    assert result.status_code == 302
    assert result["Location"] == reverse("surveys:staff-rates", args=[extra.pk])
    assert extra.participations.count() == 290
    assert client.get(result["Location"]).context["totals"]["invited"] == 290


def test_staff_choose_counties_rss_areas_and_single_municipalities(
    client, cycle, staff
):
    client.force_login(staff)
    gotland = County.objects.get(code="09")
    blekinge_rss = Organisation.objects.get(code="RSS-10")
    enkoping = Organisation.objects.get(code="0381")

    post_confirmed(
        client,
        reverse("surveys:staff-extra-question"),
        form(
            cycle,
            counties=[gotland.pk],
            rss=[blekinge_rss.pk],
            municipalities=[enkoping.pk],
            reminder_dates="2025-02-14",
        ),
    )

    extra = Questionnaire.objects.get(source_file__startswith="web:")
    invited = set(
        Participation.objects.filter(questionnaire=extra).values_list(
            "organisation__code", flat=True
        )
    )
    assert invited == {"0980", "0381"} | set(
        blekinge_rss.municipalities.values_list("code", flat=True)
    )
    assert len(invited) == 1 + 1 + 5
    assert extra.reminder_dates == ["2025-02-14"]


def test_the_chosen_municipalities_are_sent_the_invitation_and_no_others(
    client, cycle, staff, mailoutbox, django_capture_on_commit_callbacks
):
    for code, email in (
        ("0114", "kontakt@upplandsvasby.se"),
        ("0115", "x@vallentuna.se"),
    ):
        ContactPerson.objects.create(
            organisation=Organisation.objects.get(code=code),
            name="Kontakt",
            email=email,
        )
    client.force_login(staff)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("surveys:staff-extra-question"),
            form(cycle, municipalities=[Organisation.objects.get(code="0114").pk]),
        )

    extra = Questionnaire.objects.get(source_file__startswith="web:")
    assert [m.to for m in mailoutbox] == [["kontakt@upplandsvasby.se"]]
    assert EmailLog.objects.get().questionnaire == extra


def test_the_page_shows_what_is_wrong(client, cycle, staff):
    client.force_login(staff)

    result = client.post(
        reverse("surveys:staff-extra-question"),
        form(cycle, closes_on="2025-01-01", reminder_dates="14 februari"),
    )

    assert result.status_code == 200
    assert set(result.context["form"].errors) == {"reminder_dates"}
    nobody = client.post(reverse("surveys:staff-extra-question"), form(cycle))
    assert nobody.context["form"].non_field_errors()
    assert not Questionnaire.objects.filter(source_file__startswith="web:").exists()


def test_the_extra_question_page_is_403_for_non_staff(
    client, cycle, municipality_respondent
):
    client.force_login(municipality_respondent)

    result = client.post(
        reverse("surveys:staff-extra-question"), form(cycle, everyone="on")
    )

    assert result.status_code == 403
    assert not Questionnaire.objects.filter(source_file__startswith="web:").exists()
