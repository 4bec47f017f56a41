"""Test overrides on top of the one settings module: fast hasher, plain static storage,
in-process Celery unless a test asks for the real broker, e-mail kept in memory."""

from .settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
CELERY_TASK_ALWAYS_EAGER = True
DEMO_DATA = True
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
