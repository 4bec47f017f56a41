"""Settings of the NTM Portal: one module, read from the environment.

With no configuration at all the portal runs embedded: SQLite in ``var/``, DEBUG on,
Celery tasks run in-process (no broker server), e-mail printed to the console.
Every value below can be set by an environment variable or a ``.env`` file at the
project root; ``.env.example`` lists them. A bad value (a non-boolean DEBUG, an
unparseable DATABASE_URL) stops start-up with django-environ's error.

Production mode is ``DEBUG=False``: it refuses to start without ``SECRET_KEY`` and
``ALLOWED_HOSTS`` (``ImproperlyConfigured``) and turns on the HTTPS-only settings
that ``manage.py check --deploy`` asks for.
"""

import re
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from core.api.enums import ChoicesClassNames

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=True)

# The key used when DEBUG is on and none is configured. Never accepted in production.
_DEV_SECRET_KEY = "django-insecure-ntm-portal-development-key-not-for-production-use"  # noqa: S105
SECRET_KEY = env.str("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
if DEBUG:
    SECRET_KEY = SECRET_KEY or _DEV_SECRET_KEY
    ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "[::1]", "testserver"]
else:
    if not SECRET_KEY or SECRET_KEY == _DEV_SECRET_KEY or len(SECRET_KEY) < 50:
        raise ImproperlyConfigured(
            "Production mode (DEBUG=False) needs SECRET_KEY: at least 50 random characters."
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured(
            "Production mode (DEBUG=False) needs ALLOWED_HOSTS: the host names the portal serves."
        )
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Demo users (one per role, passwords in the README) are created by `make run` only
# where this is true; production mode never creates them.
DEMO_DATA = env.bool("DEMO_DATA", default=DEBUG)

# Separation of duties (ARCHITECTURE: assessments are approved or returned "by other
# users"): a coordinator may not approve an assessment they submitted. True lets a
# one-person office approve its own submissions (criteria.services.assessments).
ALLOW_SELF_APPROVAL = env.bool("ALLOW_SELF_APPROVAL", default=False)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "simple_history",
    "core",
    "communes",
    "accounts",
    "criteria",
    "directives",
    "funding",
    "dashboards",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.language.DefaultLanguageMiddleware",
    "core.middleware.ApiErrorPageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "core.middleware.NormalizeUnicodeMiddleware",
    "core.middleware.NotFoundPageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "ntm_portal.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.portal",
                "accounts.context_processors.portal",
                "criteria.context_processors.reporting",
            ],
        },
    },
]

WSGI_APPLICATION = "ntm_portal.wsgi.application"
ASGI_APPLICATION = "ntm_portal.asgi.application"

