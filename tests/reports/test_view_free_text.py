"""The RSS coordinator's page of the area's free-text answers: access, list, filters,
exports, and the summary's "new since saved" mark."""

from __future__ import annotations

import csv
import datetime
import io
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.urls import reverse

from regions.models import Organisation
from surveys.answers import Value
from surveys.models import AnswerChange, Membership
from surveys.services import response_get_or_create, response_save_answers
from tests.factories import MembershipFactory, UserFactory
from tests.reports.conftest import document_get, submit
from tests.surveys.helpers import by_id, find_all, page, text, tr

pytestmark = pytest.mark.django_db

STOCKHOLM = ZoneInfo("Europe/Stockholm")
BLEKINGE = ["1060", "1080", "1081", "1082", "1083"]


@pytest.fixture
def coordinator(national_frame):
    """The coordinator of RSS Blekinge län (RSS-10: five municipalities)."""
    user = UserFactory(username="hanna@rss10.se")
    MembershipFactory(
        user=user,
        organisation=Organisation.objects.get(code="RSS-10"),
        role=Membership.Role.COORDINATOR,
    )
    return user


def _draft(questionnaire, code, by, values, *, paper=False):
    response = response_get_or_create(
        questionnaire=questionnaire, organisation=Organisation.objects.get(code=code)
    )
    return response_save_answers(
        response=response,
        values={key: Value(text=v) for key, v in values.items()},
        by=by,
        version=response.version,
        source=AnswerChange.Source.PAPER if paper else AnswerChange.Source.WEB,
    )


@pytest.fixture
def answered(cycle_2024, staff, coordinator):
    """In Blekinge: Karlskrona submitted, Ronneby's draft was entered from paper by the
    RSS, Karlshamn has a draft without K02, the two others have nothing."""
    municipal = cycle_2024["municipality"]
    submit(
        municipal,
        "1080",
        staff,
        {("K02", ""): Value(text="Mobila team i hela kommunen")},
    )
    _draft(municipal, "1081", coordinator, {("K02", ""): "Äldrecentral"}, paper=True)
    _draft(municipal, "1082", staff, {("K03", ""): "Bara K03"})
    submit(municipal, "0114", staff, {("K02", ""): Value(text="Stockholmssvar")})
    return municipal


def url(questionnaire, code="K02", area="RSS-10") -> str:
    return reverse(
        "reports:area-free-text-question",
        kwargs={"code": area, "questionnaire_pk": questionnaire.pk, "question": code},
    )


def _articles(response):
    return find_all(page(response), "article")


def _names(response) -> list[str]:
    return [
        text(by_id(a, f"{dict(a.attributes)['id']}-name")) for a in _articles(response)
    ]


# Access


def test_the_coordinator_sees_every_municipality_of_the_area(
    client, coordinator, answered
):
    client.force_login(coordinator)

    response = client.get(url(answered))

    assert response.status_code == 200
    assert _names(response) == [
        "Olofström",
        "Karlskrona",
        "Ronneby",
        "Karlshamn",
        "Sölvesborg",
    ]
    assert "Stockholmssvar" not in response.content.decode()


def test_another_area_is_not_found_for_a_coordinator(client, coordinator, answered):
    client.force_login(coordinator)

    assert client.get(url(answered, area="RSS-01")).status_code == 404
    assert (
        client.get(reverse("reports:area-free-text", args=["RSS-01"])).status_code
        == 404
    )


def test_choosing_another_area_is_ignored_for_a_coordinator(
    client, coordinator, answered
):
    client.force_login(coordinator)

    response = client.get(url(answered) + "?omrade=RSS-01")

    assert response.status_code == 200
    assert "Stockholmssvar" not in response.content.decode()


@pytest.mark.parametrize(
    "role", ["municipality_respondent", "region_respondent", "rss_member"]
)
def test_other_roles_do_not_find_the_page(client, answered, role, request):
    if role == "rss_member":
        user = UserFactory(username="respondent@rss10.se")
        MembershipFactory(
            user=user,
            organisation=Organisation.objects.get(code="RSS-10"),
            role=Membership.Role.RESPONDENT,
        )
    else:
        user = request.getfixturevalue(role)
    client.force_login(user)

    assert client.get(url(answered)).status_code == 404


