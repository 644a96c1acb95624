from __future__ import annotations

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from regions.models import Organisation
from surveys.models import QuestionType, Response
from tests.factories import (
    CycleFactory,
    QuestionFactory,
    QuestionnaireFactory,
    SectionFactory,
)
from tests.reports.conftest import document_get
from tests.surveys.helpers import (
    attrs,
    by_id,
    find_all,
    page,
    send_to_chosen_set,
    text,
    tr,
)

pytestmark = pytest.mark.django_db

HOME = reverse("surveys:home")


def make_questionnaire(year: int, audience: str, title: str, closes_on: datetime.date):
    questionnaire = QuestionnaireFactory(
        cycle=CycleFactory(year=year, name=f"Uppföljning {year}"),
        audience=audience,
        title=title,
        closes_on=closes_on,
    )
    QuestionFactory(
        section=SectionFactory(questionnaire=questionnaire, position=1),
        code="1",
        type=QuestionType.YES_NO,
    )
    return questionnaire


def respond(questionnaire, code: str, status: str, answered: bool = True) -> Response:
    response = Response.objects.create(
        questionnaire=questionnaire,
        organisation=Organisation.objects.get(code=code),
        status=status,
    )
    if answered:
        response.answers.create(question=questionnaire.questions.get(), text="Ja")
    return response


def rows(result, caption: str) -> dict[str, str]:
    """Rows of the table with the caption: header cell text → the whole row's text."""
    (table,) = [
        t
        for t in find_all(page(result), "table")
        if text(find_all(t, "caption")[0]) == caption
    ]
    return {
        text(find_all(row, "th")[0]): text(row)
        for row in find_all(table, "tr")
        if find_all(row, "th", scope="row")
    }


def test_the_start_page_lists_the_questionnaires_with_status_and_deadline(
    client, region_respondent
):
    fresh = make_questionnaire(2024, "region", "Enkät 2024", datetime.date(2025, 3, 31))
    begun = make_questionnaire(2023, "region", "Enkät 2023", datetime.date(2024, 3, 29))
    done = make_questionnaire(2022, "region", "Enkät 2022", datetime.date(2023, 3, 31))
    empty = make_questionnaire(2021, "region", "Enkät 2021", datetime.date(2022, 4, 1))
    make_questionnaire(2024, "municipality", "Kommunenkät", datetime.date(2025, 3, 31))
    respond(begun, "01", Response.Status.DRAFT)
    submitted = respond(done, "01", Response.Status.SUBMITTED)
    respond(empty, "01", Response.Status.DRAFT, answered=False)
    respond(fresh, "03", Response.Status.SUBMITTED)
    client.force_login(region_respondent)

    result = client.get(HOME)

    assert result.status_code == 200
    table = rows(result, tr("Questionnaires"))
    assert list(table) == ["Enkät 2024", "Enkät 2023", "Enkät 2022", "Enkät 2021"]
    assert tr("Not started") in table["Enkät 2024"]
    assert "2025-03-31" in table["Enkät 2024"]
    assert tr("Draft") in table["Enkät 2023"]
    assert "2024-03-29" in table["Enkät 2023"]
    assert tr("Submitted") in table["Enkät 2022"]
    assert tr("Not started") in table["Enkät 2021"]
    summary = reverse("surveys:response-summary", args=[submitted.pk])
    assert summary in result.content.decode()
    assert reverse("surveys:response-start", args=[fresh.pk, "01"]) in (
        result.content.decode()
    )


def test_an_older_version_of_a_questionnaire_is_not_listed(client, region_respondent):
    old = make_questionnaire(2024, "region", "Enkät v1", datetime.date(2025, 3, 31))
    old.is_current = False
    old.save()
    QuestionnaireFactory(
        cycle=old.cycle, audience="region", version=2, title="Enkät v2"
    )
    client.force_login(region_respondent)

    table = rows(client.get(HOME), tr("Questionnaires"))

    assert list(table) == ["Enkät v2"]


