"""A change of a questionnaire's sections or questions gives it a new structure key.

The pages keep a questionnaire's structure per process by its key
(surveys.selectors.questionnaires.structure_key), which holds the questionnaire's
loaded_at: a section or question saved or deleted (the definition loader, the admin,
the cycle copy) raises the loaded_at of its questionnaire and of the questionnaires whose
questions summarise it, so that every process reads the new structure. Bulk writes that
bypass the model signals (QuerySet.update) must raise it themselves.
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from surveys.models import Question, Questionnaire, Section


def _touch(questionnaire_ids: set[int]) -> None:
    if questionnaire_ids:
        Questionnaire.objects.filter(pk__in=questionnaire_ids).update(
            loaded_at=timezone.now()
        )


def section_changed(sender, instance: Section, **kwargs) -> None:
    _touch({instance.questionnaire_id})


def question_changed(sender, instance: Question, **kwargs) -> None:
    # A region's summary question shows its source (a municipal question).
    summarising = set(
        Question.objects.filter(source_id=instance.pk).values_list(
            "questionnaire_id", flat=True
        )
    )
    _touch({instance.questionnaire_id} | summarising)


def connect() -> None:
    for name, signal in (("saved", post_save), ("deleted", post_delete)):
        signal.connect(section_changed, sender=Section, dispatch_uid=f"section-{name}")
        signal.connect(
            question_changed, sender=Question, dispatch_uid=f"question-{name}"
        )
