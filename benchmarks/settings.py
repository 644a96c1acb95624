"""The project's settings with the benchmark's URLs (benchmarks.urls).

For the gunicorn that `manage.py benchmark` starts on loopback; nothing else uses it.
"""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.urls"
