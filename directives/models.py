"""Directives (văn bản chỉ đạo), their tasks (nhiệm vụ), the agencies assigned to them
(cơ quan chủ trì / phối hợp), progress reports, extensions, and the reminder ledger.

The shape follows notice 58/TB-UBND of 06/07/2020 (Thái Nguyên): a numbered document of
a kind (thông báo kết luận, chỉ thị, quyết định, công văn, kế hoạch) with numbered
sections, each giving tasks to agencies, some with a deadline ("báo cáo UBND tỉnh trước
ngày 17/7/2020"), most standing.

Rules kept in the database: one assignment per (task, agency); a deadline change is a
row of :class:`DeadlineChange`; at most one open extension request per assignment;
percent 0-100; one reminder ledger row per (item, step, channel, recipient) and one
digest per (recipient, day). The status of an assignment is never stored: it is derived
from its dates when read (:mod:`directives.status`).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import Agency
from communes.models import AdministrativeUnit


class DirectiveKind(models.TextChoices):
    """Kinds of directive document (loại văn bản) the province sends."""

    CONCLUSION_NOTICE = "conclusion_notice", _("Conclusion notice (thông báo kết luận)")
    DIRECTIVE = "directive", _("Directive (chỉ thị)")
    DECISION = "decision", _("Decision (quyết định)")
    OFFICIAL_LETTER = "official_letter", _("Official letter (công văn)")
    PLAN = "plan", _("Plan (kế hoạch)")


class Directive(models.Model):
    """A directive document: số/ký hiệu ("58/TB-UBND"), kind, issuing body, signer,
    date of issue, trích yếu (``title``), full ``body`` text and the recipients (nơi
    nhận) as agencies. Unique by (number, issued_on): a number restarts every year."""

    number = models.CharField(_("number and symbol"), max_length=60)
    kind = models.CharField(_("kind"), max_length=20, choices=DirectiveKind.choices)
    issuer = models.CharField(_("issuing body"), max_length=255)
    signer = models.CharField(_("signer"), max_length=150, blank=True)
    issued_on = models.DateField(_("date of issue"))
    title = models.TextField(_("summary (trích yếu)"))
    body = models.TextField(_("body text"), blank=True)
    recipients = models.ManyToManyField(
        Agency, verbose_name=_("recipients"), blank=True, related_name="directives_received"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("directive")
        verbose_name_plural = _("directives")
        ordering = ["-issued_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["number", "issued_on"], name="directive_unique_number_date"),
        ]

    def __str__(self):
        return f"{self.number} ({self.issued_on:%d/%m/%Y})"


def attachment_path(instance, filename: str) -> str:
    """Where a directive's file is stored: ``directives/<directive id>/<file name>``."""
    return f"directives/{instance.directive_id}/{filename}"


class DirectiveAttachment(models.Model):
    """A file attached to a directive (the signed PDF, an annex)."""

    directive = models.ForeignKey(Directive, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=255)
    name = models.CharField(_("name"), max_length=255)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["pk"]

    def __str__(self):
        return self.name


class Recurrence(models.TextChoices):
    """A standing task that recurs ("hằng tháng", "hằng quý"): no single deadline."""

    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")


