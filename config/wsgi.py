"""The WSGI application that gunicorn serves (Procfile, `web`).

With DEBUG false it refuses to start on the development SECRET_KEY.
"""

import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

if not settings.DEBUG and settings.SECRET_KEY == settings.DEV_SECRET_KEY:
    from config.checks import DEV_KEY_REFUSAL

    raise ImproperlyConfigured(DEV_KEY_REFUSAL)

application = get_wsgi_application()