def test_anonymous_users_are_sent_to_the_login(client, answered):
    response = client.get(url(answered))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_staff_see_any_area_and_choose_it(client, staff, answered):
    client.force_login(staff)

    response = client.get(url(answered, area="RSS-01"))
    assert response.status_code == 200
    assert "Stockholmssvar" in response.content.decode()
    chooser = by_id(page(response), "choose-area-select")
    assert chooser is not None and len(find_all(chooser, "option")) == 24

    moved = client.get(url(answered, area="RSS-01") + "?omrade=RSS-10")
    assert moved.status_code == 302
    assert moved["Location"] == url(answered, area="RSS-10")


def test_the_staff_entry_opens_the_first_area(client, staff, answered):
    client.force_login(staff)

    response = client.get(reverse("reports:staff-free-text"))

    assert response["Location"] == reverse("reports:area-free-text", args=["RSS-01"])


def test_a_question_that_is_not_free_text_or_personal_is_not_found(
    client, coordinator, answered, cycle_2024
):
    client.force_login(coordinator)

    assert client.get(url(answered, code="K04")).status_code == 404
    assert client.get(url(answered, code="kontakt")).status_code == 404
    assert client.get(url(answered, code="K99")).status_code == 404
    assert client.get(url(cycle_2024["region"], code="3")).status_code == 404


# The list


def test_submitted_draft_paper_and_missing_are_marked(client, coordinator, answered):
    client.force_login(coordinator)

    response = client.get(url(answered))

    by_code = {dict(a.attributes)["id"]: text(a) for a in _articles(response)}
    assert tr("Submitted") in by_code["kommun-1080"]
    assert "Mobila team i hela kommunen" in by_code["kommun-1080"]
    assert tr("Draft") in by_code["kommun-1081"]
    assert tr("Entered from paper by the RSS") in by_code["kommun-1081"]
    assert (
        tr("Has started the questionnaire but not answered this question.")
        in (by_code["kommun-1082"])
    )
    assert tr("Has not started the questionnaire.") in by_code["kommun-1060"]
    counts = text(by_id(page(response), "free-text-counts"))
    assert "2 av områdets 5 kommuner har svarat (1 inskickade, 1 i utkast)" in counts
    assert "3 kommuner har inget svar" in counts


def test_a_question_with_items_shows_each_box(client, coordinator, cycle_2024, staff):
    municipal = cycle_2024["municipality"]
    _draft(
        municipal,
        "1080",
        staff,
        {("K05", "barn och unga"): "Familjecentral"},
    )
    client.force_login(coordinator)

    response = client.get(url(municipal, code="K05"))

    karlskrona = text(by_id(page(response), "kommun-1080"))
    assert "barn och unga Familjecentral" in karlskrona
    assert f"personer med kroniska sjukdomar {tr('No answer')}" in karlskrona


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("status=submitted", ["1080"]),
        ("status=draft", ["1081"]),
        ("status=no_answer", ["1060", "1082", "1083"]),
        ("kommun=1081", ["1081"]),
        ("sok=ÄLDRECENTRAL", ["1081"]),
        ("sok=finns+inte", []),
        ("status=nonsense", BLEKINGE),
    ],
)
def test_the_filters_narrow_the_list(client, coordinator, answered, query, listed):
    client.force_login(coordinator)

    response = client.get(url(answered) + "?" + query)

    assert [dict(a.attributes)["id"] for a in _articles(response)] == [
        f"kommun-{code}" for code in listed
    ]


def test_the_search_text_is_marked_and_escaped(client, coordinator, answered):
    client.force_login(coordinator)

    response = client.get(url(answered) + "?sok=team")
    hostile = client.get(url(answered) + "?sok=<script>")

    marks = find_all(by_id(page(response), "kommun-1080"), "mark")
    assert [text(m) for m in marks] == ["team"]
    assert "<script>" not in hostile.content.decode()


