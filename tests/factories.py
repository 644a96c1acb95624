"""factory_boy factories; tests pass explicitly every value they assert on."""

from __future__ import annotations

import datetime

import factory
from django.contrib.auth import get_user_model
from factory.django import DjangoModelFactory

from aggregation.services import published_upload_create
from regions.models import County, Organisation
from surveys.models import (
    Cycle,
    Membership,
    Question,
    Questionnaire,
    QuestionType,
    Response,
    Section,
)
from surveys.services.imports import import_upload_create


class CountyFactory(DjangoModelFactory):
    class Meta:
        model = County
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{(n % 90) + 10:02d}")
    name = factory.LazyAttribute(lambda o: f"Län {o.code}")


class RegionFactory(DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("code",)

    kind = Organisation.Kind.REGION
    county = factory.SubFactory(CountyFactory)
    code = factory.LazyAttribute(lambda o: o.county.code)
    name = factory.Faker("city", locale="sv_SE")
    full_name = factory.LazyAttribute(lambda o: f"Region {o.name}")
    population = 300000


class RssFactory(DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("code",)

    kind = Organisation.Kind.RSS
    county = factory.SubFactory(CountyFactory)
    code = factory.LazyAttribute(lambda o: f"RSS-{o.county.code}")
    name = factory.LazyAttribute(lambda o: f"RSS {o.county.name}")
    full_name = factory.LazyAttribute(lambda o: o.name)


class MunicipalityFactory(DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("code",)

    kind = Organisation.Kind.MUNICIPALITY
    rss = factory.SubFactory(RssFactory)
    county = factory.LazyAttribute(lambda o: o.rss.county)
    code = factory.Sequence(lambda n: f"{9000 + n:04d}")
    name = factory.Faker("city", locale="sv_SE")
    full_name = factory.LazyAttribute(lambda o: o.name)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}@example.se")
    email = factory.LazyAttribute(lambda o: o.username)
    password = factory.PostGenerationMethodCall("set_password", "test-password-123")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(RegionFactory)
    role = Membership.Role.RESPONDENT


class CycleFactory(DjangoModelFactory):
    class Meta:
        model = Cycle
        django_get_or_create = ("year",)

    year = 2024
    name = "Uppföljning 2024"
    opens_on = datetime.date(2024, 11, 29)
    closes_on = datetime.date(2025, 3, 31)


class QuestionnaireFactory(DjangoModelFactory):
    class Meta:
        model = Questionnaire

    cycle = factory.SubFactory(CycleFactory)
    audience = Questionnaire.Audience.REGION
    key = factory.LazyAttribute(lambda o: o.audience)
    title = "Enkät till regionerna"
    opens_on = datetime.date(2024, 11, 29)
    closes_on = datetime.date(2025, 3, 31)


class SectionFactory(DjangoModelFactory):
    class Meta:
        model = Section

    questionnaire = factory.SubFactory(QuestionnaireFactory)
    position = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Avsnitt {n + 1}")


class QuestionFactory(DjangoModelFactory):
    class Meta:
        model = Question

    section = factory.SubFactory(SectionFactory)
    questionnaire = factory.LazyAttribute(lambda o: o.section.questionnaire)
    position = factory.Sequence(lambda n: n + 1)
    code = factory.Sequence(lambda n: str(n + 1))
    text = factory.LazyAttribute(lambda o: f"Fråga {o.code}?")
    type = QuestionType.YES_NO


class ResponseFactory(DjangoModelFactory):
    class Meta:
        model = Response

    questionnaire = factory.SubFactory(QuestionnaireFactory)
    organisation = factory.SubFactory(RegionFactory)


def waiting_import_upload(questionnaires, *, by):
    """A file of answers waiting in the import preview: Region Stockholm's answer to
    question 36 of the region questionnaire (a change to a submitted response, if it
    is submitted)."""
    return import_upload_create(
        questionnaire=questionnaires["region"],
        file=b"organisation,question,item,answer\n01,36,,12345\n",
        file_name="svar.csv",
        draft=False,
        by=by,
    )


def waiting_published_upload(questionnaires, *, by):
    """A file of the RSS questionnaire's 2023 figures waiting in its preview."""
    return published_upload_create(
        questionnaire=questionnaires["rss"],
        year=2023,
        file=b'question,item,option,level,unit,percent\nS02,,"Ja, alla kommuner",riket,SE,29\n',
        file_name="rss-2023.csv",
        by=by,
    )
