"""Writes on responses: saving answers (with optimistic locking), submitting, auditing."""

from __future__ import annotations

from collections.abc import Mapping

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from regions.models import Organisation
from surveys.answers import (
    AnswerError,
    Value,
    check_limits,
    missing_items,
    visible_questions,
)
from surveys.models import (
    Answer,
    AnswerChange,
    Question,
    Questionnaire,
    QuestionType,
    Response,
)
from surveys.signals import announce_responses_changed

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
        super().__init__(
            _(
                "Someone else (%(who)s) saved this questionnaire at %(when)s, after you "
                "opened it. Your changes were not saved. The page now shows the latest "
                "answers; enter your changes again."
            )
            % {
                "who": who or _("a colleague"),
                "when": timezone.localtime(response.updated_at).strftime(
                    "%Y-%m-%d %H:%M"
                ),
            }
        )


class ResponseLockedError(Exception):
    """A change to a response that is submitted (read-only)."""


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
        for code, item, text, number, cannot in response.answers.values_list(
            "question__code", "item", "text", "number", "cannot_estimate"
        )
    }


def _display(question: Question, value: Value | None) -> str | None:
    return None if value is None else value.display(question)


def _lock(response: Response, version: int | None) -> Response:
    locked = (
        Response.objects.select_for_update(of=("self",))
        .select_related("updated_by")
        .get(pk=response.pk)
    )
    if version is not None and locked.version != version:
        raise StaleResponseError(locked, version)
    return locked


@transaction.atomic
def response_save_answers(
    *,
    response: Response,
    values: Mapping[Key, Value | None],
    by: AbstractBaseUser | None,
    version: int | None,
    source: str = AnswerChange.Source.WEB,
    allow_submitted: bool = False,
) -> Response:
    """Save answer cells (None clears a cell) and return the response, version raised.

    Refuses a save based on an older version (StaleResponseError) and any change to a
    submitted response (ResponseLockedError), unless allow_submitted (the import).
    Answers of follow-up questions whose condition no longer holds are cleared. Every
    change is written to the audit log.
    """
    locked = _lock(response, version)
    if locked.is_submitted and not allow_submitted:
        raise ResponseLockedError(
            _("The questionnaire is submitted and can no longer be changed.")
        )
    questions = {q.code: q for q in locked.questionnaire.questions.order_by("position")}
    for code, item in values:
        question = questions.get(code)
        if question is None or item not in question.answer_items:
            raise PermissionDenied(
                f"question {code!r} item {item!r} is not part of this questionnaire"
            )
    existing = {
        (a.question.code, a.item): a for a in locked.answers.select_related("question")
    }
    current = answers_map(locked)
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

    proposed = dict(current)
    for key, new in values.items():
        if new is None:
            proposed.pop(key, None)
        else:
            proposed[key] = new
    # Follow-ups whose condition does not hold lose their answers (sent or stored).
    shown = {q.code for q in visible_questions(list(questions.values()), proposed)}
    final = {key: new if key[0] in shown else None for key, new in values.items()}
    final.update({key: None for key in current if key[0] not in shown})
    for key, new in final.items():
        apply(key, new)

    # The version check again, as a conditional write: on databases without row locks
    # (SQLite) two saves that read the same version cannot both pass.
    claimed = Response.objects.filter(pk=locked.pk, version=locked.version).update(
        version=F("version") + 1, updated_by=by, updated_at=timezone.now()
    )
    if not claimed:
        raise StaleResponseError(_lock(response, None), locked.version)
    Answer.objects.filter(pk__in=to_delete).delete()
    Answer.objects.bulk_create(to_create)
    Answer.objects.bulk_update(
        to_update, ["text", "number", "cannot_estimate", "updated_at"]
    )
    AnswerChange.objects.bulk_create(changes)
    locked.refresh_from_db()
    return locked


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
            if missing == [""]:
                if question.type == QuestionType.MULTIPLE_CHOICE:
                    problems.append(_("Tick at least one alternative."))
                else:
                    problems.append(_("This question must be answered."))
            elif missing:
                problems.append(
                    _("Answer every row: %(items)s is missing.")
                    % {"items": ", ".join(f"”{m}”" for m in missing)}
                )
        for item in question.answer_items:
            value = current.get((question.code, item))
            if value is None:
                continue
            try:
                check_limits(question, value)
            except AnswerError as exc:
                problems.append(f"{item}: {exc}" if item else str(exc))
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
    """An RSS's counts: each at most the area's municipalities, and per item their sum too."""
    area = organisation.municipalities.count()
    problems = []
    sums: dict[str, int] = {}
    for cell in question.cells:
        value = answers.get((question.code, cell["label"]))
        if value is None or value.number is None:
            continue
        if value.number > area:
            problems.append(
                _(
                    "%(cell)s: %(n)s is more than the %(area)s municipalities of the area."
                )
                % {"cell": cell["label"], "n": value.number, "area": area}
            )
        sums[cell["item"]] = sums.get(cell["item"], 0) + value.number
    source_type = question.source.type if question.source else None
    if source_type != QuestionType.MULTIPLE_CHOICE:
        for item, total in sums.items():
            if total > area:
                where = f"”{item}”: " if item else ""
                problems.append(
                    _(
                        "%(where)sthe counts add up to %(total)s, more than the %(area)s "
                        "municipalities of the area."
                    )
                    % {"where": where, "total": total, "area": area}
                )
    return problems


@transaction.atomic
def response_submit(
    *, response: Response, by: AbstractBaseUser | None, version: int | None
) -> Response:
    """Submit a complete response; raise ValidationError (dict by question code) if not."""
    locked = _lock(response, version)
    if locked.is_submitted:
        return locked
    errors = response_check(response=locked)
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    Response.objects.filter(pk=locked.pk).update(
        status=Response.Status.SUBMITTED,
        submitted_at=now,
        submitted_by=by,
        updated_by=by,
        updated_at=now,
        version=F("version") + 1,
    )
    locked.refresh_from_db()
    announce_responses_changed(
        questionnaire_id=locked.questionnaire_id, reason="submit"
    )
    return locked
