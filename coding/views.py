"""Staff pages of theme coding: the questions, a codebook, the coding page, the
agreement between coders and the audit log. Staff only (403 for everyone else)."""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coding import selectors, services
from coding.models import Codebook, Theme
from surveys.models import Question, Questionnaire, QuestionType, Response
from surveys.permissions import AuthenticatedHttpRequest, staff_required

HISTORY_PAGE_SIZE = 50


def _codebook(pk: int) -> Codebook:
    return get_object_or_404(
        Codebook.objects.select_related("question__questionnaire__cycle"), pk=pk
    )


def _response(codebook: Codebook, pk: int) -> Response:
    return get_object_or_404(
        Response, pk=pk, questionnaire_id=codebook.question.questionnaire_id
    )


def _blind_key(codebook: Codebook) -> str:
    return f"coding-blind-{codebook.pk}"


def _errors(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@staff_required
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The free-text questions of a questionnaire, with their codebooks and progress."""
    questionnaires = list(
        Questionnaire.objects.filter(
            is_current=True, questions__type=QuestionType.FREE_TEXT
        )
        .distinct()
        .select_related("cycle")
        .order_by("-cycle__year", "audience", "pk")
    )
    chosen = None
    wanted = request.GET.get("enkat", "")
    if wanted.isdigit():
        chosen = next((q for q in questionnaires if q.pk == int(wanted)), None)
    if chosen is None and questionnaires:
        chosen = questionnaires[0]
    targets = selectors.coding_targets(questionnaire=chosen) if chosen else []
    return render(
        request,
        "coding/index.html",
        {"questionnaires": questionnaires, "chosen": chosen, "targets": targets},
    )


@staff_required
@require_POST
def codebook_start(
    request: AuthenticatedHttpRequest, question_pk: int, index: int
) -> HttpResponse:
    question = get_object_or_404(Question, pk=question_pk, type=QuestionType.FREE_TEXT)
    items = question.answer_items
    if index >= len(items):
        raise Http404("No such item")
    codebook = services.codebook_get_or_create(
        question=question, item=items[index], by=request.user
    )
    return redirect("coding:codebook", pk=codebook.pk)


def _theme_fields(request: HttpRequest) -> dict[str, str]:
    return {
        field: request.POST.get(field, "")[:5000]
        for field in ("name", "description", "example", "keywords")
    }


@staff_required
def codebook(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The codebook's themes; a form adds one, a button copies last cycle's themes."""
    book = _codebook(pk)
    values: dict[str, str] = {}
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        try:
            if request.POST.get("action") == "copy":
                copied = services.codebook_copy_previous(codebook=book, by=request.user)
                messages.success(request, _("%(n)d themes copied.") % {"n": copied})
            else:
                values = _theme_fields(request)
                services.theme_create(codebook=book, by=request.user, **values)
                messages.success(request, _("The theme was added."))
            return redirect("coding:codebook", pk=book.pk)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                errors = error.message_dict
            else:
                _errors(request, error)
    return render(
        request,
        "coding/codebook.html",
        {
            "codebook": book,
            "themes": book.themes.all(),
            "previous": selectors.previous_codebook(
                question=book.question, item=book.item
            ),
            "values": values,
            "errors": errors,
        },
    )


@staff_required
def theme_edit(
    request: AuthenticatedHttpRequest, pk: int, theme_pk: int
) -> HttpResponse:
    book = _codebook(pk)
    theme = get_object_or_404(Theme, pk=theme_pk, codebook=book)
    values = {
        "name": theme.name,
        "description": theme.description,
        "example": theme.example,
        "keywords": theme.keywords,
    }
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        try:
            if request.POST.get("action") == "delete":
                services.theme_delete(theme=theme, by=request.user)
                messages.success(request, _("The theme was deleted."))
            else:
                values = _theme_fields(request)
                services.theme_update(theme=theme, by=request.user, **values)
                messages.success(request, _("The theme was saved."))
            return redirect("coding:codebook", pk=book.pk)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                errors = error.message_dict
            else:
                _errors(request, error)
    return render(
        request,
        "coding/theme_edit.html",
        {"codebook": book, "theme": theme, "values": values, "errors": errors},
    )


def _filters(request: HttpRequest) -> selectors.Filters:
    get = request.GET
    theme = get.get("tema", "")
    return selectors.Filters(
        county=get.get("lan", "")[:10],
        rss=get.get("rss", "")[:20],
        kind=get.get("typ", "")[:20],
        status=get.get("status", "")[:20],
        coding=get.get("kodning", "")[:20],
        theme=int(theme) if theme.isdigit() and len(theme) < 18 else None,
        search=get.get("sok", "")[:200],
    )


@staff_required
def code(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The coding page: the answers (all or one at a time), themes to tick by key."""
    book = _codebook(pk)
    blind = bool(request.session.get(_blind_key(book)))
    filters = _filters(request)
    page = selectors.coding_page(
        codebook=book, coder=request.user, filters=filters, blind=blind
    )
    return render(
        request,
        "coding/code.html",
        {
            "codebook": book,
            "page": page,
            "filters": filters,
            "blind": blind,
            "one": request.GET.get("visa") == "en",
            "here": request.get_full_path(),
        },
    )


def _back(request: HttpRequest, book: Codebook) -> HttpResponse:
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("coding:code", args=[book.pk])
    return redirect(target)


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _themes(book: Codebook, ids: list[str]) -> list[Theme]:
    wanted = {int(i) for i in ids if i.isdigit() and len(i) < 18}
    themes = list(book.themes.filter(pk__in=wanted))
    if len(themes) != len(wanted):
        raise Http404("No such theme")
    return themes


@staff_required
@require_POST
def code_answer(
    request: AuthenticatedHttpRequest, pk: int, response_pk: int
) -> HttpResponse:
    """Tick or untick themes of one answer (a form, or the page's script as JSON).

    The form sends the themes ticked now and those that were ticked when the page was
    drawn; only the difference is applied, so a second window's ticks survive.
    """
    book = _codebook(pk)
    response = _response(book, response_pk)
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body or b"{}")
        except ValueError:
            return JsonResponse({"error": _("Not JSON.")}, status=400)
        add = _themes(book, [str(i) for i in data.get("add", [])])
        remove = _themes(book, [str(i) for i in data.get("remove", [])])
        uncode = bool(data.get("uncode"))
    else:
        now = set(request.POST.getlist("theme"))
        before = set(request.POST.getlist("before"))
        add = _themes(book, sorted(now - before))
        remove = _themes(book, sorted(before - now))
        uncode = False
    try:
        if uncode:
            services.coding_uncode(codebook=book, response=response, coder=request.user)
            mine: set[int] = set()
            coded = False
        else:
            mine = services.coding_change(
                codebook=book,
                response=response,
                coder=request.user,
                add=add,
                remove=remove,
            )
            coded = True
    except ValidationError as error:
        if _wants_json(request):
            return JsonResponse({"error": " ".join(error.messages)}, status=400)
        _errors(request, error)
        return _back(request, book)
    if _wants_json(request):
        return JsonResponse({"themes": sorted(mine), "coded": coded})
    return _back(request, book)


@staff_required
@require_POST
def quote(request: AuthenticatedHttpRequest, pk: int, response_pk: int) -> HttpResponse:
    """Mark the answer as a quote ("shown"/"hidden" organisation) or unmark ("none")."""
    book = _codebook(pk)
    response = _response(book, response_pk)
    choice = request.POST.get("quote", "")
    show = {"shown": True, "hidden": False, "none": None}
    if choice not in show:
        return HttpResponse(status=400)
    services.quote_set(
        codebook=book,
        response=response,
        show_organisation=show[choice],
        by=request.user,
    )
    if _wants_json(request):
        return JsonResponse({"quote": choice})
    return _back(request, book)


@staff_required
@require_POST
def blind(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Code blind (others' codes hidden) or not, for this codebook in this session."""
    book = _codebook(pk)
    request.session[_blind_key(book)] = request.POST.get("blind") == "1"
    return _back(request, book)


@staff_required
def agreement(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Cohen's kappa per theme between two coders; the disagreements to resolve."""
    book = _codebook(pk)
    if request.method == "POST":
        response = _response(book, int(request.POST.get("response", "0") or 0))
        theme = get_object_or_404(
            Theme, pk=int(request.POST.get("theme", "0") or 0), codebook=book
        )
        applies = request.POST.get("applies")
        if applies not in ("1", "0"):
            return HttpResponse(status=400)
        services.resolution_set(
            codebook=book,
            response=response,
            theme=theme,
            applies=applies == "1",
            by=request.user,
        )
        messages.success(request, _("The disagreement was resolved."))
        return redirect(request.get_full_path())
    coders = {u.pk: u for u in selectors.coders_of(codebook=book)}

    def chosen(name: str) -> object:
        value = request.GET.get(name, "")
        return coders.get(int(value)) if value.isdigit() and len(value) < 18 else None

    page = selectors.agreement_page(
        codebook=book,
        first=chosen("a"),  # type: ignore[arg-type]
        second=chosen("b"),  # type: ignore[arg-type]
    )
    return render(request, "coding/agreement.html", {"codebook": book, "page": page})


@staff_required
def history(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    book = _codebook(pk)
    page = Paginator(
        selectors.coding_changes(codebook=book), HISTORY_PAGE_SIZE
    ).get_page(request.GET.get("sida"))
    return render(request, "coding/history.html", {"codebook": book, "page": page})
