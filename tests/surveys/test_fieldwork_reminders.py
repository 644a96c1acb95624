from __future__ import annotations

import datetime
from io import StringIO

import pytest
import time_machine
from celery.schedules import crontab
from django.conf import settings
from django.core import mail
from django.core.management import CommandError, call_command

from regions.models import Organisation
from surveys.models import EmailLog, Participation, Response
from surveys.services.fieldwork import contact_add, reminders_send
from surveys.tasks import reminders_send_today
from tests.factories import QuestionnaireFactory

pytestmark = pytest.mark.django_db

FIRST, SECOND = datetime.date(2025, 3, 10), datetime.date(2025, 3, 24)
CLOSES_ON = datetime.date(2025, 3, 31)
BASE = "https://enkat.example.se"


def org(code: str) -> Organisation:
    return Organisation.objects.get(code=code)


@pytest.fixture
def questionnaire(national_frame):
    """The region questionnaire with reminders on FIRST and SECOND; 01, 03, 04 invited."""
    questionnaire = QuestionnaireFactory(
        audience="region",
        title="Enkät till regionerna 2024",
        closes_on=CLOSES_ON,
        reminder_dates=[FIRST.isoformat(), SECOND.isoformat()],
    )
    for code, email in (("01", "a@rs.se"), ("03", "c@ru.se"), ("04", "d@rso.se")):
        Participation.objects.create(
            questionnaire=questionnaire, organisation=org(code)
        )
        contact_add(organisation=org(code), name=f"Kontakt {code}", email=email)
    # Not invited: never reminded, though it has a contact person.
    contact_add(organisation=org("05"), name="Kontakt 05", email="e@rog.se")
    return questionnaire


def respond(questionnaire, code: str, status: str) -> Response:
    return Response.objects.create(
        questionnaire=questionnaire, organisation=org(code), status=status
    )


def recipients() -> list[str]:
    return sorted(m.to[0] for m in mail.outbox)


def test_a_reminder_goes_to_the_invited_organisations_that_have_not_submitted(
    questionnaire,
):
    respond(questionnaire, "03", Response.Status.SUBMITTED)
    respond(questionnaire, "04", Response.Status.DRAFT)

    report = reminders_send(today=FIRST, base_url=BASE)

    assert recipients() == ["a@rs.se", "d@rso.se"]
    assert (report.sent, report.submitted) == (2, 1)
    logs = EmailLog.objects.filter(kind=EmailLog.Kind.REMINDER)
    assert sorted(logs.values_list("organisation__code", "recipient", "key")) == [
        ("01", "a@rs.se", "2025-03-10"),
        ("04", "d@rso.se", "2025-03-10"),
    ]
    message = next(m for m in mail.outbox if m.to == ["a@rs.se"])
    assert "Enkät till regionerna 2024" in message.subject
    assert "2025-03-31" in message.subject
    assert "Region Stockholm" in message.body


def test_nothing_is_sent_to_those_who_submitted(questionnaire):
    for code in ("01", "03", "04"):
        respond(questionnaire, code, Response.Status.SUBMITTED)

    report = reminders_send(today=SECOND, base_url=BASE)

    assert mail.outbox == []
    assert report.submitted == 3
    assert not EmailLog.objects.exists()


def test_running_twice_on_the_same_day_sends_nothing_twice(questionnaire):
    reminders_send(today=FIRST, base_url=BASE)
    first = recipients()

    again = reminders_send(today=FIRST, base_url=BASE)

    assert recipients() == first == ["a@rs.se", "c@ru.se", "d@rso.se"]
    assert (again.sent, again.already_sent) == (0, 3)
    assert EmailLog.objects.filter(kind=EmailLog.Kind.REMINDER).count() == 3


def test_the_second_reminder_date_sends_again(questionnaire):
    reminders_send(today=FIRST, base_url=BASE)
    respond(questionnaire, "01", Response.Status.SUBMITTED)
    mail.outbox.clear()

    reminders_send(today=SECOND, base_url=BASE)

    assert recipients() == ["c@ru.se", "d@rso.se"]


def test_no_reminder_on_other_days_or_for_a_locked_questionnaire(questionnaire):
    assert reminders_send(today=FIRST - datetime.timedelta(days=1)).sent == 0
    questionnaire.locked_at = datetime.datetime(2025, 3, 1, tzinfo=datetime.UTC)
    questionnaire.save()

    report = reminders_send(today=FIRST)

    assert report.questionnaires == []
    assert mail.outbox == []


