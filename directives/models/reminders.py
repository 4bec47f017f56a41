"""The reminder policy, the reminder ledger, the daily e-mail digests and the runs of
the reminder job (planned by :mod:`directives.services.reminders`, sent by
:mod:`directives.services.digests`).

Rules kept in the database: one policy row (pk 1); one reminder ledger row per (item,
step, channel, recipient) and one digest per (recipient, day), which is what makes the
job safe to run twice, or twice at once.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.formatting import date_text
from directives.models.assignments import Assignment


def validate_day_list(value: str) -> None:
    """ "7, 3, 1": positive whole numbers of days, separated by commas."""
    try:
        days = [int(part) for part in value.split(",") if part.strip()]
    except ValueError:
        raise ValidationError(
            _("Write whole numbers of days separated by commas, e.g. 7, 3, 1."), code="invalid"
        ) from None
    if any(day < 1 or day > 365 for day in days):
        raise ValidationError(_("Each number of days must be between 1 and 365."), code="invalid")


class ReminderPolicy(models.Model):
    """The reminder policy, one editable row (pk 1) that a coordinator edits in the admin.

    * ``days_before``: days before a deadline a reminder goes out ("7, 3, 1");
    * ``on_due_day``: a reminder on the deadline itself;
    * ``overdue_every_days``: after the deadline, a reminder on the first day overdue and
      every N days after;
    * ``escalate_after_days``: on M days overdue, the agency's head and the provincial
      coordination office are told too (once per assignment and deadline);
    * ``report_days_before``: district committees whose communes' assessments for a
      period are not submitted N days before its submission deadline are reminded;
    * ``review_after_days``: coordinators are reminded of assessments submitted or
      returned longer than N days ago, again every N days.
    """

    days_before = models.CharField(
        _("days before the deadline"), max_length=60, default="7, 3, 1", validators=[validate_day_list]
    )
    on_due_day = models.BooleanField(_("remind on the deadline"), default=True)
    overdue_every_days = models.PositiveSmallIntegerField(
        _("repeat overdue reminders every (days)"), default=3, validators=[MinValueValidator(1)]
    )
    escalate_after_days = models.PositiveSmallIntegerField(
        _("escalate after (days overdue)"), default=7, validators=[MinValueValidator(1)]
    )
    report_days_before = models.PositiveSmallIntegerField(
        _("remind unsubmitted reports (days before the submission deadline)"),
        default=7,
        validators=[MinValueValidator(1)],
    )
    review_after_days = models.PositiveSmallIntegerField(
        _("remind coordinators of items waiting longer than (days)"),
        default=7,
        validators=[MinValueValidator(1)],
    )
    is_active = models.BooleanField(_("reminders on"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reminder policy")
        verbose_name_plural = _("reminder policy")
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="reminder_policy_single_row")]

    def __str__(self):
        return str(self._meta.verbose_name)

    def save(self, *args, **kwargs):
        """Always the row with pk 1: there is one policy."""
        self.pk = 1
        super().save(*args, **kwargs)

    @property
    def day_list(self) -> tuple[int, ...]:
        """``days_before`` as numbers, largest first, without repeats: (7, 3, 1)."""
        return tuple(
            sorted({int(part) for part in self.days_before.split(",") if part.strip()}, reverse=True)
        )


class Channel(models.TextChoices):
    """How a reminder reaches its recipient."""

    EMAIL = "email", _("E-mail")
    PORTAL = "portal", _("In-portal notification")


class DeliveryState(models.TextChoices):
    """Delivery state of a reminder ledger row or digest (see :class:`ReminderDigest`)."""

    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    REFUSED = "refused", _("Refused by the mail server")
    FAILED = "failed", _("Failed, will be retried")


class ReminderDigest(models.Model):
    """The one e-mail a recipient gets on a day: every ledger row planned for it that day.

    A send claims the digest with a conditional update (pending -> sending, or a sending
    claim whose lease ran out) that must change exactly one row, so two workers, a
    redelivered Celery message or two beats never send it twice. ``sent`` only after the
    SMTP server accepted the message; ``refused`` on a permanent (5xx) refusal, never
    retried; ``failed`` after the transient retries ran out (the next daily run tries
    again)."""

    recipient = models.EmailField(_("recipient"))
    day = models.DateField(_("day"))
    state = models.CharField(
        _("state"), max_length=10, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("reminder e-mail")
        verbose_name_plural = _("reminder e-mails")
        ordering = ["-day", "recipient"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "day"], name="digest_unique_recipient_day"),
        ]
        indexes = [models.Index(fields=["state", "day"], name="digest_state_day_idx")]

    def __str__(self):
        return f"{self.recipient} · {date_text(self.day)}"


class ReminderLedger(models.Model):
    """One reminder step for one item to one recipient, at most once ever (the unique
    constraint is what makes the job safe to run twice, or twice at once).

    ``item_key`` names what is reminded: ``assignment:<id>``, ``report:<period>:<agency>``
    (a district's unsubmitted assessments) or ``review:<assessment id>`` (waiting on a
    coordinator). ``step`` is the step of :mod:`directives.reminders`, prefixed with the
    deadline it counts from ("2020-07-17:before-7", "2020-07-17:overdue-2",
    "2020-07-17:escalation"), so a granted extension starts a fresh series. ``recipient`` is an e-mail address (channel
    e-mail, grouped into a :class:`ReminderDigest`) or a user id (channel portal, an
    in-portal :class:`~accounts.models.Notification`). ``message`` and ``link`` are the
    item's line in the digest, written when planned, in Vietnamese."""

    item_key = models.CharField(_("item"), max_length=80)
    assignment = models.ForeignKey(
        Assignment, null=True, blank=True, on_delete=models.CASCADE, related_name="reminders"
    )
    step = models.CharField(_("step"), max_length=40)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    recipient = models.CharField(_("recipient"), max_length=254)
    day = models.DateField(_("planned on"))
    message = models.TextField(_("message"))
    link = models.CharField(_("link"), max_length=300, blank=True)
    digest = models.ForeignKey(
        ReminderDigest, null=True, blank=True, on_delete=models.SET_NULL, related_name="items"
    )
    state = models.CharField(
        _("state"), max_length=10, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminder ledger")
        ordering = ["-day", "item_key", "step"]
        constraints = [
            models.UniqueConstraint(
                fields=["item_key", "step", "channel", "recipient"], name="reminder_once_per_step_recipient"
            ),
        ]
        # The planner attaches a day's pending e-mail rows to their digests.
        indexes = [models.Index(fields=["channel", "state", "digest"], name="reminder_pending_idx")]

    def __str__(self):
        return f"{self.item_key} · {self.step} · {self.recipient}"


class ReminderRun(models.Model):
    """One run of the daily reminder job: when, for which day, and what it did (shown on
    the overdue board, so coordinators see the job ran)."""

    day = models.DateField(_("day"))
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    reminders_planned = models.PositiveIntegerField(_("reminders planned"), default=0)
    notifications = models.PositiveIntegerField(_("notifications created"), default=0)
    digests_queued = models.PositiveIntegerField(_("e-mails queued"), default=0)

    class Meta:
        verbose_name = _("reminder run")
        verbose_name_plural = _("reminder runs")
        ordering = ["-started_at"]

    def __str__(self):
        return f"{date_text(self.day)} {self.started_at:%H:%M}"
