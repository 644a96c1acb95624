"""Forms of the reports app: the draft text filled in with key figures."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext, gettext_lazy

from reports.placeholders import MAX_PLACEHOLDERS, MAX_TEXT, placeholder_count
from surveys.models import Cycle


class KeyFiguresFillForm(forms.Form):
    cycle = forms.TypedChoiceField(label=gettext_lazy("Cycle"), coerce=int)
    text = forms.CharField(
        label=gettext_lazy("Draft text"),
        max_length=MAX_TEXT,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 12, "spellcheck": "false"}),
        help_text=gettext_lazy(
            "Write {{ name }} where a figure goes (its sentence, “19 av 21 regioner”) "
            "or {{ name|värde }} (its value as printed, “19/21”)."
        ),
    )

    def __init__(self, *args: Any, cycles: list[Cycle], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cycles = {cycle.year: cycle for cycle in cycles}
        field = cast(forms.TypedChoiceField, self.fields["cycle"])
        field.choices = [(cycle.year, str(cycle.year)) for cycle in cycles]

    def clean_text(self) -> str:
        text: str = self.cleaned_data["text"]
        if not text.strip():
            raise forms.ValidationError(gettext("Paste the draft text."))
        count = placeholder_count(text)
        if count > MAX_PLACEHOLDERS:
            raise forms.ValidationError(
                gettext(
                    "The text has %(count)s placeholders; at most %(max)s are filled in "
                    "at a time. Split the text."
                )
                % {"count": count, "max": MAX_PLACEHOLDERS}
            )
        return text

    @property
    def chosen_cycle(self) -> Cycle:
        return self.cycles[self.cleaned_data["cycle"]]
