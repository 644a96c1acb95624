"""The two ways an RSS reports its area's answers give the same municipal shares.

The hjälpenkät path leaves the municipalities' own answers in the system, and the
shares come from them; the paper path only the RSS's counts (the counts-only path).

Hjälpenkät path: the municipalities submit the municipal questionnaire on the web and the
coordinator prefills the RSS questionnaire's counts from them. Paper path: nobody submits
on the web and the coordinator types the same counts, tallied by hand.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from zoneinfo import ZoneInfo

import pandas as pd
import pytest
from django.db import transaction
from pandas.testing import assert_frame_equal

from aggregation.compute import compute_results
from regions.models import Organisation
from surveys.answers import Value
from surveys.models import Membership, Questionnaire, QuestionType, Response
from surveys.services import (
    answers_map,
    response_get_or_create,
    response_save_answers,
    response_submit,
)
from surveys.services.compilation import rss_compilation_prefill
from tests.factories import MembershipFactory, UserFactory
from tests.surveys.helpers import complete_values, fill_response

pytestmark = pytest.mark.django_db

Key = tuple[str, str]
ELDERLY = "… äldre personer med stora vård- och omsorgsbehov"
K19 = ["riktade hälsosamtal", "hembesöksprogram", "övriga insatser"]


def ticks(code: str, items: list[str], ticked: set[str]) -> dict[Key, Value]:
    return {(code, item): Value(text="Ja" if item in ticked else "") for item in items}


# What each municipality answers beyond the defaults (first option, first alternative
# ticked). Sölvesborg (1083) never submits: in the hjälpenkät path it leaves a draft.
MUNICIPAL_ANSWERS: dict[str, dict[Key, Value]] = {
    "1060": {  # Olofström
        ("K06", ""): Value(text="Ja"),
        ("K01", "Samverkansinsatser"): Value(text="Ja"),
        ("K01", "Annat"): Value(text="Ja"),
        **ticks("K19", K19, set()),
    },
    "1080": {  # Karlskrona
        ("K06", ""): Value(text="Nej"),
        ("K04", ELDERLY): Value(text="Nej"),
        ("K17", "fast vårdkontakt"): Value(text="Vet ej"),
        ("K01", "Samverkansinsatser"): Value(text=""),
        ("K01", "Utskrivningsprocessen"): Value(text="Ja"),
    },
    "1081": {  # Ronneby
        ("K06", ""): Value(text="Ja"),
        **ticks("K19", K19, {"hembesöksprogram", "övriga insatser"}),
    },
    "1082": {  # Karlshamn
        ("K06", ""): Value(text="Nej"),
        ("K20", ""): Value(text="Nej"),
    },
    "0980": {  # Gotland
        ("K06", ""): Value(text="Ja"),
        ("K04", ELDERLY): Value(text="Nej"),
    },
}
NOT_SUBMITTED = "1083"
RSS_CODES = ["RSS-09", "RSS-10"]


@pytest.fixture(autouse=True)
def _within_fieldwork(time_machine):
    """Answers are saved inside the 2024 fieldwork window."""
    time_machine.move_to(
        datetime.datetime(2025, 2, 3, 10, 0, tzinfo=ZoneInfo("Europe/Stockholm"))
    )


@pytest.fixture
def coordinators(national_frame) -> dict[str, object]:
    users = {}
    for code in RSS_CODES:
        users[code] = UserFactory(username=f"{code.lower()}@example.se")
        MembershipFactory(
            user=users[code],
            organisation=Organisation.objects.get(code=code),
            role=Membership.Role.COORDINATOR,
        )
    return users


def rss_response(questionnaires: dict[str, Questionnaire], code: str) -> Response:
    return response_get_or_create(
        questionnaire=questionnaires["rss"],
        organisation=Organisation.objects.get(code=code),
    )


def submit_rss(response: Response, by, values: dict[Key, Value]) -> None:
    """Answer the RSS's own questions with the defaults, keep the counts, submit."""
    response.refresh_from_db()
    fill_response(response, by=by, overrides=values)
    response_submit(response=response, by=by, version=None)


