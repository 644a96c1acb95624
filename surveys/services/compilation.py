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

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from regions.models import Organisation
from surveys.answers import Value
from surveys.models import (
    Answer,
    AnswerChange,
    CompilationFetch,
    Question,
    Questionnaire,
    QuestionType,
    Response,
)
from surveys.models.questionnaire import ANSWERED_OPTION, MUNICIPAL_VIA_RSS_KEY
from surveys.selectors.compilation import CompilationStatus, compilation_status
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


@dataclass(frozen=True)
class CountChange:
    """One count cell whose value differs: (question, label), then and now."""

    question: str
    label: str
    before: int | None
    after: int

    @property
    def difference(self) -> int:
        return self.after - (self.before or 0)

    @property
    def difference_display(self) -> str:
        return f"{self.difference:+d}"


class CountsWouldBeOverwritten(Exception):
    """Fetching would overwrite counts the RSS typed itself; confirm first."""

    def __init__(self, changes: list[CountChange]) -> None:
        super().__init__(f"{len(changes)} typed counts would be overwritten")
        self.changes = changes


def _key(key: Key) -> str:
    return f"{key[0]}|{key[1]}"


def _fetched_counts(response: Response, status: CompilationStatus) -> dict[Key, Value]:
    """The counts "Hämta kommunernas svar" gives now, from the area's submitted answers."""
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
            response__questionnaire__key=MUNICIPAL_VIA_RSS_KEY,
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
    return values


def rss_compilation_overwrites(
    *, response: Response, status: CompilationStatus | None = None
) -> list[CountChange]:
    """The counts the RSS typed itself that fetching now would change.

    A typed count is one that differs from what the last fetch wrote (every stored
    count when the RSS never fetched). Counts that are still as fetched are not listed:
    fetching again updates them as intended.
    """
    status = status or compilation_status(response)
    if status is None:
        return []
    fetched = _fetched_counts(response, status)
    last = getattr(
        CompilationFetch.objects.filter(response=response).first(), "counts", {}
    )
    stored = dict(
        (((code, item), number))
        for code, item, number in Answer.objects.filter(
            response=response, number__isnull=False
        ).values_list("question__code", "item", "number")
    )
    changes = []
    for key, value in fetched.items():
        before = stored.get(key)
        if before is None or value.number is None or before == value.number:
            continue
        if last.get(_key(key)) == before:
            continue  # as fetched last time, not typed
        changes.append(CountChange(key[0], key[1], before, value.number))
    return changes


def rss_compilation_drift(
    *, response: Response, status: CompilationStatus | None = None
) -> list[CountChange]:
    """The fetched counts that counting again would change: they went stale.

    Another municipality of the area submitted, or a submitted one was reopened, since
    the RSS fetched. Empty when the RSS never fetched (it typed its counts).
    """
    last = CompilationFetch.objects.filter(response=response).first()
    if last is None:
        return []
    status = status or compilation_status(response)
    if status is None:
        return []
    now = _fetched_counts(response, status)
    changes = []
    for key, value in now.items():
        before = last.counts.get(_key(key))
        if before is not None and value.number is not None and before != value.number:
            changes.append(CountChange(key[0], key[1], before, value.number))
    return changes


def rss_compilation_submit_check(*, response: Response, confirmed: bool) -> None:
    """Refuse (ValidationError) to submit stale fetched counts unless confirmed.

    A response already submitted passes: submitting it again changes nothing.
    """
    if confirmed or response.is_submitted:
        return
    drift = rss_compilation_drift(response=response)
    if drift:
        raise ValidationError(
            _(
                "The municipalities' answers have changed since the counts were "
                "fetched (%(n)s counts differ). Fetch again, or confirm that the counts "
                "are to be submitted as they are."
            )
            % {"n": len(drift)}
        )


@transaction.atomic
def rss_compilation_prefill(
    *, response: Response, by: User | None, confirmed: bool = False
) -> CompilationReport:
    """Fill an RSS's draft counts per option from its area's submitted municipal answers.

    Overwrites every count-per-option cell (and the S03a count of municipalities that
    answered, where the questionnaire has it), audited as a system change by `by`, and
    keeps what it wrote (CompilationFetch) to tell later when it went stale. Refuses a
    response that is not an RSS's, a submitted one (ResponseLockedError), and an area
    where no municipality has submitted yet (nothing to count: the counts stay as
    typed). Raises CountsWouldBeOverwritten, listing them, when counts the RSS typed
    itself would change, unless confirmed.
    """
    status = compilation_status(response)
    if status is None:
        raise ValidationError(
            _("Only an RSS's response to the RSS questionnaire compiles counts.")
        )
    response.refresh_from_db(fields=["status"])
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
    if not confirmed:
        overwrites = rss_compilation_overwrites(response=response, status=status)
        if overwrites:
            raise CountsWouldBeOverwritten(overwrites)
    values = _fetched_counts(response, status)
    saved = response_save_answers(
        response=response,
        values=values,
        by=by,
        version=None,
        source=AnswerChange.Source.SYSTEM,
    )
    CompilationFetch.objects.update_or_create(
        response=response,
        defaults={
            "counts": {_key(k): v.number for k, v in values.items()},
            "fetched_at": timezone.now(),
            "fetched_by": by if by is not None and by.is_authenticated else None,
        },
    )
    return CompilationReport(
        response=saved,
        included=status.submitted,
        missing=status.missing,
        values=values,
    )


def rss_compilations_drift(
    *, questionnaire: Questionnaire
) -> list[tuple[Response, list[CountChange]]]:
    """Every RSS response of the questionnaire whose fetched counts went stale.

    For the staff's quality list; a few queries per RSS that fetched (24 at most).
    """
    stale = []
    fetched = (
        Response.objects.filter(
            questionnaire=questionnaire, compilation_fetch__isnull=False
        )
        .select_related("organisation", "questionnaire")
        .order_by("organisation__code")
    )
    for response in fetched:
        drift = rss_compilation_drift(response=response)
        if drift:
            stale.append((response, drift))
    return stale
