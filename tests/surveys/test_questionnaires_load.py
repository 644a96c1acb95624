from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest
import yaml
from django.core.exceptions import ValidationError

from surveys.models import (
    Answer,
    AnswerChange,
    Cycle,
    Question,
    Questionnaire,
    Response,
    Section,
)
from surveys.models.questionnaire import TICKED
from surveys.services import questionnaires_load
from surveys.services.questionnaires import DEFINITIONS_DIR
from tests.factories import RegionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.empty_frame]

# The recovered questions of 2024, copied into the project from the shared catalogue.
CATALOGUE = Path(__file__).resolve().parents[2] / "docs/sources/catalogue-2024.yaml"

REGION = """\
audience: region
version: {version}
title: Enkät till regionerna 2024
opens_on: 2024-11-29
closes_on: 2025-03-31
sections:
  - title: Styrning
    questions:
      - code: "1"
        text: Har regionen en plan?
        type: yes_no
      - code: "2"
        text: Hur stor andel?
        type: percentage
  - title: Fasta kontakter
    questions:
      - code: "3"
        text: {third_text}
        type: yes_no
"""

MUNICIPALITY = """\
audience: municipality
title: Enkät till kommunerna 2024
opens_on: 2024-12-09
closes_on: 2025-03-31
sections:
  - title: Arbetssätt
    questions:
      - code: "K01"
        text: Har kommunen breddinfört något?
        type: yes_no
      - code: "K02"
        text: Beskriv insatserna.
        type: free_text
"""


WITHOUT_2 = REGION.format(version=1, third_text="Finns riktlinjer?").replace(
    '      - code: "2"\n        text: Hur stor andel?\n        type: percentage\n', ""
)


def region_yaml(version: int = 1, third_text: str = "Finns riktlinjer?") -> str:
    return REGION.format(version=version, third_text=third_text)


def line_of(source: str, fragment: str) -> int:
    """The 1-based line of the first line containing fragment."""
    for number, line in enumerate(source.splitlines(), start=1):
        if fragment in line:
            return number
    raise AssertionError(f"{fragment!r} not in the source")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """An empty 2024 definitions folder with the real cycle.yaml."""
    target = tmp_path / "2024"
    target.mkdir()
    shutil.copy(DEFINITIONS_DIR / "2024" / "cycle.yaml", target / "cycle.yaml")
    return target


def load(folder: Path):
    return questionnaires_load(year=int(folder.name), directory=folder.parent)


def counts() -> tuple[int, int, int, int]:
    return (
        Cycle.objects.count(),
        Questionnaire.objects.count(),
        Section.objects.count(),
        Question.objects.count(),
    )


def test_the_2024_definitions_load_with_the_reported_question_counts():
    questionnaires_load(year=2024)

    sizes = {
        q.key: q.questions.count()
        for q in Questionnaire.objects.filter(cycle__year=2024)
    }
    assert sizes == {
        "region": 54,
        "rss": 32,
        "municipality": 26,
        "extra": 2,
        "statsbidrag": 28,
    }
    assert Questionnaire.objects.filter(is_current=True, version=1).count() == 5


def test_question_4_keeps_its_verbatim_text_and_options():
    questionnaires_load(year=2024)

    question = Question.objects.get(questionnaire__key="region", code="4")
    assert question.text == (
        "Har regionen och kommunerna i länet under 2024 beslutat eller uppdaterat en "
        "länsgemensam handlingsplan, strategi, färdplan eller liknande för arbetet med "
        "omställningen mot en god och nära vård (avser ej målbild)?"
    )
    assert question.choice_options == ["Ja", "Nej", "Nej, men förslag finns framtaget"]
    assert question.previous_code == "4"
    assert not question.reconstructed


