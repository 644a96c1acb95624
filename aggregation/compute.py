"""Compute a questionnaire's published figures: read the answers, call the rules.

compute_results reads everything in a fixed number of queries (never one per organisation
or per question) and returns DataFrames; AggregationRun stores them as AppendixCell and
ShareRow rows.

What each questionnaire yields:
- appendix: the tables of its in_appendix questions with a national rule (the regions'
  questionnaire in 2024), with the previous cycle's national row where the question is
  linked to one that has submitted answers;
- shares: regions: over regions (Sweden, county); RSS: over RSS, of the RSS's own closed
  questions (Sweden, county, RSS); municipalities: over municipalities, from the
  count-per-option answers of the submitted RSS responses to the same cycle's current RSS
  questionnaire (Sweden, county, RSS). Those counts are what both the hjälpenkät path
  (prefilled from the municipal answers) and the paper path (typed by the RSS) produce,
  so the two paths give the same shares. The extra questionnaire (free text) yields none.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import pandas as pd

from aggregation import selectors
from aggregation.rules.appendix import (
    APPENDIX_COLUMNS,
    PREVIOUS_COLUMNS,
    appendix_cells,
    appendix_questions,
    national_rows,
)
from aggregation.rules.previous import (
    combined_national,
    earlier_figures,
    published_national,
    ran,
    with_previous,
)
from aggregation.rules.shares import (
    SHARE_COLUMNS,
    municipal_shares,
    region_shares,
    rss_shares,
)
from regions.models import Organisation
from surveys.models import Question, Questionnaire

QUESTION_COLUMNS = [
    "question",
    "type",
    "rule",
    "options",
    "items",
    "cells",
    "source",
    "in_appendix",
    "position",
]


@dataclass(frozen=True)
class Results:
    """A questionnaire's computed tables and the answers they were computed from."""

    # question, item, organisation, organisation_code, value, position
    appendix: pd.DataFrame
    # question, item, option, level, unit, counted, count, denominator, percent, position
    shares: pd.DataFrame
    fingerprint: str
    responses: int


def questions_frame(
    questions: list[Question], source_codes: dict[int, str] | None = None
) -> pd.DataFrame:
    """The questions as the rules take them; source_codes maps source ids to codes."""
    source_codes = source_codes or {}
    rows = [
        (
            q.code,
            str(q.type),
            str(q.rule),
            q.choice_options,
            list(q.items or []),
            list(q.cells or []),
            source_codes.get(q.source_id) if q.source_id else None,
            bool(q.in_appendix),
            q.position,
        )
        for q in questions
    ]
    return pd.DataFrame(rows, columns=QUESTION_COLUMNS)


def compiling_questionnaire(*, questionnaire: Questionnaire) -> Questionnaire | None:
    """The questionnaire whose answers give a municipal questionnaire's shares (1 query).

    The current RSS questionnaire of the same cycle; None for other audiences.
    """
    if questionnaire.audience != Questionnaire.Audience.MUNICIPALITY:
        return None
    return Questionnaire.objects.filter(
        cycle_id=questionnaire.cycle_id,
        audience=Questionnaire.Audience.RSS,
        is_current=True,
    ).first()


def results_fingerprint(
    *, questionnaire: Questionnaire, compiling: Questionnaire | None = None
) -> tuple[str, int]:
    """Identifies the answers a questionnaire's results are computed from, and the number
    of its submitted responses.

    Equal to selectors.fingerprint except for the municipal questionnaire, whose shares
    come from the RSS compilations: there the RSS questionnaire's submitted responses
    count too, so an RSS that submits or reopens makes the municipal results stale.
    """
    digest, responses = selectors.fingerprint(questionnaire=questionnaire)
    # Published values of earlier years are part of the results too: an import
    # makes them stale.
    published = selectors.published_digest(questionnaire=questionnaire)
    if published:
        digest = hashlib.sha256(f"{digest}:{published}".encode()).hexdigest()
    if compiling is None:
        compiling = compiling_questionnaire(questionnaire=questionnaire)
    if compiling is None:
        return digest, responses
    compiled_digest, _ = selectors.fingerprint(questionnaire=compiling)
    combined = hashlib.sha256(f"{digest}:{compiled_digest}".encode()).hexdigest()
    return combined, responses


def _source_codes(questions: list[Question]) -> dict[int, str]:
    """The codes of the questions compiled by count-per-option questions (1 query)."""
    ids = {q.source_id for q in questions if q.source_id}
    if not ids:
        return {}
    return dict(Question.objects.filter(pk__in=ids).values_list("pk", "code"))


