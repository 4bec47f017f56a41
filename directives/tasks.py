"""Celery tasks of the directives app: the daily reminder job (run by beat at 07:00
Asia/Ho_Chi_Minh, see ``ntm_portal/celery.py``) and the sending of one digest. They take
ids, call a service, and are safe to run twice (:mod:`directives.services.reminders`)."""

import datetime

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from directives.services.reminders import digest_send, reminders_plan

REMINDERS_TASK = "directives.tasks.run_daily_reminders"


@shared_task(name=REMINDERS_TASK)
def run_daily_reminders(day: str | None = None) -> dict:
    """Plan today's reminders (or those of ``day``, an ISO date, for a catch-up by hand)
    and queue one e-mail per recipient on commit. Returns the counts."""
    today = datetime.date.fromisoformat(day) if day else timezone.localdate()
    result = reminders_plan(today=today)
    return {
        "day": today.isoformat(),
        "planned": result.planned,
        "notifications": result.notifications,
        "digests": len(result.digest_ids),
    }


def retry_countdown(retries: int) -> int:
    """Seconds before retry number ``retries + 1``: the base (``REMINDER_RETRY_BASE_SECONDS``,
    60 by default) doubled each time, at most an hour."""
    base = getattr(settings, "REMINDER_RETRY_BASE_SECONDS", 60)
    return int(min(base * 2**retries, 3600))


@shared_task(bind=True, max_retries=5, acks_late=True)
def send_reminder_digest(self, digest_id: int) -> str:
    """Send the digest ``digest_id`` once. A transient SMTP fault is retried with
    exponential backoff (:func:`retry_countdown`), at most ``max_retries`` times; a
    permanent refusal is recorded and never retried; a digest already sent (a
    redelivered message, a second run) is skipped."""
    final = self.request.retries >= self.max_retries
    outcome = digest_send(digest_id=digest_id, final_attempt=final)
    if outcome == "retry":
        if self.request.is_eager:
            # In-process (no broker, `make run`, tests): retry at once. Celery's own eager
            # retry re-raises under CELERY_TASK_EAGER_PROPAGATES instead of retrying.
            return self.apply(args=[digest_id], retries=self.request.retries + 1).result
        raise self.retry(countdown=retry_countdown(self.request.retries))
    return outcome
