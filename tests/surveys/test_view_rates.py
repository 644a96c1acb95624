from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from regions.models import Organisation
from surveys.models import Participation, QuestionType, Response
from tests.factories import (
    QuestionFactory,
    QuestionnaireFactory,
    SectionFactory,
    UserFactory,
)
from tests.surveys.helpers import (
    find_all,
    page,
    post_confirmed,
    send_to_chosen_set,
    text,
)

pytestmark = pytest.mark.django_db

SUBMITTED_AT = datetime.datetime(2025, 3, 3, 13, 5, tzinfo=datetime.UTC)
SAVED_AT = datetime.datetime(2025, 3, 1, 8, 0, tzinfo=datetime.UTC)


def respond(questionnaire, code: str, status: str, answered: bool = True) -> Response:
    response = Response.objects.create(
        questionnaire=questionnaire,
        organisation=Organisation.objects.get(code=code),
        status=status,
        submitted_at=SUBMITTED_AT if status == "submitted" else None,
    )
    if answered:
        response.answers.create(question=questionnaire.questions.get(), text="Ja")
    Response.objects.filter(pk=response.pk).update(updated_at=SAVED_AT)
    return response


@pytest.fixture
def municipal(national_frame):
    """Municipal questionnaire: 0114 submitted, 0115 draft, 0117 opened, 0381 submitted."""
    section = SectionFactory(
        questionnaire=QuestionnaireFactory(
            audience="municipality", title="Kommunenkät"
        ),
        position=1,
    )
    QuestionFactory(section=section, position=1, code="K01", type=QuestionType.YES_NO)
    questionnaire = section.questionnaire
    respond(questionnaire, "0114", "submitted")
    respond(questionnaire, "0115", "draft")
    respond(questionnaire, "0117", "draft", answered=False)
    respond(questionnaire, "0381", "submitted")
    return questionnaire


def rates_url(questionnaire, **query) -> str:
    url = reverse("surveys:staff-rates", args=[questionnaire.pk])
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return url


def test_staff_see_invited_started_submitted_and_the_rate(client, staff, municipal):
    client.force_login(staff)

    result = client.get(rates_url(municipal))

    assert result.status_code == 200
    assert result.context["totals"] == {
        "questionnaire_id": municipal.pk,
        "invited": 290,
        "started": 3,
        "submitted": 2,
        "rate": 1,  # 2 / 290 = 0.69 %
    }
    counties = {r["county_code"]: r for r in result.context["per_county"]}
    assert (counties["01"]["invited"], counties["01"]["submitted"]) == (26, 1)
    assert counties["01"]["rate"] == 4  # 1 / 26 = 3.8 %
    areas = {r["rss_code"]: r for r in result.context["per_rss"]}
    assert (areas["RSS-03"]["invited"], areas["RSS-03"]["rate"]) == (8, 13)  # 12.5
    assert len(areas) == 24
    assert text(find_all(page(result), "dl", id="rate-totals")[0]).endswith("1 %")


def test_the_list_filters_by_status_county_and_rss(client, staff, municipal):
    client.force_login(staff)

    submitted = client.get(rates_url(municipal, status="submitted"))
    in_stockholm = client.get(rates_url(municipal, status="submitted", county="01"))
    drafts_of_rss01 = client.get(rates_url(municipal, status="draft", rss="RSS-01"))
    not_started = client.get(rates_url(municipal, status="not_started", rss="RSS-01"))

    def codes(result):
        return [row["organisation_code"] for row in result.context["rows"]]

    assert codes(submitted) == ["0114", "0381"]
    assert codes(in_stockholm) == ["0114"]
    assert codes(drafts_of_rss01) == ["0115"]
    assert "0117" in codes(not_started)
    assert len(codes(not_started)) == 26 - 2
    # The figures stay those of the whole frame.
    assert submitted.context["totals"]["invited"] == 290


