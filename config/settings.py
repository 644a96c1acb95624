"""Settings for the whole project, read from environment variables with safe defaults.

Every variable is listed in `.env.example`.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()

# CORE
# https://docs.djangoproject.com/en/5.2/ref/settings/#debug
DEBUG = env.bool("DEBUG", default=False)
# Production sets its own; the default is only good for a development machine. With
# DEBUG false the web process (config/wsgi.py) refuses to start with it, and
# `check --deploy` fails on it (config.E001, config/checks.py).
DEV_SECRET_KEY = "dev-only-insecure-key-not-for-production"  # noqa: S105 (refused, see above)
SECRET_KEY = env("SECRET_KEY", default=DEV_SECRET_KEY)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "csp",
    "config.apps.SiteConfig",
    "regions",
    "surveys",
    "aggregation",
    "coding",
    "reports",
    "benchmarks",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Before authentication: sessions from before MembershipBackend stay logged in.
    "surveys.authentication.FormerBackendSessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After authentication and messages: logs out after SESSION_IDLE_TIMEOUT_MINUTES.
    "config.idle_timeout.IdleTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last: turns a locked-out login into the lockout page (AXES_LOCKOUT_CALLABLE).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                # Support contact and the footer's pages (config/context_processors.py).
                "config.context_processors.site",
            ],
        },
    },
]

# DATABASES
# https://docs.djangoproject.com/en/5.2/ref/settings/#databases
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Concurrent colleagues saving at once: wait for the write lock instead of failing.
    # Every request is a transaction (ATOMIC_REQUESTS) that may write after reading; a
    # deferred transaction cannot wait to upgrade its lock ("database is locked" at once,
    # measured by the benchmark), so SQLite takes the write lock when the request starts.
    _sqlite = DATABASES["default"].setdefault("OPTIONS", {})
    _sqlite.setdefault("timeout", 20)
    _sqlite.setdefault("transaction_mode", "IMMEDIATE")
else:
    # Keep a connection open between requests (seconds; 0 opens one per request).
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# AUTHENTICATION
# https://docs.djangoproject.com/en/5.2/ref/settings/#auth
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "surveys:home"
LOGOUT_REDIRECT_URL = "login"
# The login throttle (django-axes) first: it refuses a locked-out login before any
# password is checked; web logins only (config/login_throttle.py).
AUTHENTICATION_BACKENDS = [
    "config.login_throttle.LoginThrottleBackend",
    # ModelBackend reading the membership with the user (one query fewer per page).
    "surveys.authentication.MembershipBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env.int("PASSWORD_MIN_LENGTH", default=12)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Minutes without a request after which a logged-in person is logged out (0: never);
# what was saved is kept, the login page says why (config/idle_timeout.py).
SESSION_IDLE_TIMEOUT_MINUTES = env.int("SESSION_IDLE_TIMEOUT_MINUTES", default=60)
# Invitation links: how long a link lives, in days.
INVITATION_MAX_AGE_DAYS = env.int("INVITATION_MAX_AGE_DAYS", default=14)

# PASSWORD RESET ("Glömt lösenord?", config/password_reset.py)
# https://docs.djangoproject.com/en/5.2/topics/auth/default/#django.contrib.auth.views.PasswordResetView
# The e-mailed link works once (the token changes with the password) and for
# PASSWORD_RESET_HOURS hours. Requests are counted per hour: past
# PASSWORD_RESET_EMAIL_LIMIT for one address nothing more is sent (the answer stays the
# same); past PASSWORD_RESET_IP_LIMIT from one address the form answers 429.
PASSWORD_RESET_HOURS = env.int("PASSWORD_RESET_HOURS", default=2)
PASSWORD_RESET_TIMEOUT = PASSWORD_RESET_HOURS * 60 * 60
PASSWORD_RESET_EMAIL_LIMIT = env.int("PASSWORD_RESET_EMAIL_LIMIT", default=3)
PASSWORD_RESET_IP_LIMIT = env.int("PASSWORD_RESET_IP_LIMIT", default=20)

# LOGIN THROTTLING (django-axes)
# https://django-axes.readthedocs.io/en/latest/4_configuration.html
# AXES_FAILURE_LIMIT failed logins for one username from one IP address lock that pair
# out for AXES_COOLOFF_MINUTES; a success resets the count. `manage.py axes_reset`
# lifts every lockout (axes_reset_username NAME, axes_reset_ip IP for one).
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(
    minutes=env.int("AXES_COOLOFF_MINUTES", default=15)
)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# And AXES_IP_FAILURE_LIMIT failed logins from one address, over all usernames, lock the
# address out for the cool-off too (password spraying); 0 turns this limit off.
AXES_IP_FAILURE_LIMIT = env.int("AXES_IP_FAILURE_LIMIT", default=20)
AXES_HANDLER = "config.login_throttle.LoginThrottleHandler"
AXES_RESET_ON_SUCCESS = True
# Trying again while locked out does not start the cool-off over ("wait 15 minutes" holds).
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# The login page with the lockout message, status 429.
AXES_LOCKOUT_CALLABLE = "config.login_throttle.lockout_response"
# The client's address: REMOTE_ADDR by default. Behind one TLS-terminating proxy that
# appends to X-Forwarded-For (nginx: proxy_add_x_forwarded_for), set
# AXES_IPWARE_META_PRECEDENCE_ORDER=HTTP_X_FORWARDED_FOR,REMOTE_ADDR and
# AXES_IPWARE_PROXY_ORDER=right-most (the address the proxy saw, not what a client wrote).
AXES_IPWARE_META_PRECEDENCE_ORDER = env.list(
    "AXES_IPWARE_META_PRECEDENCE_ORDER", default=["REMOTE_ADDR"]
)
AXES_IPWARE_PROXY_ORDER = env("AXES_IPWARE_PROXY_ORDER", default="left-most")
AXES_IPWARE_PROXY_COUNT = env.int("AXES_IPWARE_PROXY_COUNT", default=None)

# INTERNATIONALISATION
# https://docs.djangoproject.com/en/5.2/topics/i18n/
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", "Svenska"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

# STATIC AND UPLOADED FILES
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
# WhiteNoise serves static files from the app process, also without DEBUG and collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = env("MEDIA_ROOT", default=str(BASE_DIR / "media"))
MEDIA_URL = "media/"
# Exports (reports): files and job rows older than this many days are deleted daily.
EXPORT_KEEP_DAYS = env.int("EXPORT_KEEP_DAYS", default=30)
# Largest CSV a staff member may upload for import, in bytes.
IMPORT_MAX_UPLOAD_BYTES = env.int("IMPORT_MAX_UPLOAD_BYTES", default=10 * 1024 * 1024)
# An uploaded file waiting in the import preview is discarded after this many days.
IMPORT_UPLOAD_KEEP_DAYS = env.int("IMPORT_UPLOAD_KEEP_DAYS", default=2)

# E-MAIL
# https://docs.djangoproject.com/en/5.2/topics/email/
EMAIL_BACKEND = env(
    "EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="enkat@example.se")
# The site's address, for links in e-mails sent outside a web request (reminders).
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

# SITE CONTACTS (the footer, the personal data and accessibility pages)
# Where respondents get help; the telephone number is left out when empty.
SUPPORT_EMAIL = env("SUPPORT_EMAIL", default="enkat@example.se")
SUPPORT_PHONE = env("SUPPORT_PHONE", default="")
# The data protection officer's address, on the personal data page (GDPR art. 13).
DATA_PROTECTION_EMAIL = env("DATA_PROTECTION_EMAIL", default="dataskydd@example.se")
# The day the accessibility statement was last reviewed (the law asks for the date).
# YYYY-MM-DD.
_accessibility_reviewed = env("ACCESSIBILITY_REVIEWED", default="2026-12-06")
try:
    ACCESSIBILITY_REVIEWED = datetime.date.fromisoformat(_accessibility_reviewed)
except ValueError as exc:
    raise ImproperlyConfigured(
        f"ACCESSIBILITY_REVIEWED={_accessibility_reviewed!r} is no date: write "
        "it as YYYY-MM-DD, e.g. 2026-12-06."
    ) from exc

# THE PUBLISHER OF THE PDFs (printed at the foot of every page and in the metadata)
# The agency that publishes the documents: the author and publisher of every PDF.
AGENCY_NAME = env("AGENCY_NAME", default="Socialstyrelsen").strip() or "Socialstyrelsen"
# The publication date printed on the PDFs, YYYY-MM-DD; empty: the day the PDF is made.
_publication_date = env("PUBLICATION_DATE", default="").strip()
try:
    PUBLICATION_DATE = (
        datetime.date.fromisoformat(_publication_date) if _publication_date else None
    )
except ValueError as exc:
    raise ImproperlyConfigured(
        f"PUBLICATION_DATE={_publication_date!r} is no date: write it as YYYY-MM-DD, "
        "e.g. 2025-06-12, or leave it empty for the day each PDF is made."
    ) from exc
# The publication's article number ("2025-6-12"), printed as "Artikelnummer 2025-6-12";
# empty: none printed.
ARTICLE_NUMBER = " ".join(env("ARTICLE_NUMBER", default="").split())
for _name, _value, _longest in (
    ("AGENCY_NAME", AGENCY_NAME, 100),
    ("ARTICLE_NUMBER", ARTICLE_NUMBER, 40),
):
    if len(_value) > _longest:
        raise ImproperlyConfigured(
            f"{_name} has {len(_value)} characters: at most {_longest} fit at the foot "
            "of a PDF page."
        )

# CELERY
# https://docs.celeryq.dev/en/stable/userguide/configuration.html
REDIS_URL = env("REDIS_URL", default="")
# Without Redis, a worker can still take the tasks through a folder on this machine
# (kombu's filesystem transport): TASK_BROKER=filesystem:<folder>, as bin/demo sets it.
# The web writes one file per task there, the worker (started with the same setting)
# reads them. Without either, tasks run eagerly inside the request (the tests).
TASK_BROKER = env("TASK_BROKER", default="")
TASK_BROKER_FOLDER = ""
if TASK_BROKER:
    _scheme, _sep, _folder = TASK_BROKER.partition(":")
    if _scheme != "filesystem" or not _sep or not _folder.strip():
        raise ImproperlyConfigured(
            f"TASK_BROKER={TASK_BROKER!r}: write filesystem:<folder>, for example "
            "filesystem:/var/tmp/gnv-tasks."
        )
    if REDIS_URL:
        raise ImproperlyConfigured(
            "TASK_BROKER and REDIS_URL are both set: the tasks go to one broker; "
            "unset one of them."
        )
    TASK_BROKER_FOLDER = str(Path(_folder.strip()).expanduser().resolve())
CELERY_BROKER_URL = REDIS_URL or ("filesystem://" if TASK_BROKER else "memory://")
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not (REDIS_URL or TASK_BROKER)
CELERY_TASK_EAGER_PROPAGATES = CELERY_TASK_ALWAYS_EAGER
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# The queue the web sends tasks to and the workers take them from; give each site its own
# when several share one Redis.
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_QUEUE", default="celery")
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_TIME_LIMIT = 30 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 25 * 60
CELERY_TIMEZONE = TIME_ZONE
# A broker that is down or unreachable must not hang the web request that sends a task
# (a submit queues an aggregation): connecting gives up after 2 s, a publish is tried
# twice. The aggregation run stays queued and aggregation.tasks.requeue sends it later.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {
    "socket_connect_timeout": 2,
    "socket_timeout": 10,
}
if TASK_BROKER_FOLDER:
    # One folder for the messages (the web writes, the worker reads and removes them).
    CELERY_BROKER_TRANSPORT_OPTIONS.update(
        {
            "data_folder_in": f"{TASK_BROKER_FOLDER}/queue",
            "data_folder_out": f"{TASK_BROKER_FOLDER}/queue",
            "control_folder": f"{TASK_BROKER_FOLDER}/control",
            "store_processed": False,
        }
    )
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 0.5,
}
# Seconds a web request waits for the broker when it sends a task (config.broker.publish):
# the connect and each read or write. Refused or hung, the task is left as a job row that
# the requeue sends later.
BROKER_PUBLISH_TIMEOUT = env.float("BROKER_PUBLISH_TIMEOUT", default=0.5)
# An export's worker writes a heartbeat every EXPORT_HEARTBEAT_SECONDS; a job silent for
# EXPORT_LEASE_SECONDS lost its worker: it is sent again (the requeue, or asking for it),
# up to EXPORT_MAX_ATTEMPTS builds in all, then failed with a message.
EXPORT_HEARTBEAT_SECONDS = env.float("EXPORT_HEARTBEAT_SECONDS", default=20)
EXPORT_LEASE_SECONDS = env.float("EXPORT_LEASE_SECONDS", default=120)
EXPORT_MAX_ATTEMPTS = env.int("EXPORT_MAX_ATTEMPTS", default=3)
# Periodic tasks (run `celery -A config beat` beside the worker); times in CELERY_TIMEZONE.
CELERY_BEAT_SCHEDULE = {
    # Every day at 07:00 Europe/Stockholm: the reminder e-mails due that day.
    "surveys-reminders": {
        "task": "surveys.tasks.reminders_send_today",
        "schedule": crontab(hour=7, minute=0),
    },
    # Every night at 03:15: discard import uploads left in the preview longer than
    # IMPORT_UPLOAD_KEEP_DAYS and delete old one-time keys (surveys.services.housekeeping).
    "surveys-housekeeping": {
        "task": "surveys.tasks.housekeeping",
        "schedule": crontab(hour=3, minute=15),
    },
    # Every night at 03:17: discard uploads of published figures left in their preview
    # longer than IMPORT_UPLOAD_KEEP_DAYS (aggregation.services).
    "aggregation-housekeeping": {
        "task": "aggregation.tasks.housekeeping",
        "schedule": crontab(hour=3, minute=17),
    },
    # Every night at 03:20: delete the password reset requests older than a day (the
    # limits count the last hour; config.password_reset.password_reset_requests_prune).
    "password-reset-prune": {
        "task": "config.tasks.password_reset_prune",
        "schedule": crontab(hour=3, minute=20),
    },
    # Every night at 03:30: delete the export files older than EXPORT_KEEP_DAYS.
    "reports-exports-prune": {
        "task": "reports.tasks.exports_prune",
        "schedule": crontab(hour=3, minute=30),
    },
    # Every 5 minutes: send again the aggregation runs that were queued while the broker
    # was down, or whose worker died (aggregation.services.aggregation_requeue).
    "aggregation-requeue": {
        "task": "aggregation.tasks.requeue",
        "schedule": crontab(minute="*/5"),
        "options": {"expires": 4 * 60},
    },
    # The same for export jobs queued while the broker was down, or whose worker died.
    "reports-exports-requeue": {
        "task": "reports.tasks.exports_requeue",
        "schedule": crontab(minute="*/5"),
        "options": {"expires": 4 * 60},
    },
    # The same for invitation e-mails asked for while the broker was down.
    "surveys-invitations-requeue": {
        "task": "surveys.tasks.invitations_requeue",
        "schedule": crontab(minute="*/5"),
        "options": {"expires": 4 * 60},
    },
    # The same for the e-mails confirming a submission.
    "surveys-confirmations-requeue": {
        "task": "surveys.tasks.submission_confirmations_requeue",
        "schedule": crontab(minute="*/5"),
        "options": {"expires": 4 * 60},
    },
}

# FORMS
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# SECURITY
# https://docs.djangoproject.com/en/5.2/howto/deployment/checklist/
# Production is explicit: DEBUG=false, SECRET_KEY, ALLOWED_HOSTS, SECURE_SSL_REDIRECT and
# SECURE_HSTS_SECONDS; then `manage.py check --deploy --fail-level WARNING` passes
# (README, "Production"). Cookies are HTTPS-only unless DEBUG (bin/demo serves plain
# http); the redirect to https and HSTS are off unless set, so the tests and a local
# run over http work.
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool(
    "SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False
)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
# Behind a proxy that terminates TLS: the header and value it sets on https requests,
# e.g. HTTP_X_FORWARDED_PROTO,https. Only when the proxy always sets or strips it.
SECURE_PROXY_SSL_HEADER = env.tuple("SECURE_PROXY_SSL_HEADER", default=None)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# CONTENT SECURITY POLICY (django-csp 4) AND PERMISSIONS POLICY (django-permissions-policy)
# https://django-csp.readthedocs.io/en/latest/configuration.html
# Scripts, styles, fonts and images only from the site itself: no inline <script>, no
# on...= handler, no style="" (templates bind behaviour from data attributes in
# static/js/site.js; charts use SVG presentation attributes). data: images are Bootstrap's
# icons of checkboxes and selects. CSP_REPORT_URI (optional) receives violation reports.
_csp_report_uri = env("CSP_REPORT_URI", default="")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        **({"report-uri": [_csp_report_uri]} if _csp_report_uri else {}),
    },
}
# https://github.com/adamchainz/django-permissions-policy
# Browser features no page of the site uses, refused to the site and anything it embeds.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in env.list(
        "PERMISSIONS_POLICY_DENY",
        default=[
            "accelerometer",
            "autoplay",
            "camera",
            "display-capture",
            "encrypted-media",
            "geolocation",
            "gyroscope",
            "magnetometer",
            "microphone",
            "midi",
            "payment",
            "publickey-credentials-get",
            "screen-wake-lock",
            "serial",
            "usb",
            "xr-spatial-tracking",
        ],
    )
}
# System checks to silence, comma-separated, e.g. security.W021 where the domain is not
# submitted to the HSTS preload list.
SILENCED_SYSTEM_CHECKS = env.list("SILENCED_SYSTEM_CHECKS", default=[])

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
    "loggers": {
        # WeasyPrint warns of every SVG style property its CSS parser skips (matplotlib's
        # charts); its SVG renderer reads them anyway.
        "weasyprint": {"level": "ERROR"},
    },
}