def test_a_reminder_after_the_deadline_goes_only_to_those_with_an_extension(
    questionnaire,
):
    late = CLOSES_ON + datetime.timedelta(days=3)
    questionnaire.reminder_dates = [late.isoformat()]
    questionnaire.save()
    Participation.objects.filter(organisation__code="04").update(
        closes_on=CLOSES_ON + datetime.timedelta(days=14)
    )

    report = reminders_send(today=late, base_url=BASE)

    assert recipients() == ["d@rso.se"]
    assert report.past_deadline == 2
    (message,) = mail.outbox
    assert "2025-04-14" in message.body


def test_a_reminder_that_fails_is_not_logged_and_goes_out_on_the_next_run(
    questionnaire, monkeypatch
):
    send = mail.EmailMultiAlternatives.send

    def flaky(message, *args, **kwargs):
        if message.to == ["c@ru.se"]:
            raise OSError("SMTP server down")
        return send(message, *args, **kwargs)

    monkeypatch.setattr(mail.EmailMultiAlternatives, "send", flaky)
    report = reminders_send(today=FIRST, base_url=BASE)
    assert report.failed == ["c@ru.se"]
    assert recipients() == ["a@rs.se", "d@rso.se"]
    monkeypatch.undo()
    mail.outbox.clear()

    reminders_send(today=FIRST, base_url=BASE)

    assert recipients() == ["c@ru.se"]
    assert EmailLog.objects.filter(kind=EmailLog.Kind.REMINDER).count() == 3


def test_a_contact_without_an_account_gets_a_fresh_account_link(questionnaire):
    reminders_send(today=FIRST, base_url=BASE)

    message = next(m for m in mail.outbox if m.to == ["a@rs.se"])
    assert f"{BASE}/inbjudan/" in message.body


def test_the_daily_task_sends_the_reminders_of_today_in_sweden(
    questionnaire, real_clock
):
    # 23:30 UTC on 9 March is already 10 March in Stockholm.
    evening = datetime.datetime(2025, 3, 9, 23, 30, tzinfo=datetime.UTC)
    with time_machine.travel(evening, tick=False):
        counts = reminders_send_today.delay().get()

    assert counts["sent"] == 3
    assert EmailLog.objects.filter(key="2025-03-10").count() == 3


def test_the_beat_schedule_runs_the_reminders_every_morning():
    entry = settings.CELERY_BEAT_SCHEDULE["surveys-reminders"]

    assert entry["task"] == "surveys.tasks.reminders_send_today"
    assert entry["schedule"] == crontab(hour=7, minute=0)
    assert settings.CELERY_TIMEZONE == "Europe/Stockholm"


def test_the_command_sends_the_reminders_of_a_date(questionnaire):
    out = StringIO()

    call_command("send_reminders", "--date", "2025-03-10", "--no-input", stdout=out)
    call_command("send_reminders", "--date", "2025-03-10", "--no-input", stdout=out)

    assert recipients() == ["a@rs.se", "c@ru.se", "d@rso.se"]
    assert "Skickade: 3" in out.getvalue()
    assert "redan skickade: 3" in out.getvalue()


def test_the_command_refuses_a_malformed_date(db):
    with pytest.raises(CommandError, match="ÅÅÅÅ-MM-DD"):
        call_command("send_reminders", "--date", "10/3/2025")


def test_a_reminder_logged_by_a_concurrent_run_is_not_sent_again(questionnaire):
    from surveys.services.emails import email_send

    def remind():
        return email_send(
            kind=EmailLog.Kind.REMINDER,
            template="reminder",
            context={"questionnaire": questionnaire, "deadline": CLOSES_ON},
            organisation=org("01"),
            recipient="a@rs.se",
            questionnaire=questionnaire,
            key="2025-03-10",
        )

    assert remind() is not None
    assert remind() is None
    assert recipients() == ["a@rs.se"]
    assert EmailLog.objects.count() == 1


def test_the_command_shows_who_is_reminded_and_sends_nothing_without_a_yes(
    questionnaire, monkeypatch
):
    out = StringIO()
    monkeypatch.setattr("builtins.input", lambda prompt: "")

    with pytest.raises(CommandError, match="Avbrutet"):
        call_command("send_reminders", "--date", "2025-03-10", stdout=out)

    assert recipients() == []
    assert "3 organisationer" in out.getvalue()

    monkeypatch.setattr("builtins.input", lambda prompt: "ja")
    call_command("send_reminders", "--date", "2025-03-10", stdout=out)
    assert recipients() == ["a@rs.se", "c@ru.se", "d@rso.se"]


def test_the_command_without_a_terminal_asks_for_no_input(questionnaire, monkeypatch):
    def closed(prompt):
        raise EOFError

    monkeypatch.setattr("builtins.input", closed)

    with pytest.raises(CommandError, match="--no-input"):
        call_command("send_reminders", "--date", "2025-03-10", stdout=StringIO())
    assert recipients() == []
