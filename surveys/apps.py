from django.apps import AppConfig


class SurveysConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "surveys"

    def ready(self) -> None:
        # Registers the tasks that surveys.services.dispatch sends by name.
        from surveys import receivers, tasks  # noqa: F401

        # A changed section or question gives its questionnaire a new structure key.
        receivers.connect()