def test_every_verbatim_catalogue_question_keeps_its_text_items_and_options():
    questionnaires_load(year=2024)
    catalogue = yaml.safe_load(CATALOGUE.read_text(encoding="utf-8"))
    verbatim = [c for c in catalogue["questions"] if c.get("text_verbatim")]

    assert len(verbatim) >= 25
    for entry in verbatim:
        question = Question.objects.get(
            questionnaire__key=entry["survey"], code=str(entry["number"])
        )
        assert question.text == entry["text"], entry["id"]
        assert question.items == (entry.get("items") or []), entry["id"]
        if question.choice_options:
            assert question.choice_options == entry["options"], entry["id"]
        assert question.in_appendix, entry["id"]


def test_follow_up_29b_is_shown_only_when_29_is_ja():
    questionnaires_load(year=2024)

    follow_up = Question.objects.get(questionnaire__key="region", code="29b")
    assert follow_up.show_if == {"question": "29", "equals": "Ja"}
    parent = Question.objects.get(questionnaire__key="region", code="29")
    assert parent.position < follow_up.position


def test_a_count_per_option_question_derives_its_cells_from_its_source():
    questionnaires_load(year=2024)

    matrix = Question.objects.get(questionnaire__key="rss", code="S03-K04")
    source = Question.objects.get(questionnaire__key="municipality", code="K04")
    assert matrix.source == source
    assert matrix.cells == [
        {"label": f"{item}: {option}", "item": item, "option": option}
        for item in source.items
        for option in source.choice_options
    ]
    assert matrix.answer_items == [cell["label"] for cell in matrix.cells]

    yes_no = Question.objects.get(questionnaire__key="rss", code="S03-K06")
    assert yes_no.cells == [
        {"label": "Ja", "item": "", "option": "Ja"},
        {"label": "Nej", "item": "", "option": "Nej"},
    ]
    ticks = Question.objects.get(questionnaire__key="rss", code="S03-K01")
    assert ticks.cells == [
        {"label": item, "item": item, "option": TICKED} for item in ticks.source.items
    ] + [
        # The denominator of a multiple choice's shares: who answered it at all.
        {
            "label": "Antal kommuner som besvarat frågan",
            "item": "",
            "option": "_answered",
        }
    ]


def test_loading_twice_is_a_no_op():
    questionnaires_load(year=2024)
    before = {
        (q.questionnaire.key, q.code): q.pk
        for q in Question.objects.select_related("questionnaire")
    }
    questionnaire_pks = set(Questionnaire.objects.values_list("pk", flat=True))

    result = questionnaires_load(year=2024)

    after = {
        (q.questionnaire.key, q.code): q.pk
        for q in Question.objects.select_related("questionnaire")
    }
    assert after == before
    assert set(Questionnaire.objects.values_list("pk", flat=True)) == questionnaire_pks
    assert len(result.lines) == 5
    assert all("unchanged" in line for line in result.lines)


def test_bad_yaml_syntax_is_refused_with_file_and_line(folder):
    source = region_yaml(third_text="Finns: riktlinjer: för läkare?")
    (folder / "region.yaml").write_text(source, encoding="utf-8")

    with pytest.raises(ValidationError) as caught:
        load(folder)

    (message,) = caught.value.messages
    assert message.startswith(f"region.yaml line {line_of(source, 'Finns:')}:")
    assert "not valid YAML" in message
    assert counts() == (0, 0, 0, 0)


