"""Response rates: invited, started, submitted and the rate per questionnaire, county, RSS.

`rates_frame` reads a frame with one row per invited organisation and questionnaire from
the database in a fixed number of queries. The computation on it is pure: the frame goes
in, tables come out, so the staff pages and the coordinator's page show the same figures.

The frame of a questionnaire is surveys.frames' answer: every organisation of its
audience (all 21 regions, 24 RSS or 290 municipalities), or the organisations chosen when
an extra question was created for a chosen set.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence

import pandas as pd
from django.db.models import Exists, Max, OuterRef, QuerySet, Subquery
from django.utils import timezone

from regions.models import Organisation
from surveys.frames import is_sent_to_chosen_set, newest_opened
from surveys.models import Answer, AnswerChange, Questionnaire, Response
from surveys.models.questionnaire import MUNICIPAL_VIA_RSS_KEY
from surveys.numbers import percent_of

NOT_STARTED = "not_started"
DRAFT = "draft"
SUBMITTED = "submitted"
STATUSES = (NOT_STARTED, DRAFT, SUBMITTED)


def area_questionnaires() -> list[Questionnaire]:
    """The current questionnaires the municipalities of an RSS area answer, main one first.

    The main one is the municipal questionnaire in the field (the one the start page's area
    list shows); an extra question sent to the municipalities follows, never in its place.
    """
    audiences = [Questionnaire.Audience.MUNICIPALITY, Questionnaire.Audience.EXTRA]
    current = Questionnaire.objects.filter(is_current=True)
    choices = list(
        current.filter(audience__in=audiences)
        .select_related("cycle")
        .order_by("-cycle__year", "opens_on", "pk")
    )
    main = newest_opened(current.filter(key=MUNICIPAL_VIA_RSS_KEY))
    if main is not None:
        choices.sort(key=lambda q: q.pk != main.pk)
    return choices


FRAME_COLUMNS = [
    "questionnaire_id",
    "organisation_id",
    "organisation_code",
    "organisation",
    "kind",
    "county_code",
    "county",
    "rss_code",
    "rss",
    "status",
    "response_id",
    "last_activity",
    "submitted_at",
]
RATE_COLUMNS = ["invited", "started", "submitted", "rate"]


# The computation (pure)


def response_status(*, has_response: bool, answered: bool, submitted: bool) -> str:
    """not_started, draft (at least one answer) or submitted."""
    if submitted:
        return SUBMITTED
    if has_response and answered:
        return DRAFT
    return NOT_STARTED


def response_rates(frame: pd.DataFrame, *, by: Sequence[str]) -> pd.DataFrame:
    """Invited, started, submitted and rate per group of `by` columns, sorted by them.

    Rows whose grouping values are missing (a region has no RSS) are left out. Started
    counts drafts with answers and submitted responses; rate is submitted of invited as
    a whole percent rounded half up (surveys.numbers.percent_of), None when none invited.
    """
    columns = list(by)
    rows = frame.dropna(subset=columns)
    if rows.empty:
        return pd.DataFrame(columns=[*columns, *RATE_COLUMNS])
    flags = pd.DataFrame(
        {
            **{column: rows[column] for column in columns},
            "invited": 1,
            "started": rows["status"].isin([DRAFT, SUBMITTED]).astype(int),
            "submitted": (rows["status"] == SUBMITTED).astype(int),
        }
    )
    result = flags.groupby(columns, sort=True, as_index=False)[
        ["invited", "started", "submitted"]
    ].sum()
    for column in ("invited", "started", "submitted"):
        result[column] = result[column].astype(int)
    result["rate"] = [
        percent_of(int(s), int(i))
        for s, i in zip(result["submitted"], result["invited"], strict=True)
    ]
    return result.reset_index(drop=True)


def rates_per_questionnaire(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per questionnaire."""
    return response_rates(frame, by=["questionnaire_id"])


