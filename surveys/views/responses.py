"""The respondent's pages: questionnaire sections, review, submit, summary."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from regions.models import Organisation
from surveys import quality, services
from surveys.answers import Value, answered_sections, visible_questions
from surveys.deadlines import response_is_open
from surveys.forms.responses import CHOICE_TYPES, QuestionFields, SectionForm
from surveys.frames import questionnaire_has_opened, questionnaire_is_for
from surveys.models import (
    AnswerChange,
    Questionnaire,
    QuestionType,
    Response,
    Section,
)
from surveys.permissions import (
    AuthenticatedHttpRequest,
    get_area_for_user,
    get_response_for_user,
    is_entering_on_behalf,
    is_staff,
    organisations_for_user,
)
from surveys.selectors.free_text import SummaryStatus, summary_statuses
from surveys.selectors.questionnaires import (
    QuestionnaireStructure,
    questionnaire_structure,
    reference_figures,
)
from surveys.selectors.responses import progress
from surveys.services.compilation import (
    rss_compilation_drift,
    rss_compilation_submit_check,
)


@require_POST
@login_required
def response_start(
    request: AuthenticatedHttpRequest, questionnaire_pk: int, org_code: str
) -> HttpResponse:
    """Open (creating if needed) the organisation's response and go to its first section."""
    organisation = get_object_or_404(
        organisations_for_user(request.user), code=org_code
    )
    questionnaire = get_object_or_404(
        Questionnaire.objects.filter(is_current=True), pk=questionnaire_pk
    )
    if not questionnaire_is_for(questionnaire, organisation):
        # Sent to a chosen set (e.g. an extra question): others may not start it.
        raise Http404("Not invited")
    if not is_staff(request.user) and not questionnaire_has_opened(questionnaire):
        messages.info(
            request,
            _("%(title)s opens on %(date)s.")
            % {
                "title": questionnaire.title,
                "date": questionnaire.opens_on.isoformat(),
            },
        )
        return redirect("surveys:home")
    try:
        response = services.response_get_or_create(
            questionnaire=questionnaire, organisation=organisation
        )
    except ValidationError as exc:
        raise Http404(str(exc)) from exc
    if response.is_submitted:
        return redirect("surveys:response-summary", pk=response.pk)
    return redirect("surveys:response-section", pk=response.pk, position=1)


def _section_context(
    response: Response,
    position: int,
    form: SectionForm | None,
    answers: dict,
    check_errors: dict | None = None,
    user: User | AnonymousUser | None = None,
    confirmed_cells: set[tuple[str, str]] | None = None,
) -> dict:
    """The section page's context. Without a form: the stored answers' form, their
    warnings and the cells whose warning was confirmed (`confirmed_cells`, read with the
    answers; else read here)."""
    structure = questionnaire_structure(response.questionnaire)
    sections, questions = structure.sections, structure.questions
    section = _section_at(structure, position)
    section_questions = structure.by_section[section.pk]
    visible = visible_questions(questions, answers)
    shown = {q.code for q in visible}
    references = reference_figures(
        questionnaire=response.questionnaire, organisation=response.organisation
    )
    warnings: list[quality.Warning] = []
    confirmed: set[tuple[str, str]] = set()
    if form is None:
        # The stored answers' warnings; a posted form shows none until it is saved.
        warnings = quality.answer_warnings(
            questions=[q for q in section_questions if q.code in shown],
            answers=answers,
            organisation=response.organisation,
            references=references,
        )
        if warnings:
            confirmed = (
                confirmed_cells
                if confirmed_cells is not None
                else _confirmed_cells(response)
            )
        form = SectionForm(
            questions=section_questions,
            answers=answers,
            confirmed=confirmed,
            initial={"version": response.version},
        )
    # Counted once per page, not once per count-per-option question.
    area_size = (
        response.organisation.municipalities.count()
        if any(q.type == QuestionType.COUNT_PER_OPTION for q in section_questions)
        else None
    )
    summaries = _summary_statuses(response, section_questions, user)
    per_section = progress(sections, questions, answers, shown=visible)
    total = sum(p.total for p in per_section)
    done = sum(p.answered for p in per_section)
    blocks: list[dict[str, Any]] = [
        {
            "spec": form.layout[q.code],
            "shown": q.code in shown,
            "errors": _block_errors(form, form.layout[q.code], check_errors),
            "warnings": _block_warnings(form, form.layout[q.code], warnings),
            # The organisation's figure the question shows (its allocation), if any.
            "reference": references.get((q.validation or {}).get("reference", "")),
            "summary": summaries.get(q.code),
        }
        for q in section_questions
    ]
    return {
        "response": response,
        "questionnaire": response.questionnaire,
        "sections": sections,
        "section": section,
        "form": form,
        "blocks": blocks,
        "error_summary": [
            {
                "code": b["spec"].question.code,
                "anchor": _first_input_id(form, b["spec"]),
                "errors": b["errors"],
            }
            for b in blocks
            if b["errors"] and b["shown"]
        ],
        "area_size": area_size,
        "progress": per_section,
        # Each section with the link to it (the list beside the form).
        "progress_links": list(
            zip(per_section, _section_urls(response.pk, sections), strict=True)
        ),
        "progress_done": done,
        "progress_total": total,
        "progress_percent": round(100 * done / total) if total else 100,
        "previous_position": position - 1 if position > 1 else None,
        "next_position": position + 1 if position < len(sections) else None,
    }


