from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from regions.models import Organisation
from surveys.models import ContactPerson, EmailLog
from surveys.services.fieldwork import contact_add, contact_remove
from tests.surveys.helpers import find_all, page, text, tr

pytestmark = pytest.mark.django_db


def org(code: str) -> Organisation:
    return Organisation.objects.get(code=code)


def contacts_url(code: str) -> str:
    return reverse("surveys:contacts", args=[code])


def remove_url(contact: ContactPerson) -> str:
    return reverse(
        "surveys:contact-remove", args=[contact.organisation.code, contact.pk]
    )


def listed(result) -> list[str]:
    (table,) = find_all(page(result), "table", id="contacts")
    return [text(row) for row in find_all(table, "th", scope="row")]


@pytest.fixture
def anna(national_frame) -> ContactPerson:
    return contact_add(
        organisation=org("01"),
        name="Anna Ek",
        email="Anna.Ek@RegionStockholm.se",
        phone="08-123 45",
    )


def test_adding_a_contact_person_normalises_the_address(anna):
    assert (anna.name, anna.email, anna.phone) == (
        "Anna Ek",
        "anna.ek@regionstockholm.se",
        "08-123 45",
    )


def test_an_address_is_a_contact_person_of_an_organisation_once(anna):
    with pytest.raises(ValidationError) as error:
        contact_add(
            organisation=org("01"), name="A", email="ANNA.EK@regionstockholm.se"
        )

    assert list(error.value.message_dict) == ["email"]


def test_a_malformed_address_is_refused(national_frame):
    with pytest.raises(ValidationError):
        contact_add(organisation=org("01"), name="A", email="inte-en-adress")


def test_removing_a_contact_person_keeps_the_log_of_emails_sent(anna, staff):
    EmailLog.objects.create(
        kind=EmailLog.Kind.INVITATION,
        organisation=anna.organisation,
        recipient=anna.email,
        subject="Inbjudan",
    )

    contact_remove(contact=anna, by=staff)

    assert not ContactPerson.objects.exists()
    assert EmailLog.objects.get().recipient == "anna.ek@regionstockholm.se"


def test_a_member_sees_and_adds_the_contact_persons_of_the_organisation(
    client, anna, region_respondent
):
    client.force_login(region_respondent)

    shown = client.get(contacts_url("01"))
    added = client.post(
        contacts_url("01"), {"name": "Bo Ek", "email": "bo@rs.se", "phone": ""}
    )

    assert shown.status_code == 200
    assert listed(shown) == ["Anna Ek"]
    assert "anna.ek@regionstockholm.se" in shown.content.decode()
    assert added.status_code == 302
    assert set(org("01").contacts.values_list("email", flat=True)) == {
        "anna.ek@regionstockholm.se",
        "bo@rs.se",
    }


def test_a_duplicate_or_malformed_address_shows_the_form_again(
    client, anna, region_respondent
):
    client.force_login(region_respondent)

    duplicate = client.post(
        contacts_url("01"), {"name": "A", "email": "anna.ek@regionstockholm.se"}
    )
    malformed = client.post(contacts_url("01"), {"name": "A", "email": "anna"})

    assert duplicate.status_code == malformed.status_code == 400
    assert (
        tr("%(email)s is already a contact person of %(org)s.")
        % {"email": "anna.ek@regionstockholm.se", "org": "Region Stockholm"}
        in duplicate.content.decode()
    )
    assert org("01").contacts.count() == 1


def test_a_member_removes_a_contact_person_on_request(client, anna, region_respondent):
    client.force_login(region_respondent)

    result = client.post(remove_url(anna))

    assert result.status_code == 302
    assert not ContactPerson.objects.exists()


def test_staff_manage_the_contact_persons_of_any_organisation(client, anna, staff):
    client.force_login(staff)

    assert listed(client.get(contacts_url("01"))) == ["Anna Ek"]
    client.post(contacts_url("0114"), {"name": "Dan", "email": "dan@uv.se"})
    client.post(remove_url(anna))

    assert list(ContactPerson.objects.values_list("email", flat=True)) == ["dan@uv.se"]


@pytest.mark.parametrize(
    "outsider",
    ["other_region_respondent", "rss_coordinator", "municipality_respondent"],
)
def test_nobody_else_sees_or_changes_the_contact_persons(
    client, anna, request, outsider
):
    client.force_login(request.getfixturevalue(outsider))

    shown = client.get(contacts_url("01"))
    added = client.post(contacts_url("01"), {"name": "X", "email": "x@x.se"})
    removed = client.post(remove_url(anna))

    assert shown.status_code == added.status_code == removed.status_code == 404
    assert list(ContactPerson.objects.values_list("email", flat=True)) == [
        "anna.ek@regionstockholm.se"
    ]


def test_the_coordinator_does_not_see_the_contacts_of_the_areas_municipalities(
    client, rss_coordinator
):
    contact_add(organisation=org("0114"), name="Dan", email="dan@uv.se")
    client.force_login(rss_coordinator)

    assert client.get(contacts_url("0114")).status_code == 404
    assert client.get(contacts_url("RSS-01")).status_code == 200


def test_a_contact_cannot_be_removed_through_another_organisations_address(
    client, anna, other_region_respondent
):
    client.force_login(other_region_respondent)

    result = client.post(reverse("surveys:contact-remove", args=["03", anna.pk]))

    assert result.status_code == 404
    assert ContactPerson.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(client, anna):
    result = client.get(contacts_url("01"))

    assert result.status_code == 302
    assert result["Location"].startswith(reverse("login"))


def test_the_start_page_links_to_the_contact_persons(client, region_respondent):
    client.force_login(region_respondent)

    assert contacts_url("01") in client.get(reverse("surveys:home")).content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"name": "A", "email": "anna@", "phone": ""},
            "Ange en e-postadress i rätt format, till exempel namn@exempel.se.",
        ),
        (
            {"name": "A", "email": "a@rs.se", "phone": "12 34"},
            "Ange ett telefonnummer som börjar med 0 eller +46, till exempel "
            "070-174 06 50 eller +46 8 123 456 78.",
        ),
    ],
)
def test_a_contact_person_gets_the_questionnaires_e_mail_and_phone_rules(
    client, region_respondent, data, message
):
    client.force_login(region_respondent)

    result = client.post(contacts_url("01"), data)

    assert result.status_code == 400
    assert message in result.content.decode()
    assert org("01").contacts.count() == 0


def test_a_contact_person_with_a_swedish_phone_number_is_added(
    client, region_respondent
):
    client.force_login(region_respondent)

    client.post(
        contacts_url("01"),
        {"name": "Bo Ek", "email": "bo@rs.se", "phone": "+46 (0)70-174 06 50"},
    )

    assert org("01").contacts.get().phone == "+46 (0)70-174 06 50"