def test_the_csv_export_is_comma_separated_and_follows_the_filter(
    client, staff, municipal
):
    client.force_login(staff)

    result = client.get(rates_url(municipal, status="submitted", export="csv"))

    assert result.status_code == 200
    assert result["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in result["Content-Disposition"]
    body = result.content.decode("utf-8")
    assert not body.startswith("\ufeff")
    assert body.splitlines() == [
        "organisation_code,organisation,county,rss,status,last_activity,submitted_at",
        "0114,Upplands Väsby,Stockholms län,RSS Stockholms län,submitted,"
        "2025-03-01 09:00,2025-03-03 14:05",
        "0381,Enköping,Uppsala län,RSS Uppsala län,submitted,"
        "2025-03-01 09:00,2025-03-03 14:05",
    ]


def test_the_excel_csv_has_a_bom_semicolons_and_swedish_headers(
    client, staff, municipal
):
    client.force_login(staff)

    result = client.get(
        rates_url(municipal, county="01", status="draft", export="excel")
    )

    assert result.content.startswith(b"\xef\xbb\xbf")
    assert result.content.decode("utf-8-sig").splitlines() == [
        "Kod;Organisation;Län;RSS;Status;Senaste aktivitet;Inskickad den",
        "0115;Vallentuna;Stockholms län;RSS Stockholms län;Utkast;2025-03-01 09:00;",
    ]


def test_invitations_of_some_municipalities_keep_all_290_in_the_frame(
    client, staff, municipal
):
    """The municipal questionnaire goes to every municipality; invitations only say who
    got the e-mail (one RSS inviting its area must not shrink the national frame)."""
    for code in ("0114", "0115", "0120"):
        Participation.objects.create(
            questionnaire=municipal, organisation=Organisation.objects.get(code=code)
        )
    client.force_login(staff)

    result = client.get(rates_url(municipal))

    assert result.context["totals"]["invited"] == 290
    assert len(result.context["rows"]) == 290


def test_the_rates_page_takes_the_same_queries_for_few_or_many_responses(
    client, staff, municipal, django_assert_num_queries
):
    client.force_login(staff)
    client.get(rates_url(municipal))
    with django_assert_num_queries(10) as few:
        client.get(rates_url(municipal))
    for organisation in Organisation.objects.filter(
        kind="municipality", county__code="12"
    ):
        respond(municipal, organisation.code, "submitted")

    with django_assert_num_queries(len(few.captured_queries)):
        client.get(rates_url(municipal))


def test_the_rates_page_is_403_for_non_staff(client, rss_coordinator, municipal):
    client.force_login(rss_coordinator)

    assert client.get(rates_url(municipal)).status_code == 403
    assert client.get(rates_url(municipal, export="csv")).status_code == 403


def test_the_rates_page_asks_an_anonymous_visitor_to_log_in(client, municipal):
    result = client.get(rates_url(municipal))

    assert result.status_code == 302
    assert result["Location"].startswith(reverse("login"))


def test_staff_lock_and_unlock_from_the_rates_page(client, staff, municipal):
    client.force_login(staff)

    lock = reverse("surveys:staff-questionnaire-lock", args=[municipal.pk])
    post_confirmed(client, lock, {})
    municipal.refresh_from_db()
    locked_at = municipal.locked_at
    shown = client.get(rates_url(municipal))
    post_confirmed(
        client,
        reverse("surveys:staff-questionnaire-unlock", args=[municipal.pk]),
        {"reason": "Sent svar från Enköping"},
    )
    municipal.refresh_from_db()

    assert locked_at is not None
    assert 'id="locked-note"' in shown.content.decode()
    # No reopen button while locked
    assert "oppna-igen" not in shown.content.decode()
    assert municipal.locked_at is None
    assert list(municipal.events.values_list("kind", "detail")) == [
        ("unlocked", "Sent svar från Enköping"),
        ("locked", ""),
    ]


def test_locking_is_403_for_non_staff(client, municipal):
    client.force_login(UserFactory())

    result = client.post(
        reverse("surveys:staff-questionnaire-lock", args=[municipal.pk])
    )

    assert result.status_code == 403
    municipal.refresh_from_db()
    assert municipal.locked_at is None


# The RSS coordinator's page


def area_url(code: str, **query) -> str:
    url = reverse("surveys:area-rates", args=[code])
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return url


def test_a_coordinator_sees_the_rates_of_the_area_municipalities(
    client, rss_coordinator, municipal
):
    client.force_login(rss_coordinator)

    result = client.get(area_url("RSS-01"))

    assert result.status_code == 200
    assert result.context["totals"] == {
        "questionnaire_id": municipal.pk,
        "invited": 26,
        "started": 2,
        "submitted": 1,
        "rate": 4,
    }
    codes = [r["organisation_code"] for r in result.context["rows"]]
    assert "0381" not in codes
    assert len(codes) == 26


def test_a_coordinator_filters_and_exports_the_area(client, rss_coordinator, municipal):
    client.force_login(rss_coordinator)

    result = client.get(area_url("RSS-01", status="draft", export="csv"))

    assert result.content.decode().splitlines()[1:] == [
        "0115,Vallentuna,Stockholms län,RSS Stockholms län,draft,2025-03-01 09:00,"
    ]


def test_another_area_is_404_for_a_coordinator(
    client, other_rss_coordinator, municipal
):
    client.force_login(other_rss_coordinator)

    assert client.get(area_url("RSS-01")).status_code == 404
    assert client.get(area_url("RSS-01", export="csv")).status_code == 404
    assert client.get(area_url("RSS-03")).status_code == 200


def test_a_municipality_respondent_gets_404_for_its_area(
    client, municipality_respondent, municipal
):
    client.force_login(municipality_respondent)

    assert client.get(area_url("RSS-01")).status_code == 404


def test_staff_open_any_area(client, staff, municipal):
    client.force_login(staff)

    assert client.get(area_url("RSS-03")).context["totals"]["invited"] == 8


def test_the_coordinator_chooses_among_the_municipal_questionnaires(
    client, rss_coordinator, municipal
):
    extra = QuestionnaireFactory(
        audience="extra", title="Extra fråga", source_file="web:extra"
    )
    QuestionFactory(
        section=SectionFactory(questionnaire=extra, position=1),
        code="E01",
        type=QuestionType.FREE_TEXT,
    )
    send_to_chosen_set(extra, "0114")
    client.force_login(rss_coordinator)

    result = client.get(area_url("RSS-01", enkat=extra.pk))

    assert result.context["questionnaire"] == extra
    assert result.context["totals"]["invited"] == 1
    assert {q.pk for q in result.context["choices"]} == {municipal.pk, extra.pk}


def test_the_area_page_opens_on_the_municipal_questionnaire_not_the_extra_question(
    client, rss_coordinator, municipal
):
    extra = QuestionnaireFactory(
        cycle=municipal.cycle,
        audience="extra",
        title="Extra fråga",
        source_file="web:extra",
        opens_on=municipal.opens_on,
    )
    QuestionFactory(
        section=SectionFactory(questionnaire=extra, position=1),
        code="E01",
        type=QuestionType.FREE_TEXT,
    )
    send_to_chosen_set(extra, "0114")
    client.force_login(rss_coordinator)

    result = client.get(area_url("RSS-01"))

    assert result.context["questionnaire"] == municipal
    assert result.context["totals"]["invited"] == 26
    assert [q.pk for q in result.context["choices"]] == [municipal.pk, extra.pk]
