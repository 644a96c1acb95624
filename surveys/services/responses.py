"""Writes on responses: saving answers (with optimistic locking), submitting, auditing."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from regions.models import Organisation
from surveys.answers import (
    AnswerError,
    Value,
    check_value,
    missing_items,
    required_message,
    ticks_problems,
    visible_questions,
)
from surveys.deadlines import response_is_open
from surveys.models import (
    Answer,
    AnswerChange,
    Question,
    Questionnaire,
    QuestionType,
    Response,
    ResponseEvent,
)
from surveys.selectors.questionnaires import questionnaire_structure
from surveys.services.submissions import submission_confirmation_request
from surveys.signals import announce_response_submitted, announce_responses_changed

Key = tuple[str, str]


class StaleResponseError(Exception):
    """A save or submit based on an older version of the response."""

    def __init__(self, response: Response, version: int) -> None:
        self.response = response
        self.version = version
        who = ""
        if response.updated_by is not None:
            who = (
                response.updated_by.get_full_name()
                or response.updated_by.get_username()
            )
        when = timezone.localtime(response.updated_at).strftime("%Y-%m-%d %H:%M")
        # Only what happened: the page that shows it says what to do (save again to
        # keep your answers, or check and submit again).
        if who:
            message = _(
                "%(who)s saved this questionnaire at %(when)s, after you opened the page."
            ) % {"who": who, "when": when}
        else:
            message = _(
                "A colleague saved this questionnaire at %(when)s, after you opened "
                "the page."
            ) % {"when": when}
        super().__init__(message)


class ResponseLockedError(Exception):
    """A change to a response that is submitted, past its deadline or locked (read-only)."""


def response_get_or_create(
    *, questionnaire: Questionnaire, organisation: Organisation
) -> Response:
    """The organisation's response to the questionnaire, created as an empty draft."""
    if organisation.kind != questionnaire.organisation_kind:
        raise ValidationError(
            _("%(org)s does not answer %(title)s")
            % {"org": organisation, "title": questionnaire.title}
        )
    response, _created = Response.objects.get_or_create(
        questionnaire=questionnaire, organisation=organisation
    )
    return response


def answers_map(response: Response) -> dict[Key, Value]:
    """All stored answers of a response keyed by (question code, item)."""
    return {
        (code, item): Value(text=text, number=number, cannot_estimate=cannot)
        for code, item, text, number, cannot in response.answers.order_by().values_list(
            "question__code", "item", "text", "number", "cannot_estimate"
        )
    }


def answers_and_confirmations(response: Response) -> tuple[dict[Key, Value], set[Key]]:
    """answers_map() and the cells whose warning the respondent confirmed, in one
    query (the section page needs both)."""
    answers: dict[Key, Value] = {}
    confirmed: set[Key] = set()
    for code, item, text, number, cannot, ok in response.answers.order_by().values_list(
        "question__code",
        "item",
        "text",
        "number",
        "cannot_estimate",
        "warning_confirmed",
    ):
        answers[code, item] = Value(text=text, number=number, cannot_estimate=cannot)
        if ok:
            confirmed.add((code, item))
    return answers, confirmed


def answers_to_write(
    *,
    questions: list[Question],
    current: Mapping[Key, Value],
    values: Mapping[Key, Value | None],
) -> dict[Key, Value | None]:
    """The cells a save writes: the values sent, and follow-ups that lose their answers.

    Follow-ups whose condition does not hold once the values are applied lose their
    answers, sent or stored (None). The import previews its changes with this too.
    """
    proposed = dict(current)
    for key, new in values.items():
        if new is None:
            proposed.pop(key, None)
        else:
            proposed[key] = new
    shown = {q.code for q in visible_questions(questions, proposed)}
    final = {key: new if key[0] in shown else None for key, new in values.items()}
    final.update({key: None for key in current if key[0] not in shown})
    return final


