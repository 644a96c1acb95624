"""Running a cycle: the cycle list, copying a cycle, editing a questionnaire and the
extra question."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from surveys.forms.base import add_errors
from surveys.forms.cycles import CycleCopyForm, ExtraQuestionForm, QuestionnaireEditForm
from surveys.frames import frame_size
from surveys.models import (
    Cycle,
    Questionnaire,
)
from surveys.permissions import (
    AuthenticatedHttpRequest,
    get_questionnaire_for_staff,
    staff_required,
)
from surveys.selectors import rates
from surveys.services import cycles
from surveys.services.links import site_url
from surveys.views.confirmations import confirm_or_page


@staff_required
def cycle_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Staff: every cycle with its current questionnaires and their response rates."""
    cycle_rows = list(Cycle.objects.order_by("-year"))
    questionnaires = list(
        Questionnaire.objects.filter(is_current=True)
        .select_related("cycle")
        .order_by("-cycle__year", "audience", "opens_on", "pk")
    )
    totals = {
        row["questionnaire_id"]: row
        for row in rates.rates_per_questionnaire(
            rates.rates_frame(questionnaires=questionnaires)
        ).to_dict("records")
    }
    by_cycle = [
        {
            "cycle": cycle,
            "rows": [
                {"questionnaire": q, "rates": totals.get(q.pk)}
                for q in questionnaires
                if q.cycle_id == cycle.pk
            ],
        }
        for cycle in cycle_rows
    ]
    return render(request, "surveys/staff/cycles.html", {"cycles": by_cycle})