# Stands for a section's position in the one URL reversed for all of them.
_POSITION_MARK = 987654321


def _section_urls(response_pk: int, sections: list[Section]) -> list[str]:
    """The URL of each section of the response: reversed once, not once per section
    (the page links every section; a reverse costs about as much as the rest of the
    list)."""
    mark = str(_POSITION_MARK)
    head, _mark, tail = reverse(
        "surveys:response-section", args=[response_pk, _POSITION_MARK]
    ).rpartition(mark)
    return [f"{head}{section.position}{tail}" for section in sections]


def _section_at(structure: QuestionnaireStructure, position: int) -> Section:
    section = structure.section_at(position)
    if section is None:
        raise Http404("No such section")
    return section


def _summary_statuses(
    response: Response, section_questions: list, user: User | AnonymousUser | None
) -> dict[str, SummaryStatus]:
    """An RSS's summary questions on the page: the area's answers they summarise, for
    those who may read the area's answers (its coordinator and staff); else none."""
    if user is None or not any(
        q.type == QuestionType.FREE_TEXT and q.source_id for q in section_questions
    ):
        return {}
    organisation = response.organisation
    if organisation.kind != Organisation.Kind.RSS:
        return {}
    try:
        get_area_for_user(user, organisation.code)
    except Http404:
        return {}
    return summary_statuses(response=response, summaries=section_questions)


def _block_errors(form: SectionForm, spec, check_errors: dict | None) -> list[str]:
    """Every error of a question: its fields' errors, then the submit check's."""
    errors: list[str] = []
    if form.is_bound:
        for cell in spec.cells:
            for error in form.errors.get(cell.name, []):
                errors.append(f"{cell.label}: {error}" if cell.label else str(error))
    errors.extend((check_errors or {}).get(spec.question.code, []))
    return errors


def _first_input_id(form: SectionForm, spec: QuestionFields) -> str:
    """The id of a question's input that its error links to: the first with an error."""
    cells = [c for c in spec.cells if c.name in form.errors] or spec.cells
    name = cells[0].name if cells else spec.cannot_estimate or ""
    auto_id = form[name].auto_id if name in form.fields else f"q-{spec.question.code}"
    question = spec.question
    if question.type in CHOICE_TYPES or question.type in (
        QuestionType.MATRIX,
        QuestionType.MULTIPLE_CHOICE,
    ):
        return f"{auto_id}_0"  # the first radio button or checkbox
    return auto_id


def _confirmed_cells(response: Response) -> set[tuple[str, str]]:
    """The (question code, item) cells whose warning the respondent confirmed."""
    return set(
        response.answers.filter(warning_confirmed=True).values_list(
            "question__code", "item"
        )
    )


def _block_warnings(
    form: SectionForm, spec, warnings: list[quality.Warning]
) -> list[dict]:
    """Per cell of a question with warnings: the reasons and the confirm checkbox."""
    result = []
    for cell in spec.cells:
        reasons = [
            w.reason
            for w in warnings
            if w.question == spec.question.code and w.item == cell.item
        ]
        if reasons and cell.confirm:
            result.append(
                {
                    "label": cell.label,
                    "reasons": reasons,
                    "confirm": form[cell.confirm],
                }
            )
    return result


AUTOSAVE_HEADER = "X-Autosave"
# What a section page and a save use of the response's relations (not its cycle, RSS or
# users: a lost update reads who saved with the locked row).
SECTION_RELATED = ("questionnaire", "organisation")


def _is_autosave(request: HttpRequest) -> bool:
    """A background save by static/js/autosave.js: the same POST, answered in JSON."""
    return request.method == "POST" and request.headers.get(AUTOSAVE_HEADER) == "1"


