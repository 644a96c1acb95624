from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from regions.models import Organisation
from surveys.answers import Value
from surveys.models import (
    Answer,
    AnswerChange,
    Questionnaire,
    QuestionType,
    Response,
    ResponseEvent,
)
from surveys.selectors.questionnaires import questionnaire_structure
from surveys.services import response_get_or_create, response_save_answers
from surveys.services.imports import (
    ImportReport,
    import_delimiter,
    import_rows,
    import_text,
    responses_import,
)
from tests.factories import (
    CycleFactory,
    QuestionFactory,
    QuestionnaireFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"
NNBSP = "\u202f"
HEADER = ["organisation", "question", "item", "answer"]
ITEM_13 = "… stöd vid utskrivning från sjukhus?"
ITEM_18_FIRST = (
    "Har genomfört utbildningar och informationsinsatser riktade till personal"
)
ITEM_18_INFORMED = (
    "Informerat patienter och allmänhet om den dokumenterade överenskommelsen "
    "eller motsvarande"
)
ITEM_18_TRIAL = (
    "Genomfört försök med den dokumenterade överenskommelsen i enskilda verksamheter"
)
ITEM_18_LAST = "Andra åtgärder"


def _csv(*rows: list[str], sep: str = ",", bom: bool = False) -> bytes:
    """A file as Excel writes it: fields quoted when they hold the separator or quotes."""

    def field(value: str) -> str:
        if sep in value or '"' in value or "\n" in value:
            return '"' + value.replace('"', '""') + '"'
        return value

    text = "".join(sep.join(field(v) for v in row) + "\r\n" for row in [HEADER, *rows])
    return ("\ufeff" if bom else "").encode() + text.encode("utf-8")


def _stored(questionnaire: Questionnaire, code: str) -> dict:
    """(question, item) → (text, number, cannot_estimate) of an organisation's answers."""
    return {
        (a.question.code, a.item): (a.text, a.number, a.cannot_estimate)
        for a in Answer.objects.filter(
            response__questionnaire=questionnaire, response__organisation__code=code
        ).select_related("question")
    }


def _refused(questionnaire: Questionnaire, data: bytes, staff=None) -> list[str]:
    with pytest.raises(ValidationError) as excinfo:
        responses_import(questionnaire=questionnaire, file=data, by=staff)
    return excinfo.value.messages


def _counts() -> tuple[int, int, int]:
    return (
        Response.objects.count(),
        Answer.objects.count(),
        AnswerChange.objects.count(),
    )


@pytest.fixture
def region(cycle_2024) -> Questionnaire:
    return cycle_2024["region"]


@pytest.fixture
def small(national_frame) -> Questionnaire:
    """A small region questionnaire: yes/no with a follow-up, matrix, %, count, ticks."""
    questionnaire = QuestionnaireFactory(
        cycle=CycleFactory(year=2030), audience=Questionnaire.Audience.REGION
    )
    section = SectionFactory(questionnaire=questionnaire, position=1)
    for position, (code, qtype, extra) in enumerate(
        [
            ("1", QuestionType.YES_NO, {}),
            (
                "1b",
                QuestionType.FREE_TEXT,
                {"show_if": {"question": "1", "equals": "Ja"}},
            ),
            (
                "2",
                QuestionType.MATRIX,
                {
                    "options": ["Ja", "Delvis", "Nej"],
                    "items": ["Samverkan", "Kontinuitet"],
                },
            ),
            ("3", QuestionType.PERCENTAGE, {"validation": {"min": 0, "max": 100}}),
            ("4", QuestionType.COUNT, {"validation": {"min": 0}}),
            ("5", QuestionType.MULTIPLE_CHOICE, {"items": ["A", "B", "C"]}),
        ],
        start=1,
    ):
        QuestionFactory(
            section=section, position=position, code=code, type=qtype, **extra
        )
    return questionnaire


@pytest.fixture
def bare(db) -> Questionnaire:
    """A questionnaire without questions, for checks of the file itself."""
    return QuestionnaireFactory(cycle=CycleFactory(year=2030))


# Good files


@pytest.mark.parametrize("sep", [",", ";"])
@pytest.mark.parametrize("bom", [False, True])
def test_import_stores_values_from_comma_and_semicolon_files_with_or_without_bom(
    region, staff, sep, bom
):
    data = _csv(
        ["01", "2", "", "Ja"],
        ["01", "4", "", "Nej, men förslag finns framtaget"],
        ["01", "8", "Samverkan", "Nej"],
        ["01", "13", ITEM_13, "Delvis"],
        ["01", "35", "", "72 %"],
        ["01", "36", "", "1 600 000"],
        ["01", "37", "", "72%"],
        ["01", "38", "", "59"],
        sep=sep,
        bom=bom,
    )

    responses_import(questionnaire=region, file=data, by=staff)

    assert _stored(region, "01") == {
        ("2", ""): ("Ja", None, False),
        ("4", ""): ("Nej, men förslag finns framtaget", None, False),
        ("8", "Samverkan"): ("Nej", None, False),
        ("13", ITEM_13): ("Delvis", None, False),
        ("35", ""): ("", 72, False),
        ("36", ""): ("", 1600000, False),
        ("37", ""): ("", 72, False),
        ("38", ""): ("", 59, False),
    }


def test_delimiter_is_taken_from_the_header_line():
    assert import_delimiter("organisation;question;item;answer") == ";"
    assert import_delimiter("organisation,question,item,answer") == ","


def test_import_reads_text_streams_as_well_as_bytes():
    text = import_text("\ufefforganisation;question;item;answer\r\n01;2;;Ja\r\n")

    rows = import_rows(text)

    assert [(r.number, r.organisation, r.question, r.item, r.answer) for r in rows] == [
        (2, "01", "2", "", "Ja")
    ]


def test_import_parses_counts_written_with_non_breaking_and_narrow_spaces(
    region, staff
):
    data = _csv(
        ["01", "36", "", f"1{NBSP}600{NBSP}000"],
        ["03", "36", "", f"4{NNBSP}245{NNBSP}026"],
        ["04", "36", "", "1600000"],
        sep=";",
    )

    responses_import(questionnaire=region, file=data, by=staff)

    assert _stored(region, "01") == {("36", ""): ("", 1600000, False)}
    assert _stored(region, "03") == {("36", ""): ("", 4245026, False)}
    assert _stored(region, "04") == {("36", ""): ("", 1600000, False)}


def test_import_stores_the_cannot_estimate_labels(region, staff):
    data = _csv(
        ["01", "35", "", "Andelen kan inte uppskattas"],
        ["01", "36", "", "Antalet kan inte uppskattas"],
    )

    responses_import(questionnaire=region, file=data, by=staff)

    assert _stored(region, "01") == {
        ("35", ""): ("", None, True),
        ("36", ""): ("", None, True),
    }


def test_import_stores_multiple_choice_ticks_from_ja_dot_nej_and_empty(region, staff):
    data = _csv(
        ["01", "18", ITEM_18_FIRST, "Ja"],
        ["01", "18", ITEM_18_INFORMED, "."],
        ["01", "18", ITEM_18_TRIAL, "Nej"],
        ["01", "18", ITEM_18_LAST, ""],
    )

    responses_import(questionnaire=region, file=data, by=staff)

    assert _stored(region, "01") == {
        ("18", ITEM_18_FIRST): ("Ja", None, False),
        ("18", ITEM_18_INFORMED): ("", None, False),
        ("18", ITEM_18_TRIAL): ("", None, False),
        ("18", ITEM_18_LAST): ("", None, False),
    }


def test_import_finds_organisations_by_code_and_by_printed_name(region, staff):
    data = _csv(
        ["01", "2", "", "Ja"],
        ["Uppsala", "2", "", "Nej"],
        ["jämtland härjedalen", "2", "", "Ja"],
        ["Jämtland Härjedalen", "5", "", "Nej"],
    )

    report = responses_import(questionnaire=region, file=data, by=staff)

    assert report.organisations == 3
    assert _stored(region, "01") == {("2", ""): ("Ja", None, False)}
    assert _stored(region, "03") == {("2", ""): ("Nej", None, False)}
    assert _stored(region, "23") == {
        ("2", ""): ("Ja", None, False),
        ("5", ""): ("Nej", None, False),
    }


def test_a_name_shared_by_a_region_and_a_municipality_is_resolved_by_the_questionnaire(
    cycle_2024, staff
):
    responses_import(
        questionnaire=cycle_2024["region"],
        file=_csv(["Gotland", "2", "", "Ja"]),
        by=staff,
    )
    responses_import(
        questionnaire=cycle_2024["municipality"],
        file=_csv(["Gotland", "K06", "", "Nej"]),
        by=staff,
    )

    assert (
        Response.objects.get(organisation__code="09").questionnaire
        == (cycle_2024["region"])
    )
    assert _stored(cycle_2024["region"], "09") == {("2", ""): ("Ja", None, False)}
    assert _stored(cycle_2024["municipality"], "0980") == {
        ("K06", ""): ("Nej", None, False)
    }


def test_import_reads_quoted_fields_with_commas_and_line_breaks(region, staff):
    data = _csv(
        ["01", "3", "", 'Vi har, bland annat, infört "mobila team".\nOch mer.'],
        ["01", "4", "", "Nej, men förslag finns framtaget"],
    )

    responses_import(questionnaire=region, file=data, by=staff)

    assert _stored(region, "01") == {
        ("3", ""): (
            'Vi har, bland annat, infört "mobila team".\nOch mer.',
            None,
            False,
        ),
        ("4", ""): ("Nej, men förslag finns framtaget", None, False),
    }


def test_import_keeps_a_suspicious_count_as_given(region, staff):
    responses_import(questionnaire=region, file=_csv(["01", "36", "", "179"]), by=staff)

    assert _stored(region, "01") == {("36", ""): ("", 179, False)}


def test_import_submits_the_responses_and_marks_them_imported(region, staff):
    report = responses_import(
        questionnaire=region,
        file=_csv(["01", "2", "", "Ja"], ["03", "2", "", "Nej"]),
        by=staff,
    )

    responses = Response.objects.filter(questionnaire=region).order_by(
        "organisation__code"
    )
    assert [(r.organisation.code, r.status, r.source) for r in responses] == [
        ("01", Response.Status.SUBMITTED, Response.Source.IMPORT),
        ("03", Response.Status.SUBMITTED, Response.Source.IMPORT),
    ]
    assert all(r.submitted_by == staff and r.submitted_at for r in responses)
    assert (report.submitted, report.drafts) == (2, 0)


def test_draft_import_keeps_the_responses_drafts(region, staff):
    report = responses_import(
        questionnaire=region, file=_csv(["01", "2", "", "Ja"]), by=staff, draft=True
    )

    response = Response.objects.get(questionnaire=region, organisation__code="01")
    assert response.status == Response.Status.DRAFT
    assert response.source == Response.Source.IMPORT
    assert response.submitted_at is None
    assert response.submitted_by is None
    assert (report.submitted, report.drafts) == (0, 1)
    assert _stored(region, "01") == {("2", ""): ("Ja", None, False)}


def test_import_audits_every_answer_as_imported_by_the_user(region, staff):
    responses_import(
        questionnaire=region,
        file=_csv(["01", "2", "", "Ja"], ["01", "35", "", "72 %"]),
        by=staff,
    )

    changes = AnswerChange.objects.order_by("question__position")
    assert [
        (c.question.code, c.item, c.old_value, c.new_value, c.source, c.changed_by)
        for c in changes
    ] == [
        ("2", "", None, "Ja", AnswerChange.Source.IMPORT, staff),
        ("35", "", None, "72 %", AnswerChange.Source.IMPORT, staff),
    ]


def test_import_without_a_user_audits_with_no_user(region):
    responses_import(questionnaire=region, file=_csv(["01", "2", "", "Ja"]), by=None)

    change = AnswerChange.objects.get()
    assert (change.source, change.changed_by) == (AnswerChange.Source.IMPORT, None)
    assert Response.objects.get().status == Response.Status.SUBMITTED


def test_partial_file_leaves_other_questions_unanswered_and_reports_them(small, staff):
    data = _csv(
        ["01", "1", "", "Nej"],
        ["01", "2", "Samverkan", "Delvis"],
        ["03", "1", "", "Ja"],
        ["03", "1b", "", "Mobila team"],
        ["03", "3", "", "40 %"],
    )

    report = responses_import(questionnaire=small, file=data, by=staff)

    # 01: 3, 4 and 5 (1b is hidden by 1 = Nej; 2 has an answer, if not for every row).
    # 03: 2, 4 and 5.
    assert report.unanswered == {"01": 3, "03": 3}
    assert report.unanswered_total == 6
    assert (report.organisations, report.answers, report.submitted) == (2, 5, 2)
    assert report.summary() == (
        "Importerade 2 organisationer, 5 svar; 6 frågor obesvarade totalt "
        "(importen kontrolleras inte mot fullständighet)"
    )
    assert Response.objects.filter(status=Response.Status.SUBMITTED).count() == 2


def test_report_summary_writes_thousands_with_a_space(small):
    report = ImportReport(
        questionnaire=small,
        organisations=21,
        answers=1134,
        cleared=0,
        submitted=21,
        drafts=0,
        unanswered={"01": 1, "03": 0, "04": 2},
    )

    assert report.summary() == (
        "Importerade 21 organisationer, 1 134 svar; 3 frågor obesvarade totalt "
        "(importen kontrolleras inte mot fullständighet)"
    )


def test_follow_up_whose_condition_is_not_met_is_accepted_but_not_stored(small, staff):
    data = _csv(["01", "1", "", "Nej"], ["01", "1b", "", "Mobila team"])

    report = responses_import(questionnaire=small, file=data, by=staff)

    assert report.dropped == [("01", "1b")]
    assert report.answers == 1
    assert _stored(small, "01") == {("1", ""): ("Nej", None, False)}


def test_import_reads_organisations_and_questions_in_bulk(small, staff):
    """The number of queries depends on the organisations, not on the rows."""
    few = _csv(["01", "1", "", "Ja"], ["03", "1", "", "Ja"])
    many = _csv(
        *[
            [code, question, item, value]
            for code in ["04", "05"]
            for question, item, value in [
                ("1", "", "Nej"),
                ("2", "Samverkan", "Ja"),
                ("2", "Kontinuitet", "Nej"),
                ("3", "", "10"),
                ("4", "", "1 000"),
                ("5", "A", "Ja"),
                ("5", "B", "."),
                ("5", "C", ""),
            ]
        ]
    )

    # Its sections and questions are read once per process and version of it.
    questionnaire_structure(Questionnaire.objects.get(pk=small.pk))
    with CaptureQueriesContext(connection) as first:
        responses_import(questionnaire=small, file=few, by=staff)
    with CaptureQueriesContext(connection) as second:
        responses_import(questionnaire=small, file=many, by=staff)

    assert len(second) == len(first)


# Bad files: the row number, and nothing written


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            ["Stockholmm", "1", "", "Ja"],
            "Rad 3: okänd organisation ”Stockholmm” – menade du ”Stockholm”?",
        ),
        (["Atlantis", "1", "", "Ja"], "Rad 3: okänd organisation ”Atlantis”"),
        (
            ["1", "1", "", "Ja"],
            "Rad 3: okänd organisation ”1” – menade du ”01”? (Excel tar bort "
            "inledande nollor; formatera kolumnen som text)",
        ),
        (
            ["0114", "1", "", "Ja"],
            "Rad 3: ”0114” (Upplands Väsby, 0114) är en kommun, men enkäten "
            "besvaras av regioner",
        ),
        (
            ["RSS-14-GR", "1", "", "Ja"],
            "Rad 3: ”RSS-14-GR” (Göteborgsregionen (GR), RSS-14-GR) är en RSS, men "
            "enkäten besvaras av regioner",
        ),
        (["", "1", "", "Ja"], "Rad 3: organisation saknas"),
        (["01", "99", "", "Ja"], "Rad 3: okänd fråga ”99”"),
        (["01", "1B", "", "Ja"], "Rad 3: okänd fråga ”1B” – menade du ”1b”?"),
        (["01", "", "", "Ja"], "Rad 3: fråga saknas"),
        (["01", "2", "X", "Ja"], "Rad 3: fråga ”2” har inget delområde ”X”"),
        (
            ["01", "2", "samverkan", "Ja"],
            "Rad 3: fråga ”2” har inget delområde ”samverkan” – menade du ”Samverkan”?",
        ),
        (
            ["01", "2", "", "Ja"],
            "Rad 3: fråga ”2” har delområden; ange delområdet i kolumnen item",
        ),
        (
            ["01", "1", "Samverkan", "Ja"],
            "Rad 3: fråga ”1” har inga delområden; lämna item tomt",
        ),
        (
            ["01", "1", "", "Kanske"],
            "Rad 3: fråga ”1”, svaret ”Kanske”: Välj ett av svarsalternativen: "
            "Ja / Nej.",
        ),
        (
            ["01", "2", "Samverkan", "Kanske"],
            "Rad 3: fråga ”2”, delområde ”Samverkan”, svaret ”Kanske”: Välj ett av "
            "svarsalternativen: Ja / Delvis / Nej.",
        ),
        (
            ["01", "5", "A", "x"],
            "Rad 3: fråga ”5”, delområde ”A”, svaret ”x”: Skriv Ja för ett markerat "
            "alternativ, och . , Nej eller ingenting för ett alternativ som inte är "
            "markerat.",
        ),
        (
            ["01", "4", "", "många"],
            "Rad 3: fråga ”4”, svaret ”många”: Ange antalet med siffror, till "
            "exempel 12 500.",
        ),
        (
            ["01", "4", "", "12,5"],
            "Rad 3: fråga ”4”, svaret ”12,5”: Ange antalet som ett heltal utan "
            "decimaler, till exempel 13 i stället för 12,5.",
        ),
        (
            ["01", "4", "", "-3"],
            "Rad 3: fråga ”4”, svaret ”-3”: Ange ett antal som är 0 eller mer.",
        ),
        (
            ["01", "3", "", "120 %"],
            "Rad 3: fråga ”3”, svaret ”120 %”: Ange en andel mellan 0 och 100, till "
            "exempel 45.",
        ),
        (
            ["Stockholm", "1", "", "Nej"],
            "Rad 3: dubblett av rad 2 (organisation 01, fråga 1)",
        ),
    ],
)
def test_a_bad_row_refuses_the_whole_file_with_its_row_number(
    small, staff, row, message
):
    data = _csv(["01", "1", "", "Ja"], row, ["03", "1", "", "Nej"])

    assert _refused(small, data, staff) == [message]
    assert _counts() == (0, 0, 0)