# Exports


def test_the_csv_export_has_the_columns_and_follows_the_filter(
    client, coordinator, answered, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)

    response = document_get(
        client,
        url(answered) + "?status=submitted&export=csv",
        django_capture_on_commit_callbacks,
    )

    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="fritext-RSS-10-2024-K02.csv"'
    )
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows == [
        ["question", "item", "organisation", "county", "rss", "status", "answer"],
        [
            "K02",
            "",
            "Karlskrona",
            "Blekinge län",
            "RSS Blekinge län",
            "submitted",
            "Mobila team i hela kommunen",
        ],
    ]


def test_the_xlsx_export_lists_the_answers_and_those_without(
    client, coordinator, answered, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)

    response = document_get(
        client, url(answered) + "?export=xlsx", django_capture_on_commit_callbacks
    )

    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Fritextsvar", "Utan svar"]
    answers = [[c.value for c in row] for row in workbook["Fritextsvar"].iter_rows()]
    assert [row[2] for row in answers[4:]] == ["Karlskrona", "Ronneby"]
    assert answers[4][5] == "Inskickad" and answers[5][5] == "Utkast"
    missing = [[c.value for c in row] for row in workbook["Utan svar"].iter_rows()]
    assert [row[1:] for row in missing[4:]] == [
        ["Olofström", "Blekinge län", "RSS Blekinge län", "Inte påbörjad"],
        ["Karlshamn", "Blekinge län", "RSS Blekinge län", "Utkast"],
        ["Sölvesborg", "Blekinge län", "RSS Blekinge län", "Inte påbörjad"],
    ]


def test_the_excel_csv_has_a_bom_and_semicolons(
    client, coordinator, answered, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)

    response = document_get(
        client, url(answered) + "?export=csv-excel", django_capture_on_commit_callbacks
    )

    body = response.content.decode("utf-8")
    assert body.startswith("\ufeffquestion;item;organisation;")


# The index and the summary


def test_the_index_lists_the_free_text_questions_with_their_counts(
    client, coordinator, answered
):
    client.force_login(coordinator)

    response = client.get(reverse("reports:area-free-text", args=["RSS-10"]))

    listing = by_id(page(response), "free-text-questions")
    assert listing is not None
    items = [text(li) for li in find_all(listing, "li")]
    assert items[1].startswith("K02.")
    assert items[1].endswith("2 av 5 har svarat")
    assert not any(item.startswith("kontakt") for item in items)


def test_answers_new_since_the_summary_was_saved_are_marked(
    client, coordinator, cycle_2024, staff, time_machine
):
    municipal, rss = cycle_2024["municipality"], cycle_2024["rss"]
    time_machine.move_to(
        datetime.datetime(2025, 2, 3, 10, 0, tzinfo=STOCKHOLM), tick=False
    )
    submit(municipal, "1080", staff, {("K02", ""): Value(text="Före")})
    time_machine.move_to(
        datetime.datetime(2025, 2, 4, 10, 0, tzinfo=STOCKHOLM), tick=False
    )
    _draft(rss, "RSS-10", coordinator, {("S05-K02", ""): "Sammanfattning"})
    time_machine.move_to(
        datetime.datetime(2025, 2, 5, 10, 0, tzinfo=STOCKHOLM), tick=False
    )
    _draft(municipal, "1081", staff, {("K02", ""): "Efter"})
    client.force_login(coordinator)

    response = client.get(url(municipal))
    only_new = client.get(url(municipal) + "?nya=1")

    state = text(by_id(page(response), "summary-state"))
    assert "sparades senast 4 februari 2025 10.00" in state
    assert "1 kommuns svar har kommit in eller ändrats efter det" in state
    assert tr("New since the summary") in text(by_id(page(response), "kommun-1081"))
    assert tr("New since the summary") not in text(by_id(page(response), "kommun-1080"))
    assert [dict(a.attributes)["id"] for a in _articles(only_new)] == ["kommun-1081"]