class Task(models.Model):
    """A task (nhiệm vụ) of a directive: the bullet's text, the section it is in ("2"
    and its heading), the deadline the directive gives (None for a standing task), an
    optional recurrence, an optional link to a criterion and to administrative units.
    ``parent`` is the "-" bullet a "+" sub-bullet belongs to. ``position`` keeps the
    reading order of the document."""

    directive = models.ForeignKey(Directive, on_delete=models.CASCADE, related_name="tasks")
    position = models.PositiveSmallIntegerField(_("position"))
    section_number = models.CharField(_("section"), max_length=10, blank=True)
    section_heading = models.TextField(_("section heading"), blank=True)
    text = models.TextField(_("task"))
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    deadline_phrase = models.CharField(_("deadline as written"), max_length=120, blank=True)
    recurrence = models.CharField(_("recurrence"), max_length=10, choices=Recurrence.choices, blank=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent task"), null=True, blank=True, on_delete=models.CASCADE
    )
    criterion = models.ForeignKey(
        "criteria.Criterion",
        verbose_name=_("criterion"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    units = models.ManyToManyField(
        AdministrativeUnit, verbose_name=_("administrative units"), blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["directive", "position"]
        constraints = [
            models.UniqueConstraint(fields=["directive", "position"], name="task_unique_position"),
            models.CheckConstraint(
                condition=Q(deadline__isnull=True) | Q(recurrence=""), name="task_recurring_has_no_deadline"
            ),
        ]

    def __str__(self):
        return self.text[:80]


class AssignmentRole(models.TextChoices):
    """Lead (chủ trì) answers for the task and its deadline; cooperating (phối hợp) supports it."""

    LEAD = "lead", _("Lead (chủ trì)")
    COOPERATING = "cooperating", _("Cooperating (phối hợp)")


class AssignmentQuerySet(models.QuerySet):
    """Assignment queries: the status bucket in the database, open ones."""

    def with_bucket(self, today):
        """Annotate ``bucket`` (a :class:`directives.status.Bucket` value) computed in the
        database from the same rule as :func:`directives.status.bucket`."""
        from directives.status import bucket_expression

        return self.annotate(bucket=bucket_expression(today))

    def open(self):
        """Assignments not marked done."""
        return self.filter(completed_on__isnull=True)


class Assignment(models.Model):
    """A task given to one agency, as lead or cooperating. ``deadline`` starts as the
    task's and moves only through a granted extension (each move is a
    :class:`DeadlineChange`). ``completed_on`` is the local date (Asia/Ho_Chi_Minh) the
    assignee marked it done; the status bucket is derived from these dates when read
    (:mod:`directives.status`), never stored."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="assignments")
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="assignments"
    )
    role = models.CharField(_("role"), max_length=12, choices=AssignmentRole.choices, default="lead")
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    completed_on = models.DateField(_("done on"), null=True, blank=True)
    completed_at = models.DateTimeField(_("marked done at"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    percent = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )

    history = HistoricalRecords()
    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["task__directive", "task__position", "role", "agency__name"]
        constraints = [
            models.UniqueConstraint(fields=["task", "agency"], name="assignment_unique_task_agency"),
            models.CheckConstraint(condition=Q(percent__lte=100), name="assignment_percent_at_most_100"),
            models.CheckConstraint(
                condition=Q(completed_on__isnull=True) | Q(completed_at__isnull=False),
                name="assignment_done_has_time",
            ),
        ]
        # The overdue board and the daily reminder job read open lead assignments by deadline.
        indexes = [models.Index(fields=["completed_on", "deadline"], name="assignment_open_deadline_idx")]

    def __str__(self):
        return f"{self.agency} · {self.task}"

    @property
    def bucket(self):
        """The status bucket: the one annotated by ``with_bucket(today)`` if the row was
        read so, else computed for today (see :func:`directives.status.bucket`)."""
        from django.utils import timezone

        from directives.status import Bucket, bucket

        if "_bucket" in self.__dict__:
            return Bucket(self._bucket)
        return bucket(deadline=self.deadline, completed_on=self.completed_on, today=timezone.localdate())

    @bucket.setter
    def bucket(self, value) -> None:
        self._bucket = value


class DeadlineChange(models.Model):
    """One move of an assignment's deadline (the deadline history): from, to, why, who."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="deadline_changes")
    old_deadline = models.DateField(_("old deadline"), null=True, blank=True)
    new_deadline = models.DateField(_("new deadline"))
    reason = models.TextField(_("reason"), blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("deadline change")
        verbose_name_plural = _("deadline changes")
        ordering = ["changed_at", "pk"]

    def __str__(self):
        return f"{self.old_deadline} -> {self.new_deadline}"


def progress_path(instance, filename: str) -> str:
    """Where a progress report's file is stored: ``progress/<assignment id>/<file name>``."""
    return f"progress/{instance.assignment_id}/{filename}"


class ProgressReport(models.Model):
    """A progress report (báo cáo tiến độ) of the assignee: text, optional file, percent."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="reports")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("report"))
    attachment = models.FileField(_("attachment"), upload_to=progress_path, max_length=255, blank=True)
    percent = models.PositiveSmallIntegerField(
        _("progress (%)"), validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(percent__lte=100), name="progress_percent_at_most_100"),
        ]

    def __str__(self):
        return f"{self.percent}% · {self.text[:60]}"


class ExtensionStatus(models.TextChoices):
    """State of an extension request (đề nghị gia hạn)."""

    PENDING = "pending", _("Pending")
    GRANTED = "granted", _("Granted")
    REFUSED = "refused", _("Refused")


class ExtensionRequest(models.Model):
    """An assignee's request for a later deadline (xin gia hạn), granted or refused by a
    coordinator with a note. At most one pending request per assignment."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="extensions")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_deadline = models.DateField(_("requested deadline"))
    reason = models.TextField(_("reason"))
    status = models.CharField(
        _("status"), max_length=10, choices=ExtensionStatus.choices, default=ExtensionStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment"],
                condition=Q(status="pending"),
                name="extension_one_pending_per_assignment",
            ),
        ]

    def __str__(self):
        return f"{self.assignment} -> {self.requested_deadline}"


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
        return f"{self.recipient} · {self.day:%d/%m/%Y}"


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
        return f"{self.day:%d/%m/%Y} {self.started_at:%H:%M}"
