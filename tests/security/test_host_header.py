"""Links in e-mails start with SITE_URL, never with the Host header of the request.

A client writes the Host header. Where the proxy passes any Host on (or ALLOWED_HOSTS
is wide), a forged one would otherwise put the attacker's address in front of the
single-use account link that staff send to a real person (Host header injection).
"""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from regions.models import Organisation
from surveys.models import ContactPerson, Questionnaire
from tests.surveys.test_extra_question import form as extra_question_form

pytestmark = pytest.mark.django_db

SITE = "https://enkat.example.se"
FORGED = "evil.example"


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = SITE
    settings.ALLOWED_HOSTS = [FORGED, "testserver"]


def _links_are_the_sites(messages) -> None:
    assert messages
    for message in messages:
        assert SITE + "/" in message.body
        assert FORGED not in message.body
        for _type, content in getattr(message, "alternatives", []):
            assert FORGED not in content


def test_an_account_invitation_from_the_admin(
    client, staff, national_frame, django_capture_on_commit_callbacks
):
    staff.is_superuser = True
    staff.save()
    client.force_login(staff)

    with django_capture_on_commit_callbacks(execute=True):
        result = client.post(
            reverse("admin:surveys_invitation_add"),
            {
                "organisation": Organisation.objects.get(code="0114").pk,
                "email": "ny@upplandsvasby.se",
                "role": "respondent",
            },
            HTTP_HOST=FORGED,
        )

    assert result.status_code == 302
    _links_are_the_sites(mail.outbox)


def test_a_questionnaire_invitation_with_an_account_link(
    client, staff, cycle_2024, django_capture_on_commit_callbacks
):
    region = cycle_2024["region"]
    ContactPerson.objects.create(
        organisation=Organisation.objects.get(code="01"), name="A", email="a@rs.se"
    )
    client.force_login(staff)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("surveys:staff-invitations", args=[region.pk]),
            {
                "scope": "selected",
                "organisations": [Organisation.objects.get(code="01").pk],
            },
            HTTP_HOST=FORGED,
        )

    assert [m.to for m in mail.outbox] == [["a@rs.se"]]
    # The start page and the personal account link.
    assert mail.outbox[0].body.count(SITE + "/") == 2
    _links_are_the_sites(mail.outbox)


def test_an_extra_question_sent_from_the_staff_form(
    client, staff, cycle_2024, django_capture_on_commit_callbacks
):
    cycle = cycle_2024["extra"].cycle
    ContactPerson.objects.create(
        organisation=Organisation.objects.get(code="0114"),
        name="Kontakt",
        email="kontakt@upplandsvasby.se",
    )
    client.force_login(staff)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("surveys:staff-extra-question"),
            extra_question_form(
                cycle, municipalities=[Organisation.objects.get(code="0114").pk]
            ),
            HTTP_HOST=FORGED,
        )

    assert Questionnaire.objects.filter(source_file__startswith="web:").exists()
    _links_are_the_sites(mail.outbox)
