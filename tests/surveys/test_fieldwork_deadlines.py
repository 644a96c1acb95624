from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from regions.models import Organisation
from surveys.answers import Value
from surveys.deadlines import response_is_open
from surveys.models import AnswerChange, Participation, Response, ResponseEvent
from surveys.services import ResponseLockedError, response_save_answers
from surveys.services.fieldwork import participation_extend
from surveys.services.responses import response_submit
from tests.factories import QuestionFactory, QuestionnaireFactory, SectionFactory
from tests.surveys.helpers import find_all, page, text, tr

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("real_clock")]

STOCKHOLM = ZoneInfo("Europe/Stockholm")
CLOSES_ON = datetime.date(2025, 3, 31)
# The last minute of the closing day and the first minute after it, Swedish time.
LAST_MINUTE = datetime.datetime(2025, 3, 31, 23, 59, tzinfo=STOCKHOLM)
TOO_LATE = datetime.datetime(2025, 4, 1, 0, 1, tzinfo=STOCKHOLM)
EXTENDED_TO = datetime.date(2025, 4, 14)
YES = {("1", ""): Value(text="Ja")}
DEADLINE_PASSED = (
    "The deadline has passed (%(date)s). The answers can no longer be changed; "
    "contact Socialstyrelsen if you need more time."
)


def org(code: str) -> Organisation:
    return Organisation.objects.get(code=code)


@pytest.fixture
def questionnaire(national_frame):
    questionnaire = QuestionnaireFactory(
        audience="region", title="Regionenkät", closes_on=CLOSES_ON
    )
    QuestionFactory(
        section=SectionFactory(questionnaire=questionnaire, position=1),
        position=1,
        code="1",
    )
    return questionnaire


@pytest.fixture
def response(questionnaire):
    return Response.objects.create(questionnaire=questionnaire, organisation=org("01"))


def save(response: Response, by) -> Response:
    response.refresh_from_db()
    return response_save_answers(response=response, values=YES, by=by, version=None)


def lock(questionnaire) -> None:
    questionnaire.locked_at = datetime.datetime(2025, 4, 20, 9, 0, tzinfo=STOCKHOLM)
    questionnaire.save()


def messages_of(result) -> list[str]:
    return [str(m) for m in get_messages(result.wsgi_request)]


# --- The service -------------------------------------------------------------------


def test_a_respondent_saves_until_the_end_of_the_closing_day(
    response, region_respondent
):
    with time_machine.travel(LAST_MINUTE, tick=False):
        saved = save(response, region_respondent)

    assert saved.answers.get().text == "Ja"


def test_after_the_closing_day_a_respondents_save_is_refused(
    response, region_respondent
):
    with (
        time_machine.travel(TOO_LATE, tick=False),
        pytest.raises(ResponseLockedError) as error,
    ):
        save(response, region_respondent)

    assert str(error.value) == tr(DEADLINE_PASSED) % {"date": "2025-03-31"}
    assert not response.answers.exists()
    assert not AnswerChange.objects.exists()


def test_after_the_closing_day_a_submit_is_refused(response, region_respondent):
    with time_machine.travel(LAST_MINUTE, tick=False):
        saved = save(response, region_respondent)

    with (
        time_machine.travel(TOO_LATE, tick=False),
        pytest.raises(ResponseLockedError),
    ):
        response_submit(response=saved, by=region_respondent, version=None)

    saved.refresh_from_db()
    assert saved.status == Response.Status.DRAFT


def test_an_extension_lets_exactly_that_organisation_save(
    questionnaire, response, staff, region_respondent, other_region_respondent
):
    other = Response.objects.create(questionnaire=questionnaire, organisation=org("03"))
    participation_extend(
        questionnaire=questionnaire,
        organisation=org("01"),
        closes_on=EXTENDED_TO,
        reason="Sjukdom i enheten",
        by=staff,
    )

    with time_machine.travel(datetime.datetime(2025, 4, 14, 20, 0, tzinfo=STOCKHOLM)):
        assert save(response, region_respondent).answers.count() == 1
        with pytest.raises(ResponseLockedError):
            save(other, other_region_respondent)
    with (
        time_machine.travel(datetime.datetime(2025, 4, 15, 8, 0, tzinfo=STOCKHOLM)),
        pytest.raises(ResponseLockedError) as error,
    ):
        save(response, region_respondent)

    assert "2025-04-14" in str(error.value)


def test_staff_are_exempt_from_the_deadline(response, staff):
    with time_machine.travel(TOO_LATE, tick=False):
        saved = save(response, staff)
        submitted = response_submit(response=saved, by=staff, version=None)

    assert submitted.status == Response.Status.SUBMITTED


