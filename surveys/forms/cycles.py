"""The forms of running a cycle: copying it, editing a questionnaire, the extra question."""

from __future__ import annotations

import datetime
import secrets
from typing import Any, cast

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy

from regions.models import County, Organisation
from surveys.forms.base import DateInput, PostForm, parse_dates
from surveys.models import (
    Cycle,
    QuestionType,
)


class CycleCopyForm(PostForm):
    submit_label = gettext_lazy("Copy the cycle")
    from_year = forms.TypedChoiceField(label=gettext_lazy("Copy from"), coerce=int)
    to_year = forms.IntegerField(
        label=gettext_lazy("New cycle (data year)"), min_value=2000, max_value=2100
    )

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.TypedChoiceField, self.fields["from_year"]).choices = [
            (y, str(y)) for y in years
        ]


class QuestionnaireEditForm(PostForm):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=300)
    introduction = forms.CharField(
        label=gettext_lazy("Introduction"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    opens_on = forms.DateField(label=gettext_lazy("Opens on"), widget=DateInput())
    closes_on = forms.DateField(label=gettext_lazy("Closes on"), widget=DateInput())
    reminder_dates = forms.CharField(
        label=gettext_lazy("Reminder dates"),
        required=False,
        help_text=gettext_lazy(
            "Dates written as YYYY-MM-DD, separated by commas. Reminders go to the "
            "organisations that have not submitted."
        ),
    )

    def clean_reminder_dates(self) -> list[datetime.date]:
        return parse_dates(self.cleaned_data["reminder_dates"])


class ExtraQuestionForm(PostForm):
    submit_label = gettext_lazy("Create and invite")
    # A one-time token: the same form sent twice creates one questionnaire.
    once = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)
    cycle = forms.ModelChoiceField(
        label=gettext_lazy("Cycle"), queryset=Cycle.objects.all(), empty_label=None
    )
    title = forms.CharField(label=gettext_lazy("Title"), max_length=300)
    introduction = forms.CharField(
        label=gettext_lazy("Introduction"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    text = forms.CharField(
        label=gettext_lazy("The question"), widget=forms.Textarea(attrs={"rows": 3})
    )
    question_type = forms.ChoiceField(
        label=gettext_lazy("Answer"),
        choices=[
            (QuestionType.FREE_TEXT, gettext_lazy("Free text")),
            (QuestionType.YES_NO, gettext_lazy("Yes/no")),
        ],
        widget=forms.RadioSelect,
        initial=QuestionType.FREE_TEXT,
    )
    opens_on = forms.DateField(label=gettext_lazy("Opens on"), widget=DateInput())
    closes_on = forms.DateField(label=gettext_lazy("Closes on"), widget=DateInput())
    reminder_dates = forms.CharField(
        label=gettext_lazy("Reminder dates"),
        required=False,
        help_text=gettext_lazy(
            "Dates written as YYYY-MM-DD, separated by commas; empty: three weeks and "
            "one week before the closing date."
        ),
    )
    everyone = forms.BooleanField(
        label=gettext_lazy("All municipalities"), required=False
    )
    counties = forms.ModelMultipleChoiceField(
        label=gettext_lazy("All municipalities of these counties"),
        queryset=County.objects.order_by("code"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    rss = forms.ModelMultipleChoiceField(
        label=gettext_lazy("All municipalities of these RSS areas"),
        queryset=Organisation.objects.filter(kind=Organisation.Kind.RSS).order_by(
            "code"
        ),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    municipalities = forms.ModelMultipleChoiceField(
        label=gettext_lazy("These municipalities"),
        queryset=Organisation.objects.filter(
            kind=Organisation.Kind.MUNICIPALITY
        ).order_by("name"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 12}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("once", secrets.token_urlsafe(24))

    def clean_reminder_dates(self) -> list[datetime.date] | None:
        value = self.cleaned_data["reminder_dates"]
        return parse_dates(value) if value.strip() else None

    def organisations(self) -> list[Organisation]:
        """The chosen municipalities: everyone, or the union of the three choices."""
        data = self.cleaned_data
        chosen = Q(pk__in=[o.pk for o in data["municipalities"]])
        chosen |= Q(county__in=data["counties"]) | Q(rss__in=data["rss"])
        municipalities = Organisation.objects.filter(
            kind=Organisation.Kind.MUNICIPALITY
        )
        if not data["everyone"]:
            municipalities = municipalities.filter(chosen)
        return list(municipalities.order_by("code"))
