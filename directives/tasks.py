"""Celery tasks of the directives app: the daily reminder job (run by beat at 07:00
Asia/Ho_Chi_Minh, see ``ntm_portal/celery.py``) and the sending of one digest. They take
ids, call a service, and are safe to run twice (:mod:`directives.services.reminders`,
:mod:`directives.services.digests`)."""

import datetime

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from directives.services.digests import TransientMailError, digest_send
from directives.services.reminders import reminders_plan

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


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=(TransientMailError,),
    # Celery's exponential backoff: the first retry after REMINDER_RETRY_BASE_SECONDS
    # (60 by default), each later one twice as long, at most an hour, no jitter.
    retry_backoff=settings.REMINDER_RETRY_BASE_SECONDS,
    retry_backoff_max=3600,
    retry_jitter=False,
    max_retries=5,
)
def send_reminder_digest(self, digest_id: int) -> str:
    """Send the digest ``digest_id`` once. Returns the outcome of
    :func:`~directives.services.digests.digest_send`: "sent", "refused" (a permanent
    5xx refusal, recorded and never retried), "skipped" (already sent or refused, claimed
    by another worker, or empty: a redelivered message, a second run) or "failed" (still
    transient on the last of ``max_retries`` retries; the next daily run queues it again).
    A transient SMTP fault raises :class:`~directives.services.digests.TransientMailError`,
    which Celery retries with the backoff above."""
    final = self.request.retries >= self.max_retries
    outcome = digest_send(digest_id=digest_id, final_attempt=final)
    if outcome == "retry":
        if self.request.is_eager:
            # In-process (no broker, `make run`, tests): retry at once. Celery's own eager
            # retry re-raises under CELERY_TASK_EAGER_PROPAGATES instead of retrying.
            return self.apply(args=[digest_id], retries=self.request.retries + 1).result
        raise TransientMailError(f"reminder digest {digest_id}: transient SMTP fault, retrying")
    return outcome
