from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse

from regions.models import Organisation
from surveys.models import EmailLog, Participation, Response
from surveys.services.fieldwork import contact_add
from tests.factories import QuestionnaireFactory
from tests.surveys.helpers import find_all, page, post_confirmed, text, tr

pytestmark = pytest.mark.django_db

CLOSES_ON = datetime.date(2025, 3, 31)


def org(code: str) -> Organisation:
    return Organisation.objects.get(code=code)


@pytest.fixture
def region_questionnaire(national_frame):
    return QuestionnaireFactory(
        audience="region",
        title="Regionenkät",
        closes_on=CLOSES_ON,
        reminder_dates=["2025-03-10", "2025-03-24"],
    )


@pytest.fixture
def municipal_questionnaire(national_frame):
    return QuestionnaireFactory(
        audience="municipality", title="Kommunenkät", closes_on=CLOSES_ON
    )


def invitations_url(questionnaire) -> str:
    return reverse("surveys:staff-invitations", args=[questionnaire.pk])


def area_url(code: str = "RSS-01") -> str:
    return reverse("surveys:area-invitations", args=[code])


def rows(result) -> dict[str, str]:
    """Organisation name → the row's text, in the fieldwork table."""
    (table,) = find_all(page(result), "table", id="fieldwork-rows")
    return {
        text(find_all(row, "th", scope="row")[0]): text(row)
        for row in find_all(table, "tr")
        if find_all(row, "th", scope="row")
    }


def codes(result) -> list[str]:
    (table,) = find_all(page(result), "table", id="fieldwork-rows")
    return [
        dict(box.attributes)["id"].removeprefix("pick-")
        for box in find_all(table, "input", name="organisations")
    ]


def messages_of(result) -> list[str]:
    return [str(m) for m in get_messages(result.wsgi_request)]


# --- Staff ---------------------------------------------------------------------------


def test_staff_invite_the_ticked_organisations(
    client, region_questionnaire, staff, django_capture_on_commit_callbacks
):
    contact_add(organisation=org("01"), name="A", email="a@rs.se")
    contact_add(organisation=org("03"), name="C", email="c@ru.se")
    client.force_login(staff)

    with django_capture_on_commit_callbacks(execute=True):
        result = post_confirmed(
            client,
            invitations_url(region_questionnaire),
            {"scope": "selected", "organisations": [org("01").pk, org("04").pk]},
        )

    assert result.status_code == 302
    assert [m.to for m in mail.outbox] == [["a@rs.se"]]
    # The start page and the account link, from SITE_URL (not the request's Host).
    assert mail.outbox[0].body.count(settings.SITE_URL + "/") == 2
    assert sorted(
        Participation.objects.values_list("organisation__code", flat=True)
    ) == ["01", "04"]
    shown = messages_of(result)
    assert any(org("04").name in message for message in shown)


def test_staff_invite_the_whole_audience(
    client, region_questionnaire, staff, django_capture_on_commit_callbacks
):
    client.force_login(staff)

    with django_capture_on_commit_callbacks(execute=True):
        post_confirmed(client, invitations_url(region_questionnaire), {"scope": "all"})

    assert Participation.objects.filter(questionnaire=region_questionnaire).count() == (
        21
    )


def test_the_invitation_page_lists_the_audience_with_invitations_and_emails(
    client, region_questionnaire, staff
):
    Participation.objects.create(
        questionnaire=region_questionnaire,
        organisation=org("01"),
        closes_on=datetime.date(2025, 4, 14),
    )
    EmailLog.objects.create(
        kind=EmailLog.Kind.INVITATION,
        questionnaire=region_questionnaire,
        organisation=org("01"),
        recipient="a@rs.se",
        subject="Inbjudan",
    )
    Response.objects.create(
        questionnaire=region_questionnaire,
        organisation=org("03"),
        status=Response.Status.SUBMITTED,
    )
    client.force_login(staff)

    result = client.get(invitations_url(region_questionnaire))

    assert result.status_code == 200
    table = rows(result)
    assert len(table) == 21
    assert "2025-04-14" in table["Stockholm"]
    assert tr("extended") in table["Stockholm"]
    assert tr("Invitation") in table["Stockholm"]
    assert tr("Submitted") in table["Uppsala"]
    assert tr("none") in table["Uppsala"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"county": "03"}, ["03"]),
        ({"status": "invited"}, ["01"]),
        ({"status": "not_invited", "county": "01"}, []),
        ({"status": "submitted"}, []),
    ],
)
def test_the_invitation_page_filters(
    client, region_questionnaire, staff, query, expected
):
    Participation.objects.create(
        questionnaire=region_questionnaire, organisation=org("01")
    )
    client.force_login(staff)

    result = client.get(invitations_url(region_questionnaire), query)

    assert codes(result) == expected