@staff_required
def cycle_copy(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Staff: create the next cycle as a copy of an earlier one."""
    years = list(Cycle.objects.order_by("-year").values_list("year", flat=True))
    if request.method == "POST":
        form = CycleCopyForm(request.POST, years=years)
        if form.is_valid():
            try:
                from_year = form.cleaned_data["from_year"]
                to_year = form.cleaned_data["to_year"]
                copied = cycles.cycle_copy_preview(from_year=from_year, to_year=to_year)
                page = confirm_or_page(
                    request,
                    action="cycle-copy",
                    payload={"from": from_year, "to": to_year},
                    title=_("Copy cycle %(from)s to %(to)s")
                    % {"from": from_year, "to": to_year},
                    lead=_(
                        "Cycle %(to)s is created with a copy of each of these "
                        "questionnaires, dates and reminders one year on per year "
                        "between. Each goes to every organisation of its audience "
                        "when it opens."
                    )
                    % {"to": to_year},
                    names=[q.title for q in copied],
                    count_text=ngettext(
                        "%(n)s questionnaire", "%(n)s questionnaires", len(copied)
                    )
                    % {"n": len(copied)},
                    back_url=request.get_full_path(),
                )
                if page is not None:
                    return page
                cycle = cycles.cycle_copy(
                    from_year=form.cleaned_data["from_year"],
                    to_year=form.cleaned_data["to_year"],
                    by=request.user,
                )
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(
                    request,
                    _(
                        "Cycle %(year)s is created with %(count)s questionnaires. "
                        "Check their texts and dates before they open."
                    )
                    % {"year": cycle.year, "count": cycle.questionnaires.count()},
                )
                return redirect("surveys:staff-cycles")
    else:
        form = CycleCopyForm(
            years=years,
            initial={"from_year": years[0] if years else None}
            | ({"to_year": years[0] + 1} if years else {}),
        )
    return render(request, "surveys/staff/cycle_copy.html", {"form": form})


@staff_required
def questionnaire_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Staff: change a questionnaire's title, introduction and dates before any response."""
    questionnaire = get_questionnaire_for_staff(request.user, pk)
    responses = questionnaire.responses.count()
    initial = {
        "title": questionnaire.title,
        "introduction": questionnaire.introduction,
        "opens_on": questionnaire.opens_on,
        "closes_on": questionnaire.closes_on,
        "reminder_dates": ", ".join(questionnaire.reminder_dates),
    }
    if request.method == "POST" and not responses:
        form = QuestionnaireEditForm(request.POST, initial=initial)
        if form.is_valid():
            try:
                page = _confirm_date_change(request, questionnaire, form.cleaned_data)
                if page is not None:
                    return page
                saved = cycles.questionnaire_update(
                    questionnaire=questionnaire, by=request.user, **form.cleaned_data
                )
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(
                    request, _("%(title)s is saved.") % {"title": saved.title}
                )
                return redirect("surveys:staff-cycles")
    else:
        form = QuestionnaireEditForm(initial=initial)
    if responses:
        for field in form.fields.values():
            field.disabled = True
        form.helper.inputs = []
    return render(
        request,
        "surveys/staff/questionnaire_edit.html",
        {"questionnaire": questionnaire, "form": form, "responses": responses},
    )


def _confirm_date_change(
    request: AuthenticatedHttpRequest,
    questionnaire: Questionnaire,
    data: dict[str, Any],
) -> HttpResponse | None:
    """A change of dates concerns every organisation of the frame: confirm it first."""
    new = {
        "opens_on": data["opens_on"].isoformat(),
        "closes_on": data["closes_on"].isoformat(),
        "reminder_dates": sorted(d.isoformat() for d in set(data["reminder_dates"])),
    }
    old = {
        "opens_on": questionnaire.opens_on.isoformat(),
        "closes_on": questionnaire.closes_on.isoformat(),
        "reminder_dates": sorted(str(d)[:10] for d in questionnaire.reminder_dates),
    }
    if new == old:
        return None
    return confirm_or_page(
        request,
        action="questionnaire-dates",
        payload={"questionnaire": questionnaire.pk, **new},
        title=_("Change the dates of %(title)s") % {"title": questionnaire.title},
        lead=_(
            "Opens %(opens)s, last day %(closes)s, reminders %(reminders)s "
            "(before: %(old_opens)s, %(old_closes)s, %(old_reminders)s). "
            "It concerns every organisation it is for."
        )
        % {
            "opens": new["opens_on"],
            "closes": new["closes_on"],
            "reminders": ", ".join(new["reminder_dates"]) or "–",
            "old_opens": old["opens_on"],
            "old_closes": old["closes_on"],
            "old_reminders": ", ".join(old["reminder_dates"]) or "–",
        },
        count=frame_size(questionnaire),
        back_url=request.get_full_path(),
    )


@staff_required
def extra_question_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Staff: send one extra question to chosen municipalities as its own questionnaire."""
    if request.method == "POST":
        form = ExtraQuestionForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                chosen = form.organisations()
                page = len(chosen) > 1 and confirm_or_page(
                    request,
                    action="extra-question",
                    payload={
                        "cycle": data["cycle"].pk,
                        "title": data["title"],
                        "text": data["text"],
                        "type": data["question_type"],
                        "opens_on": data["opens_on"],
                        "closes_on": data["closes_on"],
                        "reminders": data["reminder_dates"],
                        "organisations": [o.pk for o in chosen],
                    },
                    title=_("Send the extra question %(title)s")
                    % {"title": data["title"]},
                    lead=_(
                        "The question is created for these municipalities only, and "
                        "their contact persons are e-mailed the invitation."
                    ),
                    names=[f"{o.full_name} ({o.code})" for o in chosen],
                    back_url=request.get_full_path(),
                )
                if page:
                    return page
                questionnaire = cycles.extra_question_create(
                    once=data["once"],
                    cycle=data["cycle"],
                    by=request.user,
                    title=data["title"],
                    introduction=data["introduction"],
                    text=data["text"],
                    question_type=data["question_type"],
                    opens_on=data["opens_on"],
                    closes_on=data["closes_on"],
                    reminder_dates=data["reminder_dates"],
                    organisations=chosen,
                    base_url=site_url(),
                )
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(
                    request,
                    _(
                        "%(title)s is created for %(count)s municipalities; their "
                        "contact persons are sent the invitation."
                    )
                    % {
                        "title": questionnaire.title,
                        "count": questionnaire.participations.count(),
                    },
                )
                return redirect("surveys:staff-rates", pk=questionnaire.pk)
    else:
        form = ExtraQuestionForm(initial={"cycle": Cycle.objects.first()})
    return render(request, "surveys/staff/extra_question.html", {"form": form})
