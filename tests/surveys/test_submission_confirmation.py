"""The e-mail confirming a submission: to whom, once per submission, and its links."""

from __future__ import annotations

import datetime
import smtplib

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from regions.models import Organisation
from surveys.models import (
    AnswerChange,
    EmailLog,
    Response,
    SubmissionConfirmation,
)
from surveys.services import response_get_or_create, response_submit
from surveys.services.fieldwork import contact_add
from surveys.services.submissions import submission_confirmations_requeue
from surveys.services.transitions import response_reopen
from surveys.tasks import submission_confirmation_send
from tests.surveys.helpers import complete_values, fill_response, tr

pytestmark = pytest.mark.django_db

SITE = "https://enkat.example.se"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE + "/"


@pytest.fixture
def stockholm_contacts(national_frame):
    organisation = Organisation.objects.get(code="01")
    contact_add(organisation=organisation, name="Karin Kontakt", email="karin@rs.se")
    # The submitter is also a contact person: one e-mail, not two.
    contact_add(organisation=organisation, name="Anna", email="ANNA@regionstockholm.se")


@pytest.fixture
def region_draft(cycle_2024, region_respondent):
    response = response_get_or_create(
        questionnaire=cycle_2024["region"],
        organisation=Organisation.objects.get(code="01"),
    )
    return fill_response(response, by=region_respondent)


def submit(response, by, capture) -> Response:
    with capture(execute=True):
        return response_submit(response=response, by=by, version=None)


def confirmations() -> list[EmailLog]:
    return list(EmailLog.objects.filter(kind=EmailLog.Kind.CONFIRMATION))


def test_submitting_emails_the_submitter_and_the_contact_persons_once_each(
    region_draft,
    region_respondent,
    stockholm_contacts,
    django_capture_on_commit_callbacks,
):
    submit(region_draft, region_respondent, django_capture_on_commit_callbacks)

    assert sorted(m.to[0] for m in mail.outbox) == [
        "anna@regionstockholm.se",
        "karin@rs.se",
    ]
    message = next(m for m in mail.outbox if m.to == ["karin@rs.se"])
    assert "Enkät till regionerna 2024" in message.subject
    assert "Region Stockholm" in message.subject
    receipt = SITE + reverse("reports:receipt-pdf", args=[region_draft.pk])
    summary = SITE + reverse("surveys:response-summary", args=[region_draft.pk])
    assert receipt in message.body
    assert summary in message.body
    html = message.alternatives[0][0]
    assert f'href="{receipt}"' in html
    assert "Hej Karin Kontakt" in message.body or "Hello Karin Kontakt" in message.body
    assert "anna@regionstockholm.se" in message.body  # who submitted
    assert len(confirmations()) == 2
    confirmation = SubmissionConfirmation.objects.get()
    assert confirmation.done_at is not None
    assert {log.key for log in confirmations()} == {str(confirmation.pk)}


def test_nothing_is_sent_before_the_submission_commits(
    region_draft, region_respondent, stockholm_contacts
):
    response_submit(response=region_draft, by=region_respondent, version=None)

    # The test's transaction never commits: the task was never sent.
    assert mail.outbox == []
    assert SubmissionConfirmation.objects.filter(done_at__isnull=True).count() == 1


def test_a_double_submit_and_a_task_run_again_send_nothing_twice(
    region_draft,
    region_respondent,
    stockholm_contacts,
    django_capture_on_commit_callbacks,
):
    submit(region_draft, region_respondent, django_capture_on_commit_callbacks)
    submit(region_draft, region_respondent, django_capture_on_commit_callbacks)
    confirmation = SubmissionConfirmation.objects.get()
    # A redelivered task, also one that finds its row not yet marked done.
    SubmissionConfirmation.objects.update(done_at=None)
    submission_confirmation_send.delay(confirmation.pk)

    assert len(mail.outbox) == 2
    assert len(confirmations()) == 2


