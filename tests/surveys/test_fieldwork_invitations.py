from __future__ import annotations

import datetime
import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from regions.models import Organisation
from surveys.models import EmailLog, Invitation, Membership, Participation
from surveys.services.fieldwork import contact_add, participations_invite
from tests.factories import QuestionnaireFactory, UserFactory
from tests.surveys.helpers import tr

pytestmark = pytest.mark.django_db

BASE = "https://enkat.example.se"
CLOSES_ON = datetime.date(2025, 3, 31)


@pytest.fixture
def region_questionnaire(national_frame):
    return QuestionnaireFactory(
        audience="region", title="Enkät till regionerna 2024", closes_on=CLOSES_ON
    )


@pytest.fixture
def municipal_questionnaire(national_frame):
    return QuestionnaireFactory(
        audience="municipality", title="Kommunenkät 2024", closes_on=CLOSES_ON
    )


@pytest.fixture
def invite(django_capture_on_commit_callbacks):
    """Invite and run the e-mail task that follows the commit."""

    def run(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return participations_invite(base_url=BASE, **kwargs)

    return run


def org(code: str) -> Organisation:
    return Organisation.objects.get(code=code)


def links(message) -> list[str]:
    return re.findall(r"https://\S+", message.body)


def test_inviting_records_participations_and_emails_each_contact_person(
    invite, region_questionnaire, staff
):
    contact_add(organisation=org("01"), name="Anna Ek", email="Anna.Ek@rs.se")
    contact_add(organisation=org("01"), name="Bo Ek", email="bo.ek@rs.se")
    contact_add(organisation=org("03"), name="Cilla Ek", email="cilla@ru.se")

    report = invite(
        questionnaire=region_questionnaire,
        organisations=[org("01"), org("03")],
        by=staff,
    )

    assert [o.code for o in report.invited] == ["01", "03"]
    assert set(
        Participation.objects.filter(questionnaire=region_questionnaire).values_list(
            "organisation__code", "invited_by"
        )
    ) == {("01", staff.pk), ("03", staff.pk)}
    assert sorted(m.to[0] for m in mail.outbox) == [
        "anna.ek@rs.se",
        "bo.ek@rs.se",
        "cilla@ru.se",
    ]
    logs = EmailLog.objects.filter(kind=EmailLog.Kind.INVITATION)
    assert sorted(logs.values_list("organisation__code", "recipient")) == [
        ("01", "anna.ek@rs.se"),
        ("01", "bo.ek@rs.se"),
        ("03", "cilla@ru.se"),
    ]
    assert all(log.sent_by == staff for log in logs)
    message = next(m for m in mail.outbox if m.to == ["cilla@ru.se"])
    assert "Enkät till regionerna 2024" in message.subject
    assert "Region Uppsala" in message.body
    assert "2025-03-31" in message.body
    assert message.alternatives[0][1] == "text/html"


def test_a_contact_without_an_account_gets_a_single_use_account_link(
    client, invite, region_questionnaire, staff
):
    contact_add(organisation=org("01"), name="Nina Ny", email="nina@rs.se")

    invite(questionnaire=region_questionnaire, organisations=[org("01")], by=staff)

    (message,) = mail.outbox
    account, start = links(message)
    invitation = Invitation.objects.get(email="nina@rs.se")
    assert invitation.organisation.code == "01"
    assert invitation.role == Membership.Role.RESPONDENT
    assert account.startswith(BASE + "/inbjudan/")
    assert start == BASE + reverse("surveys:home")
    assert account in message.alternatives[0][0]
    password = "Vinter-Gotland-2025"
    result = client.post(
        account.removeprefix(BASE),
        {
            "first_name": "Nina",
            "last_name": "Ny",
            "password1": password,
            "password2": password,
        },
    )
    assert result.status_code == 302
    assert Membership.objects.get(user__username="nina@rs.se").organisation.code == (
        "01"
    )


def test_a_contact_with_an_account_gets_only_the_link_to_the_start_page(
    invite, region_questionnaire, region_respondent, staff
):
    contact_add(
        organisation=org("01"), name="Anna", email=region_respondent.username.upper()
    )

    invite(questionnaire=region_questionnaire, organisations=[org("01")], by=staff)

    (message,) = mail.outbox
    assert links(message) == [BASE + reverse("surveys:home")]
    assert not Invitation.objects.exists()


def test_an_organisation_without_contact_persons_is_emailed_through_its_accounts(
    invite, region_questionnaire, region_respondent, region_colleague, staff
):
    report = invite(
        questionnaire=region_questionnaire,
        organisations=[org("01"), org("03")],
        by=staff,
    )

    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [region_respondent.username, region_colleague.username]
    )
    assert [o.code for o in report.without_recipients] == ["03"]
    assert Participation.objects.filter(organisation__code="03").exists()


