from django.apps import AppConfig


class ReportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reports"

    def ready(self) -> None:
        from reports.receivers import on_response_submitted
        from surveys.signals import response_submitted

        response_submitted.connect(
            on_response_submitted, dispatch_uid="reports_on_response_submitted"
        )
