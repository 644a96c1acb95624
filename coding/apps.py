from django.apps import AppConfig


class CodingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "coding"

    def ready(self) -> None:
        # The coded themes are key figures too ("<question>.tema.<theme>.<level>").
        from aggregation.key_figures import register_key_figure_provider
        from coding.key_figures import theme_figures

        register_key_figure_provider("themes", theme_figures)
