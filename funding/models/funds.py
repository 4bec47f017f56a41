"""Funds: sources, allocations by year, unit and source, disbursements, and the
expected disbursement rates."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from communes.models import AdministrativeUnit
from core.formatting import date_text, percent_text, vnd_text
from funding.models.common import VND, YEAR_RANGE


class SourceKind(models.TextChoices):
    """The capital structure the programme reports (NTM_FACTS §4)."""

    CENTRAL = "central", _("Central budget")
    PROVINCIAL = "provincial", _("Provincial budget")
    DISTRICT = "district", _("District budget")
    COMMUNE = "commune", _("Commune budget")
    INTEGRATED = "integrated", _("Integrated programmes")
    CREDIT = "credit", _("Credit")
    ENTERPRISE = "enterprise", _("Enterprises")
    COMMUNITY = "community", _("Community contributions")


class FundSourceManager(models.Manager):
    """Finds a source by its natural key, the code."""

    def get_by_natural_key(self, code: str):
        """Fixtures name a source by its code."""
        return self.get(code=code)


class FundSource(models.Model):
    """A source of funds (nguồn vốn). The eight kinds are created by migration 0002;
    coordinators may add finer ones (e.g. one per central programme) in the admin."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=20, choices=SourceKind.choices)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()
    objects = FundSourceManager()

    class Meta:
        verbose_name = _("fund source")
        verbose_name_plural = _("fund sources")
        ordering = ["position", "name"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.code,)


class FundAllocation(models.Model):
    """Funds allocated (vốn được giao) to a holder for ``year`` from ``source``, in VND."""

    year = models.PositiveSmallIntegerField(_("year"))
    unit = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("locality"), on_delete=models.PROTECT, related_name="+"
    )
    source = models.ForeignKey(
        FundSource, verbose_name=_("source"), on_delete=models.PROTECT, related_name="allocations"
    )
    amount = models.DecimalField(_("amount (VND)"), **VND)
    decision_number = models.CharField(_("decision number"), max_length=60, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
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
        verbose_name = _("fund allocation")
        verbose_name_plural = _("fund allocations")
        ordering = ["-year", "unit__code", "source__position"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="fund_allocation_amount_positive"),
            models.CheckConstraint(condition=YEAR_RANGE, name="fund_allocation_year_range"),
        ]
        indexes = [models.Index(fields=["unit", "year", "source"], name="fund_alloc_unit_year_idx")]

    def __str__(self):
        return f"{self.unit}, {self.source}, {self.year}: {vnd_text(self.amount)}"


class Disbursement(models.Model):
    """Funds disbursed (giải ngân) by a holder on ``paid_on`` from its ``year``
    allocation of ``source``, in VND."""

    year = models.PositiveSmallIntegerField(_("year"))
    unit = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("locality"), on_delete=models.PROTECT, related_name="+"
    )
    source = models.ForeignKey(
        FundSource, verbose_name=_("source"), on_delete=models.PROTECT, related_name="disbursements"
    )
    paid_on = models.DateField(_("disbursement date"))
    amount = models.DecimalField(_("amount (VND)"), **VND)
    note = models.CharField(_("note"), max_length=300, blank=True)
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
        verbose_name = _("disbursement")
        verbose_name_plural = _("disbursements")
        ordering = ["-paid_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="disbursement_amount_positive"),
            models.CheckConstraint(condition=YEAR_RANGE, name="disbursement_year_range"),
        ]
        indexes = [models.Index(fields=["unit", "year", "source"], name="disbursement_unit_year_idx")]

    def __str__(self):
        return f"{self.unit}, {self.source}: {vnd_text(self.amount)} ({date_text(self.paid_on)})"


class DisbursementMilestone(models.Model):
    """The disbursement rate (percent of the year's allocations, 0-100) a coordinator
    expects to be reached by ``due_on`` for the funds of ``year`` (tiến độ giải ngân)."""

    year = models.PositiveSmallIntegerField(_("year"))
    due_on = models.DateField(_("by date"))
    expected_percent = models.DecimalField(_("expected rate (%)"), max_digits=5, decimal_places=2)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("set by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_demo = models.BooleanField(_("illustrative demo data"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("expected disbursement rate")
        verbose_name_plural = _("expected disbursement rates")
        ordering = ["year", "due_on"]
        constraints = [
            models.UniqueConstraint(fields=["year", "due_on"], name="milestone_unique_date"),
            models.CheckConstraint(
                condition=Q(expected_percent__gte=0) & Q(expected_percent__lte=100),
                name="milestone_percent_0_100",
            ),
            models.CheckConstraint(condition=YEAR_RANGE, name="milestone_year_range"),
        ]

    def __str__(self):
        return f"{self.year}: {percent_text(self.expected_percent)} ({date_text(self.due_on)})"