def test_inviting_again_emails_only_those_not_yet_emailed_unless_resent(
    invite, region_questionnaire, staff
):
    contact_add(organisation=org("01"), name="A", email="a@rs.se")
    invite(questionnaire=region_questionnaire, organisations=[org("01")], by=staff)
    contact_add(organisation=org("03"), name="C", email="c@ru.se")
    mail.outbox.clear()

    again = invite(
        questionnaire=region_questionnaire,
        organisations=[org("01"), org("03")],
        by=staff,
    )

    assert [m.to for m in mail.outbox] == [["c@ru.se"]]
    assert [o.code for o in again.already_invited] == ["01"]
    assert [o.code for o in again.already_emailed] == ["01"]
    mail.outbox.clear()

    invite(
        questionnaire=region_questionnaire,
        organisations=[org("01")],
        by=staff,
        resend=True,
    )

    assert [m.to for m in mail.outbox] == [["a@rs.se"]]
    assert Participation.objects.filter(questionnaire=region_questionnaire).count() == 2


def test_the_coordinator_invites_the_municipalities_of_the_area(
    invite, municipal_questionnaire, rss_coordinator
):
    contact_add(organisation=org("0114"), name="Dan", email="dan@uv.se")

    invite(
        questionnaire=municipal_questionnaire,
        organisations=[org("0114"), org("0115")],
        by=rss_coordinator,
    )

    (message,) = mail.outbox
    assert message.to == ["dan@uv.se"]
    assert message.reply_to == [rss_coordinator.email]
    assert org("RSS-01").full_name in message.body
    assert Participation.objects.get(organisation__code="0115").invited_by == (
        rss_coordinator
    )


def test_the_coordinator_cannot_invite_outside_the_area(
    municipal_questionnaire, rss_coordinator
):
    with pytest.raises(ValidationError) as error:
        participations_invite(
            questionnaire=municipal_questionnaire,
            organisations=[org("0114"), org("0381")],
            by=rss_coordinator,
        )

    assert "0381" in error.value.messages[0]
    assert not Participation.objects.exists()


def test_the_coordinator_invites_only_to_the_municipal_questionnaire(
    region_questionnaire, rss_coordinator
):
    with pytest.raises(PermissionDenied):
        participations_invite(
            questionnaire=region_questionnaire,
            organisations=[org("01")],
            by=rss_coordinator,
        )


def test_a_respondent_cannot_invite(municipal_questionnaire, municipality_respondent):
    with pytest.raises(PermissionDenied):
        participations_invite(
            questionnaire=municipal_questionnaire,
            organisations=[org("0114")],
            by=municipality_respondent,
        )


def test_only_organisations_of_the_audience_are_invited(region_questionnaire, staff):
    with pytest.raises(ValidationError) as error:
        participations_invite(
            questionnaire=region_questionnaire,
            organisations=[org("01"), org("0114")],
            by=staff,
        )

    assert error.value.messages == [
        tr("%(codes)s do not answer %(title)s.")
        % {"codes": "0114", "title": "Enkät till regionerna 2024"}
    ]


def test_a_locked_questionnaire_invites_nobody(region_questionnaire, staff):
    region_questionnaire.locked_at = datetime.datetime(2025, 4, 2, tzinfo=datetime.UTC)
    region_questionnaire.save()

    with pytest.raises(ValidationError):
        participations_invite(
            questionnaire=region_questionnaire, organisations=[org("01")], by=staff
        )


def test_an_invitation_that_fails_to_send_is_not_logged_and_the_others_go_out(
    invite, region_questionnaire, staff, monkeypatch
):
    contact_add(organisation=org("01"), name="A", email="a@rs.se")
    contact_add(organisation=org("03"), name="C", email="c@ru.se")
    send = mail.EmailMultiAlternatives.send

    def flaky(message, *args, **kwargs):
        if message.to == ["a@rs.se"]:
            raise OSError("SMTP server down")
        return send(message, *args, **kwargs)

    monkeypatch.setattr(mail.EmailMultiAlternatives, "send", flaky)

    invite(
        questionnaire=region_questionnaire,
        organisations=[org("01"), org("03")],
        by=staff,
    )

    assert [m.to for m in mail.outbox] == [["c@ru.se"]]
    assert list(EmailLog.objects.values_list("recipient", flat=True)) == ["c@ru.se"]


def test_the_account_email_of_an_admin_invitation_is_logged(
    national_frame, django_capture_on_commit_callbacks
):
    from surveys.services import invitation_create

    staff_user = UserFactory(username="admin@socialstyrelsen.se", is_staff=True)
    with django_capture_on_commit_callbacks(execute=True):
        invitation_create(organisation=org("01"), email="ny@rs.se", by=staff_user)

    (log,) = EmailLog.objects.all()
    assert (log.kind, log.recipient, log.sent_by) == (
        EmailLog.Kind.ACCOUNT,
        "ny@rs.se",
        staff_user,
    )
    assert log.questionnaire is None


def test_the_subject_is_plain_text(invite, staff, national_frame):
    questionnaire = QuestionnaireFactory(
        audience="region", title="Vård & omsorg: 'nära' <2024>", closes_on=CLOSES_ON
    )
    contact_add(organisation=org("01"), name="Anna Ek", email="anna@rs.se")

    invite(questionnaire=questionnaire, organisations=[org("01")], by=staff)

    (message,) = mail.outbox
    assert "Vård & omsorg: 'nära' <2024>" in message.subject
    assert "&amp;" not in message.subject and "&#x27;" not in message.subject
    assert "Vård & omsorg: 'nära' <2024>" in message.body
    assert EmailLog.objects.get().subject == message.subject
    # The HTML part stays escaped.
    assert "Vård &amp; omsorg" in message.alternatives[0][0]
