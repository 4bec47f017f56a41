"""Reporting periods (kỳ báo cáo): the half years and years reported on, with their
submission deadline (hạn nộp) and lock date (khóa sổ)."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class PeriodKind(models.TextChoices):
    HALF_YEAR = "half_year", _("Half year")
    YEAR = "year", _("Year")


class ReportingPeriod(models.Model):
    """A reporting period (kỳ báo cáo). ``submission_deadline`` (hạn nộp) is the last day
    that counts as on time; after ``lock_date`` (khóa sổ) only a coordinator may edit."""

    code = models.SlugField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=PeriodKind.choices)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    submission_deadline = models.DateField(_("submission deadline"))
    lock_date = models.DateField(_("lock date"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        ordering = ["-start", "kind"]
        constraints = [
            models.CheckConstraint(condition=Q(start__lte=F("end")), name="period_start_before_end"),
            models.CheckConstraint(
                condition=Q(submission_deadline__lte=F("lock_date")), name="period_deadline_before_lock"
            ),
        ]

    def __str__(self):
        return self.name

    def is_locked_on(self, day) -> bool:
        """True after the lock date (the lock date itself is still open)."""
        return day > self.lock_date