def _autosave_refused(message: str, status: str, code: int) -> JsonResponse:
    return JsonResponse({"status": status, "message": message}, status=code)


# Not in a request transaction (ATOMIC_REQUESTS): showing a section only reads, and on
# SQLite a request transaction holds the write lock for the whole page, one page at a
# time across the workers. A save is the service's own transaction. The response (its
# version) is read before its answers, so the version the form carries is never newer
# than the answers it shows: a save in between makes the page's next save stale, never
# lost.
@transaction.non_atomic_requests
@login_required
def response_section(
    request: AuthenticatedHttpRequest, pk: int, position: int
) -> HttpResponse:
    """One section of the questionnaire: show it, or save it as a draft.

    A draft keeps every valid answer sent; an invalid one is not stored but stays on
    the page with its error. The autosave of the page sends the same POST with the
    X-Autosave header and gets JSON: the new version and the time it was saved.
    """
    response = get_response_for_user(request.user, pk, related=SECTION_RELATED)
    autosave = _is_autosave(request)
    if response.is_submitted:
        message = _("The questionnaire is submitted; this is what was sent.")
        if autosave:
            return _autosave_refused(message, "locked", 403)
        messages.info(request, message)
        return redirect("surveys:response-summary", pk=response.pk)
    is_open, reason = response_is_open(response=response, by=request.user)
    if not is_open:  # past the deadline or locked: read-only
        if autosave:
            return _autosave_refused(reason, "locked", 403)
        messages.info(request, reason)
        return redirect("surveys:response-summary", pk=response.pk)
    # After the response: see the comment above the view.
    answers, confirmed = services.answers_and_confirmations(response)
    if request.method != "POST":
        check_errors = None
        if request.GET.get("check"):
            # After a refused submit: show the problems at their questions.
            check_errors = services.response_check(response=response, answers=answers)
        context = _section_context(
            response,
            position,
            None,
            answers,
            check_errors,
            user=request.user,
            confirmed_cells=confirmed,
        )
        return render(request, "surveys/section.html", context)

    structure = questionnaire_structure(response.questionnaire)
    section = _section_at(structure, position)
    section_questions = structure.by_section[section.pk]
    form = SectionForm(request.POST, questions=section_questions, answers=answers)
    valid = form.is_valid()
    version = form.cleaned_data.get("version")
    if version is None:  # a tampered or truncated page: nothing to save against
        if autosave:
            return _autosave_refused(
                _("The page is out of date: reload it and enter your changes again."),
                "error",
                400,
            )
        context = _section_context(response, position, form, answers, user=request.user)
        messages.error(request, _("Nothing was saved: correct the marked answers."))
        return render(request, "surveys/section.html", context, status=400)
    values, confirmations = _savable(form)
    saved = response
    # A draft with invalid answers, or an autosave, that changes nothing stored is not
    # saved again: a new version would only make colleagues' open pages out of date.
    if (
        (valid and not autosave)
        or version != response.version
        or _changes_anything(answers, confirmed, values, confirmations)
    ):
        on_behalf = is_entering_on_behalf(request.user, response.organisation)
        try:
            saved, saved_answers = services.response_save_answers_and_read(
                response=response,
                values=values,
                by=request.user,
                version=version,
                source=AnswerChange.Source.PAPER
                if on_behalf
                else AnswerChange.Source.WEB,
                confirmations=confirmations,
            )
        except services.StaleResponseError as exc:
            if autosave:
                return _autosave_refused(
                    _autosave_conflict_message(exc.response), "conflict", 409
                )
            return _stale_page(request, pk, position, section_questions, exc)
        except services.ResponseLockedError as exc:
            if autosave:
                return _autosave_refused(str(exc), "locked", 403)
            messages.error(request, str(exc))
            return redirect("surveys:response-summary", pk=response.pk)
    if saved is response:
        saved_answers = answers
    removed = _removed_follow_ups(structure, answers, saved_answers)
    if autosave:
        return _autosave_result(saved, form, removed, wrote=saved is not response)
    if not valid:
        # The valid answers are saved; the invalid ones stay on the page with errors.
        data = request.POST.copy()
        data["version"] = str(saved.version)
        form = SectionForm(data, questions=section_questions, answers=saved_answers)
        form.is_valid()
        context = _section_context(
            saved, position, form, saved_answers, user=request.user
        )
        context["partly_saved"] = True
        if removed:
            messages.info(request, _removed_message(removed))
        return render(request, "surveys/section.html", context, status=400)
    messages.success(request, _("Your answers are saved."))
    if removed:
        messages.info(request, _removed_message(removed))
    action = request.POST.get("action", "save")
    target = position
    if action == "next" and position < len(structure.sections):
        target = position + 1
    elif action == "previous" and position > 1:
        target = position - 1
    elif action == "review":
        return redirect("surveys:response-review", pk=saved.pk)
    return redirect(
        reverse("surveys:response-section", args=[saved.pk, target]) + "#top"
    )


