"""Importing answers collected elsewhere (a long CSV file) into responses.

The file has one answer a row: `organisation,question,item,answer`. The whole file is
checked first; any bad row refuses it, with every error listed by row number (as Excel
shows rows, header = 1), and nothing is written. Error messages are Swedish: they are
read by the staff who correct the file.
"""

from __future__ import annotations

import csv
import difflib
import hashlib
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import IO

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from regions.models import Organisation
from surveys.answers import (
    AnswerError,
    Value,
    control_character_problem,
    parse_written,
    required_unanswered,
    ticks_problems,
    visible_questions,
)
from surveys.frames import frame_ids
from surveys.models import (
    Answer,
    AnswerChange,
    ImportUpload,
    Question,
    Questionnaire,
    QuestionType,
    Response,
    ResponseEvent,
)
from surveys.numbers import format_thousands
from surveys.services.responses import (
    answers_to_write,
    count_per_option_problems,
    response_get_or_create,
    response_save_answers,
    responses_mark_submitted,
)
from surveys.services.transitions import response_return_to_draft
from surveys.signals import announce_responses_changed

COLUMNS = ("organisation", "question", "item", "answer")
KIND_NOUNS: dict[str, tuple[str, str]] = {
    Organisation.Kind.REGION: ("en region", "regioner"),
    Organisation.Kind.RSS: ("en RSS", "RSS"),
    Organisation.Kind.MUNICIPALITY: ("en kommun", "kommuner"),
}
# Excel drops the leading zeros of "01" and "0114" when it opens a CSV file.
CODE_WIDTHS: dict[str, int] = {
    Organisation.Kind.REGION: 2,
    Organisation.Kind.MUNICIPALITY: 4,
}

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


# Reading the file


