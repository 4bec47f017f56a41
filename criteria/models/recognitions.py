"""Recognitions (công nhận) of communes and hamlets at a level, by a decision."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from communes.models import AdministrativeUnit
from criteria.models.catalogue import CriteriaSet


class RecognitionLevel(models.TextChoices):
    STANDARD = "standard", _("NTM standard (đạt chuẩn)")
    ADVANCED = "advanced", _("Advanced NTM (nâng cao)")
    MODEL = "model", _("Model NTM (kiểu mẫu)")
    MODEL_HAMLET = "model_hamlet", _("Model NTM hamlet (xóm kiểu mẫu)")


class Recognition(models.Model):
    """A recognition (công nhận) of a commune or hamlet at a level, by a decision (number,
    date, signer), under a criteria set. Communes are recognised by the provincial
    chairman, model hamlets by the district committee (NTM_FACTS §3)."""

    unit = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="recognitions"
    )
    level = models.CharField(_("level"), max_length=15, choices=RecognitionLevel.choices)
    criteria_set = models.ForeignKey(
        CriteriaSet, verbose_name=_("criteria set"), on_delete=models.PROTECT, related_name="recognitions"
    )
    decision_number = models.CharField(_("decision number"), max_length=60)
    decision_date = models.DateField(_("decision date"))
    signer = models.CharField(_("signer"), max_length=150, blank=True)
    is_demo = models.BooleanField(_("illustrative demo data"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("recognition")
        verbose_name_plural = _("recognitions")
        ordering = ["-decision_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "level", "criteria_set"], name="recognition_unique_level_set"
            ),
        ]

    def __str__(self):
        return f"{self.unit} · {self.get_level_display()} ({self.decision_number})"