# --- Database -------------------------------------------------------------------
# DATABASE_URL=postgres://user:pass@host:5432/name switches to PostgreSQL (psycopg 3).
DATABASES = {"default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default serves several requests at once (runserver is threaded): take
    # the write lock when a transaction begins and wait for it, instead of failing with
    # "database is locked" when two writers meet.
    DATABASES["default"].setdefault("OPTIONS", {}).update({"transaction_mode": "IMMEDIATE", "timeout": 20})
# Forms with one field per task or indicator (a directive of 60 tasks, a whole set's
# assessment) post more than Django's default 1,000 fields.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20_000
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# Django's ModelBackend, with permissions read from the role table first (no query
# beyond the user's groups).
AUTHENTICATION_BACKENDS = ["accounts.backends.RoleBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "landing"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Language, time, numbers ------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
# locale/: the portal's own messages (makemessages writes here). locale_overrides/:
# Vietnamese for strings of Django and its admin that Django's own catalogue lacks.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_overrides"]
USE_I18N = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_TZ = True
# dd/mm/yyyy dates, 17,23 decimals and 1.234.567 thousands in every language.
FORMAT_MODULE_PATH = ["core.formats"]

# --- Static files -----------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# In development WhiteNoise serves straight from the source folders (no collectstatic).
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
MEDIA_URL = "/media/"

# --- Security ---------------------------------------------------------------------
# Django's own Content Security Policy: every script and style comes from our server,
# nothing inline. htmx's inline indicator styles are switched off in base.html.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
CSRF_FAILURE_VIEW = "core.views.csrf_failure"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    # Behind a TLS-terminating reverse proxy that sets X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# --- E-mail -----------------------------------------------------------------------
# EMAIL_URL: smtp://user:pass@host:25, smtp+tls://…:587, smtp+ssl://…:465, or
# consolemail:// (the default: e-mail printed to the console). Django 6.1 MAILERS form.
_email = env.email_url("EMAIL_URL", default="consolemail://")
_smtp_options = {
    "host": _email.get("EMAIL_HOST") or "localhost",
    "port": _email.get("EMAIL_PORT") or None,
    "username": _email.get("EMAIL_HOST_USER") or None,
    "password": _email.get("EMAIL_HOST_PASSWORD") or None,
    "use_tls": bool(_email.get("EMAIL_USE_TLS")),
    "use_ssl": bool(_email.get("EMAIL_USE_SSL")),
    # Seconds before a stalled SMTP connection is abandoned.
    "timeout": env.int("EMAIL_TIMEOUT", default=20),
}
MAILERS = {
    "default": {
        "BACKEND": _email["EMAIL_BACKEND"],
        "OPTIONS": _smtp_options if _email["EMAIL_BACKEND"].endswith("smtp.EmailBackend") else {},
    }
}
# The portal's public address, for links in e-mails.
PORTAL_URL = env.str("PORTAL_URL", default="http://127.0.0.1:8000").rstrip("/")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Cổng NTM <ntm@localhost>")

# --- Cache ------------------------------------------------------------------------
# What the API's throttle counts calls in. In memory, per process, unless CACHE_URL
# names a shared cache (redis://…, as docker-compose.yml sets), so that every gunicorn
# worker counts the same calls of a token.
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

# --- Celery -----------------------------------------------------------------------
# Empty broker URL: tasks run in-process, so the embedded portal needs no server.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_ENABLE_UTC = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_TIMEOUT = 5
# Seconds before the first retry of a reminder e-mail after a transient SMTP fault; each
# later retry waits twice as long, at most an hour (Celery's retry_backoff of
# directives.tasks.send_reminder_digest).
REMINDER_RETRY_BASE_SECONDS = env.int("REMINDER_RETRY_BASE_SECONDS", default=60)
# When the daily reminder job runs, HH:MM in CELERY_TIMEZONE (Asia/Ho_Chi_Minh); issue 5
# sets 07:00. The beat schedule, the one list of periodic jobs:
REMINDER_TIME = env.str("REMINDER_TIME", default="07:00")
_reminder_time = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", REMINDER_TIME)
if _reminder_time is None:
    raise ImproperlyConfigured(f"REMINDER_TIME must be HH:MM (24-hour clock), not {REMINDER_TIME!r}.")
CELERY_BEAT_SCHEDULE = {
    # Directive task and report reminders: one digest per recipient a day (issue 5).
    "directives-daily-reminders": {
        "task": "directives.tasks.run_daily_reminders",
        "schedule": crontab(hour=int(_reminder_time[1]), minute=int(_reminder_time[2])),
    },
    # Summary workbooks made in the background are deleted a day after they were asked for.
    "criteria-purge-export-jobs": {
        "task": "criteria.tasks.purge_export_jobs",
        "schedule": crontab(minute=15),
    },
}

# --- REST API ---------------------------------------------------------------------
REST_FRAMEWORK = {
    # Portal tokens (issued by a coordinator, accounts.api_auth) and a browser session.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.api_auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "accounts.api_auth.TokenAccessPermission",
    ],
    "DEFAULT_THROTTLE_CLASSES": ["accounts.api_auth.ApiRateThrottle"],
    # JSON only: people browse the API in the documentation pages (/api/v1/docs/).
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # No OPTIONS metadata (DRF's is English and partial): the OpenAPI schema says it all.
    "DEFAULT_METADATA_CLASS": None,
    # JSON first (nesting too deep or unreadable is a 400, not a 500), then forms.
    "DEFAULT_PARSER_CLASSES": [
        "core.parsers.SafeJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "core.api.schema.PortalAutoSchema",
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.ApiPagination",
    "EXCEPTION_HANDLER": "core.api.errors.exception_handler",
    # ISO dates and plain decimals in JSON, whatever the interface language.
    "COERCE_DECIMAL_TO_STRING": True,
}
# Calls per token (or per logged-in person) before 429: "<n>/<second|minute|hour|day>".
NTM_API_RATE = env.str("NTM_API_RATE", default="600/minute")
# The OpenAPI schema and its two documentation pages (core.api.docs). They are public:
# a provincial system integrator without a portal account must be able to read how to
# connect, and the schema describes the API's shape (paths, fields, codes), never its
# data; every data endpoint still needs a token or a session. TITLE is the schema's file
# name; the title and description people read are set, translated, by describe_schema.
SPECTACULAR_SETTINGS = {
    "TITLE": "NTM Portal API",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    # Each enum named after its choices class (UnitKindEnum, AgencyKindEnum), not after
    # the field ("kind"), which several resources share.
    "ENUM_NAME_OVERRIDES": ChoicesClassNames(),
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.api.docs.describe_schema",
    ],
    # Swagger UI and ReDoc from drf-spectacular-sidecar's files, never a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {
        "deepLinking": True,
        "docExpansion": "list",
        "filter": True,
        "displayRequestDuration": True,
        "defaultModelsExpandDepth": 0,
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # Django's own "django" logger has a console handler too: stop it propagating to
    # the root handler, or every warning is printed twice.
    "loggers": {
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.db.backends": {"level": "WARNING"},
    },
}
