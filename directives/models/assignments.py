"""Tasks (nhiệm vụ) of a directive, the agencies assigned to them (cơ quan chủ trì /
phối hợp), the deadline history, progress reports and extension requests.

A task is a bullet of a directive's section, some with a deadline ("báo cáo UBND tỉnh
trước ngày 17/7/2020", notice 58/TB-UBND), most standing. Rules kept in the database: one
assignment per (task, agency); a deadline change is a row of :class:`DeadlineChange`; at
most one open extension request per assignment; percent 0-100. The status of an
assignment is never stored: it is derived from its dates when read
(:mod:`directives.status`).
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import Agency
from communes.models import AdministrativeUnit
from directives.models.directives import Directive


class Recurrence(models.TextChoices):
    """A standing task that recurs ("hằng tháng", "định kỳ hằng quý", "6 tháng",
    "hằng năm"): no single deadline on the task; each period has its own due date
    (:attr:`Task.recurrence_day` of the period's last month)."""

    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    SEMIANNUAL = "semiannual", _("Every six months")
    YEARLY = "yearly", _("Yearly")


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
    # "báo cáo hằng quý trước ngày 15 của tháng cuối quý": 15. None: the period's last day.
    recurrence_day = models.PositiveSmallIntegerField(
        _("due day of each period"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
        help_text=_(
            "Day of the period's last month by which each period's report is due; empty: its last day."
        ),
    )
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
