"""The RSS compilation: an RSS's counts per option, prefilled from its area's answers.

The hjälpenkät path: the municipalities of an RSS area answer the municipal questionnaire
on the web, and the RSS questionnaire's count-per-option questions are filled in from
their submitted answers. The coordinator reviews the counts (and may change them) before
submitting. An RSS that collected the answers on paper types the counts itself instead;
both paths end in the same stored counts, which are what the shares are computed from.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from regions.models import Organisation
from surveys.answers import Value
from surveys.models import (
    Answer,
    AnswerChange,
    Question,
    Questionnaire,
    QuestionType,
    Response,
)
from surveys.models.questionnaire import ANSWERED_OPTION
from surveys.selectors import compilation_status
from surveys.services.responses import ResponseLockedError, response_save_answers

Key = tuple[str, str]

# The RSS questionnaire's "how many municipalities of the area answered the municipal
# questionnaire". No question type marks it, so it is found by its code in the
# definitions (rss.yaml, S03a); a questionnaire without that code gets no such count.
ANSWERED_QUESTION_CODE = "S03a"


@dataclass(frozen=True)
class CompilationReport:
    """What a prefill wrote, and from which municipalities."""

    response: Response
    # The area's municipalities whose submitted answers were counted, in code order.
    included: list[Organisation]
    # The area's municipalities that have not submitted the municipal questionnaire.
    missing: list[Organisation]
    values: dict[Key, Value]

    @property
    def responses_used(self) -> int:
        return len(self.included)


def compiled_counts(
    questions: list[Question], rows: list[tuple[int, str, str, str]]
) -> dict[Key, Value]:
    """The count cells of count-per-option questions from municipal answer rows.

    rows are (municipality id, question code, item, text) of submitted answers. A cell
    counts the municipalities whose answer to the source question, at the cell's item,
    is the cell's option (a ticked alternative is "Ja"); the "_answered" cell of a
    multiple choice counts those that answered the question at all.
    """
    chose: dict[tuple[str, str, str], set[int]] = defaultdict(set)
    answered: dict[str, set[int]] = defaultdict(set)
    for organisation_id, code, item, text in rows:
        chose[(code, item, text)].add(organisation_id)
        answered[code].add(organisation_id)
    values: dict[Key, Value] = {}
    for question in questions:
        if question.type != QuestionType.COUNT_PER_OPTION or question.source is None:
            continue
        source = question.source.code
        for cell in question.cells:
            if cell["option"] == ANSWERED_OPTION:
                count = len(answered[source])
            else:
                count = len(chose[(source, cell["item"], cell["option"])])
            values[(question.code, cell["label"])] = Value(number=count)
    return values


@transaction.atomic
def rss_compilation_prefill(
    *, response: Response, by: AbstractBaseUser | None
) -> CompilationReport:
    """Fill an RSS's draft counts per option from its area's submitted municipal answers.

    Overwrites every count-per-option cell (and the S03a count of municipalities that
    answered, where the questionnaire has it), audited as a system change by `by`.
    Refuses a response that is not an RSS's, a submitted one (ResponseLockedError), and
    an area where no municipality has submitted yet (nothing to count: the counts stay
    as typed).
    """
    status = compilation_status(response)
    if status is None:
        raise ValidationError(
            _("Only an RSS's response to the RSS questionnaire compiles counts.")
        )
    if response.is_submitted:
        raise ResponseLockedError(
            _("The questionnaire is submitted and can no longer be changed.")
        )
    if not status.submitted:
        raise ValidationError(
            _(
                "No municipality of the area has submitted the municipal questionnaire "
                "yet; the counts were not changed."
            )
        )
    questions = list(
        response.questionnaire.questions.filter(
            Q(type=QuestionType.COUNT_PER_OPTION) | Q(code=ANSWERED_QUESTION_CODE)
        )
        .select_related("source")
        .order_by("position")
    )
    sources = {q.source.code for q in questions if q.source is not None}
    rows = list(
        Answer.objects.filter(
            response__organisation__in=[m.pk for m in status.submitted],
            response__questionnaire__cycle_id=response.questionnaire.cycle_id,
            response__questionnaire__audience=Questionnaire.Audience.MUNICIPALITY,
            response__questionnaire__is_current=True,
            response__status=Response.Status.SUBMITTED,
            question__code__in=sources,
        ).values_list("response__organisation_id", "question__code", "item", "text")
    )
    values = compiled_counts(questions, rows)
    if any(
        q.code == ANSWERED_QUESTION_CODE
        and q.type in (QuestionType.INTEGER, QuestionType.COUNT)
        for q in questions
    ):
        values[(ANSWERED_QUESTION_CODE, "")] = Value(number=len(status.submitted))
    saved = response_save_answers(
        response=response,
        values=values,
        by=by,
        version=None,
        source=AnswerChange.Source.SYSTEM,
    )
    return CompilationReport(
        response=saved,
        included=status.submitted,
        missing=status.missing,
        values=values,
    )