def _savable(
    form: SectionForm,
) -> tuple[dict[tuple[str, str], Value | None], dict[tuple[str, str], bool]]:
    """The values and confirmations of a section form without those of invalid inputs.

    An input that holds a whole question (a choice, a number, one text box) takes all
    of its question's cells with it; an input of one cell (a matrix row, a count per
    option, an item's text box) only that cell.
    """
    invalid: set[tuple[str, str]] = set()
    whole: set[str] = set()
    for code, spec in form.layout.items():
        if spec.cannot_estimate and spec.cannot_estimate in form.errors:
            whole.add(code)
        for cell in spec.cells:
            if cell.name in form.errors:
                if cell.item:
                    invalid.add((code, cell.item))
                else:
                    whole.add(code)
    values = {
        key: value
        for key, value in getattr(form, "values", {}).items()
        if key not in invalid and key[0] not in whole
    }
    confirmations = {
        key: ok
        for key, ok in getattr(form, "confirmations", {}).items()
        if key not in invalid and key[0] not in whole
    }
    return values, confirmations


def _changes_anything(
    answers: dict,
    confirmed: set[tuple[str, str]],
    values: dict[tuple[str, str], Value | None],
    confirmations: dict[tuple[str, str], bool],
) -> bool:
    if any(answers.get(key) != value for key, value in values.items()):
        return True
    ticked = {key for key, ok in confirmations.items() if ok and key in answers}
    return ticked != (confirmed & set(confirmations))


def _removed_follow_ups(
    structure: QuestionnaireStructure, before: dict, after: dict
) -> list[str]:
    """The follow-up questions whose answers the save removed: they no longer apply."""
    if before == after:
        return []
    questions = structure.questions
    shown = {q.code for q in visible_questions(questions, after)}
    gone = {code for code, _item in before} - {code for code, _item in after}
    return [
        q.code
        for q in questions
        if q.code in gone and q.show_if and q.code not in shown
    ]


def _removed_message(codes: list[str]) -> str:
    return ngettext(
        "The answer to question %(codes)s was removed: after your change the "
        "question no longer applies.",
        "The answers to questions %(codes)s were removed: after your change the "
        "questions no longer apply.",
        len(codes),
    ) % {"codes": ", ".join(codes)}


def _saved_time(response: Response | None) -> str:
    """The time of the response's last save (None: now), Stockholm time, Swedish: 14.32."""
    moment = response.updated_at if response is not None else timezone.now()
    return timezone.localtime(moment).strftime("%H.%M")


def _autosave_result(
    response: Response,
    form: SectionForm,
    removed: list[str],
    wrote: bool,
) -> JsonResponse:
    """The autosave's answer. A save that changed nothing stored wrote nothing: all on
    the page is saved as of now."""
    invalid = [
        {
            "code": spec.question.code,
            "label": _("Question %(code)s") % {"code": spec.question.code},
            "anchor": _first_input_id(form, spec),
            "errors": _block_errors(form, spec, None),
        }
        for spec in form.layout.values()
        if any(
            name in form.errors
            for name in [c.name for c in spec.cells] + [spec.cannot_estimate]
        )
    ]
    time = _saved_time(response if wrote else None)
    message = _("Saved %(time)s") % {"time": time}
    if removed:
        message += ". " + _removed_message(removed)
    return JsonResponse(
        {
            "status": "saved",
            "version": response.version,
            "saved_at": time,
            "message": message,
            "invalid": invalid,
            "invalid_message": _(
                "Not saved, as the value does not fit the question (correct it and "
                "it is saved):"
            )
            if invalid
            else "",
        }
    )


def _autosave_conflict_message(latest: Response) -> str:
    who = ""
    if latest.updated_by is not None:
        who = latest.updated_by.get_full_name() or latest.updated_by.get_username()
    return _(
        "Not saved: someone else (%(who)s) saved this questionnaire at %(time)s, after "
        "you opened it. Your changes are still on the page. Press “Save draft” to see "
        "what your colleague saved and to keep your version."
    ) % {"who": who or _("a colleague"), "time": _saved_time(latest)}