def import_text(file: ImportFile) -> str:
    """The file's text: UTF-8 with or without BOM; raise ValidationError otherwise."""
    data = file if isinstance(file, bytes | str) else file.read()
    if isinstance(data, bytes):
        raw = data
        try:
            data = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = raw.count(b"\n", 0, exc.start) + 1
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
        bad = [
            f"Rad {number}, kolumn {name}: {problem}"
            for name in COLUMNS
            if (problem := control_character_problem(fields[position[name]]))
        ]
        if bad:
            errors.extend(bad)
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

    Raises ValidationError listing every bad row: a value that does not fit its
    question (surveys.answers, the web form's rule) and an organisation outside the
    questionnaire's frame (surveys.frames).
    """
    organisations = _OrganisationIndex(questionnaire.organisation_kind)
    questions = {q.code: q for q in questionnaire.questions.all()}
    errors: list[str] = []
    result: dict[Organisation, dict[Key, tuple[int, Value | None]]] = {}
    # The frame once (one query), not a lookup per row.
    in_frame = frame_ids(questionnaire)
    for row in rows:
        problems: list[str] = []
        organisation: Organisation | None = None
        if not row.organisation:
            problems.append("organisation saknas")
        else:
            organisation, reason = organisations.resolve(row.organisation)
            if organisation is None:
                problems.append(reason)
            elif organisation.pk not in in_frame:
                problems.append(
                    f"{_named(organisation)} är inte bland de "
                    f"organisationer som enkäten ”{questionnaire.title}” skickats till"
                )
                organisation = None
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
                    # The message says what to write; the row's value is named here.
                    answer = row.answer.strip()
                    shown = answer if len(answer) <= 40 else answer[:39] + "…"
                    said = f", svaret ”{shown}”" if answer else ""
                    problems.append(f"{_where(question, row.item)}{said}: {exc}")
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


# Planning: what the file would change


@dataclass(frozen=True)
class PlannedChange:
    """One answer cell the file changes: where, from what, to what (as read)."""

    # The file's row; None for a follow-up's answer cleared because its condition no
    # longer holds.
    row: int | None
    organisation: Organisation
    question: str
    item: str
    old: str | None
    new: str | None
    # The response is submitted: the change needs the staff's confirmation.
    submitted: bool

    def describe(self) -> str:
        """'Rad 5: Region Stockholm (01), fråga 8: ”Ja” → ”Nej”' in Swedish."""
        where = f"fråga {self.question}" + (
            f", delområde ”{self.item}”" if self.item else ""
        )
        row = f"Rad {self.row}" if self.row else "Följdfråga"
        return (
            f"{row}: {_named(self.organisation)}, {where}: "
            f"{_shown(self.old)} → {_shown(self.new)}"
        )


def _named(organisation: Organisation) -> str:
    """'Region Stockholm (01)': the full name and the code."""
    return f"{organisation.full_name or organisation.name} ({organisation.code})"


def _shown(value: str | None) -> str:
    if value is None:
        return "(inget svar)"
    return f"”{value if len(value) <= 60 else value[:59] + '…'}”"


@dataclass
class OrganisationPlan:
    """One organisation's part of a file: the values to save and what they change."""

    organisation: Organisation
    response: Response | None
    values: dict[Key, Value | None]
    changes: list[PlannedChange]
    # Answers before the import, keyed (question, item).
    before: dict[Key, Value]

    @property
    def is_submitted(self) -> bool:
        return self.response is not None and self.response.is_submitted


@dataclass
class ImportPlan:
    """What a file would do to the questionnaire's responses; nothing is written."""

    questionnaire: Questionnaire
    organisations: list[OrganisationPlan]
    dropped: list[tuple[str, str]]

    @property
    def changes(self) -> list[PlannedChange]:
        return [c for plan in self.organisations for c in plan.changes]

    @property
    def submitted_changes(self) -> list[PlannedChange]:
        return [c for c in self.changes if c.submitted]

    @property
    def digest(self) -> str:
        """A fingerprint of the changes: a confirm imports only what the preview showed."""
        text = "\n".join(
            f"{c.organisation.code}\t{c.describe()}\t{c.submitted}"
            for c in self.changes
        )
        return hashlib.sha256(text.encode()).hexdigest()

    def preview_line(self) -> str:
        """'N svar ändras, M av dem i inskickade svar' in Swedish."""
        n, m = len(self.changes), len(self.submitted_changes)
        return f"{format_thousands(n)} svar ändras, {format_thousands(m)} av dem i inskickade svar."


def import_plan(*, questionnaire: Questionnaire, file: ImportFile) -> ImportPlan:
    """Read and check a file and work out every change it makes; writes nothing.

    Raises ValidationError listing every bad row, as responses_import does.
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
    by_code = {q.code: q for q in questions}
    existing = {
        r.organisation_id: r
        for r in Response.objects.filter(
            questionnaire=questionnaire, organisation__in=list(parsed)
        )
    }
    before = _answers_by_response([r.pk for r in existing.values()])
    plans: list[OrganisationPlan] = []
    dropped: list[tuple[str, str]] = []
    errors: list[str] = []
    for organisation, cells in parsed.items():
        response = existing.get(organisation.pk)
        current = before.get(response.pk, {}) if response else {}
        values = {key: value for key, (_row, value) in cells.items()}
        merged = dict(current)
        merged.update({k: v for k, v in values.items() if v is not None})
        for key in [k for k, v in values.items() if v is None]:
            merged.pop(key, None)
        errors.extend(
            _count_problems(questions, organisation, cells, merged),
        )
        for code, problem in ticks_problems(questions, merged).items():
            rows = sorted(row for (c, _item), (row, _v) in cells.items() if c == code)
            if rows:
                errors.append(
                    f"Rad {rows[0]}: {_named(organisation)}, fråga {code}: {problem}"
                )
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
        final = answers_to_write(questions=questions, current=current, values=values)
        submitted = response is not None and response.is_submitted
        changes = [
            PlannedChange(
                row=cells[key][0] if key in cells else None,
                organisation=organisation,
                question=key[0],
                item=key[1],
                old=_display(by_code[key[0]], current.get(key)),
                new=_display(by_code[key[0]], new),
                submitted=submitted,
            )
            for key, new in final.items()
            if current.get(key) != new
        ]
        plans.append(OrganisationPlan(organisation, response, values, changes, current))
    if errors:
        raise ValidationError(errors)
    return ImportPlan(questionnaire=questionnaire, organisations=plans, dropped=dropped)


def _display(question: Question, value: Value | None) -> str | None:
    return None if value is None else value.display(question)


def _count_problems(
    questions: list[Question],
    organisation: Organisation,
    cells: dict[Key, tuple[int, Value | None]],
    merged: dict[Key, Value],
) -> list[str]:
    """An RSS's counts as the web form's submit checks them, at the file's rows."""
    problems = []
    for question in questions:
        if question.type != QuestionType.COUNT_PER_OPTION:
            continue
        rows = sorted(
            row for (code, _item), (row, _v) in cells.items() if code == question.code
        )
        if not rows:
            continue
        for problem in count_per_option_problems(question, organisation, merged):
            problems.append(
                f"Rad {rows[0]}: {_named(organisation)}, fråga "
                f"{question.code}: {problem}"
            )
    return problems


# Writing


@dataclass(frozen=True)
class ImportReport:
    """What an import wrote; `unanswered` counts questions without answer per organisation."""

    questionnaire: Questionnaire
    organisations: int
    # Answer cells the file gave a value that are now stored.
    answers: int
    # Answer cells the file left empty: cleared if they had a value.
    cleared: int
    # Of the file's organisations: responses submitted and drafts after the import.
    submitted: int
    drafts: int
    # Organisation code → visible questions with no answer at all after the import.
    unanswered: dict[str, int] = field(default_factory=dict)
    # (organisation code, question code) of follow-ups whose condition is not met:
    # accepted in the file, but not stored, as in the web form.
    dropped: list[tuple[str, str]] = field(default_factory=list)
    # Responses of the file that the import left exactly as they were.
    unchanged: int = 0
    # Changes to submitted responses refused for want of confirmation.
    refused: list[PlannedChange] = field(default_factory=list)
    # Answers replaced in submitted responses (confirmed).
    replaced: int = 0
    # (organisation, why) of submitted responses the import put back to draft.
    returned_to_draft: list[tuple[Organisation, str]] = field(default_factory=list)

    @property
    def unanswered_total(self) -> int:
        return sum(self.unanswered.values())

    def summary(self) -> str:
        """One line for the command and the upload page, in Swedish."""
        return (
            f"Importerade {format_thousands(self.organisations)} "
            f"{'organisation' if self.organisations == 1 else 'organisationer'}, "
            f"{format_thousands(self.answers)} svar; "
            f"{format_thousands(self.unanswered_total)} "
            f"{'fråga' if self.unanswered_total == 1 else 'frågor'} obesvarade totalt "
            "(importen kontrolleras inte mot fullständighet)"
        )

    def status_line(self) -> str:
        """The responses' status after the import, in Swedish."""
        line = (
            f"Inskickade: {format_thousands(self.submitted)}, utkast: {format_thousands(self.drafts)}, "
            f"oförändrade: {format_thousands(self.unchanged)}, "
            f"avvisade rader: {format_thousands(len(self.refused))}, "
            f"rensade svar: {format_thousands(self.cleared)}."
        )
        if self.replaced:
            line += (
                f" Ersatta svar i inskickade svar: {format_thousands(self.replaced)}."
            )
        return line

    def lines(self) -> list[str]:
        """Every line of the report: summary, status, then each detail (Swedish)."""
        lines = [self.summary(), self.status_line()]
        lines.extend(
            f"{_named(o)} är tillbaka som utkast: {why}"
            for o, why in self.returned_to_draft
        )
        if self.refused:
            lines.append(
                f"{format_thousands(len(self.refused))} rader avvisades eftersom de ändrar "
                "inskickade svar (bekräfta för att ersätta dem):"
            )
            lines.extend(change.describe() for change in self.refused)
        lines.extend(
            f"{code}: svaret på följdfråga {question} sparades inte, eftersom "
            "villkoret för frågan inte är uppfyllt."
            for code, question in self.dropped
        )
        return lines


class ImportPreviewChanged(Exception):
    """A confirmed import whose changes are no longer those of its preview."""

    def __init__(self, plan: ImportPlan) -> None:
        self.plan = plan
        super().__init__(
            "Svaren har ändrats sedan förhandsgranskningen; granska ändringarna igen."
        )


@transaction.atomic
def responses_import(
    *,
    questionnaire: Questionnaire,
    file: ImportFile,
    by: User | None,
    draft: bool = False,
    replace_submitted: bool = False,
    expected_digest: str | None = None,
) -> ImportReport:
    """Import a whole answer file into the questionnaire's responses and report on it.

    All or nothing for bad rows: raises ValidationError listing every error and writes
    nothing. A submitted response is changed only with replace_submitted; otherwise
    its rows are refused (listed in the report) and it stays as it was. A submitted
    response that the import changes goes back to draft (with an event saying why)
    when draft is set or when a required question is left unanswered. Other responses
    are submitted unless draft; the completeness check of the web submit does not
    apply to them. An empty answer clears a cell; cells the file does not mention keep
    what they had. Answers to follow-ups whose condition is not met are accepted but
    not stored, as in the web form. With expected_digest (the preview's), raises
    ImportPreviewChanged when the changes are no longer those previewed.
    """
    # The responses are locked so that the plan holds until the import has written.
    list(
        Response.objects.select_for_update(of=("self",))
        .filter(questionnaire=questionnaire)
        .values_list("pk", flat=True)
    )
    plan = import_plan(questionnaire=questionnaire, file=file)
    if expected_digest is not None and plan.digest != expected_digest:
        raise ImportPreviewChanged(plan)
    questions = list(questionnaire.questions.order_by("position"))
    responses: dict[Organisation, Response] = {}
    written: list[int] = []
    to_submit: list[int] = []
    refused: list[PlannedChange] = []
    returned: list[tuple[Organisation, str]] = []
    answers = cleared = unchanged = replaced = 0
    for part in plan.organisations:
        organisation, response = part.organisation, part.response
        if (
            response is not None
            and part.is_submitted
            and part.changes
            and not replace_submitted
        ):
            refused.extend(part.changes)
            responses[organisation] = response
            unchanged += 1
            continue
        answers += sum(1 for v in part.values.values() if v is not None)
        cleared += sum(1 for v in part.values.values() if v is None)
        if part.changes or response is None:
            response = response_save_answers(
                response=response
                or response_get_or_create(
                    questionnaire=questionnaire, organisation=organisation
                ),
                values=part.values,
                by=by,
                version=None,
                source=AnswerChange.Source.IMPORT,
                allow_submitted=True,
            )
            written.append(response.pk)
        responses[organisation] = response
        if part.is_submitted:
            if not part.changes:
                unchanged += 1
                continue
            replaced += len(part.changes)
            reason = _why_back_to_draft(
                questions, part.before, _answers_by_response([response.pk]), draft
            )
            if reason:
                response_return_to_draft(response=response, by=by, reason=reason)
                returned.append((organisation, reason))
        elif not draft:
            to_submit.append(response.pk)
        elif not part.changes and response.pk not in written:
            unchanged += 1
    if written:
        Response.objects.filter(pk__in=written).update(source=Response.Source.IMPORT)
    responses_mark_submitted(responses=Response.objects.filter(pk__in=to_submit), by=by)
    ids = [r.pk for r in responses.values()]
    after = _answers_by_response(ids)
    unanswered = {}
    for organisation, response in responses.items():
        current = after.get(response.pk, {})
        answered = {code for code, _item in current}
        unanswered[organisation.code] = sum(
            1 for q in visible_questions(questions, current) if q.code not in answered
        )
    touched = set(written) | set(to_submit)
    ResponseEvent.objects.bulk_create(
        ResponseEvent(response_id=pk, kind=ResponseEvent.Kind.IMPORTED, by=by)
        for pk in ids
        if pk in touched
    )
    if touched:
        announce_responses_changed(questionnaire_id=questionnaire.pk, reason="import")
    statuses = list(
        Response.objects.filter(pk__in=ids).values_list("status", flat=True)
    )
    submitted = statuses.count(Response.Status.SUBMITTED)
    return ImportReport(
        questionnaire=questionnaire,
        organisations=len(responses),
        answers=answers,
        cleared=cleared,
        submitted=submitted,
        drafts=len(statuses) - submitted,
        unanswered=unanswered,
        dropped=plan.dropped,
        unchanged=unchanged,
        refused=refused,
        replaced=replaced,
        returned_to_draft=returned,
    )


def _why_back_to_draft(
    questions: list[Question],
    before: dict[Key, Value],
    after_by_response: dict[int, dict[Key, Value]],
    draft: bool,
) -> str:
    """Why a changed submitted response goes back to draft (Swedish), or '' if not."""
    after = next(iter(after_by_response.values()), {})
    if draft:
        return "importen sparade ändrade svar som utkast."
    newly = [
        code
        for code in required_unanswered(questions, after)
        if code not in set(required_unanswered(questions, before))
    ]
    if newly:
        return (
            "importen lämnade obligatoriska frågor obesvarade: "
            + ", ".join(newly)
            + "."
        )
    return ""


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


# The staff upload: preview first, import on confirmation


def import_upload_create(
    *,
    questionnaire: Questionnaire,
    file: ImportFile,
    file_name: str,
    draft: bool,
    by: User,
) -> ImportUpload:
    """Check an uploaded file and keep it for its preview; raise ValidationError if bad."""
    text = import_text(file)
    plan = import_plan(questionnaire=questionnaire, file=text)
    return ImportUpload.objects.create(
        questionnaire=questionnaire,
        uploaded_by=by,
        file_name=file_name[:255],
        content=text,
        draft=draft,
        digest=plan.digest,
    )


def import_upload_preview(*, upload: ImportUpload) -> ImportPlan:
    """The plan of a waiting upload, checked again now; the confirm must match it."""
    plan = import_plan(questionnaire=upload.questionnaire, file=upload.content)
    if plan.digest != upload.digest:
        ImportUpload.objects.filter(pk=upload.pk).update(digest=plan.digest)
        upload.digest = plan.digest
    return plan


@transaction.atomic
def import_upload_confirm(
    *, upload: ImportUpload, by: User, replace_submitted: bool
) -> bool:
    """Import a previewed upload once; False when its changes differ from the preview.

    The row lock and the status make a second confirm (a double click, a resent form)
    a no-op. Raises ValidationError when the file no longer passes the checks.
    """
    locked = ImportUpload.objects.select_for_update().get(pk=upload.pk)
    if locked.status != ImportUpload.Status.PENDING:
        return True
    try:
        report = responses_import(
            questionnaire=locked.questionnaire,
            file=locked.content,
            by=by,
            draft=locked.draft,
            replace_submitted=replace_submitted,
            expected_digest=locked.digest,
        )
    except ImportPreviewChanged as exc:
        locked.digest = exc.plan.digest
        locked.save(update_fields=["digest"])
        return False
    locked.status = ImportUpload.Status.IMPORTED
    locked.imported_at = timezone.now()
    locked.report = report.lines()
    locked.content = ""
    locked.save(update_fields=["status", "imported_at", "report", "content"])
    return True


def import_upload_discard(*, upload: ImportUpload) -> None:
    """Drop a waiting upload without importing it."""
    ImportUpload.objects.filter(
        pk=upload.pk, status=ImportUpload.Status.PENDING
    ).update(status=ImportUpload.Status.DISCARDED, content="")
