from django.apps import AppConfig


class BenchmarksConfig(AppConfig):
    """The benchmark (python manage.py benchmark): not part of the site, above the apps
    it measures; no models."""

    name = "benchmarks"
