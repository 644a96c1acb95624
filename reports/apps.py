from django.apps import AppConfig


class ReportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reports"

    def ready(self) -> None:
        from reports.receivers import (
            on_questionnaire_published,
            on_response_submitted,
        )
        from surveys.signals import questionnaire_published, response_submitted

        response_submitted.connect(
            on_response_submitted, dispatch_uid="reports_on_response_submitted"
        )
        questionnaire_published.connect(
            on_questionnaire_published,
            dispatch_uid="reports_on_questionnaire_published",
        )