def test_a_duplicate_item_names_the_first_row_and_the_item(region, staff):
    data = _csv(
        ["01", "2", "", "Ja"],
        ["01", "8", "Samverkan", "Ja"],
        ["03", "8", "Samverkan", "Ja"],
        ["Stockholm", "8", "Samverkan", "Nej"],
    )

    assert _refused(region, data, staff) == [
        "Rad 5: dubblett av rad 3 (organisation 01, fråga 8, delområde Samverkan)"
    ]


def test_a_bad_file_lists_every_error_with_its_row_number(region, staff):
    data = _csv(
        ["01", "2", "", "Ja"],
        ["Stockholmm", "99", "", "Ja"],
        ["01", "36", "", "många"],
        ["03", "2", "", "Ja"],
        ["0114", "4", "", "Kanske"],
    )

    assert _refused(region, data, staff) == [
        "Rad 3: okänd organisation ”Stockholmm” – menade du ”Stockholm”?",
        "Rad 3: okänd fråga ”99”",
        "Rad 4: fråga ”36”, svaret ”många”: Ange antalet med siffror, till exempel "
        "12 500.",
        "Rad 6: ”0114” (Upplands Väsby, 0114) är en kommun, men enkäten besvaras "
        "av regioner",
        "Rad 6: fråga ”4”, svaret ”Kanske”: Välj ett av svarsalternativen: Ja / Nej "
        "/ Nej, men förslag finns framtaget.",
    ]
    assert _counts() == (0, 0, 0)