MALFORMED = {
    "unknown type": (
        region_yaml().replace("type: percentage", "type: percent"),
        '"2"',
        "2",
        "type 'percent' is not one of",
    ),
    "duplicate code": (
        region_yaml().replace('code: "3"', 'code: "1"'),
        "text: Finns riktlinjer?",
        "1",
        "the code is used twice",
    ),
    "unknown key": (
        region_yaml().replace(
            "type: percentage", "type: percentage\n        requird: true"
        ),
        '"2"',
        "2",
        "unknown key 'requird'",
    ),
    "show_if to a later question": (
        region_yaml().replace(
            'type: yes_no\n      - code: "2"',
            'type: yes_no\n        show_if: {question: "3", equals: "Ja"}\n'
            '      - code: "2"',
        ),
        '"1"',
        "1",
        "show_if refers to question '3', which does not come before it",
    ),
    "show_if to an unknown question": (
        region_yaml().replace(
            "type: percentage",
            'type: percentage\n        show_if: {question: "99", equals: "Ja"}',
        ),
        '"2"',
        "2",
        "show_if refers to question '99'",
    ),
    "show_if value not an option": (
        region_yaml().replace(
            "type: percentage",
            'type: percentage\n        show_if: {question: "1", equals: "Kanske"}',
        ),
        '"2"',
        "2",
        "show_if value 'Kanske' is not an option of '1' (Ja, Nej)",
    ),
    "matrix without items": (
        region_yaml().replace(
            "type: percentage", "type: matrix\n        options: [Ja, Nej]"
        ),
        '"2"',
        "2",
        "a matrix question needs items",
    ),
    "exclusive item of a matrix": (
        region_yaml().replace(
            "type: percentage",
            "type: matrix\n        options: [Ja, Nej]\n        items:\n"
            "          - Rad\n          - {label: Ingen, exclusive: true}",
        ),
        '"2"',
        "2",
        "only an item of a multiple_choice can be exclusive",
    ),
    "exclusive not true or false": (
        region_yaml().replace(
            "type: percentage",
            "type: multiple_choice\n        items:\n"
            "          - A\n          - {label: Inget, exclusive: ja}",
        ),
        '"2"',
        "2",
        "exclusive must be true or false",
    ),
    "two exclusive items": (
        region_yaml().replace(
            "type: percentage",
            "type: multiple_choice\n        items:\n          - A\n"
            "          - {label: Inget, exclusive: true}\n"
            "          - {label: Vet ej, exclusive: true}",
        ),
        '"2"',
        "2",
        "at most one item can be exclusive",
    ),
    "unknown item format": (
        region_yaml().replace(
            "type: percentage",
            "type: free_text\n        items:\n          - {label: Fax, format: fax}",
        ),
        '"2"',
        "2",
        "format 'fax' is not one of email, phone",
    ),
    "format on a multiple choice item": (
        region_yaml().replace(
            "type: percentage",
            "type: multiple_choice\n        items:\n"
            "          - A\n          - {label: E-post, format: email}",
        ),
        '"2"',
        "2",
        "only an item of a free_text can have a format",
    ),
    "unknown item key": (
        region_yaml().replace(
            "type: percentage",
            "type: multiple_choice\n        items:\n"
            "          - A\n          - {label: B, exklusiv: true}",
        ),
        '"2"',
        "2",
        "unknown key 'exklusiv' in an item",
    ),
    "item mapping without label": (
        region_yaml().replace(
            "type: percentage",
            "type: multiple_choice\n        items:\n"
            "          - A\n          - {exclusive: true}",
        ),
        '"2"',
        "2",
        "an item written as a mapping needs a label",
    ),
}


def offending_line(source: str, fragment: str) -> int:
    """The line of the question mapping that holds the fragment (its '- code:' line)."""
    target = line_of(source, fragment)
    lines = source.splitlines()
    for number in range(target, 0, -1):
        if lines[number - 1].lstrip().startswith("- code:"):
            return number
    raise AssertionError("no question above the fragment")


@pytest.mark.parametrize(
    ("source", "fragment", "code", "reason"),
    list(MALFORMED.values()),
    ids=list(MALFORMED),
)
def test_a_malformed_question_is_refused_with_file_line_and_code(
    folder, source, fragment, code, reason
):
    (folder / "region.yaml").write_text(source, encoding="utf-8")

    with pytest.raises(ValidationError) as caught:
        load(folder)

    where = f"region.yaml line {offending_line(source, fragment)}, question {code!r}: "
    assert any(m.startswith(where) and reason in m for m in caught.value.messages), (
        caught.value.messages
    )
    assert counts() == (0, 0, 0, 0)