def _stale_page(
    request: HttpRequest,
    pk: int,
    position: int,
    section_questions: list,
    exc: services.StaleResponseError,
) -> HttpResponse:
    """The section again after a lost update: the input kept, the colleague's answers shown."""
    latest = get_response_for_user(request.user, pk, related=SECTION_RELATED)
    latest_answers = services.answers_map(latest)
    data = request.POST.copy()
    data["version"] = str(latest.version)
    form = SectionForm(data, questions=section_questions, answers=latest_answers)
    form.is_valid()
    context = _section_context(
        latest, position, form, latest_answers, user=request.user
    )
    context["stale"] = str(exc)
    context["latest_answers"] = latest_answers
    context["stale_diff"] = _differences(form, latest_answers)
    return render(request, "surveys/section.html", context, status=409)


def _differences(form: SectionForm, latest: dict) -> dict[str, str]:
    """Per question code: the colleague's saved value where it differs from the input."""
    result: dict[str, str] = {}
    for (code, item), value in getattr(form, "values", {}).items():
        saved = latest.get((code, item))
        if saved != value:
            question = form.layout[code].question
            shown = (
                saved.display(question, respondent=True) if saved else _("(no answer)")
            )
            label = f"{item}: {shown}" if item else shown
            result[code] = f"{result[code]}; {label}" if code in result else label
    return result


@login_required
def response_review(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Overview before submitting: progress per section and every remaining problem."""
    response = get_response_for_user(request.user, pk)
    if response.is_submitted:
        return redirect("surveys:response-summary", pk=response.pk)
    is_open, reason = response_is_open(response=response, by=request.user)
    if not is_open:  # past the deadline or locked: read-only
        messages.info(request, reason)
        return redirect("surveys:response-summary", pk=response.pk)
    answers = services.answers_map(response)
    questions = list(response.questionnaire.questions.order_by("position"))
    sections = list(response.questionnaire.sections.all())
    errors = services.response_check(response=response, answers=answers)
    warnings = quality.answer_warnings(
        questions=visible_questions(questions, answers),
        answers=answers,
        organisation=response.organisation,
        references=reference_figures(
            questionnaire=response.questionnaire, organisation=response.organisation
        ),
    )
    if warnings:
        confirmed = _confirmed_cells(response)
        warnings = [w for w in warnings if (w.question, w.item) not in confirmed]
    by_section = []
    for item in progress(sections, questions, answers):
        problems = [
            (q, errors[q.code])
            for q in questions
            if q.section_id == item.section.pk and q.code in errors
        ]
        codes = {q.code for q in questions if q.section_id == item.section.pk}
        by_section.append(
            {
                "progress": item,
                "problems": problems,
                "warnings": [w for w in warnings if w.question in codes],
            }
        )
    return render(
        request,
        "surveys/review.html",
        {
            "response": response,
            "questionnaire": response.questionnaire,
            "by_section": by_section,
            "error_count": len(errors),
            "warning_count": len(warnings),
            "drift": rss_compilation_drift(response=response),
        },
    )


@require_POST
@login_required
def response_submit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    response = get_response_for_user(request.user, pk)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = None
    try:
        rss_compilation_submit_check(
            response=response, confirmed=request.POST.get("confirm_stale") == "1"
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("surveys:response-review", pk=response.pk)
    try:
        services.response_submit(response=response, by=request.user, version=version)
    except services.StaleResponseError as exc:
        not_submitted = _(
            "The questionnaire was not submitted. Check the answers, then submit again."
        )
        messages.error(request, f"{exc} {not_submitted}")
        return redirect("surveys:response-review", pk=response.pk)
    except services.ResponseLockedError as exc:
        messages.error(request, str(exc))
        return redirect("surveys:response-summary", pk=response.pk)
    except ValidationError:
        messages.error(
            request,
            _(
                "The questionnaire could not be submitted: see the questions marked below."
            ),
        )
        return redirect("surveys:response-review", pk=response.pk)
    messages.success(request, _("Thank you! The questionnaire is submitted."))
    return redirect("surveys:response-summary", pk=response.pk)


@login_required
def response_summary(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Read-only, printable summary of all answers."""
    response = get_response_for_user(request.user, pk)
    sections = [
        {"section": section, "rows": rows}
        for section, rows in answered_sections(
            list(response.questionnaire.sections.all()),
            list(response.questionnaire.questions.order_by("position")),
            services.answers_map(response),
        )
    ]
    return render(
        request,
        "surveys/summary.html",
        {
            "response": response,
            "questionnaire": response.questionnaire,
            "sections": sections,
        },
    )
