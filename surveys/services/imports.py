"""Importing answers collected elsewhere (a long CSV file) into responses.

The file has one answer a row: `organisation,question,item,answer`. The whole file is
checked first; any bad row refuses it, with every error listed by row number (as Excel
shows rows, header = 1), and nothing is written. Error messages are Swedish: they are
read by the staff who correct the file.
"""

from __future__ import annotations

import csv
import difflib
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import IO

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction

from regions.models import Organisation
from surveys.answers import AnswerError, Value, parse_written, visible_questions
from surveys.models import (
    Answer,
    AnswerChange,
    Question,
    Questionnaire,
    Response,
    ResponseEvent,
)
from surveys.services.responses import (
    response_get_or_create,
    response_save_answers,
    responses_mark_submitted,
)
from surveys.signals import announce_responses_changed

COLUMNS = ("organisation", "question", "item", "answer")
KIND_NOUNS = {
    Organisation.Kind.REGION: ("en region", "regioner"),
    Organisation.Kind.RSS: ("en RSS", "RSS"),
    Organisation.Kind.MUNICIPALITY: ("en kommun", "kommuner"),
}
# Excel drops the leading zeros of "01" and "0114" when it opens a CSV file.
CODE_WIDTHS = {Organisation.Kind.REGION: 2, Organisation.Kind.MUNICIPALITY: 4}

Key = tuple[str, str]
ImportFile = bytes | str | IO[bytes] | IO[str]


@dataclass(frozen=True)
class ImportRow:
    """One data row of an import file, fields stripped of surrounding spaces."""

    number: int
    organisation: str
    question: str
    item: str
    answer: str


@dataclass(frozen=True)
class ImportReport:
    """What an import wrote; `unanswered` counts questions without answer per organisation."""

    questionnaire: Questionnaire
    organisations: int
    # Answer cells the file gave a value that are now stored.
    answers: int
    # Answer cells the file left empty: cleared if they had a value.
    cleared: int
    submitted: int
    drafts: int
    # Organisation code → visible questions with no answer at all after the import.
    unanswered: dict[str, int] = field(default_factory=dict)
    # (organisation code, question code) of follow-ups whose condition is not met:
    # accepted in the file, but not stored, as in the web form.
    dropped: list[tuple[str, str]] = field(default_factory=list)

    @property
    def unanswered_total(self) -> int:
        return sum(self.unanswered.values())

    def summary(self) -> str:
        """One line for the command and the upload page, in Swedish."""
        return (
            f"Importerade {_number(self.organisations)} "
            f"{'organisation' if self.organisations == 1 else 'organisationer'}, "
            f"{_number(self.answers)} svar; "
            f"{_number(self.unanswered_total)} "
            f"{'fråga' if self.unanswered_total == 1 else 'frågor'} obesvarade totalt "
            "(importen kontrolleras inte mot fullständighet)"
        )


def _number(n: int) -> str:
    return f"{n:,}".replace(",", " ")


# Reading the file


def import_text(file: ImportFile) -> str:
    """The file's text: UTF-8 with or without BOM; raise ValidationError otherwise."""
    data = file if isinstance(file, bytes | str) else file.read()
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            raise ValidationError(
                [
                    f"Filen är inte UTF-8-kodad (första felaktiga tecknet på rad {line}). "
                    "Spara den i Excel som ”CSV UTF-8 (kommaavgränsad)” och försök igen."
                ]
            ) from exc
    return data.removeprefix("\ufeff")


def import_delimiter(header_line: str) -> str:
    """';' when the header line has more semicolons than commas, else ','."""
    return ";" if header_line.count(";") > header_line.count(",") else ","


def import_rows(text: str) -> list[ImportRow]:
    """The data rows of an import file; raise ValidationError for a bad file or rows."""
    if not text.strip():
        raise ValidationError(["Filen är tom."])
    delimiter = import_delimiter(text.splitlines()[0])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    errors: list[str] = []
    rows: list[ImportRow] = []
    try:
        records = list(reader)
    except csv.Error as exc:
        raise ValidationError(
            [f"Rad {reader.line_num}: filen kan inte läsas som CSV ({exc})."]
        ) from exc
    names = [name.strip() for name in records[0]]
    while names and names[-1] == "":
        names.pop()
    header = [name.casefold() for name in names]
    if sorted(header) != sorted(COLUMNS):
        missing = [c for c in COLUMNS if c not in header]
        unknown = [n for n in names if n.casefold() not in COLUMNS]
        details = []
        if missing:
            details.append("saknas: " + ", ".join(missing))
        if unknown:
            details.append(
                "okända: " + ", ".join(f"”{u}”" if u else "(tom)" for u in unknown)
            )
        if not missing and not unknown:
            details.append("en kolumn förekommer två gånger")
        raise ValidationError(
            [
                "Rad 1: rubrikraden ska ha kolumnerna "
                f"{delimiter.join(COLUMNS)} ({'; '.join(details)})."
            ]
        )
    position = {name: header.index(name) for name in COLUMNS}
    for number, record in enumerate(records[1:], start=2):
        fields = [value.strip() for value in record]
        if not any(fields):
            continue
        if len(fields) > len(header) and any(fields[len(header) :]):
            errors.append(
                f"Rad {number}: {len(fields)} kolumner, men rubrikraden har {len(header)}"
                " (står ett kommatecken i ett svar utan citattecken runt svaret?)"
            )
            continue
        if len(fields) < len(header):
            errors.append(
                f"Rad {number}: {len(fields)} kolumner, men rubrikraden har {len(header)}"
            )
            continue
        rows.append(ImportRow(number, *(fields[position[name]] for name in COLUMNS)))
    if errors:
        raise ValidationError(errors)
    if not rows:
        raise ValidationError(["Filen innehåller rubrikraden men inga svar."])
    return rows


