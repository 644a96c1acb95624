"""Deterministic synthetic answers for the benchmark database, written in bulk.

A size of k is k times the national frame (21 regions + 24 RSS + 290 municipalities = 335
organisations), all answering the 2024 region questionnaire (54 questions, the largest
of the cycle, the one with appendix tables and shares), so 100× is 33 500 organisations
× 54 questions. The 21 real regions take part; the others are made-up region-kind
organisations spread evenly over the 21 counties. Every response is submitted and
complete: each organisation gets one of VARIANTS answer sets drawn from a seeded random
generator (follow-up questions answered where their condition holds), so a run with
the same seed writes the same rows.

Only for the benchmark's own database (benchmarks.databases).
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterable, Iterator

from django.db import connection, transaction
from django.utils import timezone

from benchmarks import NATIONAL_FRAME
from regions.models import County, Organisation
from surveys.answers import Value, exclusive_items, text_format, visible_questions
from surveys.models import Answer, Question, Questionnaire, QuestionType, Response
from surveys.models.questionnaire import TICKED

VARIANTS = 256
SEED = 2024
BENCH_PREFIX = "B"
# The fieldwork is open during the benchmark (the draft saves need an open questionnaire).
OPEN_UNTIL = datetime.date(2099, 12, 31)
CHOICES = {
    QuestionType.YES_NO,
    QuestionType.YES_PARTLY_NO,
    QuestionType.SINGLE_CHOICE,
    QuestionType.MATRIX,
}
ESTIMABLE = {QuestionType.PERCENTAGE, QuestionType.COUNT}
NUMBER_RANGES: dict[str, tuple[int, int]] = {
    QuestionType.PERCENTAGE: (0, 100),
    QuestionType.COUNT: (0, 2_000_000),
    QuestionType.INTEGER: (0, 100),
    QuestionType.COUNT_PER_OPTION: (0, 10),
}
ANSWER_COLUMNS = (
    "response_id",
    "question_id",
    "item",
    "text",
    "number",
    "cannot_estimate",
    "warning_confirmed",
    "updated_at",
)
BATCH = 5000

Key = tuple[str, str]


def region_questionnaire() -> Questionnaire:
    return Questionnaire.objects.get(
        cycle__year=2024, audience=Questionnaire.Audience.REGION, is_current=True
    )


def random_value(question: Question, item: str, rng: random.Random) -> Value:
    """A value that fits the question and its limits."""
    qtype = question.type
    if qtype in CHOICES:
        return Value(text=rng.choice(question.choice_options))
    if qtype == QuestionType.MULTIPLE_CHOICE:
        if item in exclusive_items(question):
            return Value(text="")  # ticked alone only; the others are drawn freely
        return Value(text=TICKED if rng.random() < 0.5 else "")
    if qtype in NUMBER_RANGES:
        if qtype in ESTIMABLE and rng.random() < 0.1:
            return Value(cannot_estimate=True)
        low, high = NUMBER_RANGES[qtype]
        limits = question.validation or {}
        low = max(low, limits.get("min", low))
        high = min(high, limits.get("max", high))
        return Value(number=rng.randint(low, high))
    if text_format(question, item) == "email":
        return Value(text=f"svar{rng.randrange(1_000_000)}@exempel.se")
    if text_format(question, item) == "phone":
        return Value(text=f"070-{rng.randint(100, 999)} {rng.randint(10, 99)} 00")
    limit = (question.validation or {}).get("max_length", 200)
    return Value(text=f"Svar {rng.randrange(1_000_000)}"[:limit])


def answer_set(questions: list[Question], rng: random.Random) -> dict[Key, Value]:
    """A complete response: every question shown given the answers, every item."""
    values: dict[Key, Value] = {}
    while True:
        added = False
        for question in visible_questions(questions, values):
            for item in question.answer_items:
                if (question.code, item) not in values:
                    values[(question.code, item)] = random_value(question, item, rng)
                    added = True
        if not added:
            return values


def _answer_rows(
    responses: Iterable[int],
    variants: list[list[tuple]],
    rng: random.Random,
    stamp: object,
) -> Iterator[tuple]:
    for response_id in responses:
        for question_id, item, text, number, cannot in variants[
            rng.randrange(len(variants))
        ]:
            yield (response_id, question_id, item, text, number, cannot, False, stamp)


def _chunks(rows: Iterator[tuple], size: int) -> Iterator[list[tuple]]:
    chunk: list[tuple] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _insert_answers(rows: Iterator[tuple]) -> int:
    """Bulk insert: COPY on PostgreSQL, executemany in one transaction on SQLite."""
    table = Answer._meta.db_table
    columns = ", ".join(ANSWER_COLUMNS)
    count = 0
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
            return count
        marks = ", ".join(["%s"] * len(ANSWER_COLUMNS))
        sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608
        for chunk in _chunks(rows, BATCH):
            cursor.executemany(sql, chunk)
            count += len(chunk)
    return count


def populate(
    *,
    scale: int = 1,
    frame: int = NATIONAL_FRAME,
    organisations: int | None = None,
    seed: int = SEED,
) -> dict[str, int]:
    """Complete submitted responses of scale × frame organisations (or of
    `organisations` of them: 21 is the real regions alone)."""
    questionnaire = region_questionnaire()
    Questionnaire.objects.filter(pk=questionnaire.pk).update(closes_on=OPEN_UNTIL)
    rng = random.Random(seed)  # noqa: S311  (synthetic data, not secrets)
    counties = list(County.objects.filter(organisations__kind="region").distinct())
    counties.sort(key=lambda county: county.code)
    real = Organisation.objects.filter(kind=Organisation.Kind.REGION).count()
    wanted = frame * scale if organisations is None else organisations
    made_up = max(wanted - real, 0)
    Organisation.objects.bulk_create(
        (
            Organisation(
                kind=Organisation.Kind.REGION,
                code=f"{BENCH_PREFIX}{number:06d}",
                name=f"Org {number:06d}",
                full_name=f"Organisation {number:06d}",
                county=counties[number % len(counties)],
                population=rng.randrange(10_000, 2_500_000),
            )
            for number in range(made_up)
        ),
        batch_size=BATCH,
    )
    members = list(
        Organisation.objects.filter(kind=Organisation.Kind.REGION)
        .order_by("code")
        .values_list("pk", flat=True)
    )
    now = timezone.now()
    Response.objects.bulk_create(
        (
            Response(
                questionnaire=questionnaire,
                organisation_id=organisation,
                status=Response.Status.SUBMITTED,
                submitted_at=now,
            )
            for organisation in members
        ),
        batch_size=BATCH,
    )
    responses = list(
        Response.objects.filter(questionnaire=questionnaire)
        .order_by("organisation__code")
        .values_list("pk", flat=True)
    )
    questions = list(questionnaire.questions.order_by("position"))
    ids = {q.code: q.pk for q in questions}
    variants = [
        [
            (ids[code], item, value.text, value.number, value.cannot_estimate)
            for (code, item), value in answer_set(questions, rng).items()
        ]
        for _variant in range(VARIANTS)
    ]
    stamp = connection.ops.adapt_datetimefield_value(now)
    answers = _insert_answers(_answer_rows(responses, variants, rng, stamp))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {
        "organisations": len(members),
        "responses": len(responses),
        "answers": answers,
        "questions": len(questions),
    }