def test_a_municipality_sees_the_municipal_questionnaire_and_the_extra_question(
    client, municipality_respondent
):
    make_questionnaire(2024, "municipality", "Kommunenkät", datetime.date(2025, 3, 31))
    make_questionnaire(2024, "extra", "Extra fråga", datetime.date(2025, 4, 11))
    make_questionnaire(2024, "region", "Regionenkät", datetime.date(2025, 3, 31))
    client.force_login(municipality_respondent)

    result = client.get(HOME)

    table = rows(result, tr("Questionnaires"))
    assert sorted(table) == ["Extra fråga", "Kommunenkät"]
    assert "2025-04-11" in table["Extra fråga"]
    assert not [
        t for t in find_all(page(result), "caption") if text(t) == tr("Municipalities")
    ]


def test_the_coordinator_sees_the_areas_municipalities_with_their_status(
    client, rss_coordinator
):
    municipal = make_questionnaire(
        2024, "municipality", "Kommunenkät", datetime.date(2025, 3, 31)
    )
    make_questionnaire(2024, "rss", "RSS-enkät", datetime.date(2025, 3, 31))
    respond(municipal, "0114", Response.Status.DRAFT)
    paper = respond(municipal, "0115", Response.Status.SUBMITTED)
    Response.objects.filter(pk=paper.pk).update(source=Response.Source.PAPER)
    respond(municipal, "0381", Response.Status.SUBMITTED)
    client.force_login(rss_coordinator)

    result = client.get(HOME)

    assert list(rows(result, tr("Questionnaires"))) == ["RSS-enkät"]
    area = rows(result, tr("Municipalities"))
    expected = Organisation.objects.get(code="RSS-01").municipalities.order_by("code")
    assert list(area) == [f"{m.name} ({m.code})" for m in expected]
    assert tr("Draft") in area["Upplands Väsby (0114)"]
    assert tr("Submitted") in area["Vallentuna (0115)"]
    assert tr("entered by the RSS") in area["Vallentuna (0115)"]
    others = [row for name, row in area.items() if "(0114)" not in name]
    assert sum(tr("Not started") in row for row in others) == len(area) - 2
    assert "Enköping" not in result.content.decode()


def test_staff_see_the_overview_counts(client, staff, national_frame):
    region = make_questionnaire(
        2024, "region", "Regionenkät", datetime.date(2025, 3, 31)
    )
    municipal = make_questionnaire(
        2024, "municipality", "Kommunenkät", datetime.date(2025, 3, 31)
    )
    respond(region, "01", Response.Status.SUBMITTED)
    respond(region, "03", Response.Status.SUBMITTED)
    respond(region, "04", Response.Status.DRAFT)
    respond(municipal, "0114", Response.Status.DRAFT, answered=False)
    client.force_login(staff)

    result = client.get(HOME)

    assert result.status_code == 200
    cells = {
        title: [text(td) for td in find_all(row, "td")]
        for title, row in overview_rows(result).items()
    }
    assert set(cells) == {"Regionenkät", "Kommunenkät"}
    assert cells["Regionenkät"][-3:] == ["2", "1", "21"]
    assert cells["Kommunenkät"][-3:] == ["0", "1", "290"]


def test_staff_overview_counts_only_the_invited_when_some_are_invited(
    client, staff, national_frame
):
    extra = make_questionnaire(2024, "extra", "Extrafråga", datetime.date(2025, 4, 11))
    send_to_chosen_set(extra, "0114", "0115", "0117")
    client.force_login(staff)

    cells = {
        title: [text(td) for td in find_all(row, "td")]
        for title, row in overview_rows(client.get(HOME)).items()
    }

    assert cells["Extrafråga"][-1] == "3"


def overview_rows(result):
    (table,) = [
        t
        for t in find_all(page(result), "table")
        if text(find_all(t, "caption")[0])
        == tr("Current questionnaires and their responses")
    ]
    return {
        text(find_all(row, "th")[0]): row
        for row in find_all(table, "tr")
        if find_all(row, "th", scope="row")
    }


