"""Cement: allocation batches, allocations, deliveries, use reports, and the reference
data of the reserve's priorities (communes registered to reach the standard, roads
still to harden)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from communes.models import AdministrativeUnit
from core.formatting import date_text, decimal_text, tonnes_text
from funding.models.common import KM, TONNES, YEAR_RANGE


class BatchKind(models.TextChoices):
    """A batch of cement allocations: the regular plan or the reserve (dự phòng)."""

    REGULAR = "regular", _("Regular")
    RESERVE = "reserve", _("Reserve")


class CementBatch(models.Model):
    """An allocation batch (đợt phân bổ xi măng): a decision that gives cement for ``year``
    to several units. ``basis`` holds, for a reserve batch approved from a proposal, the
    proposal as it was approved (one object per unit: code, name, allocated, used,
    ratio, registered communes, road km, points, proposed and approved tonnes; numbers
    as strings), so the reasons stay with the decision."""

    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=10, choices=BatchKind.choices, default=BatchKind.REGULAR)
    decision_number = models.CharField(_("decision number"), max_length=60)
    decision_date = models.DateField(_("decision date"))
    note = models.TextField(_("note"), blank=True)
    basis = models.JSONField(_("basis of the proposal"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    is_demo = models.BooleanField(_("illustrative demo data"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cement allocation batch")
        verbose_name_plural = _("cement allocation batches")
        ordering = ["-year", "decision_date", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["year", "decision_number"], name="cement_batch_unique_decision"),
            models.CheckConstraint(condition=YEAR_RANGE, name="cement_batch_year_range"),
        ]

    def __str__(self):
        return f"{self.decision_number} ({self.get_kind_display()}, {self.year})"


class CementAllocation(models.Model):
    """The tonnes of cement one batch gives one holder (a district or a commune)."""

    batch = models.ForeignKey(
        CementBatch, verbose_name=_("batch"), on_delete=models.CASCADE, related_name="allocations"
    )
    unit = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("locality"), on_delete=models.PROTECT, related_name="+"
    )
    tonnes = models.DecimalField(_("tonnes"), **TONNES)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cement allocation")
        verbose_name_plural = _("cement allocations")
        ordering = ["batch", "unit__code"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "unit"], name="cement_allocation_unique_unit"),
            models.CheckConstraint(condition=Q(tonnes__gt=0), name="cement_allocation_tonnes_positive"),
        ]
        # The overview and every use report sum a holder's allocations of a year.
        indexes = [models.Index(fields=["unit", "batch"], name="cement_alloc_unit_idx")]

    def __str__(self):
        return f"{self.unit}: {tonnes_text(self.tonnes)}"


class CementDelivery(models.Model):
    """Cement handed over to a holder (giao nhận), for the allocations of ``year``."""

    unit = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("locality"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    delivered_on = models.DateField(_("delivery date"))
    tonnes = models.DecimalField(_("tonnes"), **TONNES)
    reference = models.CharField(_("delivery record"), max_length=150, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_demo = models.BooleanField(_("illustrative demo data"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cement delivery")
        verbose_name_plural = _("cement deliveries")
        ordering = ["-delivered_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(tonnes__gt=0), name="cement_delivery_tonnes_positive"),
            models.CheckConstraint(condition=YEAR_RANGE, name="cement_delivery_year_range"),
        ]
        indexes = [models.Index(fields=["unit", "year"], name="cement_delivery_unit_year_idx")]

    def __str__(self):
        return f"{self.unit}: {tonnes_text(self.tonnes)} ({date_text(self.delivered_on)})"


class UsePurpose(models.TextChoices):
    """What the cement was used for (the works of criteria 2, 3, 5 and 6 of QĐ 1980)."""

    ROAD = "road", _("Road")
    CANAL = "canal", _("Irrigation canal")
    SCHOOL = "school", _("School")
    CULTURAL_HOUSE = "cultural_house", _("Cultural house")
    SPORTS = "sports", _("Sports ground")
    OTHER = "other", _("Other works")


class RoadKind(models.TextChoices):
    """Kinds of rural road of criterion 2 (Giao thông) of QĐ 1980/QĐ-TTg."""

    COMMUNE_AXIS = "commune_axis", _("Commune axis road")
    HAMLET_AXIS = "hamlet_axis", _("Hamlet axis road")
    ALLEY = "alley", _("Alley road")
    FIELD = "field", _("Main field road")


# Purposes whose works have a length in km.
LINEAR_PURPOSES = (UsePurpose.ROAD, UsePurpose.CANAL)


class CementUse(models.Model):
    """A use report (báo cáo sử dụng xi măng): ``tonnes`` of the holder's cement of
    ``year`` used on ``used_on`` for ``purpose`` (a road of ``road_kind``, a canal... with
    ``length_km`` for a road or canal), at ``place`` (a commune or hamlet inside the
    holder, optional), with ``evidence`` (acceptance record, photos...)."""

    unit = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("locality"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    used_on = models.DateField(_("date of use"))
    tonnes = models.DecimalField(_("tonnes used"), **TONNES)
    purpose = models.CharField(_("purpose"), max_length=20, choices=UsePurpose.choices)
    road_kind = models.CharField(_("road kind"), max_length=20, choices=RoadKind.choices, blank=True)
    length_km = models.DecimalField(_("length (km)"), null=True, blank=True, **KM)
    place = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("commune or hamlet"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    description = models.CharField(_("works"), max_length=300)
    evidence = models.TextField(_("evidence"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("reported at"), auto_now_add=True)
    is_demo = models.BooleanField(_("illustrative demo data"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cement use report")
        verbose_name_plural = _("cement use reports")
        ordering = ["-used_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(tonnes__gt=0), name="cement_use_tonnes_positive"),
            models.CheckConstraint(condition=YEAR_RANGE, name="cement_use_year_range"),
            models.CheckConstraint(
                condition=(Q(purpose=UsePurpose.ROAD) & ~Q(road_kind=""))
                | (~Q(purpose=UsePurpose.ROAD) & Q(road_kind="")),
                name="cement_use_road_kind_only_for_roads",
            ),
            models.CheckConstraint(
                condition=Q(length_km__isnull=True) | Q(length_km__gt=0),
                name="cement_use_length_positive",
            ),
        ]
        indexes = [models.Index(fields=["unit", "year"], name="cement_use_unit_year_idx")]

    def __str__(self):
        return f"{self.unit}: {tonnes_text(self.tonnes)}, {self.get_purpose_display()} ({date_text(self.used_on)})"


class StandardTarget(models.Model):
    """A commune registered to reach the NTM standard in ``year`` (xã đăng ký đạt chuẩn
    NTM năm ...): one of the priorities of the cement reserve (notice 58/TB-UBND)."""

    commune = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("commune"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    is_demo = models.BooleanField(_("illustrative demo data"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("commune registered to reach the standard")
        verbose_name_plural = _("communes registered to reach the standard")
        ordering = ["-year", "commune__code"]
        constraints = [
            models.UniqueConstraint(fields=["commune", "year"], name="standard_target_unique"),
            models.CheckConstraint(condition=YEAR_RANGE, name="standard_target_year_range"),
        ]

    def __str__(self):
        return f"{self.commune} ({self.year})"


class RoadBacklog(models.Model):
    """Rural road still to harden in a commune at the start of ``year`` (km), under
    criterion 2 (Giao thông): an optional priority of the cement reserve."""

    commune = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("commune"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    km = models.DecimalField(_("road to harden (km)"), **KM)
    note = models.CharField(_("note"), max_length=300, blank=True)
    is_demo = models.BooleanField(_("illustrative demo data"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("road still to harden")
        verbose_name_plural = _("roads still to harden")
        ordering = ["-year", "commune__code"]
        constraints = [
            models.UniqueConstraint(fields=["commune", "year"], name="road_backlog_unique"),
            models.CheckConstraint(condition=Q(km__gte=0), name="road_backlog_km_not_negative"),
            models.CheckConstraint(condition=YEAR_RANGE, name="road_backlog_year_range"),
        ]

    def __str__(self):
        return f"{self.commune} ({self.year}): {decimal_text(self.km)} km"
