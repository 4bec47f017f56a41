"""The Celery application. Its configuration is the CELERY_* part of the settings,
the beat schedule included (``CELERY_BEAT_SCHEDULE``: the one list of periodic jobs)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ntm_portal.settings")

app = Celery("ntm_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