def answers_validate(
    *, questions: Mapping[str, Question], values: Mapping[Key, Value | None]
) -> None:
    """Raise ValidationError naming every value that does not fit its question.

    Every write of answers passes here (response_save_answers), whichever way the
    values came in; the rule itself is surveys.answers.check_value.
    """
    errors: dict[str, list[str]] = {}
    for (code, item), value in values.items():
        if value is None:
            continue
        try:
            check_value(questions[code], value, item=item)
        except AnswerError as exc:
            where = f"fråga {code}" + (f", delområde ”{item}”" if item else "")
            errors.setdefault(code, []).append(f"{where}: {exc}")
    if errors:
        raise ValidationError(errors)


def _display(question: Question, value: Value | None) -> str | None:
    return None if value is None else value.display(question)


def _lock(response: Response, version: int | None) -> Response:
    locked = (
        Response.objects.select_for_update(of=("self",))
        .select_related("updated_by", "questionnaire")
        .get(pk=response.pk)
    )
    if version is not None and locked.version != version:
        raise StaleResponseError(locked, version)
    return locked


def response_save_answers(
    *,
    response: Response,
    values: Mapping[Key, Value | None],
    by: User | None,
    version: int | None,
    source: str = AnswerChange.Source.WEB,
    allow_submitted: bool = False,
    confirmations: Mapping[Key, bool] | None = None,
) -> Response:
    """Save answer cells (None clears a cell) and return the response, version raised:
    response_save_answers_and_read() without the answers."""
    saved, _answers = response_save_answers_and_read(
        response=response,
        values=values,
        by=by,
        version=version,
        source=source,
        allow_submitted=allow_submitted,
        confirmations=confirmations,
    )
    return saved


@transaction.atomic
def response_save_answers_and_read(
    *,
    response: Response,
    values: Mapping[Key, Value | None],
    by: User | None,
    version: int | None,
    source: str = AnswerChange.Source.WEB,
    allow_submitted: bool = False,
    confirmations: Mapping[Key, bool] | None = None,
) -> tuple[Response, dict[Key, Value]]:
    """Save answer cells (None clears a cell) and return the response, version raised.

    Refuses a save based on an older version (StaleResponseError), any change to a
    submitted response (ResponseLockedError), unless allow_submitted (the import), and
    a value that does not fit its question (ValidationError by question code).
    Answers of follow-up questions whose condition no longer holds are cleared. Every
    change is written to the audit log; a save with source PAPER (the RSS entering a
    municipality's paper form) marks the response as a paper response. confirmations sets warning_confirmed of stored
    cells whose value is unchanged; a changed value is never confirmed.

    Returns the response, version raised, and all of its answers as stored after the
    save (answers_map() of it, without reading them again).
    """
    locked = _lock(response, version)
    is_open, reason = response_is_open(response=locked, by=by)
    # The import (allow_submitted) honours the lock but not the deadline.
    if not is_open and not (allow_submitted and locked.questionnaire.locked_at is None):
        raise ResponseLockedError(reason)
    if locked.is_submitted and not allow_submitted:
        raise ResponseLockedError(
            _("The questionnaire is submitted and can no longer be changed.")
        )
    questions = {
        q.code: q for q in questionnaire_structure(locked.questionnaire).questions
    }
    for code, item in values:
        question = questions.get(code)
        if question is None or item not in question.answer_items:
            raise PermissionDenied(
                f"question {code!r} item {item!r} is not part of this questionnaire"
            )
    answers_validate(questions=questions, values=values)
    current = answers_map(locked)
    # The stored rows of the cells this save may write, read once `final` is known.
    existing: dict[Key, Answer] = {}
    changes: list[AnswerChange] = []
    to_create: list[Answer] = []
    to_update: list[Answer] = []
    to_delete: list[int] = []

    def apply(key: Key, new: Value | None) -> None:
        question = questions[key[0]]
        old = current.get(key)
        if old == new:
            return
        answer = existing.get(key)
        if new is None:
            if answer is not None:
                to_delete.append(answer.pk)
            current.pop(key, None)
        else:
            if answer is None:
                to_create.append(
                    Answer(
                        response=locked,
                        question=question,
                        item=key[1],
                        text=new.text,
                        number=new.number,
                        cannot_estimate=new.cannot_estimate,
                    )
                )
            else:
                answer.text, answer.number = new.text, new.number
                answer.cannot_estimate = new.cannot_estimate
                answer.warning_confirmed = False
                # bulk_update does not apply auto_now.
                answer.updated_at = timezone.now()
                to_update.append(answer)
            current[key] = new
        changes.append(
            AnswerChange(
                response=locked,
                question=question,
                item=key[1],
                old_value=_display(question, old),
                new_value=_display(question, new),
                changed_by=by,
                source=source,
            )
        )

    final = answers_to_write(
        questions=list(questions.values()), current=current, values=values
    )
    # Alternatives that exclude each other ("Inget av ovanstående"), as the form and the
    # import check them: judged on the answers as they would be after this save.
    touched = {questions[code] for code, _item in values}
    after = {**current, **{k: v for k, v in final.items() if v is not None}}
    for key in [k for k, v in final.items() if v is None]:
        after.pop(key, None)
    conflicts = ticks_problems(touched, after)
    if conflicts:
        raise ValidationError(
            {code: [f"fråga {code}: {problem}"] for code, problem in conflicts.items()}
        )
    existing.update(
        _stored_rows(locked, questions, [*final, *(confirmations or {})], current)
    )
    for key, new in final.items():
        apply(key, new)
    for key, confirmed in (confirmations or {}).items():
        answer = existing.get(key)
        if answer is None or answer in to_update or answer.pk in to_delete:
            continue
        if answer.warning_confirmed != confirmed:
            answer.warning_confirmed = confirmed
            to_update.append(answer)

    # The version check again, as a conditional write: on databases without row locks
    # (SQLite) two saves that read the same version cannot both pass.
    # Answers entered by the RSS from a paper form make it a paper response.
    paper = (
        {"source": Response.Source.PAPER} if source == AnswerChange.Source.PAPER else {}
    )
    saved_at = timezone.now()
    claimed = Response.objects.filter(pk=locked.pk, version=locked.version).update(
        version=F("version") + 1, updated_by=by, updated_at=saved_at, **paper
    )
    if not claimed:
        raise StaleResponseError(_lock(response, None), locked.version)
    Answer.objects.filter(pk__in=to_delete).delete()
    Answer.objects.bulk_create(to_create)
    Answer.objects.bulk_update(
        to_update,
        ["text", "number", "cannot_estimate", "warning_confirmed", "updated_at"],
    )
    AnswerChange.objects.bulk_create(changes)
    # What the conditional write above stored, without reading the row again.
    locked.version += 1
    locked.updated_by = by
    locked.updated_at = saved_at
    if paper:
        locked.source = Response.Source.PAPER
    return locked, current


