"""Recognitions (công nhận) of communes and hamlets at a level, by a decision, and the
programme's targets of them."""

from django.core.validators import MaxValueValidator, MinValueValidator
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


class ProgrammeTargetManager(models.Manager):
    def get_by_natural_key(self, unit_code: str, unit_valid_until: str | None, level: str, year: int):
        return self.get(
            unit=AdministrativeUnit.objects.get_by_natural_key(unit_code, unit_valid_until),
            level=level,
            year=year,
        )


class ProgrammeTarget(models.Model):
    """A target (mục tiêu) of the programme: how many communes (or hamlets) of a unit
    are to be recognised at a level by the end of a year, as a decision or notice sets it.

    ``count`` is None while the target is not known (NTM_FACTS marks the province's
    2021-2025 figure unknown): the row is there for a coordinator to fill, and the
    dashboard says "chưa có mục tiêu" instead of inventing one. The 2016-2020 target of
    Thái Nguyên, 100 communes at the standard, is read from notice 58/TB-UBND of
    06/07/2020 ("103 xã đạt chuẩn NTM, vượt mục tiêu giai đoạn 2016-2020 là 03 xã").
    """

    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("administrative unit"),
        on_delete=models.PROTECT,
        related_name="programme_targets",
    )
    level = models.CharField(_("level"), max_length=15, choices=RecognitionLevel.choices)
    year = models.PositiveSmallIntegerField(
        _("by the end of year"), validators=[MinValueValidator(2010), MaxValueValidator(2100)]
    )
    count = models.PositiveIntegerField(
        _("target (units recognised)"), null=True, blank=True, help_text=_("Leave empty while not known.")
    )
    source = models.CharField(_("source"), max_length=300, blank=True)

    history = HistoricalRecords()
    objects = ProgrammeTargetManager()

    class Meta:
        verbose_name = _("programme target")
        verbose_name_plural = _("programme targets")
        ordering = ["unit__code", "level", "year"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "level", "year"], name="programme_target_unique"),
        ]

    def __str__(self):
        return f"{self.unit} · {self.get_level_display()} · {self.year}"

    def natural_key(self):
        return (*self.unit.natural_key(), self.level, self.year)

    natural_key.dependencies = ["communes.administrativeunit"]