def test_row_numbers_count_lines_as_excel_shows_them(region, staff):
    """A quoted answer with line breaks is one row; an empty line is a row too."""
    data = (
        "organisation;question;item;answer\r\n"
        '01;3;;"Första raden\r\nandra raden"\r\n'
        "\r\n"
        "01;2;;Kanske\r\n"
    ).encode()

    assert _refused(region, data, staff) == [
        "Rad 4: fråga ”2”, svaret ”Kanske”: Välj ett av svarsalternativen: Ja / Nej."
    ]


def test_a_refused_file_leaves_existing_answers_exactly_as_they_were(region, staff):
    responses_import(
        questionnaire=region,
        file=_csv(["01", "2", "", "Ja"], ["01", "36", "", "179"]),
        by=staff,
    )
    response = Response.objects.get()
    before = (
        _stored(region, "01"),
        _counts(),
        (response.status, response.version, response.submitted_at),
    )

    messages = _refused(
        region,
        _csv(
            ["01", "2", "", "Nej"],
            ["01", "36", "", "179 000"],
            ["03", "2", "", "Ja"],
            ["03", "36", "", "ett tusen"],
        ),
        staff,
    )

    response.refresh_from_db()
    assert messages == [
        "Rad 5: fråga ”36”, svaret ”ett tusen”: Ange antalet med siffror, till "
        "exempel 12 500."
    ]
    assert before == (
        _stored(region, "01"),
        _counts(),
        (response.status, response.version, response.submitted_at),
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "Filen är tom."),
        (b"\xef\xbb\xbf\r\n\r\n", "Filen är tom."),
        (
            b"organisation;question;item;answer\r\n;;;\r\n",
            "Filen innehåller rubrikraden men inga svar.",
        ),
        (
            b"organisation,question,itme,answer\r\n01,2,,Ja\r\n",
            "Rad 1: rubrikraden ska ha kolumnerna organisation,question,item,answer "
            "(saknas: item; okända: ”itme”).",
        ),
        (
            b"organisation;fraga;svar\r\n01;2;Ja\r\n",
            "Rad 1: rubrikraden ska ha kolumnerna organisation;question;item;answer "
            "(saknas: question, item, answer; okända: ”fraga”, ”svar”).",
        ),
        (
            b"01,2,,Ja\r\n03,2,,Nej\r\n",
            "Rad 1: rubrikraden ska ha kolumnerna organisation,question,item,answer "
            "(saknas: organisation, question, item, answer; okända: ”01”, ”2”, "
            "(tom), ”Ja”).",
        ),
        (
            "organisation;question;item;answer\r\n01;2;;Ja\r\nJämtland "
            "Härjedalen;2;;Ja\r\n".encode("cp1252"),
            "Filen är inte UTF-8-kodad (första felaktiga tecknet på rad 3). Spara "
            "den i Excel som ”CSV UTF-8 (kommaavgränsad)” och försök igen.",
        ),
        (
            b"organisation,question,item,answer\r\n01,4,,Nej, men f\xc3\xb6rslag"
            b" finns framtaget\r\n",
            "Rad 2: 5 kolumner, men rubrikraden har 4 (står ett kommatecken i ett "
            "svar utan citattecken runt svaret?)",
        ),
        (
            b"organisation,question,item,answer\r\n01,2\r\n",
            "Rad 2: 2 kolumner, men rubrikraden har 4",
        ),
    ],
)
def test_a_bad_file_is_refused_with_a_clear_reason(bare, data, message):
    assert _refused(bare, data) == [message]
    assert _counts() == (0, 0, 0)


