"""Compute a questionnaire's published figures: read the answers, call the rules.

compute_results reads everything in a fixed number of queries (never one per organisation
or per question) and returns DataFrames; AggregationRun stores them as AppendixCell and
ShareRow rows.

What each questionnaire yields:
- appendix: the tables of its in_appendix questions with a national rule (the regions'
  questionnaire in 2024), with the previous cycle's national row where the question is
  linked to one that has submitted answers;
- shares: regions: over regions (Sweden, county); RSS: over RSS, of the RSS's own closed
  questions (Sweden, county, RSS); municipalities: over municipalities (Sweden, county,
  RSS), one source per RSS area (aggregation.rules.shares.area_sources): the submitted
  municipal answers (web, or typed from paper by the RSS), or, for an area whose answers
  are not in the system, the count-per-option answers of its RSS's submitted response
  to the same cycle's current RSS questionnaire (the counts-only path). The extra
  questionnaire: over municipalities from their own answers (its closed questions; a
  free-text question yields none).
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
    SOURCE_COUNTS,
    answer_tallies,
    area_sources,
    compiled_tallies,
    count_differences,
    municipal_shares,
    region_shares,
    rss_shares,
)
from aggregation.rules.statsbidrag import (
    AMOUNT_COLUMNS,
    REQUISITIONED_RULE,
    UNUSED_RULE,
    grant_cells,
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
    if not questionnaire.via_rss:
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
    may come from the RSS compilations (the counts-only path): there the RSS
    questionnaire's submitted responses count too, so an RSS that submits or reopens
    makes the municipal results stale.
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


def _grant_questions(questions: list[Question]) -> tuple[Question, Question] | None:
    """The grant report's requisitioned and unused questions, if the questionnaire has
    them (rules grant_requisitioned and grant_unused)."""
    requisitioned = next((q for q in questions if q.rule == REQUISITIONED_RULE), None)
    unused = next((q for q in questions if q.rule == UNUSED_RULE), None)
    if requisitioned is None or unused is None:
        return None
    return requisitioned, unused


def _with_grant_table(
    questionnaire: Questionnaire,
    grant: tuple[Question, Question],
    appendix: pd.DataFrame,
    answers: pd.DataFrame,
) -> pd.DataFrame:
    """The appendix with Tabell 1 (under the requisitioned question's code) and Bilaga 1
    Tabell 1 (under the unused question's code) of the grant report."""
    requisitioned, unused = grant
    amounts = pd.DataFrame(columns=AMOUNT_COLUMNS)
    if not answers.empty:
        numbers = answers[answers["item"] == ""]
        wide = numbers.pivot_table(
            index="organisation_code",
            columns="question_code",
            values="number",
            aggfunc="first",
        )
        amounts = pd.DataFrame(
            {
                "organisation_code": wide.index,
                "requisitioned": wide.get(requisitioned.code),
                "unused": wide.get(unused.code),
            }
        ).reset_index(drop=True)
    reference = (requisitioned.validation or {}).get("reference", "")
    allocations = selectors.reference_frame(questionnaire=questionnaire, name=reference)
    cells = grant_cells(
        national_question=requisitioned.code,
        municipal_question=unused.code,
        organisations=selectors.organisations_frame(
            kind=questionnaire.organisation_kind
        ),
        amounts=amounts,
        allocations=allocations,
    )
    if appendix.empty:
        return cells[APPENDIX_COLUMNS]
    cells["position"] = cells["position"] + int(appendix["position"].max()) + 1
    return pd.concat([appendix, cells[APPENDIX_COLUMNS]], ignore_index=True)


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
        Questionnaire.Audience.MUNICIPALITY,
        Questionnaire.Audience.EXTRA,
    )
    printed = appendix_questions(frame)
    appendix = pd.DataFrame(columns=APPENDIX_COLUMNS)
    answers = organisations = pd.DataFrame()
    grant = _grant_questions(questions)
    if grant is not None or audience == Questionnaire.Audience.MUNICIPALITY:
        own_answers_needed = own_answers_needed or not questionnaire.via_rss
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

    if grant is not None:
        appendix = _with_grant_table(questionnaire, grant, appendix, answers)

    shares = pd.DataFrame(columns=SHARE_COLUMNS)
    if audience == Questionnaire.Audience.REGION:
        shares = region_shares(frame, answers, organisations)
    elif audience == Questionnaire.Audience.RSS:
        shares = rss_shares(frame, answers, organisations)
    elif audience in (
        Questionnaire.Audience.MUNICIPALITY,
        Questionnaire.Audience.EXTRA,
    ):
        rss_questions = rss_answers = None
        if compiling is not None:
            compiling_questions = selectors.questions_list(questionnaire=compiling)
            rss_questions = questions_frame(
                compiling_questions, _source_codes(compiling_questions)
            )
            rss_answers = selectors.answers_frame(questionnaire=compiling)
        shares = municipal_shares(
            frame,
            answers,
            organisations,
            selectors.organisations_frame(kind=Organisation.Kind.RSS),
            rss_questions=rss_questions,
            rss_answers=rss_answers,
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


@dataclass(frozen=True)
class CountDifference:
    """One option where an RSS's submitted count differs from its area's answers."""

    rss_code: str
    rss_name: str
    # The municipal question's code, and the RSS question that compiles it.
    question: str
    rss_question: str
    item: str
    option: str
    rss_count: int
    answers_count: int
    # True when the area's shares use the RSS's counts (they cover more municipalities).
    counts_used: bool

    @property
    def difference(self) -> int:
        return self.rss_count - self.answers_count

    @property
    def difference_display(self) -> str:
        return f"{self.difference:+d}"


def rss_count_differences(*, questionnaire: Questionnaire) -> list[CountDifference]:
    """Where the submitted RSS counts of the questionnaire's cycle differ from the
    submitted answers of their areas' municipalities (aggregation.rules.shares.
    count_differences), for the staff's quality list of the RSS or the municipal
    questionnaire; empty for other audiences. A fixed number of queries.
    """
    if questionnaire.audience == Questionnaire.Audience.RSS:
        municipal = Questionnaire.objects.filter(
            cycle_id=questionnaire.cycle_id,
            audience=Questionnaire.Audience.MUNICIPALITY,
            is_current=True,
        ).first()
        compiling: Questionnaire | None = questionnaire
    elif questionnaire.audience == Questionnaire.Audience.MUNICIPALITY:
        municipal = questionnaire
        compiling = compiling_questionnaire(questionnaire=questionnaire)
    else:
        return []
    if municipal is None or compiling is None:
        return []
    rss_questions = selectors.questions_list(questionnaire=compiling)
    rss_frame = questions_frame(rss_questions, _source_codes(rss_questions))
    compiled = compiled_tallies(
        rss_frame, selectors.answers_frame(questionnaire=compiling)
    )
    if compiled.empty:
        return []
    answers = selectors.answers_frame(questionnaire=municipal)
    municipalities = selectors.organisations_frame(kind=Organisation.Kind.MUNICIPALITY)
    own = answer_tallies(
        questions_frame(selectors.questions_list(questionnaire=municipal)), answers
    )
    differences = count_differences(compiled, own, municipalities)
    if differences.empty:
        return []
    rss_units = selectors.organisations_frame(kind=Organisation.Kind.RSS)
    names = dict(zip(rss_units["code"], rss_units["name"], strict=True))
    areas = area_sources(answers, municipalities, rss_units, compiled)
    counts_used = set(areas.loc[areas["source"] == SOURCE_COUNTS, "rss_code"])
    compiling_code = {
        str(source): str(code)
        for code, source in zip(rss_frame["question"], rss_frame["source"], strict=True)
        if isinstance(source, str)
    }
    return [
        CountDifference(
            rss_code=str(rss_code),
            rss_name=str(names.get(rss_code, rss_code)),
            question=str(question),
            rss_question=compiling_code.get(str(question), ""),
            item=str(item),
            option=str(option),
            rss_count=int(rss_count),
            answers_count=int(answers_count),
            counts_used=rss_code in counts_used,
        )
        for rss_code, question, item, option, rss_count, answers_count in zip(
            differences["rss_code"],
            differences["question"],
            differences["item"],
            differences["option"],
            differences["rss_count"],
            differences["answers_count"],
            strict=True,
        )
    ]