def test_a_locked_questionnaire_refuses_everybody_staff_included(
    questionnaire, response, staff, region_respondent
):
    lock(questionnaire)

    with time_machine.travel(datetime.datetime(2025, 3, 1, tzinfo=STOCKHOLM)):
        for by in (region_respondent, staff, None):
            with pytest.raises(ResponseLockedError) as error:
                save(response, by)
            assert "2025-04-20" in str(error.value)
        with pytest.raises(ResponseLockedError):
            response_submit(response=response, by=staff, version=None)


def test_the_import_honours_the_lock_but_not_the_deadline(
    questionnaire, response, staff
):
    def imported():
        response.refresh_from_db()
        return response_save_answers(
            response=response,
            values=YES,
            by=staff,
            version=None,
            source=AnswerChange.Source.IMPORT,
            allow_submitted=True,
        )

    with time_machine.travel(TOO_LATE, tick=False):
        assert imported().answers.count() == 1
        lock(questionnaire)
        with pytest.raises(ResponseLockedError):
            imported()


def test_response_is_open_says_why_not(response, region_respondent, staff):
    with time_machine.travel(TOO_LATE, tick=False):
        assert response_is_open(response=response, by=region_respondent) == (
            False,
            tr(DEADLINE_PASSED) % {"date": "2025-03-31"},
        )
        assert response_is_open(response=response, by=staff) == (True, "")


# --- Extending a deadline ------------------------------------------------------------


def test_an_extension_is_recorded_on_the_participation_and_the_response(
    questionnaire, response, staff
):
    Participation.objects.create(questionnaire=questionnaire, organisation=org("01"))

    participation = participation_extend(
        questionnaire=questionnaire,
        organisation=org("01"),
        closes_on=EXTENDED_TO,
        reason="  Sjukdom i enheten ",
        by=staff,
    )

    assert participation.closes_on == EXTENDED_TO
    (event,) = ResponseEvent.objects.filter(response=response)
    assert (event.kind, event.by) == (ResponseEvent.Kind.EXTENDED, staff)
    assert event.reason == tr("Deadline extended to %(date)s: %(reason)s") % {
        "date": "2025-04-14",
        "reason": "Sjukdom i enheten",
    }


def test_an_extension_without_a_response_creates_the_participation_only(
    questionnaire, staff
):
    Participation.objects.create(questionnaire=questionnaire, organisation=org("03"))

    participation_extend(
        questionnaire=questionnaire,
        organisation=org("01"),
        closes_on=EXTENDED_TO,
        reason="Ny kontaktperson",
        by=staff,
    )

    assert Participation.objects.get(organisation__code="01").invited_by == staff
    assert Participation.objects.filter(questionnaire=questionnaire).count() == 2
    assert not ResponseEvent.objects.exists()


def test_an_extension_keeps_the_whole_audience_in_an_uninvited_questionnaire(
    questionnaire, staff
):
    participation_extend(
        questionnaire=questionnaire,
        organisation=org("01"),
        closes_on=EXTENDED_TO,
        reason="Ny kontaktperson",
        by=staff,
    )

    participations = Participation.objects.filter(questionnaire=questionnaire)
    assert participations.count() == 21
    assert list(
        participations.exclude(closes_on=None).values_list(
            "organisation__code", flat=True
        )
    ) == ["01"]


def test_an_extension_needs_a_reason_and_a_later_date(questionnaire, staff):
    with pytest.raises(ValidationError) as error:
        participation_extend(
            questionnaire=questionnaire,
            organisation=org("01"),
            closes_on=CLOSES_ON,
            reason=" ",
            by=staff,
        )

    assert set(error.value.message_dict) == {"reason", "closes_on"}
    assert not Participation.objects.exists()


def test_only_staff_extend_a_deadline(questionnaire, region_respondent):
    with pytest.raises(PermissionDenied):
        participation_extend(
            questionnaire=questionnaire,
            organisation=org("01"),
            closes_on=EXTENDED_TO,
            reason="Själv",
            by=region_respondent,
        )


# --- The pages -----------------------------------------------------------------------


def test_after_the_deadline_the_section_page_shows_the_summary_instead(
    client, response, region_respondent
):
    client.force_login(region_respondent)
    section = reverse("surveys:response-section", args=[response.pk, 1])

    with time_machine.travel(TOO_LATE, tick=False):
        shown = client.get(section)
        posted = client.post(section, {"version": 1, "q_1": "Ja", "action": "save"})
        summary = client.get(reverse("surveys:response-summary", args=[response.pk]))

    summary_url = reverse("surveys:response-summary", args=[response.pk])
    assert (shown.status_code, shown["Location"]) == (302, summary_url)
    assert (posted.status_code, posted["Location"]) == (302, summary_url)
    assert messages_of(shown) == [tr(DEADLINE_PASSED) % {"date": "2025-03-31"}]
    assert not response.answers.exists()
    status = text(next(e for e in find_all(page(summary), "p", id="response-status")))
    assert tr(DEADLINE_PASSED) % {"date": "2025-03-31"} in status
    assert section not in summary.content.decode()


