from django.apps import AppConfig


class AggregationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "aggregation"

    def ready(self) -> None:
        from aggregation.receivers import on_responses_changed
        from surveys.signals import responses_changed

        responses_changed.connect(
            on_responses_changed, dispatch_uid="aggregation_on_responses_changed"
        )
