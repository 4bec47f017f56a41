"""Exports produced in the background (bảng tổng hợp tạo ở chế độ nền): who asked for
which workbook, how far its building has gone, and the file once it is built.

The file lies under ``MEDIA_ROOT/private/exports/``, which no URL serves: it is handed
out only by the job's download view, to the user who asked (or a coordinator). A job
and its file are deleted :data:`~criteria.services.exports.KEEP_FOR` (24 hours) after
they were asked for (:func:`criteria.services.exports.export_jobs_purge`).
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from communes.models import AdministrativeUnit
from criteria.models.catalogue import CriteriaSet
from criteria.models.periods import ReportingPeriod


class ExportKind(models.TextChoices):
    SUMMARY = "summary", _("Summary workbook")


class ExportState(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Being produced")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


def export_path(instance: "ExportJob", filename: str) -> str:
    """Where a job's file is stored: ``private/exports/<job id>-<16 random hex>.xlsx``
    (ASCII; the Vietnamese name is the job's ``filename``, given at download). The random
    part keeps one job's path from being guessed from another's."""
    extension = filename.rsplit(".", 1)[-1] if "." in filename else "xlsx"
    return f"private/exports/{instance.pk}-{secrets.token_hex(8)}.{extension}"


class ExportJob(models.Model):
    """One request for an export built in the background by a Celery task.

    ``period``, ``criteria_set`` and ``unit`` (None: the whole scope of the user who
    asked) are the selection; the workbook covers what ``requested_by`` may read in it,
    as the synchronous download does. ``language`` is the interface language when it was
    asked for, in which the workbook and ``error`` are written (Vietnamese by default).
    ``progress`` is a percentage, 0 to 100, 100 once ``state`` is DONE. ``filename`` is
    the name the file is downloaded under ("Tổng hợp NTM 6 tháng đầu năm 2020.xlsx").
    """

    kind = models.CharField(_("kind"), max_length=20, choices=ExportKind.choices, default=ExportKind.SUMMARY)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.CASCADE, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    period = models.ForeignKey(ReportingPeriod, verbose_name=_("period"), on_delete=models.CASCADE)
    criteria_set = models.ForeignKey(CriteriaSet, verbose_name=_("criteria set"), on_delete=models.CASCADE)
    unit = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.CASCADE
    )
    language = models.CharField(_("language"), max_length=10, default="vi")
    state = models.CharField(
        _("state"), max_length=10, choices=ExportState.choices, default=ExportState.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    file = models.FileField(_("file"), upload_to=export_path, max_length=255, blank=True)
    filename = models.CharField(_("file name"), max_length=255, blank=True)
    error = models.TextField(_("error"), blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("export job")
        verbose_name_plural = _("export jobs")
        ordering = ["-requested_at"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="export_job_progress_percent"),
            models.CheckConstraint(condition=Q(state__in=ExportState.values), name="export_job_state_valid"),
        ]
        indexes = [models.Index(fields=["requested_at"], name="export_job_requested_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def finished(self) -> bool:
        """True once the job is DONE or FAILED: nothing more will change."""
        return self.state in (ExportState.DONE, ExportState.FAILED)
