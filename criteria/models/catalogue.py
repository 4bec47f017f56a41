"""The catalogue: criteria sets (bộ tiêu chí), their criteria (tiêu chí), indicators
(chỉ tiêu), commune groups and the targets that differ by group.

A criteria set is versioned data loaded from fixtures (QĐ 1980/QĐ-TTg for 2016-2020,
QĐ 318/QĐ-TTg for 2021-2025, QĐ 51/2025/QĐ-TTg for 2026-2030) or copied into a
provincial variant; never code.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import Agency
from communes.models import AdministrativeUnit


class MeasureType(models.TextChoices):
    BOOLEAN = "boolean", _("Achieved / not achieved")
    PERCENT = "percent", _("Percent")
    NUMBER = "number", _("Number")


class Comparison(models.TextChoices):
    AT_LEAST = ">=", _("at least")
    AT_MOST = "<=", _("at most")
    EQUAL = "=", _("equal to")
    ACHIEVED = "achieved", _("achieved (Đạt)")


class Verification(models.TextChoices):
    """How sure the fixture is of an indicator (../shared/domain/NTM_FACTS.md)."""

    CONFIRMED = "confirmed", _("Confirmed in a source")
    TARGET_UNKNOWN = "target_unknown", _("Wording confirmed, target unknown")
    UNVERIFIED = "unverified", _("Recalled, not verified")
    SET_BY_COORDINATOR = "coordinator", _("Set by a coordinator")


class CriteriaSetLevel(models.TextChoices):
    STANDARD = "standard", _("NTM commune")
    ADVANCED = "advanced", _("Advanced NTM commune")
    MODEL = "model", _("Model NTM commune")


class CriteriaSetManager(models.Manager):
    def get_by_natural_key(self, code: str):
        """Fixtures name a criteria set by its code."""
        return self.get(code=code)


class CriteriaSet(models.Model):
    """A criteria set (bộ tiêu chí): ``decision`` is the legal act that issued it
    ("1980/QĐ-TTg"); ``based_on`` is the set a provincial variant was copied from."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=255)
    level = models.CharField(_("level"), max_length=10, choices=CriteriaSetLevel.choices)
    decision = models.CharField(_("decision"), max_length=100, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    effective_from = models.DateField(_("effective from"), null=True, blank=True)
    effective_until = models.DateField(_("effective until"), null=True, blank=True)
    region = models.CharField(_("region of the targets"), max_length=150, blank=True)
    based_on = models.ForeignKey(
        "self",
        verbose_name=_("copied from"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="variants",
    )
    province = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("province (for a provincial variant)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    notes = models.TextField(_("notes"), blank=True)

    history = HistoricalRecords()
    objects = CriteriaSetManager()

    class Meta:
        verbose_name = _("criteria set")
        verbose_name_plural = _("criteria sets")
        ordering = ["effective_from", "code"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.code,)


class CommuneGroup(models.Model):
    """A group of communes with its own thresholds under a set (QĐ 51/2025/QĐ-TTg: group 1
    peri-urban, group 2 others, group 3 area II/III ethnic-minority and mountain communes)."""

    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="commune_groups")
    code = models.SlugField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=150)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("commune group")
        verbose_name_plural = _("commune groups")
        ordering = ["criteria_set", "code"]
        constraints = [
            models.UniqueConstraint(fields=["criteria_set", "code"], name="commune_group_unique_code")
        ]

    def __str__(self):
        return self.name


class Criterion(models.Model):
    """A criterion (tiêu chí) of a set: number 1..19 (or 1..10), name, group (nhóm), and
    the provincial department (sở, ngành) that answers for it."""

    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="criteria")
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=255)
    group = models.CharField(_("group"), max_length=150, blank=True)
    responsible_agency = models.ForeignKey(
        Agency,
        verbose_name=_("responsible department"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="criteria",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["criteria_set", "number"]
        constraints = [
            models.UniqueConstraint(fields=["criteria_set", "number"], name="criterion_unique_number_in_set")
        ]

    def __str__(self):
        return f"{self.number}. {self.name}"


class Indicator(models.Model):
    """An indicator (chỉ tiêu) of a criterion: code ("2.1"), what is measured, the unit,
    the comparison and the target (a percent is 0-100, e.g. 85 for 85 %). ``target`` is
    empty when the fixture does not know it; such an indicator is judged by the
    appraiser's Đạt / Không đạt until a coordinator sets the target."""

    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(_("code"), max_length=10)
    name = models.CharField(_("name"), max_length=500)
    measure_type = models.CharField(_("measure type"), max_length=10, choices=MeasureType.choices)
    unit = models.CharField(_("unit"), max_length=60, blank=True)
    comparison = models.CharField(_("comparison"), max_length=10, choices=Comparison.choices)
    target = models.DecimalField(_("target"), max_digits=12, decimal_places=2, null=True, blank=True)
    verification = models.CharField(_("verification"), max_length=20, choices=Verification.choices)
    source = models.TextField(_("source"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["criterion", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["criterion", "code"], name="indicator_unique_code_in_criterion"),
            models.CheckConstraint(
                condition=~Q(measure_type="boolean") | Q(comparison="achieved"),
                name="indicator_boolean_is_judged_achieved",
            ),
            models.CheckConstraint(
                condition=Q(comparison="achieved") | Q(measure_type__in=["percent", "number"]),
                name="indicator_numeric_comparison_needs_a_number",
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def needs_target(self) -> bool:
        """A numeric indicator whose target nobody has set yet."""
        return self.comparison != Comparison.ACHIEVED and self.target is None


class IndicatorGroupTarget(models.Model):
    """The target of an indicator for one commune group, where it differs by group."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="group_targets")
    commune_group = models.ForeignKey(CommuneGroup, on_delete=models.CASCADE, related_name="targets")
    target = models.DecimalField(_("target"), max_digits=12, decimal_places=2)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("target for a commune group")
        verbose_name_plural = _("targets for commune groups")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "commune_group"], name="group_target_unique")
        ]

    def __str__(self):
        return f"{self.indicator.code} · {self.commune_group}: {self.target}"
