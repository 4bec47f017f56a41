"""Value-chain projects with their checklist of support conditions, and OCOP products."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from communes.models import AdministrativeUnit
from funding.models.common import TONNES, VND


class Verification(models.TextChoices):
    """How sure the fixture is of a condition's wording."""

    CONFIRMED = "confirmed", _("Confirmed in a source")
    UNVERIFIED = "unverified", _("Recalled, not verified")


class SupportConditionManager(models.Manager):
    """Finds a condition by its natural key, the code."""

    def get_by_natural_key(self, code: str):
        """Fixtures name a condition by its code."""
        return self.get(code=code)


class SupportCondition(models.Model):
    """A condition or principle of support a value-chain project is vetted against
    (mục 1.2, phần I, QĐ 4781/QĐ-BNN-VPĐP of 21/11/2017, as notice 58/TB-UBND quotes it,
    and the notice's own priorities). Data, loaded from
    ``funding/fixtures/support_conditions_4781.json``; ``verification`` says whether the
    wording was seen in a source."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    text = models.TextField(_("condition"))
    source = models.CharField(_("source"), max_length=300)
    verification = models.CharField(
        _("verification"), max_length=20, choices=Verification.choices, default=Verification.UNVERIFIED
    )
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()
    objects = SupportConditionManager()

    class Meta:
        verbose_name = _("support condition")
        verbose_name_plural = _("support conditions")
        ordering = ["position", "code"]

    def __str__(self):
        return self.text[:80]

    def natural_key(self):
        return (self.code,)


class PartnerKind(models.TextChoices):
    """Who leads a linkage or produces an OCOP product."""

    ENTERPRISE = "enterprise", _("Enterprise")
    COOPERATIVE = "cooperative", _("Cooperative")
    COOPERATIVE_GROUP = "cooperative_group", _("Cooperative group")
    HOUSEHOLD = "household", _("Household")


class ProjectStatus(models.TextChoices):
    """Where a value-chain project stands: proposed, vetted, decided, carried out."""

    PROPOSED = "proposed", _("Proposed")
    VETTING = "vetting", _("Being vetted")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    IN_PROGRESS = "in_progress", _("Under way")
    COMPLETED = "completed", _("Completed")


class ValueChainProject(models.Model):
    """A production project linked along a value chain with product consumption (dự án
    phát triển sản xuất liên kết theo chuỗi giá trị gắn với tiêu thụ sản phẩm), led by
    an enterprise or cooperative (``partner_name``), linking production, processing
    and/or consumption of ``product``, over ``area_ha`` and/or ``volume_tonnes`` a year,
    asking ``support_requested`` VND and granted ``support_approved`` VND (never more
    than asked), in ``communes``."""

    name = models.CharField(_("name"), max_length=300)
    partner_name = models.CharField(_("lead enterprise or cooperative"), max_length=200)
    partner_kind = models.CharField(_("kind of lead"), max_length=20, choices=PartnerKind.choices)
    product = models.CharField(_("product"), max_length=150)
    links_production = models.BooleanField(_("production linkage"), default=False)
    links_processing = models.BooleanField(_("processing linkage"), default=False)
    links_consumption = models.BooleanField(_("consumption linkage"), default=False)
    area_ha = models.DecimalField(_("area (ha)"), max_digits=10, decimal_places=2, null=True, blank=True)
    volume_tonnes = models.DecimalField(_("volume (tonnes a year)"), null=True, blank=True, **TONNES)
    support_requested = models.DecimalField(_("support asked (VND)"), **VND)
    support_approved = models.DecimalField(_("support approved (VND)"), null=True, blank=True, **VND)
    status = models.CharField(
        _("status"), max_length=20, choices=ProjectStatus.choices, default=ProjectStatus.PROPOSED
    )
    submission = models.CharField(
        _("submission"), max_length=150, blank=True, help_text=_("E.g. Tờ trình số 168/TTr-VPĐP.")
    )
    communes = models.ManyToManyField(
        AdministrativeUnit, verbose_name=_("in communes"), related_name="+", blank=True
    )
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_demo = models.BooleanField(_("illustrative demo data"), default=False)

    history = HistoricalRecords(m2m_fields=[communes])

    class Meta:
        verbose_name = _("value-chain project")
        verbose_name_plural = _("value-chain projects")
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(links_production=True) | Q(links_processing=True) | Q(links_consumption=True),
                name="project_has_a_linkage",
            ),
            models.CheckConstraint(
                condition=Q(support_requested__gte=0), name="project_support_requested_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(support_approved__isnull=True)
                | (Q(support_approved__gte=0) & Q(support_approved__lte=F("support_requested"))),
                name="project_support_approved_within_requested",
            ),
            models.CheckConstraint(
                condition=Q(area_ha__isnull=True) | Q(area_ha__gte=0), name="project_area_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(volume_tonnes__isnull=True) | Q(volume_tonnes__gte=0),
                name="project_volume_not_negative",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def linkage_labels(self) -> list[str]:
        """The linkages the project has, as labels (production, processing, consumption)."""
        return [
            str(self._meta.get_field(name).verbose_name)
            for name in ("links_production", "links_processing", "links_consumption")
            if getattr(self, name)
        ]


class CheckOutcome(models.TextChoices):
    """Whether a project meets a support condition."""

    MET = "met", _("Met")
    NOT_MET = "not_met", _("Not met")


class ConditionCheck(models.Model):
    """Whether ``project`` meets ``condition``, as ``checked_by`` found on ``checked_at``
    (one row per project and condition; a new check replaces the old in place, the
    history keeps every earlier one)."""

    project = models.ForeignKey(
        ValueChainProject, verbose_name=_("project"), on_delete=models.CASCADE, related_name="checks"
    )
    condition = models.ForeignKey(
        SupportCondition, verbose_name=_("condition"), on_delete=models.PROTECT, related_name="checks"
    )
    outcome = models.CharField(_("outcome"), max_length=10, choices=CheckOutcome.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    checked_at = models.DateTimeField(_("checked at"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("condition check")
        verbose_name_plural = _("condition checks")
        ordering = ["condition__position"]
        constraints = [
            models.UniqueConstraint(fields=["project", "condition"], name="condition_check_unique"),
        ]

    def __str__(self):
        return f"{self.project}: {self.condition.code} {self.get_outcome_display()}"


# --- OCOP ---------------------------------------------------------------------------------


class OcopGroup(models.TextChoices):
    """The six product groups of QĐ 148/QĐ-TTg (24/02/2023)."""

    FOOD = "food", _("Food")
    DRINKS = "drinks", _("Drinks")
    HERBAL = "herbal", _("Medicinal herbs and herbal products")
    HANDICRAFT = "handicraft", _("Handicrafts")
    ORNAMENTAL = "ornamental", _("Ornamental plants and animals")
    TOURISM = "tourism", _("Community, eco and destination tourism")


class OcopProduct(models.Model):
    """An OCOP product (sản phẩm OCOP, One Commune One Product) of ``commune`` rated
    ``stars`` (3 to 5) by ``rating_decision`` in ``rating_year``; optionally part of a
    value-chain project."""

    name = models.CharField(_("product"), max_length=200)
    group = models.CharField(_("product group"), max_length=20, choices=OcopGroup.choices, blank=True)
    producer_name = models.CharField(_("producer"), max_length=200)
    producer_kind = models.CharField(_("kind of producer"), max_length=20, choices=PartnerKind.choices)
    commune = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("commune"), on_delete=models.PROTECT, related_name="+"
    )
    stars = models.PositiveSmallIntegerField(_("stars"))
    rating_decision = models.CharField(_("rating decision"), max_length=60)
    rating_year = models.PositiveSmallIntegerField(_("rating year"))
    project = models.ForeignKey(
        ValueChainProject,
        verbose_name=_("value-chain project"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ocop_products",
    )
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
        verbose_name = _("OCOP product")
        verbose_name_plural = _("OCOP products")
        ordering = ["-stars", "name", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(stars__gte=3) & Q(stars__lte=5), name="ocop_stars_3_to_5"),
            models.CheckConstraint(
                condition=Q(rating_year__gte=2018) & Q(rating_year__lte=2100), name="ocop_rating_year_range"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.stars}★)"