def test_header_names_are_read_without_regard_to_case_order_and_trailing_columns(
    region, staff
):
    data = b"Answer;Organisation;Question;Item;;\r\nJa;01;2;;;\r\n"

    responses_import(questionnaire=region, file=data, by=staff)

    assert _stored(region, "01") == {("2", ""): ("Ja", None, False)}


# Re-import


def test_reimport_of_a_corrected_file_updates_answers_and_logs_old_and_new_values(
    region, staff
):
    responses_import(
        questionnaire=region,
        file=_csv(["01", "2", "", "Ja"], ["01", "36", "", "179"]),
        by=None,
    )

    report = responses_import(
        questionnaire=region,
        file=_csv(["01", "2", "", "Ja"], ["01", "36", "", "179 000"]),
        by=staff,
        replace_submitted=True,
    )

    assert _stored(region, "01") == {
        ("2", ""): ("Ja", None, False),
        ("36", ""): ("", 179000, False),
    }
    assert report.answers == 2
    latest = AnswerChange.objects.filter(changed_by=staff).get()
    assert (latest.question.code, latest.old_value, latest.new_value) == (
        "36",
        "179",
        "179 000",
    )
    assert latest.source == AnswerChange.Source.IMPORT
    assert Response.objects.get().status == Response.Status.SUBMITTED


