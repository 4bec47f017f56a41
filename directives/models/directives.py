"""Directives (văn bản chỉ đạo) and their files.

The shape follows notice 58/TB-UBND of 06/07/2020 (Thái Nguyên): a numbered document of
a kind (thông báo kết luận, chỉ thị, quyết định, công văn, kế hoạch) with numbered
sections, each giving tasks to agencies (:mod:`directives.models.assignments`). Unique by
(number, date of issue): a number restarts every year.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import Agency
from core.formatting import date_text


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

    # The recipients (a many-to-many relation) changed by an edit are written in the
    # change reason ("edit|+12,15|-7", :mod:`directives.selectors.editing`): no limit.
    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

    class Meta:
        verbose_name = _("directive")
        verbose_name_plural = _("directives")
        ordering = ["-issued_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["number", "issued_on"], name="directive_unique_number_date"),
        ]

    def __str__(self):
        return f"{self.number} ({date_text(self.issued_on)})"


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
