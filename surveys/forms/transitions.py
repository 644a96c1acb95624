"""The forms of locking a questionnaire and reopening a response."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from surveys.forms.base import PostForm


class ReopenForm(PostForm):
    submit_label = gettext_lazy("Reopen the response")
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "Why the response is reopened; the organisation's history shows it."
        ),
    )


class UnlockForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), required=False)
