"""`summarises:` links an RSS free-text summary to the municipal question it summarises."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest
import yaml
from django.core.exceptions import ValidationError

from surveys.models import Question
from surveys.services import questionnaires_load
from surveys.services.cycles import questionnaire_definition
from surveys.services.questionnaires import DEFINITIONS_DIR
from tests.surveys.test_questionnaires_load import MUNICIPALITY, line_of

pytestmark = pytest.mark.django_db

RSS = """\
audience: rss
title: Enkät till RSS 2024
opens_on: 2024-12-09
closes_on: 2025-03-31
sections:
  - title: Sammanfattningar
    questions:
      - code: "S05-K02"
        text: Sammanfatta K02
        type: free_text
        summarises: {target}
"""


@pytest.fixture
def folder(empty_frame, tmp_path: Path) -> Path:
    """A 2024 folder with a small municipal questionnaire (nothing else loaded)."""
    target = tmp_path / "2024"
    target.mkdir()
    shutil.copy(DEFINITIONS_DIR / "2024" / "cycle.yaml", target / "cycle.yaml")
    (target / "municipality.yaml").write_text(MUNICIPALITY, encoding="utf-8")
    return target


def load(folder: Path):
    return questionnaires_load(year=int(folder.name), directory=folder.parent)


def test_a_summary_is_linked_to_the_municipal_question(folder):
    (folder / "rss.yaml").write_text(RSS.format(target="K02"), encoding="utf-8")

    load(folder)

    summary = Question.objects.get(questionnaire__audience="rss", code="S05-K02")
    assert summary.source == Question.objects.get(
        questionnaire__audience="municipality", code="K02"
    )
    assert summary.cells == []


def test_a_copied_cycle_writes_the_link_back_as_summarises(folder):
    (folder / "rss.yaml").write_text(RSS.format(target="K02"), encoding="utf-8")
    load(folder)
    summary = Question.objects.get(questionnaire__audience="rss", code="S05-K02")

    definition = questionnaire_definition(summary.questionnaire)

    written = yaml.safe_load(yaml.safe_dump(definition, allow_unicode=True))
    (question,) = written["sections"][0]["questions"]
    assert question["summarises"] == "K02"
    assert "source" not in question


@pytest.mark.parametrize(
    ("rss", "reason"),
    [
        (
            RSS.format(target="K99"),
            "summarises 'K99' is not a question of the municipal questionnaire",
        ),
        (
            RSS.format(target="K01"),
            "summarises 'K01', a yes_no question; only free_text questions are "
            "summarised",
        ),
        (
            RSS.format(target="K02").replace("type: free_text", "type: integer"),
            "only free_text questions take summarises",
        ),
        (
            RSS.format(target="K02") + "        source: K01\n",
            "only count_per_option questions take a source",
        ),
    ],
)
def test_a_wrong_summarises_is_refused_with_its_line(folder, rss, reason):
    (folder / "rss.yaml").write_text(rss, encoding="utf-8")

    with pytest.raises(ValidationError) as caught:
        load(folder)

    assert any(
        message.startswith(
            f"rss.yaml line {line_of(rss, 'S05-K02')}, question 'S05-K02': "
        )
        and reason in message
        for message in caught.value.messages
    ), caught.value.messages


def test_summarises_outside_the_rss_questionnaire_is_refused(folder):
    region = textwrap.dedent(
        """\
        audience: region
        title: Enkät till regionerna 2024
        opens_on: 2024-11-29
        closes_on: 2025-03-31
        sections:
          - title: Text
            questions:
              - code: "3"
                text: Beskriv.
                type: free_text
                summarises: K02
        """
    )
    (folder / "region.yaml").write_text(region, encoding="utf-8")

    with pytest.raises(ValidationError) as caught:
        load(folder)

    assert "summarises is only allowed in the RSS questionnaire" in str(
        caught.value.messages
    )


def test_every_2024_summary_names_its_municipal_question(cycle_2024):
    summaries = cycle_2024["rss"].questions.filter(code__startswith="S05-")

    assert summaries.count() == 14
    for summary in summaries.select_related("source"):
        assert summary.source is not None, summary.code
        assert summary.code == f"S05-{summary.source.code}"
        assert summary.source.questionnaire == cycle_2024["municipality"]