def _previous_national(questions: list[Question]) -> pd.DataFrame:
    """The previous cycle's national rows of the appendix questions linked to one.

    Keyed by the current question's code; only where the previous questionnaire has
    submitted answers. One query for the linked questions and one per previous
    questionnaire (one in practice: the same audience a year earlier).
    """
    links = {q.previous_id: q.code for q in questions if q.previous_id}
    if not links:
        return pd.DataFrame(columns=PREVIOUS_COLUMNS)
    linked = list(
        Question.objects.filter(pk__in=links).select_related("questionnaire__cycle")
    )
    frames = []
    for questionnaire_id in sorted({q.questionnaire_id for q in linked}):
        of_questionnaire = [q for q in linked if q.questionnaire_id == questionnaire_id]
        previous = of_questionnaire[0].questionnaire
        answers = selectors.answers_frame(questionnaire=previous)
        if answers.empty:
            continue
        national = national_rows(questions_frame(of_questionnaire), answers)
        codes = {q.code: links[q.pk] for q in of_questionnaire}
        national["question"] = national["question"].map(codes)
        national["year"] = previous.cycle.year
        frames.append(national[PREVIOUS_COLUMNS])
    if not frames:
        return pd.DataFrame(columns=PREVIOUS_COLUMNS)
    return pd.concat(frames, ignore_index=True)


def _previous_shares(questions: list[Question]) -> pd.DataFrame:
    """The shares of the previous cycle's questions linked to these, where that cycle
    ran in the system: keyed by the current question's code, with the year.

    Computed as that questionnaire computes them (compute_results without its own
    earlier_years); one computation per previous questionnaire.
    """
    links = {q.previous_id: q.code for q in questions if q.previous_id}
    if not links:
        return pd.DataFrame(columns=[*SHARE_COLUMNS, "year"])
    linked = list(
        Question.objects.filter(pk__in=links).select_related("questionnaire__cycle")
    )
    frames = []
    for questionnaire_id in sorted({q.questionnaire_id for q in linked}):
        of_questionnaire = [q for q in linked if q.questionnaire_id == questionnaire_id]
        previous = of_questionnaire[0].questionnaire
        shares = compute_results(questionnaire=previous, earlier_years=False).shares
        codes = {q.code: links[q.pk] for q in of_questionnaire}
        shares = ran(shares[shares["question"].isin(list(codes))])
        if shares.empty:
            continue
        frames.append(
            shares.assign(
                question=shares["question"].map(codes), year=previous.cycle.year
            )
        )
    if not frames:
        return pd.DataFrame(columns=[*SHARE_COLUMNS, "year"])
    return pd.concat(frames, ignore_index=True)


def compute_results(
    *, questionnaire: Questionnaire, earlier_years: bool = True
) -> Results:
    """The appendix cells and shares of a questionnaire from its submitted answers.

    With the earlier years (earlier_years): the "Riket <year>" rows of the appendix and
    the previous_* columns of the shares, from the linked previous cycle where it ran
    in the system, else from the published values (aggregation.rules.previous).

    The fingerprint is taken first: should answers change while this runs, the results
    carry the older fingerprint and show as stale, never the reverse.
    """
    compiling = compiling_questionnaire(questionnaire=questionnaire)
    digest, responses = results_fingerprint(
        questionnaire=questionnaire, compiling=compiling
    )
    questions = selectors.questions_list(questionnaire=questionnaire)
    frame = questions_frame(questions)
    audience = questionnaire.audience
    own_answers_needed = audience in (
        Questionnaire.Audience.REGION,
        Questionnaire.Audience.RSS,
    )
    printed = appendix_questions(frame)
    appendix = pd.DataFrame(columns=APPENDIX_COLUMNS)
    answers = organisations = pd.DataFrame()
    if not printed.empty or own_answers_needed:
        answers = selectors.answers_frame(questionnaire=questionnaire)
        organisations = selectors.organisations_frame(
            kind=questionnaire.organisation_kind
        )
    published = (
        selectors.published_frame(questionnaire=questionnaire)
        if earlier_years
        else pd.DataFrame()
    )
    if not printed.empty:
        in_table = [q for q in questions if q.code in set(printed["question"])]
        previous = (
            combined_national(
                _previous_national(in_table), published_national(printed, published)
            )
            if earlier_years
            else None
        )
        appendix = appendix_cells(frame, answers, organisations, previous=previous)

    shares = pd.DataFrame(columns=SHARE_COLUMNS)
    if audience == Questionnaire.Audience.REGION:
        shares = region_shares(frame, answers, organisations)
    elif audience == Questionnaire.Audience.RSS:
        shares = rss_shares(frame, answers, organisations)
    elif compiling is not None:
        rss_questions = selectors.questions_list(questionnaire=compiling)
        shares = municipal_shares(
            questions_frame(rss_questions, _source_codes(rss_questions)),
            selectors.answers_frame(questionnaire=compiling),
            selectors.organisations_frame(kind=Organisation.Kind.RSS),
        )
    earlier = (
        earlier_figures(_previous_shares(questions), published)
        if earlier_years
        else pd.DataFrame()
    )
    shares = with_previous(shares, earlier)
    return Results(
        appendix=appendix.reset_index(drop=True),
        shares=shares.reset_index(drop=True),
        fingerprint=digest,
        responses=responses,
    )
