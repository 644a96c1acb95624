from django.apps import AppConfig


class AggregationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "aggregation"

    def ready(self) -> None:
        from aggregation.receivers import on_responses_changed, on_run_queued
        from aggregation.signals import run_queued
        from surveys.signals import responses_changed

        responses_changed.connect(
            on_responses_changed, dispatch_uid="aggregation_on_responses_changed"
        )
        run_queued.connect(on_run_queued, dispatch_uid="aggregation_on_run_queued")
