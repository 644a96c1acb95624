"""The WSGI application that gunicorn serves (Procfile, `web`).

With DEBUG false it refuses to start on the development SECRET_KEY.
"""

import os

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

from config.checks import DEV_KEY_REFUSAL, serves_with_development_key

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

if serves_with_development_key():
    raise ImproperlyConfigured(DEV_KEY_REFUSAL)

application = get_wsgi_application()
