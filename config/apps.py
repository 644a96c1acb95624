from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The project package itself, for its system checks (config/checks.py) and the
    idle timeout's start at login (config/idle_timeout.py)."""

    name = "config"
    label = "site_config"
    verbose_name = "Site configuration"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from config import checks  # noqa: F401 (registers the checks)
        from config.idle_timeout import start_at_login

        user_logged_in.connect(start_at_login, dispatch_uid="idle-timeout-start")