# Checking the rows against the questionnaire


def _hint(value: str, candidates: Iterable[str]) -> str:
    """' – menade du ”X”?' for a near miss, else ''."""
    candidates = list(candidates)
    folded = [c for c in candidates if c.casefold() == value.casefold()]
    close = folded or difflib.get_close_matches(value, candidates, n=1, cutoff=0.8)
    return f" – menade du ”{close[0]}”?" if close else ""


class _OrganisationIndex:
    """Every organisation, from one query, looked up by code or printed name."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.by_code: dict[str, Organisation] = {}
        self.by_name: dict[str, list[Organisation]] = {}
        self.by_folded: dict[str, list[Organisation]] = {}
        for organisation in Organisation.objects.all():
            self.by_code[organisation.code] = organisation
            self.by_name.setdefault(organisation.name, []).append(organisation)
            self.by_folded.setdefault(organisation.name.casefold(), []).append(
                organisation
            )

    def resolve(self, value: str) -> tuple[Organisation | None, str]:
        """The organisation a cell names, or None and the reason (Swedish)."""
        candidates: list[Organisation] = []
        if value in self.by_code:
            candidates = [self.by_code[value]]
        else:
            candidates = self.by_name.get(value) or self.by_folded.get(
                value.casefold(), []
            )
        if not candidates:
            return None, self._unknown(value)
        own_kind = [o for o in candidates if o.kind == self.kind]
        if len(own_kind) == 1:
            return own_kind[0], ""
        if len(own_kind) > 1:
            codes = ", ".join(o.code for o in own_kind)
            return (
                None,
                f"”{value}” kan vara flera organisationer ({codes}); ange koden",
            )
        other = candidates[0]
        return None, (
            f"”{value}” ({other.name}, {other.code}) är {KIND_NOUNS[other.kind][0]}, "
            f"men enkäten besvaras av {KIND_NOUNS[self.kind][1]}"
        )

    def _unknown(self, value: str) -> str:
        width = CODE_WIDTHS.get(self.kind)
        if width and value.isdigit() and len(value) < width:
            padded = value.zfill(width)
            if padded in self.by_code:
                return (
                    f"okänd organisation ”{value}” – menade du ”{padded}”? "
                    "(Excel tar bort inledande nollor; formatera kolumnen som text)"
                )
        names = [
            o.name
            for group in self.by_name.values()
            for o in group
            if o.kind == self.kind
        ]
        return f"okänd organisation ”{value}”{_hint(value, names)}"


def _where(question: Question, item: str) -> str:
    return f"fråga ”{question.code}”" + (f", delområde ”{item}”" if item else "")


def import_check(
    *, questionnaire: Questionnaire, rows: list[ImportRow]
) -> dict[Organisation, dict[Key, tuple[int, Value | None]]]:
    """The parsed values per organisation, keyed (question, item), with their rows.

    Raises ValidationError listing every bad row.
    """
    organisations = _OrganisationIndex(questionnaire.organisation_kind)
    questions = {q.code: q for q in questionnaire.questions.all()}
    errors: list[str] = []
    result: dict[Organisation, dict[Key, tuple[int, Value | None]]] = {}
    for row in rows:
        problems: list[str] = []
        organisation: Organisation | None = None
        if not row.organisation:
            problems.append("organisation saknas")
        else:
            organisation, reason = organisations.resolve(row.organisation)
            if organisation is None:
                problems.append(reason)
        question = questions.get(row.question)
        if not row.question:
            problems.append("fråga saknas")
        elif question is None:
            problems.append(
                f"okänd fråga ”{row.question}”{_hint(row.question, questions)}"
            )
        value: Value | None = None
        if question is not None:
            items = question.answer_items
            if row.item not in items:
                if items == [""]:
                    problems.append(
                        f"fråga ”{question.code}” har inga delområden; lämna item tomt"
                    )
                elif not row.item:
                    problems.append(
                        f"fråga ”{question.code}” har delområden; ange delområdet i "
                        "kolumnen item"
                    )
                else:
                    problems.append(
                        f"fråga ”{question.code}” har inget delområde ”{row.item}”"
                        f"{_hint(row.item, items)}"
                    )
            else:
                try:
                    value = parse_written(question, row.item, row.answer)
                except AnswerError as exc:
                    problems.append(f"{_where(question, row.item)}: {exc}")
        if problems or organisation is None or question is None:
            errors.extend(f"Rad {row.number}: {problem}" for problem in problems)
            continue
        cells = result.setdefault(organisation, {})
        key = (question.code, row.item)
        if key in cells:
            item = f", delområde {row.item}" if row.item else ""
            errors.append(
                f"Rad {row.number}: dubblett av rad {cells[key][0]} (organisation "
                f"{organisation.code}, fråga {question.code}{item})"
            )
            continue
        cells[key] = (row.number, value)
    if errors:
        raise ValidationError(errors)
    return result


# Writing


@transaction.atomic
def responses_import(
    *,
    questionnaire: Questionnaire,
    file: ImportFile,
    by: AbstractBaseUser | None,
    draft: bool = False,
) -> ImportReport:
    """Import a whole answer file into the questionnaire's responses and report on it.

    All or nothing: raises ValidationError listing every error and writes nothing.
    Responses are submitted unless draft (a response already submitted stays so); the
    completeness check of the web submit does not apply. An empty answer clears a cell;
    cells the file does not mention keep what they had. Answers to follow-ups whose
    condition is not met are accepted but not stored, as in the web form.
    """
    if questionnaire.locked_at is not None:
        raise ValidationError(
            f"Enkäten ”{questionnaire.title}” är låst för den slutliga sammanställningen; "
            "inga svar kan importeras förrän den låses upp."
        )
    parsed = import_check(
        questionnaire=questionnaire, rows=import_rows(import_text(file))
    )
    questions = list(questionnaire.questions.order_by("position"))
    existing = {
        r.organisation_id: r
        for r in Response.objects.filter(
            questionnaire=questionnaire, organisation__in=list(parsed)
        )
    }
    before = _answers_by_response([r.pk for r in existing.values()])
    responses: dict[Organisation, Response] = {}
    dropped: list[tuple[str, str]] = []
    answers = cleared = 0
    for organisation, cells in parsed.items():
        response = existing.get(organisation.pk)
        values = {key: value for key, (_row, value) in cells.items()}
        merged = dict(before.get(response.pk, {}) if response else {})
        merged.update({k: v for k, v in values.items() if v is not None})
        for key in [k for k, v in values.items() if v is None]:
            merged.pop(key, None)
        shown = {q.code for q in visible_questions(questions, merged)}
        hidden = {
            code
            for (code, _item), v in values.items()
            if v is not None and code not in shown
        }
        dropped.extend(
            (organisation.code, q.code) for q in questions if q.code in hidden
        )
        values = {k: v for k, v in values.items() if k[0] in shown}
        answers += sum(1 for v in values.values() if v is not None)
        cleared += sum(1 for v in values.values() if v is None)
        responses[organisation] = response_save_answers(
            response=response
            or response_get_or_create(
                questionnaire=questionnaire, organisation=organisation
            ),
            values=values,
            by=by,
            version=None,
            source=AnswerChange.Source.IMPORT,
            allow_submitted=True,
        )
    ids = [r.pk for r in responses.values()]
    imported = Response.objects.filter(pk__in=ids)
    imported.update(source=Response.Source.IMPORT)
    if not draft:
        responses_mark_submitted(responses=imported, by=by)
    after = _answers_by_response(ids)
    unanswered = {}
    for organisation, response in responses.items():
        current = after.get(response.pk, {})
        answered = {code for code, _item in current}
        unanswered[organisation.code] = sum(
            1 for q in visible_questions(questions, current) if q.code not in answered
        )
    ResponseEvent.objects.bulk_create(
        ResponseEvent(response_id=pk, kind=ResponseEvent.Kind.IMPORTED, by=by)
        for pk in ids
    )
    announce_responses_changed(questionnaire_id=questionnaire.pk, reason="import")
    statuses = list(imported.values_list("status", flat=True))
    submitted = statuses.count(Response.Status.SUBMITTED)
    return ImportReport(
        questionnaire=questionnaire,
        organisations=len(responses),
        answers=answers,
        cleared=cleared,
        submitted=submitted,
        drafts=len(statuses) - submitted,
        unanswered=unanswered,
        dropped=dropped,
    )


def _answers_by_response(ids: list[int]) -> dict[int, dict[Key, Value]]:
    """The stored answers of the responses, keyed (question, item), in one query."""
    result: dict[int, dict[Key, Value]] = {}
    for response_id, code, item, text, number, cannot in Answer.objects.filter(
        response_id__in=ids
    ).values_list(
        "response_id", "question__code", "item", "text", "number", "cannot_estimate"
    ):
        result.setdefault(response_id, {})[(code, item)] = Value(text, number, cannot)
    return result
