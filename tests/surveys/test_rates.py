from __future__ import annotations

import datetime

import pandas as pd
import pytest
import time_machine
from django.utils import timezone

from regions.models import Organisation
from surveys.answers import Value
from surveys.models import Participation, QuestionType, Response
from surveys.numbers import percent_of
from surveys.selectors import rates
from surveys.services import response_save_answers
from surveys.views.rates import organisations_csv
from tests.factories import (
    QuestionFactory,
    QuestionnaireFactory,
    SectionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def row(questionnaire, code, county, rss, status, **extra):
    return {
        "questionnaire_id": questionnaire,
        "organisation_id": int(code),
        "organisation_code": code,
        "organisation": f"Kommun {code}",
        "kind": "municipality" if rss else "region",
        "county_code": county,
        "county": f"Län {county}",
        "rss_code": rss,
        "rss": f"RSS {rss}" if rss else None,
        "status": status,
        "response_id": None,
        "last_activity": extra.get("last_activity"),
        "submitted_at": extra.get("submitted_at"),
    }


@pytest.fixture
def frame() -> pd.DataFrame:
    """8 municipalities of questionnaire 1 in two counties and three RSS areas."""
    return pd.DataFrame(
        [
            row(1, "0001", "01", "RSS-A", "submitted"),
            row(1, "0002", "01", "RSS-A", "draft"),
            row(1, "0003", "01", "RSS-A", "not_started"),
            row(1, "0004", "01", "RSS-B", "submitted"),
            row(1, "0005", "02", "RSS-C", "submitted"),
            row(1, "0006", "02", "RSS-C", "submitted"),
            row(1, "0007", "02", "RSS-C", "not_started"),
            row(1, "0008", "02", "RSS-C", "draft"),
            row(2, "0001", "01", "RSS-A", "draft"),
        ],
        columns=rates.FRAME_COLUMNS,
        dtype=object,
    )


@pytest.mark.parametrize(
    ("submitted", "invited", "rate"),
    [
        (1, 8, 13),  # 12.5: round() would give 12
        (5, 8, 63),  # 62.5
        (3, 8, 38),  # 37.5: round() gives 38 too
        (1, 200, 1),  # 0.5: round() would give 0
        (70, 290, 24),  # the 2024 extra question: 24.1
        (0, 5, 0),
        (5, 5, 100),
    ],
)
def test_the_rate_is_a_whole_percent_rounded_half_up(submitted, invited, rate):
    assert percent_of(submitted, invited) == rate


def test_a_frame_without_organisations_has_no_rate():
    assert percent_of(0, 0) is None


def test_rates_per_questionnaire_count_invited_started_and_submitted(frame):
    result = rates.rates_per_questionnaire(frame)

    assert result.to_dict("records") == [
        {"questionnaire_id": 1, "invited": 8, "started": 6, "submitted": 4, "rate": 50},
        {"questionnaire_id": 2, "invited": 1, "started": 1, "submitted": 0, "rate": 0},
    ]


def test_rates_per_county_round_each_county_half_up(frame):
    result = rates.rates_per_county(frame[frame["questionnaire_id"] == 1])

    assert result[["county_code", "invited", "started", "submitted", "rate"]].to_dict(
        "records"
    ) == [
        # 2 of 4 and 2 of 4
        {"county_code": "01", "invited": 4, "started": 3, "submitted": 2, "rate": 50},
        {"county_code": "02", "invited": 4, "started": 3, "submitted": 2, "rate": 50},
    ]


def test_rates_per_rss_count_only_the_municipalities_of_each_area(frame):
    mixed = pd.concat(
        [
            frame[frame["questionnaire_id"] == 1],
            pd.DataFrame(
                [row(1, "01", "01", None, "submitted")],
                columns=rates.FRAME_COLUMNS,
                dtype=object,
            ),
        ]
    )

    result = rates.rates_per_rss(mixed)

    assert result[["rss_code", "invited", "submitted", "rate"]].to_dict("records") == [
        {"rss_code": "RSS-A", "invited": 3, "submitted": 1, "rate": 33},
        {"rss_code": "RSS-B", "invited": 1, "submitted": 1, "rate": 100},
        {"rss_code": "RSS-C", "invited": 4, "submitted": 2, "rate": 50},
    ]


def test_rates_of_an_empty_frame_are_an_empty_table():
    empty = pd.DataFrame(columns=rates.FRAME_COLUMNS, dtype=object)

    result = rates.rates_per_county(empty)

    assert result.empty
    assert list(result.columns) == [
        "questionnaire_id",
        "county_code",
        "county",
        *rates.RATE_COLUMNS,
    ]


def test_filter_rows_combines_status_county_and_rss(frame):
    one = frame[frame["questionnaire_id"] == 1]

    assert list(rates.filter_rows(one, status="submitted")["organisation_code"]) == [
        "0001",
        "0004",
        "0005",
        "0006",
    ]
    assert list(
        rates.filter_rows(one, status="submitted", county_code="01")[
            "organisation_code"
        ]
    ) == ["0001", "0004"]
    assert list(
        rates.filter_rows(one, rss_code="RSS-C", status="draft")["organisation_code"]
    ) == ["0008"]


def test_the_csv_is_plain_comma_separated_utf8_by_default(frame):
    when = datetime.datetime(2025, 3, 3, 14, 5, tzinfo=datetime.UTC)
    first = frame.iloc[[0]].copy()
    first["last_activity"] = [when]
    first["submitted_at"] = [when]
    first["organisation"] = ["Håbo, kommun"]

    text = organisations_csv(first)

    assert text.splitlines() == [
        "organisation_code,organisation,county,rss,status,last_activity,submitted_at",
        '0001,"Håbo, kommun",Län 01,RSS RSS-A,submitted,2025-03-03 14:05,2025-03-03 14:05',
    ]


def test_the_excel_csv_has_a_bom_semicolons_and_swedish_headers_and_statuses(frame):
    text = organisations_csv(frame.iloc[[2]], excel=True)

    assert text.startswith("\ufeff")
    assert text[1:].splitlines() == [
        "Kod;Organisation;Län;RSS;Status;Senaste aktivitet;Inskickad den",
        "0003;Kommun 0003;Län 01;RSS RSS-A;Ej påbörjad;;",
    ]


# Reading the frame from the database


def municipal_questionnaire(**kwargs):
    section = SectionFactory(
        questionnaire=QuestionnaireFactory(
            audience="municipality", title="Kommunenkät", **kwargs
        ),
        position=1,
    )
    QuestionFactory(section=section, position=1, code="K01", type=QuestionType.YES_NO)
    return section.questionnaire


def test_without_participations_the_frame_is_every_organisation_of_the_audience(
    national_frame,
):
    questionnaire = municipal_questionnaire()

    frame = rates.rates_frame(questionnaires=[questionnaire])

    assert len(frame) == 290
    assert set(frame["status"]) == {"not_started"}
    assert frame.iloc[0]["organisation_code"] == "0114"
    assert frame.iloc[0]["rss_code"] == "RSS-01"


def extra_questionnaire(*codes):
    """An extra question sent to the municipalities with these codes."""
    questionnaire = QuestionnaireFactory(
        audience="extra", title="Extrafråga", for_chosen_set=True
    )
    for code in codes:
        organisation = Organisation.objects.get(code=code)
        questionnaire.chosen_organisations.add(organisation)
        Participation.objects.create(
            questionnaire=questionnaire, organisation=organisation
        )
    return questionnaire


def test_an_extra_question_sent_to_a_chosen_set_has_the_invited_as_its_frame(
    national_frame,
):
    questionnaire = extra_questionnaire("0114", "0115", "0381")

    frame = rates.rates_frame(questionnaires=[questionnaire])

    assert list(frame["organisation_code"]) == ["0114", "0115", "0381"]


def test_invitations_to_the_municipal_questionnaire_do_not_shrink_its_frame(
    national_frame,
):
    questionnaire = municipal_questionnaire()
    for code in ("0114", "0115", "0381"):
        Participation.objects.create(
            questionnaire=questionnaire,
            organisation=Organisation.objects.get(code=code),
        )

    frame = rates.rates_frame(questionnaires=[questionnaire])

    assert len(frame) == 290


def test_an_empty_response_is_not_started_and_an_answer_makes_it_started(
    national_frame,
):
    questionnaire = municipal_questionnaire()
    user = UserFactory(is_staff=True)
    opened = Response.objects.create(
        questionnaire=questionnaire, organisation=Organisation.objects.get(code="0114")
    )
    answered = Response.objects.create(
        questionnaire=questionnaire, organisation=Organisation.objects.get(code="0115")
    )
    with time_machine.travel(
        datetime.datetime(2025, 2, 3, 9, 30, tzinfo=datetime.UTC), tick=False
    ):
        response_save_answers(
            response=answered,
            values={("K01", ""): Value(text="Ja")},
            by=user,
            version=1,
        )
    Response.objects.create(
        questionnaire=questionnaire,
        organisation=Organisation.objects.get(code="0117"),
        status=Response.Status.SUBMITTED,
        submitted_at=timezone.now(),
    )

    frame = rates.rates_frame(questionnaires=[questionnaire]).set_index(
        "organisation_code"
    )

    assert frame.loc["0114", "status"] == "not_started"
    assert frame.loc["0114", "response_id"] == opened.pk
    assert frame.loc["0115", "status"] == "draft"
    assert frame.loc["0117", "status"] == "submitted"
    assert frame.loc["0120", "status"] == "not_started"
    assert frame.loc["0120", "last_activity"] is None
    # Stockholm local time of the save (UTC+1 in February)
    assert frame.loc["0115", "last_activity"].strftime("%Y-%m-%d %H:%M") == (
        "2025-02-03 10:30"
    )


def test_last_activity_is_the_latest_answer_change(national_frame):
    questionnaire = municipal_questionnaire()
    response = Response.objects.create(
        questionnaire=questionnaire, organisation=Organisation.objects.get(code="0114")
    )
    Response.objects.filter(pk=response.pk).update(
        updated_at=datetime.datetime(2025, 1, 2, 12, 0, tzinfo=datetime.UTC)
    )
    change = response.changes.create(
        question=questionnaire.questions.get(), old_value=None, new_value="Ja"
    )
    response.changes.filter(pk=change.pk).update(
        changed_at=datetime.datetime(2025, 1, 9, 12, 0, tzinfo=datetime.UTC)
    )

    frame = rates.rates_frame(questionnaires=[questionnaire]).set_index(
        "organisation_code"
    )

    assert frame.loc["0114", "last_activity"].date() == datetime.date(2025, 1, 9)


def test_the_frame_can_be_narrowed_to_an_rss_area(national_frame):
    questionnaire = municipal_questionnaire()
    area = Organisation.objects.get(code="RSS-01").municipalities.all()

    frame = rates.rates_frame(questionnaires=[questionnaire], organisations=area)

    assert len(frame) == 26
    assert set(frame["rss_code"]) == {"RSS-01"}


def test_reading_the_frame_takes_three_queries_whatever_its_size(
    national_frame, django_assert_num_queries
):
    questionnaires = [extra_questionnaire("0114"), QuestionnaireFactory(audience="rss")]

    with django_assert_num_queries(3):
        frame = rates.rates_frame(questionnaires=questionnaires)

    assert len(frame) == 1 + 24