def test_a_reopened_and_resubmitted_response_is_confirmed_again(
    region_draft,
    region_respondent,
    staff,
    stockholm_contacts,
    django_capture_on_commit_callbacks,
):
    submit(region_draft, region_respondent, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        response_reopen(response=region_draft, by=staff, reason="Fel i fråga 36")
    assert len(mail.outbox) == 2  # reopening sends nothing

    submit(region_draft, region_respondent, django_capture_on_commit_callbacks)

    assert len(mail.outbox) == 4
    assert SubmissionConfirmation.objects.count() == 2


def test_the_municipality_learns_that_its_rss_submitted_its_paper_answers(
    cycle_2024, rss_coordinator, django_capture_on_commit_callbacks
):
    vasby = Organisation.objects.get(code="0114")
    contact_add(organisation=vasby, name="Vera Väsby", email="vera@vasby.se")
    rss_coordinator.first_name, rss_coordinator.last_name = "Frida", "Samordnare"
    rss_coordinator.save()
    response = response_get_or_create(
        questionnaire=cycle_2024["municipality"], organisation=vasby
    )
    from surveys.services import response_save_answers

    response = response_save_answers(
        response=response,
        values=complete_values(response),
        by=rss_coordinator,
        version=None,
        source=AnswerChange.Source.PAPER,
    )

    submit(response, rss_coordinator, django_capture_on_commit_callbacks)

    assert sorted(m.to[0] for m in mail.outbox) == ["frida@rss01.se", "vera@vasby.se"]
    to_vasby = next(m for m in mail.outbox if m.to == ["vera@vasby.se"])
    assert "Frida Samordnare" in to_vasby.body
    rss_name = Organisation.objects.get(code="RSS-01").full_name
    assert rss_name in to_vasby.body
    assert tr("on the organisation's behalf") in to_vasby.body or (
        "för organisationens räkning" in to_vasby.body
    )
    to_rss = next(m for m in mail.outbox if m.to == ["frida@rss01.se"])
    # The coordinator is not told to contact themselves.
    assert f"kontakta {rss_name}" not in to_rss.body.replace("\n", " ")
    assert f"contact {rss_name}" not in to_rss.body.replace("\n", " ")


def test_an_organisation_without_contact_persons_is_told_through_its_members(
    region_draft,
    region_respondent,
    region_colleague,
    django_capture_on_commit_callbacks,
):
    submit(region_draft, region_respondent, django_capture_on_commit_callbacks)

    assert sorted(m.to[0] for m in mail.outbox) == [
        "anna@regionstockholm.se",
        "bo@regionstockholm.se",
    ]


def test_the_demo_data_submits_without_emailing(
    region_draft,
    region_respondent,
    stockholm_contacts,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        response_submit(
            response=region_draft,
            by=region_respondent,
            version=None,
            confirm_by_email=False,
        )

    assert mail.outbox == []
    assert not SubmissionConfirmation.objects.exists()


def test_a_failed_address_is_retried_alone_and_the_others_are_not_sent_again(
    region_draft,
    region_respondent,
    stockholm_contacts,
    django_capture_on_commit_callbacks,
    monkeypatch,
):
    from django.core.mail.backends.locmem import EmailBackend

    original = EmailBackend.send_messages

    def refuse_karin(self, messages):
        if any("karin@rs.se" in m.to for m in messages):
            raise smtplib.SMTPRecipientsRefused({"karin@rs.se": (550, b"busy")})
        return original(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", refuse_karin)
    # The task asks Celery for a retry; the submit itself went through.
    submit(region_draft, region_respondent, django_capture_on_commit_callbacks)
    region_draft.refresh_from_db()
    assert region_draft.is_submitted
    assert [m.to[0] for m in mail.outbox] == ["anna@regionstockholm.se"]
    confirmation = SubmissionConfirmation.objects.get()
    assert confirmation.done_at is None

    monkeypatch.setattr(EmailBackend, "send_messages", original)
    submission_confirmation_send.delay(confirmation.pk)

    assert [m.to[0] for m in mail.outbox] == ["anna@regionstockholm.se", "karin@rs.se"]
    confirmation.refresh_from_db()
    assert confirmation.done_at is not None


def test_the_requeue_sends_confirmations_left_behind_but_not_very_old_ones(
    region_draft,
    region_respondent,
    stockholm_contacts,
    django_capture_on_commit_callbacks,
):
    # The broker never got the task (the test's transaction did not commit).
    response_submit(response=region_draft, by=region_respondent, version=None)
    left = SubmissionConfirmation.objects.get()
    assert submission_confirmations_requeue() == []  # too recent: may be on its way

    SubmissionConfirmation.objects.filter(pk=left.pk).update(
        requested_at=timezone.now() - datetime.timedelta(minutes=10)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert submission_confirmations_requeue() == [left.pk]
    assert len(mail.outbox) == 2

    SubmissionConfirmation.objects.filter(pk=left.pk).update(
        done_at=None, requested_at=timezone.now() - datetime.timedelta(days=3)
    )
    assert submission_confirmations_requeue() == []


def test_the_web_submit_confirms_by_email(
    region_draft,
    region_respondent,
    stockholm_contacts,
    django_capture_on_commit_callbacks,
):
    client = Client()
    client.force_login(region_respondent)
    region_draft.refresh_from_db()

    with django_capture_on_commit_callbacks(execute=True):
        result = client.post(
            reverse("surveys:response-submit", args=[region_draft.pk]),
            {"version": region_draft.version},
        )

    assert result.status_code == 302
    assert sorted(m.to[0] for m in mail.outbox) == [
        "anna@regionstockholm.se",
        "karin@rs.se",
    ]


def test_staff_submitting_for_an_organisation_say_so_in_the_email(
    region_draft, staff, stockholm_contacts, django_capture_on_commit_callbacks
):
    submit(region_draft, staff, django_capture_on_commit_callbacks)

    assert sorted(m.to[0] for m in mail.outbox) == [
        "anna@regionstockholm.se",
        "karin@rs.se",
        "staff@socialstyrelsen.se",
    ]
    to_karin = next(m for m in mail.outbox if m.to == ["karin@rs.se"])
    assert "(Socialstyrelsen)" in to_karin.body
    assert "för organisationens räkning" in " ".join(to_karin.body.split())