def test_a_malformed_file_writes_nothing_even_when_another_file_is_fine(folder):
    (folder / "municipality.yaml").write_text(MUNICIPALITY, encoding="utf-8")
    load(folder)
    before = counts()
    broken = MUNICIPALITY.replace("Beskriv insatserna.", "Beskriv insatserna igen.")
    (folder / "municipality.yaml").write_text(broken, encoding="utf-8")
    (folder / "region.yaml").write_text(
        region_yaml().replace("type: percentage", "type: percent"), encoding="utf-8"
    )

    with pytest.raises(ValidationError) as caught:
        load(folder)

    line = offending_line(MALFORMED["unknown type"][0], '"2"')
    assert [m.split(":")[0] for m in caught.value.messages] == [
        f"region.yaml line {line}, question '2'"
    ]
    assert counts() == before
    assert Question.objects.get(code="K02").text == "Beskriv insatserna."


def test_count_per_option_of_a_free_text_question_is_refused(folder):
    (folder / "municipality.yaml").write_text(MUNICIPALITY, encoding="utf-8")
    rss = textwrap.dedent(
        """\
        audience: rss
        title: Enkät till RSS 2024
        opens_on: 2024-12-09
        closes_on: 2025-03-31
        sections:
          - title: Kommunernas svar
            questions:
              - code: "S03-K01"
                text: Antal kommuner per svar på K01
                type: count_per_option
                source: K01
              - code: "S03-K02"
                text: Antal kommuner per svar på K02
                type: count_per_option
                source: K02
        """
    )
    (folder / "rss.yaml").write_text(rss, encoding="utf-8")

    with pytest.raises(ValidationError) as caught:
        load(folder)

    (message,) = caught.value.messages
    assert message.startswith(
        f"rss.yaml line {line_of(rss, 'S03-K02')}, question 'S03-K02': "
    )
    assert "source 'K02' is a free_text question" in message
    assert counts() == (0, 0, 0, 0)


def test_a_changed_file_without_submitted_responses_is_updated_in_place(folder):
    (folder / "region.yaml").write_text(region_yaml(), encoding="utf-8")
    load(folder)
    questionnaire = Questionnaire.objects.get()
    question = Question.objects.get(code="3")
    response = Response.objects.create(
        questionnaire=questionnaire, organisation=RegionFactory(county__code="01")
    )
    Answer.objects.create(response=response, question=question, text="Ja")

    (folder / "region.yaml").write_text(
        region_yaml(third_text="Finns antagna riktlinjer?"), encoding="utf-8"
    )
    result = load(folder)

    assert result.lines == ["2024/region.yaml: updated in place, version 1"]
    assert Questionnaire.objects.get().pk == questionnaire.pk
    question.refresh_from_db()
    assert question.text == "Finns antagna riktlinjer?"
    assert response.answers.get().question == question


def test_removing_a_question_with_draft_answers_is_refused(folder):
    (folder / "region.yaml").write_text(region_yaml(), encoding="utf-8")
    load(folder)
    questionnaire = Questionnaire.objects.get()
    response = Response.objects.create(
        questionnaire=questionnaire, organisation=RegionFactory(county__code="01")
    )
    Answer.objects.create(
        response=response, question=Question.objects.get(code="2"), number=40
    )
    (folder / "region.yaml").write_text(WITHOUT_2, encoding="utf-8")
    before = counts()

    with pytest.raises(ValidationError) as caught:
        load(folder)

    assert caught.value.messages == [
        "2024/region.yaml: question(s) 2 have draft answers (or had them) and "
        "cannot be removed; raise the version instead"
    ]
    assert counts() == before
    assert response.answers.get().number == 40


def test_removing_a_question_whose_answers_were_cleared_is_refused(folder):
    """The audit log keeps the cleared answer, so the question must stay."""
    (folder / "region.yaml").write_text(region_yaml(), encoding="utf-8")
    load(folder)
    response = Response.objects.create(
        questionnaire=Questionnaire.objects.get(),
        organisation=RegionFactory(county__code="01"),
    )
    AnswerChange.objects.create(
        response=response,
        question=Question.objects.get(code="2"),
        old_value="40 %",
        new_value=None,
    )
    (folder / "region.yaml").write_text(WITHOUT_2, encoding="utf-8")
    before = counts()

    with pytest.raises(ValidationError) as caught:
        load(folder)

    assert "question(s) 2 have draft answers" in caught.value.messages[0]
    assert counts() == before


