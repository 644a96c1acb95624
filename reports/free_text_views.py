"""The RSS coordinator's view of the area's free-text answers, one question per page.

Every municipality of the area with its answer (web or entered from paper, submitted or
draft), those without one listed too; filterable, printable, and exported as XLSX or CSV
(reports.documents.free_text). A coordinator sees only the own area (another area is
404); national staff choose any area.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from regions.models import Organisation
from reports.services import document_job_request
from surveys.frames import frame_organisations
from surveys.models import Question, Questionnaire, Response
from surveys.permissions import (
    AuthenticatedHttpRequest,
    can_access_organisation,
    get_area_for_user,
    is_staff,
    staff_required,
)
from surveys.selectors.free_text import (
    NO_ANSWER,
    AreaRow,
    area_free_text,
    area_rows_filter,
    area_summary,
    free_text_answers,
    free_text_questions,
    is_new_since,
)
from surveys.selectors.rates import area_questionnaires

STATUSES = (Response.Status.SUBMITTED, Response.Status.DRAFT, NO_ANSWER)
EXPORTS = ("xlsx", "csv", "csv-excel")
# A search text longer than this is cut (a page address has its limits).
SEARCH_MAX = 200


def _questionnaire(pk: int) -> Questionnaire:
    """A questionnaire the municipalities answer (the municipal one or an extra
    question); 404 for any other."""
    questionnaire = get_object_or_404(
        Questionnaire.objects.select_related("cycle"),
        pk=pk,
        audience__in=[
            Questionnaire.Audience.MUNICIPALITY,
            Questionnaire.Audience.EXTRA,
        ],
    )
    return questionnaire


def _areas(request: HttpRequest) -> list[Organisation]:
    """The areas staff may choose among (none for a coordinator: the own area only)."""
    if not is_staff(request.user):
        return []
    return list(
        Organisation.objects.filter(kind=Organisation.Kind.RSS).order_by("code")
    )


@staff_required
def staff_free_text(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Staff: the free-text answers of the first RSS area (the page lets them choose)."""
    first = Organisation.objects.filter(kind=Organisation.Kind.RSS).order_by("code")
    area = first.first()
    if area is None:
        raise Http404("No RSS area")
    return redirect("reports:area-free-text", code=area.code)


