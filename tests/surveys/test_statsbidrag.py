"""The grant report (statsbidrag) as a second questionnaire of the municipalities: its
definition, the money answers, the allocation key and its plausibility checks, and the
start page beside the god och nära vård questionnaire."""

from __future__ import annotations

import pytest
from django.urls import reverse

from regions.models import Organisation
from surveys.answers import AnswerError, Value, parse_written
from surveys.models import (
    Question,
    Questionnaire,
    QuestionType,
    ReferenceFigure,
    Response,
)
from surveys.quality import answer_warnings
from surveys.selectors.questionnaires import questionnaire_of_cycle, reference_figures
from tests.surveys.helpers import by_id, find_all, page, text, tr

pytestmark = pytest.mark.django_db

HOME = reverse("surveys:home")


def money() -> Question:
    return Question(code="B01", type=QuestionType.MONEY, validation={"min": 0})


@pytest.mark.parametrize(
    "written",
    ["15 460 474", "15460474", "15 460 474 kr", "15.460.474 kronor", "15 460 474,00"],
)
def test_a_money_answer_is_whole_kronor_written_the_swedish_way(written):
    assert parse_written(money(), "", written) == Value(number=15_460_474)


def test_a_money_answer_is_shown_with_thousands_spaces_and_kr():
    assert Value(number=15_460_474).display(money()) == "15 460 474 kr"
    assert Value(number=0).display(money()) == "0 kr"


def test_a_money_answer_with_ore_is_refused_with_the_whole_kronor_to_write():
    with pytest.raises(AnswerError) as error:
        parse_written(money(), "", "1 000,50")

    assert str(error.value) == tr(
        "Enter the amount in whole kronor without öre, for example %(rounded)s "
        "instead of %(raw)s."
    ) % {"rounded": "1 001", "raw": "1 000,50"}


@pytest.mark.parametrize("written", ["-5", "många", "1" * 14])
def test_a_negative_or_unreadable_or_huge_amount_is_refused(written):
    with pytest.raises(AnswerError):
        parse_written(money(), "", written)


def test_the_grant_report_is_a_second_municipal_questionnaire_with_its_own_key(
    cycle_2024,
):
    statsbidrag = questionnaire_of_cycle(year=2024, key="statsbidrag")
    municipal = questionnaire_of_cycle(year=2024, key="municipality")

    assert statsbidrag.audience == municipal.audience == "municipality"
    assert statsbidrag.reconstructed
    assert not statsbidrag.via_rss and municipal.via_rss
    assert str(statsbidrag.closes_on) == "2025-02-28"
    codes = list(statsbidrag.questions.values_list("code", flat=True))
    assert codes[:3] == ["B01", "B02", "B03"]
    b03 = statsbidrag.questions.get(code="B03")
    assert b03.type == QuestionType.MULTIPLE_CHOICE
    assert b03.items[3] == "Första linjens chefer"
    assert statsbidrag.questions.get(code="B03b").show_if == {
        "question": "B03",
        "item": "Övrig personal",
        "equals": "Ja",
    }
    assert statsbidrag.questions.get(code="B09").rule == "top_two_boxes"


def test_the_allocation_key_of_every_municipality_is_loaded_as_reference_data(
    cycle_2024,
):
    statsbidrag = cycle_2024["statsbidrag"]
    figures = ReferenceFigure.objects.filter(questionnaire=statsbidrag)

    assert figures.count() == 290
    assert sum(figures.values_list("value", flat=True)) == 3_998_500_000
    vasby = Organisation.objects.get(code="0114")
    assert (
        reference_figures(questionnaire=statsbidrag, organisation=vasby)[
            "allocation"
        ].value
        == 15_460_474
    )


def test_requisitioned_above_the_allocation_and_unused_above_requisitioned_warn(
    cycle_2024,
):
    statsbidrag = cycle_2024["statsbidrag"]
    vasby = Organisation.objects.get(code="0114")
    references = reference_figures(questionnaire=statsbidrag, organisation=vasby)
    questions = list(statsbidrag.questions.filter(code__in=["B01", "B02"]))

    def warnings(requisitioned: int, unused: int) -> list[tuple[str, str]]:
        return [
            (w.question, w.check)
            for w in answer_warnings(
                questions=questions,
                answers={
                    ("B01", ""): Value(number=requisitioned),
                    ("B02", ""): Value(number=unused),
                },
                organisation=vasby,
                references=references,
            )
        ]

    assert warnings(15_460_474, 1_801_181) == []
    assert warnings(15_460_475, 0) == [("B01", "at_most_reference")]
    assert warnings(1_000, 1_001) == [("B02", "at_most")]