def test_reimport_with_an_empty_answer_clears_the_cell_and_logs_it(region, staff):
    responses_import(
        questionnaire=region,
        file=_csv(["01", "2", "", "Ja"], ["01", "5", "", "Nej"]),
        by=staff,
    )

    report = responses_import(
        questionnaire=region,
        file=_csv(["01", "5", "", ""]),
        by=staff,
        replace_submitted=True,
    )

    assert report.cleared == 1
    assert _stored(region, "01") == {("2", ""): ("Ja", None, False)}
    cleared = AnswerChange.objects.filter(question__code="5").order_by("-id").first()
    assert (cleared.old_value, cleared.new_value) == ("Nej", None)
    # Question 5 is required: the submitted response goes back to draft, saying why.
    response = Response.objects.get(questionnaire=region, organisation__code="01")
    assert response.status == Response.Status.DRAFT
    event = ResponseEvent.objects.get(
        response=response, kind=ResponseEvent.Kind.REOPENED
    )
    assert (event.reason, event.by) == (
        "importen lämnade obligatoriska frågor obesvarade: 5.",
        staff,
    )


def test_import_over_a_web_draft_keeps_answers_the_file_does_not_mention(
    region, staff, region_respondent
):

    response = response_get_or_create(
        questionnaire=region, organisation=Organisation.objects.get(code="01")
    )
    response_save_answers(
        response=response,
        values={("5", ""): Value(text="Ja")},
        by=region_respondent,
        version=None,
    )

    responses_import(questionnaire=region, file=_csv(["01", "2", "", "Nej"]), by=staff)

    assert _stored(region, "01") == {
        ("2", ""): ("Nej", None, False),
        ("5", ""): ("Ja", None, False),
    }
    response.refresh_from_db()
    assert (response.status, response.source) == (
        Response.Status.SUBMITTED,
        Response.Source.IMPORT,
    )
