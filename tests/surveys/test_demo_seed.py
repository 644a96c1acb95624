"""The demo seed. A full seed takes many seconds, so the module seeds once and every test
reads that database (or changes it inside its own rolled-back transaction)."""

from __future__ import annotations

import hashlib
from collections import Counter
from io import StringIO
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Q
from django.test import override_settings

from regions.models import County, Organisation
from surveys.answers import visible_questions
from surveys.management.commands._demo import (
    DEMO_PASSWORD,
    DEMO_USERS,
    DemoReport,
    demo_seed,
)
from surveys.models import (
    Answer,
    AnswerChange,
    Cycle,
    Membership,
    Question,
    Questionnaire,
    QuestionType,
    Response,
)
from surveys.models.questionnaire import ANSWERED_OPTION
from surveys.services import answers_map, response_check

pytestmark = pytest.mark.django_db

SUBMITTED = Response.Status.SUBMITTED


def _wipe() -> None:
    """Remove what a seed writes (it changed the preloaded questionnaires too); after the
    module, tests/conftest.py loads the frame and the 2024 questionnaires again."""
    Response.objects.all().delete()
    emails = [demo.email for demo in DEMO_USERS]
    Membership.objects.filter(user__username__in=emails).delete()
    get_user_model().objects.filter(username__in=emails).delete()
    Question.objects.filter(source__isnull=False).delete()
    Questionnaire.objects.all().delete()
    Cycle.objects.all().delete()
    Organisation.objects.filter(kind=Organisation.Kind.MUNICIPALITY).delete()
    Organisation.objects.all().delete()
    County.objects.all().delete()


# The demo's blank forms are built ahead (a PDF per questionnaire and deadline); not in
# these tests (tests/reports/test_blank_forms_ahead.py tests that).
QUIET = "surveys.services.%s.announce_questionnaire_published"


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    hashers = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=hashers),
        mock.patch(QUIET % "questionnaires"),
        mock.patch(QUIET % "fieldwork"),
    ):
        report = demo_seed()
    yield report
    with django_db_blocker.unblock():
        _wipe()


def _questionnaire(audience: str) -> Questionnaire:
    return Questionnaire.objects.get(cycle__year=2024, key=audience, is_current=True)


def _statuses(audience: str) -> Counter:
    return Counter(
        Response.objects.filter(questionnaire=_questionnaire(audience)).values_list(
            "status", flat=True
        )
    )


def _digest() -> str:
    rows = (
        Answer.objects.filter(response__questionnaire__cycle__year=2024)
        .order_by(
            "response__questionnaire__key",
            "response__organisation__code",
            "question__position",
            "item",
        )
        .values_list(
            "response__questionnaire__key",
            "response__organisation__code",
            "response__status",
            "response__source",
            "question__code",
            "item",
            "text",
            "number",
            "cannot_estimate",
        )
    )
    return hashlib.sha256(repr(list(rows)).encode()).hexdigest()


@pytest.mark.parametrize(
    ("audience", "submitted", "drafts", "organisations"),
    [
        ("region", 18, 2, 21),
        ("rss", 20, 2, 24),
        ("municipality", 247, 20, 290),
        ("extra", 70, 3, 290),
        ("statsbidrag", 283, 6, 290),
    ],
)
def test_seed_answers_the_expected_number_of_organisations(
    seeded: DemoReport, audience, submitted, drafts, organisations
):
    assert _statuses(audience) == {"submitted": submitted, "draft": drafts}
    assert seeded.statuses[audience] == {
        "submitted": submitted,
        "draft": drafts,
        "not_started": organisations - submitted - drafts,
    }


def test_every_submitted_response_passes_the_check(seeded):
    responses = Response.objects.filter(
        questionnaire__cycle__year=2024, status=SUBMITTED
    ).select_related("questionnaire", "organisation")
    assert len(responses) == 18 + 20 + 247 + 70 + 283
    problems = {
        (r.questionnaire.key, r.organisation.code): response_check(response=r)
        for r in responses
    }
    assert {key: errors for key, errors in problems.items() if errors} == {}


