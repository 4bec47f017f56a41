"""Sending one reminder digest (the one e-mail a recipient gets on a day, planned by
:mod:`directives.services.reminders`), exactly once.

Exactly once, and why: :func:`digest_send` claims one digest with a conditional UPDATE
(pending or failed -> sending, or a sending claim whose lease ran out) that must change
exactly one row; whoever loses the race sends nothing. The digest is marked sent only
after the SMTP server accepted the message. A permanent refusal (5xx: unknown mailbox)
marks it refused, shown to coordinators, never retried. A transient fault (connection
dropped or refused, timeout, 4xx) releases the claim and the Celery task
(:func:`directives.tasks.send_reminder_digest`) retries with backoff; when its retries
run out the digest is failed, and the next day's run queues it again. One message per
recipient, so one bad address never holds back the others.

What cannot be made exactly once over SMTP: a connection lost after the server accepted
the message but before its "250 OK" arrived; the retry then delivers a second copy.
That window is milliseconds and the alternative (marking sent before the reply) loses
mail, which the issue forbids.
"""

import datetime
import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.formatting import date_text
from directives.models import DeliveryState, ReminderDigest, ReminderLedger

logger = logging.getLogger(__name__)

# How long a worker's claim on a digest holds before another may take it over (it died).
CLAIM_LEASE = datetime.timedelta(minutes=10)


class TransientMailError(Exception):
    """A fault worth retrying: connection refused or dropped, timeout, a 4xx reply. Raised
    by :func:`directives.tasks.send_reminder_digest` when :func:`digest_send` answers
    "retry", so that Celery retries the task (``autoretry_for``)."""


def _claim(digest_id: int) -> ReminderDigest | None:
    """Take the digest for this worker (a conditional UPDATE that must change one row);
    None if it is sent, refused, or another worker holds a live claim."""
    now = timezone.now()
    claimed = (
        ReminderDigest.objects.filter(pk=digest_id)
        .filter(
            Q(state__in=[DeliveryState.PENDING, DeliveryState.FAILED])
            | Q(state=DeliveryState.SENDING, claimed_until__lt=now)
        )
        .update(state=DeliveryState.SENDING, claimed_until=now + CLAIM_LEASE)
    )
    if claimed != 1:
        return None
    return ReminderDigest.objects.get(pk=digest_id)


def digest_message(digest: ReminderDigest) -> tuple[EmailMultiAlternatives | None, list[int]]:
    """The digest e-mail in the portal's language, one line per item with its link, and
    the ids of the ledger rows it lists. ``(None, [])`` when it holds no item."""
    items = list(digest.items.filter(state=DeliveryState.PENDING).order_by("item_key", "step"))
    if not items:
        return None, []
    with translation.override(settings.LANGUAGE_CODE):
        subject = ngettext(
            "NTM Portal: %(n)s reminder for %(day)s",
            "NTM Portal: %(n)s reminders for %(day)s",
            len(items),
        ) % {"n": len(items), "day": date_text(digest.day)}
        lines = [
            _("Dear colleague,"),
            "",
            _("These tasks and reports of the NTM Portal need your attention:"),
            "",
        ]
        for number, item in enumerate(items, start=1):
            lines.append(f"{number}. {item.message}")
            if item.link:
                lines.append(f"   {settings.PORTAL_URL}{item.link}")
        lines += [
            "",
            _("Your notifications in the portal list the same items: %(link)s")
            % {"link": settings.PORTAL_URL + reverse("notifications")},
            _("This message is sent once a day by the NTM Portal; do not reply to it."),
        ]
    message = EmailMultiAlternatives(subject, "\n".join(lines), None, [digest.recipient])
    return message, [item.pk for item in items]


def _classify(error: Exception) -> tuple[bool, str]:
    """``(permanent, text)`` of an SMTP fault: 5xx replies are permanent, the rest
    (4xx, dropped or refused connections, timeouts) transient."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _msg in error.recipients.values()]
        detail = "; ".join(
            f"{address}: {code} {msg.decode(errors='replace') if isinstance(msg, bytes) else msg}"
            for address, (code, msg) in error.recipients.items()
        )
        return bool(codes) and all(code >= 500 for code in codes), detail
    if isinstance(error, smtplib.SMTPResponseException) and not isinstance(error, smtplib.SMTPSenderRefused):
        message = (
            error.smtp_error.decode(errors="replace")
            if isinstance(error.smtp_error, bytes)
            else error.smtp_error
        )
        return error.smtp_code >= 500, f"{error.smtp_code} {message}"
    return False, f"{type(error).__name__}: {error}"


def digest_send(*, digest_id: int, final_attempt: bool) -> str:
    """Send one digest if this worker can claim it. Returns "sent", "refused",
    "skipped" (already sent, refused, claimed elsewhere, or empty), "retry" (a transient
    fault: the claim is released for the retry) or, on a transient fault with
    ``final_attempt``, "failed" (the next daily run queues it again)."""
    digest = _claim(digest_id)
    if digest is None:
        return "skipped"
    message, item_ids = digest_message(digest)
    if message is None:
        ReminderDigest.objects.filter(pk=digest.pk).update(state=DeliveryState.SENT, sent_at=timezone.now())
        return "skipped"
    attempts = digest.attempts + 1
    try:
        message.send(using="default")
    except (smtplib.SMTPException, OSError) as error:
        permanent, detail = _classify(error)
        state = (
            DeliveryState.REFUSED
            if permanent
            else (DeliveryState.FAILED if final_attempt else DeliveryState.PENDING)
        )
        logger.warning("Reminder digest %s to %s: %s (%s)", digest.pk, digest.recipient, detail, state)
        with transaction.atomic():
            ReminderDigest.objects.filter(pk=digest.pk).update(
                state=state, attempts=attempts, last_error=detail[:2000], claimed_until=None
            )
            if permanent:
                ReminderLedger.objects.filter(pk__in=item_ids).update(state=DeliveryState.REFUSED)
        if permanent:
            return "refused"
        return "failed" if final_attempt else "retry"
    with transaction.atomic():
        ReminderDigest.objects.filter(pk=digest.pk).update(
            state=DeliveryState.SENT,
            attempts=attempts,
            sent_at=timezone.now(),
            claimed_until=None,
            last_error="",
        )
        ReminderLedger.objects.filter(pk__in=item_ids).update(state=DeliveryState.SENT)
    return "sent"
