"""Reads for aggregation: answers of submitted responses as DataFrames, in fixed queries."""

from __future__ import annotations

import hashlib

import pandas as pd

from regions.models import Organisation
from surveys.models import Answer, Question, Questionnaire, Response

ANSWER_COLUMNS = [
    "organisation_code",
    "question_code",
    "item",
    "text",
    "number",
    "cannot_estimate",
]


def answers_frame(*, questionnaire: Questionnaire) -> pd.DataFrame:
    """Every answer of the questionnaire's submitted responses, one row per cell (1 query)."""
    rows = Answer.objects.filter(
        response__questionnaire=questionnaire,
        response__status=Response.Status.SUBMITTED,
    ).values_list(
        "response__organisation__code",
        "question__code",
        "item",
        "text",
        "number",
        "cannot_estimate",
    )
    frame = pd.DataFrame.from_records(list(rows), columns=ANSWER_COLUMNS)
    frame["number"] = frame["number"].astype("Int64")
    frame["cannot_estimate"] = frame["cannot_estimate"].astype(bool)
    return frame


def organisations_frame(*, kind: str) -> pd.DataFrame:
    """The organisations of a kind with county and RSS, in code order (1 query)."""
    rows = (
        Organisation.objects.filter(kind=kind)
        .order_by("code")
        .values_list("code", "name", "county__code", "rss__code", "population")
    )
    return pd.DataFrame.from_records(
        list(rows), columns=["code", "name", "county_code", "rss_code", "population"]
    )


def questions_list(*, questionnaire: Questionnaire) -> list[Question]:
    """The questionnaire's questions in order (1 query)."""
    return list(questionnaire.questions.order_by("position"))


def fingerprint(*, questionnaire: Questionnaire) -> tuple[str, int]:
    """A digest of which responses are submitted in which version, and their number.

    Equal digests mean equal submitted answers: every save raises a response's version.
    """
    rows = list(
        Response.objects.filter(
            questionnaire=questionnaire, status=Response.Status.SUBMITTED
        )
        .order_by("pk")
        .values_list("pk", "version")
    )
    digest = hashlib.sha256(repr(rows).encode()).hexdigest()
    return digest, len(rows)