def test_answers_are_only_given_to_questions_shown(seeded):
    for audience in ("region", "rss", "municipality", "extra", "statsbidrag"):
        questions = list(_questionnaire(audience).questions.order_by("position"))
        for response in Response.objects.filter(questionnaire__key=audience):
            answers = answers_map(response)
            shown = {q.code for q in visible_questions(questions, answers)}
            assert {code for code, _item in answers} <= shown


def test_the_three_implausible_counts_of_2024_are_there(seeded):
    questions = list(_questionnaire("region").questions.order_by("position"))
    count = next(q for q in questions if q.type == QuestionType.COUNT)
    percentage = [
        q
        for q in questions
        if q.type == QuestionType.PERCENTAGE and q.position < count.position
    ][-1]
    values = {
        a.response.organisation: a.number
        for a in Answer.objects.filter(
            question=count, response__status=SUBMITTED
        ).select_related("response__organisation")
    }
    by_value = {number: region for region, number in values.items()}
    assert {179, 38, 999_999} <= set(by_value)
    assert len({by_value[179], by_value[38], by_value[999_999]}) == 3
    shares = dict(
        Answer.objects.filter(question=percentage).values_list(
            "response__organisation__code", "number"
        )
    )
    meant = by_value[179].population * shares[by_value[179].code] / 100
    assert 170_000 < meant < 190_000
    assert shares[by_value[38].code] == 38
    assert [trap.value for trap in seeded.traps] == [179, 38, 999_999]


def test_other_counts_follow_population_and_percentage(seeded):
    questions = list(_questionnaire("region").questions.order_by("position"))
    count = next(q for q in questions if q.type == QuestionType.COUNT)
    percentage = [
        q
        for q in questions
        if q.type == QuestionType.PERCENTAGE and q.position < count.position
    ][-1]
    trap_values = {179, 38, 999_999}
    for response in Response.objects.filter(
        questionnaire__key="region", status=SUBMITTED
    ).select_related("organisation"):
        answers = answers_map(response)
        persons = answers[(count.code, "")].number
        share = answers[(percentage.code, "")].number
        if persons is None or share is None or persons in trap_values:
            continue
        expected = response.organisation.population * share / 100
        assert 0.95 * expected <= persons <= 1.05 * expected


def test_rss_counts_compile_the_submitted_municipal_answers(seeded):
    municipal = _questionnaire("municipality")
    compiled_any = False
    for response in Response.objects.filter(
        questionnaire__key="rss", status=SUBMITTED
    ).select_related("organisation"):
        answers = answers_map(response)
        area = Response.objects.filter(
            questionnaire=municipal,
            status=SUBMITTED,
            organisation__rss=response.organisation,
        )
        given = Counter(
            Answer.objects.filter(response__in=area).values_list(
                "question__code", "item", "text"
            )
        )
        # Who answered each question at all: a multiple choice's "_answered" cell.
        answering = Counter(
            code
            for _organisation, code in set(
                Answer.objects.filter(response__in=area).values_list(
                    "response__organisation_id", "question__code"
                )
            )
        )
        for question in response.questionnaire.questions.filter(
            type=QuestionType.COUNT_PER_OPTION
        ).select_related("source"):
            for cell in question.cells:
                source = question.source.code
                if cell["option"] == ANSWERED_OPTION:
                    expected = answering[source]
                else:
                    expected = given[(source, cell["item"], cell["option"])]
                assert answers[(question.code, cell["label"])].number == expected
                compiled_any = True
        integers = response.questionnaire.questions.filter(type=QuestionType.INTEGER)
        for question in integers:
            assert answers[(question.code, "")].number == area.count()
    assert compiled_any


def test_free_text_is_swedish_prose_and_contacts_are_fictitious(seeded):
    stockholm_rss = Response.objects.get(
        questionnaire__key="rss", organisation__code="RSS-03"
    )
    answers = answers_map(stockholm_rss)
    contact = {
        item: value.text for (code, item), value in answers.items() if code == "kontakt"
    }
    assert contact["E-postadress"].endswith("@example.se")
    assert contact["Telefonnummer"].startswith("010-")
    texts = Answer.objects.filter(
        question__type=QuestionType.FREE_TEXT, question__personal_data=False
    ).values_list("text", flat=True)
    assert all(text.strip() for text in texts)
    assert any("mobila team" in text.casefold() for text in texts)