def test_after_the_deadline_a_submit_shows_why_it_was_refused(
    client, response, region_respondent
):
    client.force_login(region_respondent)

    with time_machine.travel(TOO_LATE, tick=False):
        result = client.post(
            reverse("surveys:response-submit", args=[response.pk]), {"version": 1}
        )

    assert result["Location"] == reverse("surveys:response-summary", args=[response.pk])
    assert messages_of(result) == [tr(DEADLINE_PASSED) % {"date": "2025-03-31"}]


def test_the_start_page_says_the_deadline_has_passed(
    client, questionnaire, region_respondent
):
    client.force_login(region_respondent)

    with time_machine.travel(LAST_MINUTE, tick=False):
        before = client.get(reverse("surveys:home")).content.decode()
    with time_machine.travel(TOO_LATE, tick=False):
        after = client.get(reverse("surveys:home")).content.decode()

    start = reverse("surveys:response-start", args=[questionnaire.pk, "01"])
    assert start in before
    assert tr("The deadline has passed") not in before
    assert start not in after
    assert tr("The deadline has passed") in after


def test_the_start_page_shows_the_extended_deadline(
    client, questionnaire, staff, region_respondent
):
    participation_extend(
        questionnaire=questionnaire,
        organisation=org("01"),
        closes_on=EXTENDED_TO,
        reason="Sjukdom",
        by=staff,
    )
    client.force_login(region_respondent)

    with time_machine.travel(TOO_LATE, tick=False):
        content = client.get(reverse("surveys:home")).content.decode()

    assert "2025-04-14" in content
    assert tr("The deadline has passed") not in content
    assert reverse("surveys:response-start", args=[questionnaire.pk, "01"]) in content


def test_staff_extend_a_deadline_from_the_invitation_page(
    client, questionnaire, response, staff
):
    client.force_login(staff)
    url = reverse("surveys:staff-extend", args=[questionnaire.pk, "01"])

    result = client.post(url, {"closes_on": "2025-04-14", "reason": "Sjukdom"})

    assert result.status_code == 302
    assert result["Location"].endswith("#org-01")
    assert Participation.objects.get(organisation__code="01").closes_on == EXTENDED_TO
    assert ResponseEvent.objects.get().kind == ResponseEvent.Kind.EXTENDED


def test_an_extension_without_a_reason_is_refused_with_a_message(
    client, questionnaire, staff
):
    client.force_login(staff)
    url = reverse("surveys:staff-extend", args=[questionnaire.pk, "01"])

    result = client.post(url, {"closes_on": "2025-04-14", "reason": ""})

    assert result.status_code == 302
    assert messages_of(result)
    assert not Participation.objects.exists()


def test_only_staff_may_post_an_extension(client, questionnaire, region_respondent):
    client.force_login(region_respondent)
    url = reverse("surveys:staff-extend", args=[questionnaire.pk, "01"])

    result = client.post(url, {"closes_on": "2025-04-14", "reason": "Själv"})

    assert result.status_code == 403
    assert not Participation.objects.exists()


def test_keeping_a_past_fieldwork_open_extends_the_whole_audience(
    questionnaire, response, region_respondent
):
    from surveys.services.fieldwork import fieldwork_keep_open

    with time_machine.travel(datetime.datetime(2026, 11, 24, 9, 0, tzinfo=STOCKHOLM)):
        written = fieldwork_keep_open(questionnaires=[questionnaire], days=60)
        saved = save(response, region_respondent)

    assert written == 21
    assert set(
        Participation.objects.filter(questionnaire=questionnaire).values_list(
            "closes_on", flat=True
        )
    ) == {datetime.date(2027, 1, 23)}
    assert saved.answers.count() == 1


def test_keeping_open_leaves_an_open_or_locked_questionnaire_alone(questionnaire):
    from surveys.services.fieldwork import fieldwork_keep_open

    with time_machine.travel(LAST_MINUTE, tick=False):
        assert fieldwork_keep_open(questionnaires=[questionnaire]) == 0
    lock(questionnaire)
    with time_machine.travel(TOO_LATE, tick=False):
        assert fieldwork_keep_open(questionnaires=[questionnaire]) == 0

    assert not Participation.objects.exists()