def test_the_start_page_query_count_is_fixed(
    client, rss_coordinator, django_assert_max_num_queries
):
    municipal = make_questionnaire(
        2024, "municipality", "Kommunenkät", datetime.date(2025, 3, 31)
    )
    make_questionnaire(2024, "rss", "RSS-enkät", datetime.date(2025, 3, 31))
    for code in ("0114", "0115", "0117", "0120"):
        respond(municipal, code, Response.Status.DRAFT)
    client.force_login(rss_coordinator)

    # Two of them give each table its deadlines and invitations (fieldwork_annotate).
    with django_assert_max_num_queries(14):
        assert client.get(HOME).status_code == 200


def test_a_copied_cycle_is_not_answerable_before_it_opens(
    client, cycle_2024, municipality_respondent, rss_coordinator
):
    from surveys.services.cycles import cycle_copy

    cycle_copy(from_year=2024, to_year=2025, by=None)
    municipal_2025 = cycle_2024["municipality"].__class__.objects.get(
        cycle__year=2025, key="municipality"
    )
    client.force_login(municipality_respondent)

    home = client.get(HOME)
    content = home.content.decode()
    start = reverse("surveys:response-start", args=[municipal_2025.pk, "0114"])
    assert start not in content
    row = next(r for r in home.context["rows"] if r.questionnaire == municipal_2025)
    assert row.opens_on == municipal_2025.opens_on
    assert f"Öppnar {municipal_2025.opens_on:%Y-%m-%d}" in content
    # The 2024 questionnaire in the field is still there to answer.
    assert (
        reverse("surveys:response-start", args=[cycle_2024["municipality"].pk, "0114"])
        in content
    )

    assert client.post(start).status_code == 302
    assert not Response.objects.filter(questionnaire=municipal_2025).exists()

    # The RSS area still follows the questionnaire in the field.
    client.force_login(rss_coordinator)
    area_rows = client.get(HOME).context["area_rows"]
    assert {r.questionnaire for r in area_rows} == {cycle_2024["municipality"]}


def test_an_existing_response_cannot_be_saved_before_the_opening_date(
    client, cycle_2024, municipality_respondent
):
    from surveys.services.cycles import cycle_copy

    cycle_copy(from_year=2024, to_year=2025, by=None)
    municipal_2025 = cycle_2024["municipality"].__class__.objects.get(
        cycle__year=2025, key="municipality"
    )
    response = Response.objects.create(
        questionnaire=municipal_2025,
        organisation=municipality_respondent.membership.organisation,
    )
    client.force_login(municipality_respondent)

    url = reverse("surveys:response-section", args=[response.pk, 1])
    shown = client.get(url)
    posted = client.post(url, {"version": response.version})

    assert shown.status_code == posted.status_code == 302
    assert "surveys/section.html" not in [t.name for t in shown.templates]
    notes = [str(m) for m in get_messages(shown.wsgi_request)]
    assert any(f"{municipal_2025.opens_on:%Y-%m-%d}" in n for n in notes), notes
    response.refresh_from_db()
    assert response.version == 0 or not response.answers.exists()


def test_the_area_section_links_the_blank_municipal_questionnaire(
    client, cycle_2024, rss_coordinator, django_capture_on_commit_callbacks
):
    client.force_login(rss_coordinator)

    home = client.get(HOME)

    area = by_id(page(home), "area-blank-questionnaire")
    assert area is not None, "no link to the blank municipal questionnaire"
    links = [attrs(a)["href"] for a in find_all(area, "a")]
    assert links == [
        reverse("reports:questionnaire-pdf", args=[cycle_2024["municipality"].pk])
    ]
    blank = document_get(client, links[0], django_capture_on_commit_callbacks)
    assert blank["Content-Type"] == "application/pdf"


def test_a_municipality_sees_no_area_section_nor_its_blank_form_link(
    client, cycle_2024, municipality_respondent
):
    client.force_login(municipality_respondent)

    assert by_id(page(client.get(HOME)), "area-blank-questionnaire") is None