def test_the_municipal_page_filters_by_rss(client, municipal_questionnaire, staff):
    client.force_login(staff)

    result = client.get(invitations_url(municipal_questionnaire), {"rss": "RSS-01"})

    expected = org("RSS-01").municipalities.order_by("code")
    assert codes(result) == [m.code for m in expected]


def test_the_invitation_page_has_a_fixed_query_count(
    client, municipal_questionnaire, staff, django_assert_max_num_queries
):
    for code in ("0114", "0115", "0117"):
        Participation.objects.create(
            questionnaire=municipal_questionnaire, organisation=org(code)
        )
        contact_add(organisation=org(code), name="K", email=f"k@{code}.se")
    client.force_login(staff)

    with django_assert_max_num_queries(14):
        result = client.get(invitations_url(municipal_questionnaire))

    assert len(codes(result)) == 290


def test_the_staff_overview_lists_questionnaires_and_reminder_dates(
    client, region_questionnaire, staff
):
    Participation.objects.create(
        questionnaire=region_questionnaire, organisation=org("01")
    )
    client.force_login(staff)

    result = client.get(reverse("surveys:staff-fieldwork"))

    (table,) = find_all(page(result), "table", id="fieldwork-overview")
    content = text(table)
    assert "Regionenkät" in content
    assert "1 / 21" in content
    assert "2025-03-10, 2025-03-24" in content
    assert invitations_url(region_questionnaire) in result.content.decode()


@pytest.mark.parametrize(
    "outsider", ["region_respondent", "rss_coordinator", "municipality_respondent"]
)
def test_non_staff_cannot_open_or_send_invitations(
    client, region_questionnaire, request, outsider
):
    client.force_login(request.getfixturevalue(outsider))

    assert client.get(reverse("surveys:staff-fieldwork")).status_code == 403
    assert client.get(invitations_url(region_questionnaire)).status_code == 403
    posted = client.post(invitations_url(region_questionnaire), {"scope": "all"})

    assert posted.status_code == 403
    assert not Participation.objects.exists()
    assert mail.outbox == []


# --- The RSS coordinator ---------------------------------------------------------------


def test_the_coordinator_sees_the_areas_municipalities(
    client, municipal_questionnaire, rss_coordinator
):
    Response.objects.create(
        questionnaire=municipal_questionnaire,
        organisation=org("0115"),
        status=Response.Status.SUBMITTED,
    )
    client.force_login(rss_coordinator)

    result = client.get(area_url())

    assert result.status_code == 200
    expected = org("RSS-01").municipalities.order_by("code")
    assert codes(result) == [m.code for m in expected]
    assert tr("Submitted") in rows(result)[org("0115").name]
    assert reverse("surveys:contacts", args=["0115"]) not in result.content.decode()


def test_the_coordinator_invites_the_area_and_sees_the_date(
    client, municipal_questionnaire, rss_coordinator, django_capture_on_commit_callbacks
):
    contact_add(organisation=org("0114"), name="Dan", email="dan@uv.se")
    client.force_login(rss_coordinator)

    with django_capture_on_commit_callbacks(execute=True):
        posted = post_confirmed(client, area_url(), {"scope": "all"})
    home = client.get(reverse("surveys:home"))

    assert posted.status_code == 302
    assert [m.to for m in mail.outbox] == [["dan@uv.se"]]
    area = org("RSS-01").municipalities.count()
    assert Participation.objects.filter(invited_by=rss_coordinator).count() == area
    today = Participation.objects.get(organisation__code="0114").invited_at
    (table,) = [
        t
        for t in find_all(page(home), "table")
        if text(find_all(t, "caption")[0]) == tr("Municipalities")
    ]
    assert today.strftime("%Y-%m-%d") in text(table)
    assert area_url() in home.content.decode()


def test_the_coordinator_cannot_invite_another_areas_municipality(
    client, municipal_questionnaire, rss_coordinator
):
    client.force_login(rss_coordinator)

    result = client.post(
        area_url(), {"scope": "selected", "organisations": [org("0381").pk]}
    )

    assert result.status_code == 302
    assert not Participation.objects.exists()


@pytest.mark.parametrize(
    "outsider",
    ["other_rss_coordinator", "municipality_respondent", "region_respondent"],
)
def test_only_the_areas_coordinator_opens_the_area_page(
    client, municipal_questionnaire, request, outsider
):
    client.force_login(request.getfixturevalue(outsider))

    assert client.get(area_url()).status_code == 404
    assert client.post(area_url(), {"scope": "all"}).status_code == 404
    assert not Participation.objects.exists()


def test_staff_open_any_area_page(client, municipal_questionnaire, staff):
    client.force_login(staff)

    assert client.get(area_url("RSS-03")).status_code == 200