@login_required
def area_free_text_index(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    """The free-text questions of the municipal questionnaire (or an extra question),
    each with how many of the area's municipalities answered it."""
    rss = get_area_for_user(request.user, code)
    choices = area_questionnaires()
    if not choices:
        raise Http404("No municipal questionnaire")
    wanted = request.GET.get("enkat")
    questionnaire = next((q for q in choices if str(q.pk) == wanted), choices[0])
    if request.GET.get("omrade") and is_staff(request.user):
        other = get_area_for_user(request.user, request.GET["omrade"])
        return redirect(
            reverse("reports:area-free-text", args=[other.code])
            + f"?enkat={questionnaire.pk}"
        )
    questions = free_text_questions(questionnaire)
    municipalities = frame_organisations(questionnaire).filter(rss=rss)
    answered: dict[int, set[int]] = {}
    for answer in free_text_answers(
        questionnaire=questionnaire, organisations=municipalities
    ):
        answered.setdefault(answer.question_id, set()).add(answer.organisation_id)
    return render(
        request,
        "reports/free_text/index.html",
        {
            "rss": rss,
            "questionnaire": questionnaire,
            "choices": choices,
            "areas": _areas(request),
            "questions": [(q, len(answered.get(q.pk, ()))) for q in questions],
            "total": municipalities.count(),
        },
    )


@dataclass
class Part:
    """A piece of an answer's text; `match` when it is the text searched for."""

    text: str
    match: bool


def marked(text: str, search: str) -> list[Part]:
    """The text in pieces, the occurrences of the search text (any case) marked."""
    if not search:
        return [Part(text, False)]
    parts: list[Part] = []
    position = 0
    for found in re.finditer(re.escape(search), text, flags=re.IGNORECASE):
        if found.start() > position:
            parts.append(Part(text[position : found.start()], False))
        parts.append(Part(found.group(0), True))
        position = found.end()
    if position < len(text):
        parts.append(Part(text[position:], False))
    return parts


def _display_rows(
    rows: list[AreaRow], question: Question, search: str, saved_at
) -> list[dict]:
    items = list(question.items) or [""]
    return [
        {
            "row": row,
            "new": is_new_since(row, saved_at),
            "boxes": [
                {
                    "item": item,
                    "answer": row.answers.get(item),
                    "parts": marked(row.answers[item].text, search)
                    if item in row.answers
                    else [],
                }
                for item in items
            ],
        }
        for row in rows
    ]


def _export(
    request: AuthenticatedHttpRequest,
    kind: str,
    *,
    question: Question,
    rss: Organisation,
    filters: dict[str, object],
) -> HttpResponse:
    """The rows the page lists, as a file built by a worker (the page waits for it)."""
    job = document_job_request(
        document="area_free_text",
        fmt=kind,
        questionnaire=question.questionnaire,
        organisation=rss,
        params={"rss": rss.code, "question": question.code, **filters},
        keep=False,
        by=request.user,
    )
    return redirect("reports:document", pk=job.pk)


@login_required
def area_free_text_question(
    request: AuthenticatedHttpRequest, code: str, questionnaire_pk: int, question: str
) -> HttpResponse:
    """One free-text question: every municipality of the area and its answer."""
    rss = get_area_for_user(request.user, code)
    questionnaire = _questionnaire(questionnaire_pk)
    if request.GET.get("omrade") and is_staff(request.user):
        other = get_area_for_user(request.user, request.GET["omrade"])
        return redirect(
            "reports:area-free-text-question",
            code=other.code,
            questionnaire_pk=questionnaire.pk,
            question=question,
        )
    questions = free_text_questions(questionnaire)
    chosen = next((q for q in questions if q.code == question), None)
    if chosen is None:
        raise Http404("No such free-text question")
    rows = area_free_text(question=chosen, rss=rss)
    if not rows and questionnaire.for_chosen_set and not is_staff(request.user):
        # An extra question sent to none of the area's municipalities is not shown.
        raise Http404("Not sent to the area")
    summary = area_summary(question=chosen, rss=rss)
    saved_at = summary.saved_at if summary is not None else None
    status = request.GET.get("status") or None
    municipality = request.GET.get("kommun") or None
    search = (request.GET.get("sok") or "").strip()[:SEARCH_MAX]
    only_new = bool(request.GET.get("nya")) and saved_at is not None
    listed = area_rows_filter(
        rows,
        status=status if status in STATUSES else None,
        organisation_code=municipality,
        search=search,
        new_since=saved_at if only_new else None,
    )
    export = request.GET.get("export")
    if export in EXPORTS:
        return _export(
            request,
            export,
            question=chosen,
            rss=rss,
            filters={
                "status": status if status in STATUSES else "",
                "kommun": municipality or "",
                "sok": search,
                "nya": only_new,
            },
        )
    query = request.GET.copy()
    query.pop("export", None)
    index = questions.index(chosen)
    summary_link = None
    if (
        summary is not None
        and summary.response is not None
        and can_access_organisation(request.user, summary.response.organisation)
    ):
        summary_link = (
            reverse(
                "surveys:response-section",
                args=[summary.response.pk, summary.summary.section.position],
            )
            + f"#q-{summary.summary.code}"
        )
    answered = [row for row in rows if row.answers]
    return render(
        request,
        "reports/free_text/question.html",
        {
            "rss": rss,
            "questionnaire": questionnaire,
            "question": chosen,
            "questions": questions,
            "previous": questions[index - 1] if index > 0 else None,
            "next": questions[index + 1] if index + 1 < len(questions) else None,
            "areas": _areas(request),
            "rows": _display_rows(listed, chosen, search, saved_at),
            "total": len(rows),
            "submitted": sum(
                1 for r in answered if r.status == Response.Status.SUBMITTED
            ),
            "drafts": sum(1 for r in answered if r.status == Response.Status.DRAFT),
            "unanswered": len(rows) - len(answered),
            "new_count": sum(1 for r in rows if is_new_since(r, saved_at)),
            "summary": summary,
            "summary_link": summary_link,
            "filters": {
                "status": status if status in STATUSES else "",
                "kommun": municipality or "",
                "sok": search,
                "nya": only_new,
            },
            "municipalities": [row.organisation for row in rows],
            "query": query.urlencode(),
            "printed_at": timezone.localtime(),
        },
    )