def _stored_rows(
    response: Response,
    questions: Mapping[str, Question],
    keys: Iterable[Key],
    current: Mapping[Key, Value],
) -> dict[Key, Answer]:
    """The stored answer rows of these cells (those without a stored answer skipped),
    by (question code, item): one query over their questions."""
    wanted = {key for key in keys if key in current}
    if not wanted:
        return {}
    codes = {questions[code].pk: code for code, _item in wanted}
    rows = response.answers.filter(question_id__in=codes).order_by()
    found = {(codes[row.question_id], row.item): row for row in rows}
    return {key: row for key, row in found.items() if key in wanted}


def response_check(
    *, response: Response, answers: dict[Key, Value] | None = None
) -> dict[str, list[str]]:
    """Every problem that blocks submitting, keyed by question code (Swedish messages)."""
    current = answers if answers is not None else answers_map(response)
    questions = list(response.questionnaire.questions.order_by("position"))
    errors: dict[str, list[str]] = {}
    for question in visible_questions(questions, current):
        problems: list[str] = []
        if question.required:
            missing = missing_items(question, current)
            if missing:
                problems.append(required_message(question, missing))
        for item in question.answer_items:
            value = current.get((question.code, item))
            if value is None:
                continue
            try:
                check_value(question, value, item=item)
            except AnswerError as exc:
                problems.append(f"{item}: {exc}" if item else str(exc))
        problem = ticks_problems([question], current).get(question.code)
        if problem:
            problems.append(problem)
        if question.type == QuestionType.COUNT_PER_OPTION:
            problems.extend(
                count_per_option_problems(question, response.organisation, current)
            )
        if problems:
            errors[question.code] = problems
    return errors