def test_a_changed_file_with_a_submitted_response_is_refused_with_how_to(folder):
    (folder / "region.yaml").write_text(region_yaml(), encoding="utf-8")
    load(folder)
    questionnaire = Questionnaire.objects.get()
    Response.objects.create(
        questionnaire=questionnaire,
        organisation=RegionFactory(county__code="01"),
        status=Response.Status.SUBMITTED,
    )
    (folder / "region.yaml").write_text(
        region_yaml(third_text="Finns antagna riktlinjer?"), encoding="utf-8"
    )

    with pytest.raises(ValidationError) as caught:
        load(folder)

    (message,) = caught.value.messages
    assert message.startswith("2024/region.yaml: ")
    assert "1 submitted response(s)" in message
    assert "set version: 2 in the file" in message
    assert Question.objects.get(code="3").text == "Finns riktlinjer?"


def test_raising_the_version_creates_a_new_current_version_beside_the_old(folder):
    (folder / "region.yaml").write_text(region_yaml(), encoding="utf-8")
    load(folder)
    first = Questionnaire.objects.get()
    response = Response.objects.create(
        questionnaire=first,
        organisation=RegionFactory(county__code="01"),
        status=Response.Status.SUBMITTED,
    )
    old_question = Question.objects.get(questionnaire=first, code="3")
    Answer.objects.create(response=response, question=old_question, text="Ja")

    (folder / "region.yaml").write_text(
        region_yaml(version=2, third_text="Finns antagna riktlinjer?"),
        encoding="utf-8",
    )
    result = load(folder)

    assert result.lines == ["2024/region.yaml: new version (was 1), version 2"]
    second = Questionnaire.objects.get(is_current=True)
    assert second.version == 2
    assert second.pk != first.pk
    assert second.questions.get(code="3").text == "Finns antagna riktlinjer?"
    first.refresh_from_db()
    assert not first.is_current
    old_question.refresh_from_db()
    assert old_question.text == "Finns riktlinjer?"
    assert list(first.responses.all()) == [response]
    assert response.answers.get().question == old_question
    assert not second.responses.exists()


def test_questions_are_linked_to_the_previous_cycle_by_code(tmp_path):
    old = tmp_path / "2023"
    old.mkdir()
    (old / "cycle.yaml").write_text(
        "year: 2023\nname: Uppföljning 2023\nopens_on: 2023-11-29\n"
        "closes_on: 2024-03-31\n",
        encoding="utf-8",
    )
    (old / "region.yaml").write_text(
        region_yaml()
        .replace("2024", "2023")
        .replace("2025", "2024")
        .replace('code: "3"', 'code: "9"'),
        encoding="utf-8",
    )
    new = tmp_path / "2024"
    new.mkdir()
    shutil.copy(DEFINITIONS_DIR / "2024" / "cycle.yaml", new / "cycle.yaml")
    # "1" keeps its code, "2" was "9" in 2023, "3" is new.
    (new / "region.yaml").write_text(
        region_yaml().replace(
            "type: percentage", 'type: percentage\n        previous: "9"'
        )
        + "        previous: null\n",
        encoding="utf-8",
    )
    questionnaires_load(year=2023, directory=tmp_path)
    questionnaires_load(year=2024, directory=tmp_path)

    old_questions = {
        q.code: q for q in Question.objects.filter(questionnaire__cycle__year=2023)
    }
    new_questions = {
        q.code: q for q in Question.objects.filter(questionnaire__cycle__year=2024)
    }
    assert new_questions["1"].previous == old_questions["1"]
    assert new_questions["2"].previous == old_questions["9"]
    assert new_questions["3"].previous is None
    assert new_questions["3"].previous_code is None


def test_questions_23_and_24_offer_an_exclusive_none_of_the_above():
    questionnaires_load(year=2024)

    for code in ("23", "24"):
        question = Question.objects.get(questionnaire__key="region", code=code)
        assert question.items[-1] == "Inget av ovanstående"
        assert question.validation["exclusive"] == ["Inget av ovanstående"]


