"""Excel criteria reports (báo cáo nhập từ Excel) as uploaded, previewed and imported."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from communes.models import AdministrativeUnit
from criteria.models.catalogue import CriteriaSet
from criteria.models.periods import ReportingPeriod


class UploadStatus(models.TextChoices):
    READY = "ready", _("Ready to confirm")
    NOTHING = "nothing", _("Nothing to import")
    CANCELLED = "cancelled", _("Cancelled")
    APPLYING = "applying", _("Importing")
    APPLIED = "applied", _("Imported")


class ReportUpload(models.Model):
    """An uploaded Excel criteria report (báo cáo nhập từ Excel) and what became of it.

    The file is kept as sent. ``errors`` holds the reasons a whole file was refused;
    ``preview`` one entry per commune row, made before anything is written (what would
    change, old -> new, criteria met after, or why the commune cannot change);
    ``outcome`` maps a commune's unit id to what happened on confirmation. The values
    themselves are written by the assessment services, so their history names the
    uploader like an edit in the web form.
    """

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    filename = models.CharField(_("file name"), max_length=255)
    data = models.BinaryField(_("file"))
    unit = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT
    )
    period = models.ForeignKey(
        ReportingPeriod, verbose_name=_("period"), null=True, blank=True, on_delete=models.PROTECT
    )
    criteria_set = models.ForeignKey(
        CriteriaSet, verbose_name=_("criteria set"), null=True, blank=True, on_delete=models.PROTECT
    )
    status = models.CharField(_("status"), max_length=10, choices=UploadStatus.choices)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    preview = models.JSONField(_("preview"), default=list, blank=True)
    outcome = models.JSONField(_("outcome"), default=dict, blank=True)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("Excel report upload")
        verbose_name_plural = _("Excel report uploads")
        ordering = ["-uploaded_at"]

    def __str__(self):
        return self.filename