def rates_per_county(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per questionnaire and county (every kind of organisation has a county)."""
    return response_rates(frame, by=["questionnaire_id", "county_code", "county"])


def rates_per_rss(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per questionnaire and RSS area: municipalities only (they have an RSS)."""
    return response_rates(frame, by=["questionnaire_id", "rss_code", "rss"])


def filter_rows(
    frame: pd.DataFrame,
    *,
    status: str | None = None,
    county_code: str | None = None,
    rss_code: str | None = None,
) -> pd.DataFrame:
    """The organisation rows with the given status, county and RSS (None: any)."""
    keep = pd.Series(True, index=frame.index)
    if status:
        keep &= frame["status"] == status
    if county_code:
        keep &= frame["county_code"] == county_code
    if rss_code:
        keep &= frame["rss_code"] == rss_code
    return frame[keep]


# Reading the frame


def _local(value: datetime.datetime | None) -> datetime.datetime | None:
    return timezone.localtime(value) if value is not None else None


def rates_frame(
    *,
    questionnaires: Iterable[Questionnaire],
    organisations: QuerySet[Organisation] | None = None,
) -> pd.DataFrame:
    """One row per questionnaire and organisation of its frame (FRAME_COLUMNS), 3 queries.

    organisations narrows the frame (an RSS coordinator's area). Times are local.
    """
    questionnaires = list(questionnaires)
    ids = [q.pk for q in questionnaires]
    chosen: dict[int, set[int]] = {}
    for (
        questionnaire_id,
        organisation_id,
    ) in Questionnaire.chosen_organisations.through.objects.filter(
        questionnaire_id__in=ids
    ).values_list("questionnaire_id", "organisation_id"):
        chosen.setdefault(questionnaire_id, set()).add(organisation_id)
    candidates = Organisation.objects.filter(
        kind__in={q.organisation_kind for q in questionnaires}
    )
    if organisations is not None:
        candidates = candidates.filter(pk__in=organisations.values("pk"))
    people = list(
        candidates.order_by("code").values(
            "pk",
            "code",
            "full_name",
            "kind",
            "county__code",
            "county__name",
            "rss__code",
            "rss__name",
        )
    )
    last_change = (
        AnswerChange.objects.filter(response=OuterRef("pk"))
        .order_by()
        .values("response")
        .annotate(latest=Max("changed_at"))
        .values("latest")
    )
    responses = {
        (r["questionnaire_id"], r["organisation_id"]): r
        for r in Response.objects.filter(questionnaire_id__in=ids)
        .annotate(
            answered=Exists(Answer.objects.filter(response=OuterRef("pk"))),
            last_change=Subquery(last_change),
        )
        .values(
            "pk",
            "questionnaire_id",
            "organisation_id",
            "status",
            "updated_at",
            "submitted_at",
            "answered",
            "last_change",
        )
    }
    rows = []
    for questionnaire in questionnaires:
        # The rule of surveys.frames, applied to rows read in bulk.
        frame_ids = (
            chosen.get(questionnaire.pk, set())
            if is_sent_to_chosen_set(questionnaire)
            else None
        )
        for organisation in people:
            if organisation["kind"] != questionnaire.organisation_kind:
                continue
            if frame_ids is not None and organisation["pk"] not in frame_ids:
                continue
            response = responses.get((questionnaire.pk, organisation["pk"]))
            activity = None
            if response is not None:
                activity = max(
                    t
                    for t in (response["updated_at"], response["last_change"])
                    if t is not None
                )
            rows.append(
                [
                    questionnaire.pk,
                    organisation["pk"],
                    organisation["code"],
                    organisation["full_name"],
                    organisation["kind"],
                    organisation["county__code"],
                    organisation["county__name"],
                    organisation["rss__code"],
                    organisation["rss__name"],
                    response_status(
                        has_response=response is not None,
                        answered=bool(response and response["answered"]),
                        submitted=bool(
                            response and response["status"] == Response.Status.SUBMITTED
                        ),
                    ),
                    response["pk"] if response else None,
                    _local(activity),
                    _local(response["submitted_at"]) if response else None,
                ]
            )
    return pd.DataFrame(rows, columns=FRAME_COLUMNS, dtype=object)
