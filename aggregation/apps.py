import logging

from django.apps import AppConfig

logger = logging.getLogger(__name__)


def _on_responses_changed(
    sender: object, *, questionnaire_id: int, reason: str, **kwargs: object
) -> None:
    """Submitted answers changed: queue runs of the tables computed from them."""
    from aggregation.services import aggregation_answers_changed
    from surveys.models import Questionnaire

    questionnaire = Questionnaire.objects.filter(pk=questionnaire_id).first()
    if questionnaire is None:
        return
    try:
        aggregation_answers_changed(questionnaire=questionnaire, reason=reason)
    except Exception:
        # The answers are saved; never fail a submit or an import over the tables.
        # Staff see the results as stale and can run the aggregation again.
        logger.exception(
            "Could not queue aggregation of questionnaire %s", questionnaire_id
        )


class AggregationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "aggregation"

    def ready(self) -> None:
        from surveys.signals import responses_changed

        responses_changed.connect(
            _on_responses_changed, dispatch_uid="aggregation_on_responses_changed"
        )