def test_demo_story_organisations_have_their_statuses(seeded):
    stockholm = Response.objects.get(
        questionnaire__key="region", organisation__code="01"
    )
    questions = _questionnaire("region").questions.count()
    assert stockholm.status == Response.Status.DRAFT
    answered = {code for code, _item in answers_map(stockholm)}
    assert 0 < len(answered) < questions
    assert not Response.objects.filter(organisation__code="0114").exists()
    assert (
        Response.objects.get(organisation__code="RSS-01").status
        == Response.Status.DRAFT
    )


def test_demo_users_exist_with_their_memberships(seeded):
    users = {u.username: u for u in get_user_model().objects.all()}
    staff = users["staff@demo.se"]
    assert staff.is_staff and staff.is_superuser
    assert not Membership.objects.filter(user=staff).exists()
    expected = {
        "region@demo.se": ("01", Membership.Role.RESPONDENT),
        "region2@demo.se": ("01", Membership.Role.RESPONDENT),
        "rss@demo.se": ("RSS-01", Membership.Role.COORDINATOR),
        "kommun@demo.se": ("0114", Membership.Role.RESPONDENT),
    }
    memberships = {
        m.user.username: (m.organisation.code, m.role)
        for m in Membership.objects.select_related("user", "organisation")
    }
    assert memberships == expected
    assert all(users[email].check_password(DEMO_PASSWORD) for email in users)


def test_seeding_again_adds_nothing_and_prints_the_logins(seeded):
    before = (
        Response.objects.count(),
        Answer.objects.count(),
        AnswerChange.objects.count(),
        get_user_model().objects.count(),
    )
    out = StringIO()
    call_command("seed_demo", stdout=out)
    after = (
        Response.objects.count(),
        Answer.objects.count(),
        AnswerChange.objects.count(),
        get_user_model().objects.count(),
    )
    assert after == before
    output = out.getvalue()
    assert "skipped" in output
    assert "http://127.0.0.1:8000/" in output
    assert DEMO_PASSWORD in output
    for demo in DEMO_USERS:
        assert demo.email in output


def test_the_same_seed_gives_identical_answers(seeded):
    """A second run into a database wiped of part of the answers writes them again,
    identically: all regions, RSS and extra answers, and one RSS area's municipal ones
    (the RSS compile those). A full second seed would double the module's time."""
    first = _digest()
    area = Organisation.objects.get(code="RSS-03").municipalities.all()
    wiped = Response.objects.filter(
        Q(questionnaire__key__in=["region", "rss", "extra"])
        | Q(questionnaire__key="municipality", organisation__in=area)
    )
    count = wiped.count()
    wiped.delete()
    report = demo_seed()
    assert sum(report.created.values()) == count > 100
    assert _digest() == first


def test_the_grant_reports_demo_amounts_are_the_real_ones_of_bilaga_1(seeded):
    import csv
    from pathlib import Path

    shipped = (
        Path(__file__).resolve().parents[2]
        / "surveys/definitions/2024/statsbidrag_bilaga1_tabell1.csv"
    )
    with shipped.open(encoding="utf-8") as handle:
        published = {
            r["municipality_code"]: (int(r["allocation"]), int(r["unused"]))
            for r in csv.DictReader(handle)
        }
    given: dict[str, dict[str, int]] = {}
    for code, question, number in Answer.objects.filter(
        response__questionnaire__key="statsbidrag",
        response__status=SUBMITTED,
        question__code__in=["B01", "B02"],
    ).values_list("response__organisation__code", "question__code", "number"):
        given.setdefault(code, {})[question] = number

    assert len(given) == 283
    assert all(
        (amounts["B01"], amounts["B02"]) == published[code]
        for code, amounts in given.items()
    )
    # kommun@demo.se finds it not started, beside the municipal questionnaire.
    assert not Response.objects.filter(
        questionnaire__key="statsbidrag", organisation__code="0114"
    ).exists()