def count_per_option_problems(
    question: Question, organisation: Organisation, answers: Mapping[Key, Value]
) -> list[str]:
    """An RSS's counts: each at most the area's municipalities, and per item their sum too.

    For a compiled multiple choice the ticked counts are not summed (a municipality may
    tick several), but none may exceed the count of municipalities that answered it.
    """
    from surveys.models.questionnaire import ANSWERED_OPTION

    area = organisation.municipalities.count()
    problems = []
    sums: dict[str, int] = {}
    numbers: dict[str, int] = {}
    for cell in question.cells:
        value = answers.get((question.code, cell["label"]))
        if value is None or value.number is None:
            continue
        numbers[cell["label"]] = value.number
        if value.number > area:
            problems.append(
                _(
                    "%(cell)s: enter at most %(area)s, the number of municipalities in "
                    "the area (not %(n)s)."
                )
                % {"cell": cell["label"], "n": value.number, "area": area}
            )
        sums[cell["item"]] = sums.get(cell["item"], 0) + value.number
    source_type = question.source.type if question.source else None
    if source_type == QuestionType.MULTIPLE_CHOICE:
        answered = next(
            (
                numbers.get(cell["label"])
                for cell in question.cells
                if cell["option"] == ANSWERED_OPTION
            ),
            None,
        )
        for cell in question.cells:
            ticked = numbers.get(cell["label"])
            if (
                answered is None
                or ticked is None
                or cell["option"] == ANSWERED_OPTION
                or ticked <= answered
            ):
                continue
            problems.append(
                _(
                    "%(cell)s: enter at most %(answered)s, the number of "
                    "municipalities that answered the question (not %(n)s)."
                )
                % {"cell": cell["label"], "n": ticked, "answered": answered}
            )
    else:
        for item, total in sums.items():
            if total > area:
                where = f"”{item}”: " if item else ""
                problems.append(
                    _(
                        "%(where)sthe counts add up to %(total)s but can be at most "
                        "%(area)s together, the number of municipalities in the area. "
                        "Correct the counts."
                    )
                    % {"where": where, "total": total, "area": area}
                )
    return problems


def responses_mark_submitted(*, responses: QuerySet, by: User | None) -> int:
    """Set the responses not yet submitted to submitted (now, by whom, version raised).

    The status write only: callers check completeness (the web submit) or not (import).
    """
    now = timezone.now()
    return responses.exclude(status=Response.Status.SUBMITTED).update(
        status=Response.Status.SUBMITTED,
        submitted_at=now,
        submitted_by=by,
        updated_by=by,
        updated_at=now,
        version=F("version") + 1,
    )


@transaction.atomic
def response_submit(
    *,
    response: Response,
    by: User | None,
    version: int | None,
    confirm_by_email: bool = True,
    receipt: bool = True,
) -> Response:
    """Submit a complete response; raise ValidationError (dict by question code) if not.

    Submitting a submitted response changes nothing and returns it, whatever the
    version: a second click, or a second tab, after the first submit went through (the
    row lock makes a concurrent second submit wait for the first, then see it).
    Each submission is confirmed by e-mail to the submitter and the organisation's
    contact persons once it commits (surveys.services.submissions), unless
    confirm_by_email is False (the demo data); its receipt is built then too
    (surveys.signals.response_submitted), unless receipt is False (the demo data: built
    when first asked for).
    """
    locked = _lock(response, None)
    if locked.is_submitted:
        return locked
    if version is not None and locked.version != version:
        raise StaleResponseError(locked, version)
    is_open, reason = response_is_open(response=locked, by=by)
    if not is_open:
        raise ResponseLockedError(reason)
    errors = response_check(response=locked)
    if errors:
        raise ValidationError(errors)
    responses_mark_submitted(responses=Response.objects.filter(pk=locked.pk), by=by)
    locked.refresh_from_db()
    event = ResponseEvent.objects.create(
        response=locked, kind=ResponseEvent.Kind.SUBMITTED, by=by
    )
    if confirm_by_email:
        submission_confirmation_request(event=event)
    announce_responses_changed(
        questionnaire_id=locked.questionnaire_id, reason="submit"
    )
    if receipt:
        announce_response_submitted(response_id=locked.pk)
    return locked