def hjalpenkat_path(questionnaires, coordinators) -> None:
    for code, overrides in MUNICIPAL_ANSWERS.items():
        municipal = response_get_or_create(
            questionnaire=questionnaires["municipality"],
            organisation=Organisation.objects.get(code=code),
        )
        fill_response(municipal, by=None, overrides=overrides)
        response_submit(response=municipal, by=None, version=None)
    draft = response_get_or_create(
        questionnaire=questionnaires["municipality"],
        organisation=Organisation.objects.get(code=NOT_SUBMITTED),
    )
    fill_response(draft, by=None, overrides={("K06", ""): Value(text="Ja")})
    for code in RSS_CODES:
        response = rss_response(questionnaires, code)
        report = rss_compilation_prefill(response=response, by=coordinators[code])
        submit_rss(response, coordinators[code], answers_map(report.response))


def hand_tally(questionnaires, rss_code: str) -> dict[Key, Value]:
    """The counts an RSS coordinator writes down from the area's answers on paper."""
    questions = list(questionnaires["municipality"].questions.order_by("position"))
    area = set(
        Organisation.objects.filter(rss__code=rss_code).values_list("code", flat=True)
    )
    papers = [
        complete_values(
            Response(questionnaire=questionnaires["municipality"]), overrides
        )
        for code, overrides in MUNICIPAL_ANSWERS.items()
        if code in area
    ]
    assert {q.code for q in questions} >= {"K01", "K04", "K06", "K19"}
    counts: dict[Key, Value] = {("S03a", ""): Value(number=len(papers))}
    for question in (
        questionnaires["rss"]
        .questions.filter(type=QuestionType.COUNT_PER_OPTION)
        .select_related("source")
    ):
        source = question.source.code
        for cell in question.cells:
            if cell["option"] == "_answered":
                n = sum(any(key[0] == source for key in paper) for paper in papers)
            else:
                n = sum(
                    paper.get((source, cell["item"]), Value()).text == cell["option"]
                    for paper in papers
                )
            counts[(question.code, cell["label"])] = Value(number=n)
    return counts


def paper_path(questionnaires, coordinators) -> None:
    for code in RSS_CODES:
        response = rss_response(questionnaires, code)
        response_save_answers(
            response=response,
            values=hand_tally(questionnaires, code),
            by=coordinators[code],
            version=None,
        )
        submit_rss(response, coordinators[code], answers_map(response))


def shares_after(path: Callable, questionnaires, coordinators) -> pd.DataFrame:
    """The municipal shares once the path has run, on data of its own (rolled back)."""
    with transaction.atomic():
        path(questionnaires, coordinators)
        assert not Response.objects.filter(
            questionnaire=questionnaires["rss"], status=Response.Status.DRAFT
        ).exists()
        shares = compute_results(questionnaire=questionnaires["municipality"]).shares
        transaction.set_rollback(True)
    assert not Response.objects.exists()
    return shares


def row(shares: pd.DataFrame, question: str, item: str, option: str, unit: str):
    found = shares[
        (shares["question"] == question)
        & (shares["item"] == item)
        & (shares["option"] == option)
        & (shares["unit"] == unit)
    ]
    (values,) = found[["count", "denominator", "percent"]].itertuples(index=False)
    return tuple(None if pd.isna(v) else int(v) for v in values)


def test_the_hjalpenkat_and_the_paper_path_give_identical_shares(
    cycle_2024, coordinators
):
    hjalpenkat = shares_after(hjalpenkat_path, cycle_2024, coordinators)
    paper = shares_after(paper_path, cycle_2024, coordinators)

    # The same figures; each says which source it rests on: the municipalities' own
    # answers where they are in the system, the RSS's typed counts where they are not.
    assert_frame_equal(hjalpenkat.drop(columns="source"), paper.drop(columns="source"))
    with_data = hjalpenkat["source"] != "none"
    assert set(hjalpenkat.loc[with_data, "source"]) == {"answers"}
    assert set(paper.loc[paper["source"] != "none", "source"]) == {"counts"}
    assert set(paper.loc[~with_data, "source"]) == {"none"}
    # Not two empty tables: hand-computed figures from MUNICIPAL_ANSWERS.
    assert set(hjalpenkat["level"]) == {"riket", "county", "rss"}
    assert row(hjalpenkat, "K06", "", "Ja", "SE") == (3, 5, 60)
    assert row(hjalpenkat, "K06", "", "Ja", "10") == (2, 4, 50)
    assert row(hjalpenkat, "K06", "", "Ja", "RSS-09") == (1, 1, 100)
    assert row(hjalpenkat, "K04", ELDERLY, "Nej", "SE") == (2, 5, 40)
    assert row(hjalpenkat, "K01", "Samverkansinsatser", "Ja", "RSS-10") == (3, 4, 75)
    assert row(hjalpenkat, "K19", "övriga insatser", "Ja", "SE") == (1, 5, 20)