def test_the_form_shows_the_allocation_and_a_confirmable_warning(
    client, cycle_2024, municipality_respondent
):
    statsbidrag = cycle_2024["statsbidrag"]
    client.force_login(municipality_respondent)
    start = client.post(
        reverse("surveys:response-start", args=[statsbidrag.pk, "0114"])
    )
    response = Response.objects.get(
        questionnaire=statsbidrag, organisation__code="0114"
    )
    url = reverse("surveys:response-section", args=[response.pk, 1])
    assert start.status_code == 302

    saved = client.post(
        url,
        {
            "version": response.version,
            "q_B01": "16 000 000 kr",
            "q_B02": "0",
            "action": "save",
        },
    )
    html = page(client.get(url))

    assert saved.status_code == 302
    assert "15 460 474 kr" in text(by_id(html, "q-B01-reference"))
    assert "16 000 000 kr" in text(by_id(html, "q-B01"))
    assert find_all(by_id(html, "q-B01"), "input", name="q_B01_ok")


def test_a_municipality_sees_the_grant_report_beside_the_municipal_questionnaire(
    client, cycle_2024, municipality_respondent
):
    client.force_login(municipality_respondent)

    result = client.get(HOME)

    rows = {
        text(find_all(row, "th")[0]): text(row)
        for table in find_all(page(result), "table")
        for row in find_all(table, "tr")
        if find_all(row, "th", scope="row")
    }
    titles = {q.title: q for q in Questionnaire.objects.filter(cycle__year=2024)}
    grant = cycle_2024["statsbidrag"].title
    municipal = cycle_2024["municipality"].title
    assert grant in rows and municipal in rows
    assert "2025-02-28" in rows[grant]
    assert "2025-03-31" in rows[municipal]
    assert titles[grant].key == "statsbidrag"


def test_the_grant_report_runs_its_fieldwork_like_the_other_questionnaires(
    cycle_2024, staff, mailoutbox, django_capture_on_commit_callbacks, tmp_path
):
    import datetime
    from io import StringIO

    from django.core.management import call_command

    from reports.documents import document_build
    from surveys.frames import frame_size
    from surveys.selectors.rates import rates_frame, rates_per_questionnaire
    from surveys.services.fieldwork import participations_invite, reminders_preview

    statsbidrag = cycle_2024["statsbidrag"]
    municipalities = Organisation.objects.filter(kind="municipality")
    assert frame_size(statsbidrag) == 290

    with django_capture_on_commit_callbacks(execute=True):
        report = participations_invite(
            questionnaire=statsbidrag,
            organisations=municipalities.filter(code__in=["0114", "0115"]),
            by=staff,
        )
    assert len(report.invited) == 2

    path = tmp_path / "svar.csv"
    path.write_text(
        "organisation;question;item;answer\n"
        "0114;B01;;15 460 474 kr\n"
        "0114;B02;;1 801 181\n",
        encoding="utf-8",
    )
    out = StringIO()
    call_command(
        "import_responses",
        str(path),
        cycle=2024,
        questionnaire="statsbidrag",
        draft=True,
        stdout=out,
    )
    response = Response.objects.get(
        questionnaire=statsbidrag, organisation__code="0114"
    )
    assert response.answers.get(question__code="B01").display() == "15 460 474 kr"

    reminded = dict(reminders_preview(today=datetime.date(2025, 2, 14)))
    assert {o.code for o in reminded[statsbidrag]} == {"0114", "0115"}
    rates = rates_per_questionnaire(rates_frame(questionnaires=[statsbidrag]))
    assert int(rates["invited"].iloc[0]) == 290
    blank = document_build(
        document="questionnaire", fmt="pdf", questionnaire=statsbidrag
    )
    assert blank.startswith(b"%PDF")