def test_the_contact_block_checks_e_mail_and_phone_in_every_questionnaire():
    questionnaires_load(year=2024)

    contacts = Question.objects.filter(code="kontakt")
    assert contacts.count() == 5
    for question in contacts:
        assert question.items == ["Namn", "E-postadress", "Telefonnummer"]
        assert question.validation == {
            "max_length": 200,
            "formats": {"E-postadress": "email", "Telefonnummer": "phone"},
        }


def test_items_written_as_texts_and_as_mappings_mix_in_order(folder):
    source = region_yaml().replace(
        "type: percentage",
        "type: multiple_choice\n        items:\n          - A\n"
        "          - {label: B}\n          - label: Inget av ovanstående\n"
        "            exclusive: true",
    )
    (folder / "region.yaml").write_text(source, encoding="utf-8")

    load(folder)

    question = Question.objects.get(code="2")
    assert question.items == ["A", "B", "Inget av ovanstående"]
    assert question.validation == {"exclusive": ["Inget av ovanstående"]}


FIGURES = """\
figures:
  - name: "19"
    title: Antal regioner som angett att …
    bars:
      - {question: "1", label: "… de har en plan"}
      - {question: "3", label: "… de har riktlinjer"}
"""


def test_a_figure_of_the_definitions_is_stored_with_its_bars(folder):
    (folder / "region.yaml").write_text(region_yaml() + FIGURES, encoding="utf-8")

    load(folder)

    assert Questionnaire.objects.get().figures == [
        {
            "name": "19",
            "title": "Antal regioner som angett att …",
            "in_appendix": False,
            "bars": [
                {"question": "1", "item": "", "label": "… de har en plan"},
                {"question": "3", "item": "", "label": "… de har riktlinjer"},
            ],
        }
    ]


def test_the_2024_definitions_define_figure_19_and_bilaga_3_figur_1():
    questionnaires_load(year=2024)

    region = Questionnaire.objects.get(key="region")
    municipality = Questionnaire.objects.get(key="municipality")
    (figure_19,) = region.figures
    assert [bar["question"] for bar in figure_19["bars"]] == ["5", "6", "7"]
    (figure_1,) = municipality.figures
    assert figure_1["in_appendix"] is True
    k01 = Question.objects.get(questionnaire=municipality, code="K01")
    assert [bar["item"] for bar in figure_1["bars"]] == k01.items


@pytest.mark.parametrize(
    ("bars", "message"),
    [
        ('[{question: "9"}]', "figure '19': no question '9' in this file"),
        ('[{question: "2"}]', "figure '19': question '2' has no option Ja to draw"),
        ('[{question: "1", item: "x"}]', "figure '19': question '1' has no item 'x'"),
        ('[{question: "1", colour: red}]', "unknown key 'colour' in a bar of figure"),
        ("[]", "figure '19': bars must be a non-empty list"),
    ],
)
def test_a_malformed_figure_is_refused_with_file_line_and_reason(folder, bars, message):
    source = (
        region_yaml() + f'figures:\n  - name: "19"\n    title: T\n    bars: {bars}\n'
    )
    (folder / "region.yaml").write_text(source, encoding="utf-8")

    with pytest.raises(ValidationError) as caught:
        load(folder)

    (found,) = caught.value.messages
    assert found.startswith("region.yaml line ")
    assert message in found
    assert not Questionnaire.objects.exists()


def test_figures_change_without_a_new_version_under_submitted_responses(folder):
    (folder / "region.yaml").write_text(region_yaml(), encoding="utf-8")
    load(folder)
    questionnaire = Questionnaire.objects.get()
    Response.objects.create(
        questionnaire=questionnaire,
        organisation=RegionFactory(county__code="01"),
        status=Response.Status.SUBMITTED,
    )
    (folder / "region.yaml").write_text(region_yaml() + FIGURES, encoding="utf-8")

    result = load(folder)

    assert result.lines == ["2024/region.yaml: figures updated (version 1)"]
    questionnaire.refresh_from_db()
    assert questionnaire.version == 1
    assert [f["name"] for f in questionnaire.figures] == ["19"]
