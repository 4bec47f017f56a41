"""The Celery application. Its configuration is the CELERY_* part of the settings;
the beat schedule lives in code, in one place, as the apps add periodic jobs."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ntm_portal.settings")

app = Celery("ntm_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Times are in CELERY_TIMEZONE (Asia/Ho_Chi_Minh, the settings' TIME_ZONE).
app.conf.beat_schedule = {
    # Directive task and report reminders: one digest per recipient a day (issue 5).
    "directives-daily-reminders": {
        "task": "directives.tasks.run_daily_reminders",
        "schedule": crontab(hour=7, minute=0),
    },
}
