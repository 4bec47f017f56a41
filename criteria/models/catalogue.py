"""Criteria sets, reporting periods, commune assessments and recognitions.

A criteria set (bộ tiêu chí) is versioned data loaded from fixtures (QĐ 1980/QĐ-TTg for
2016-2020, QĐ 318/QĐ-TTg for 2021-2025, QĐ 51/2025/QĐ-TTg for 2026-2030) or copied into a
provincial variant; never code. An assessment (đánh giá) is one commune's values for one
period under one set; what is met is derived by :mod:`criteria.evaluation` and stored by
the services on every change. The workflow is :mod:`criteria.workflow`.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
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

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["indicator", "commune_group"], name="group_target_unique")
        ]

    def __str__(self):
        return f"{self.indicator.code} · {self.commune_group}: {self.target}"


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


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    APPROVED = "approved", _("Approved")


class Assessment(models.Model):
    """One commune's assessment (đánh giá) for one period under one criteria set.

    ``criteria_met``, ``criteria_total`` and ``meets_standard`` are derived from the
    indicator values and stored by the services on every change. ``version`` grows by
    one at every write: a save based on an older version is refused.
    """

    commune = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("commune"), on_delete=models.PROTECT, related_name="assessments"
    )
    period = models.ForeignKey(
        ReportingPeriod, verbose_name=_("period"), on_delete=models.PROTECT, related_name="assessments"
    )
    criteria_set = models.ForeignKey(
        CriteriaSet, verbose_name=_("criteria set"), on_delete=models.PROTECT, related_name="assessments"
    )
    commune_group = models.ForeignKey(
        CommuneGroup, verbose_name=_("commune group"), null=True, blank=True, on_delete=models.PROTECT
    )
    status = models.CharField(
        _("status"), max_length=10, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT
    )
    criteria_met = models.PositiveSmallIntegerField(_("criteria met"), default=0)
    criteria_total = models.PositiveSmallIntegerField(_("criteria in the set"), default=0)
    meets_standard = models.BooleanField(_("meets the standard"), default=False)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    status_reason = models.TextField(_("reason"), blank=True)
    is_demo = models.BooleanField(_("illustrative demo data"), default=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["period", "commune__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["commune", "period", "criteria_set"], name="assessment_unique_commune_period_set"
            ),
            models.CheckConstraint(
                condition=Q(criteria_met__lte=F("criteria_total")), name="assessment_met_within_total"
            ),
        ]
        indexes = [models.Index(fields=["period", "criteria_set", "status"], name="assessment_overview_idx")]

    def __str__(self):
        return f"{self.commune} · {self.period}"


class Outcome(models.TextChoices):
    MET = "met", _("Met")
    NOT_MET = "not_met", _("Not met")
    MISSING = "missing", _("No value")
    UNDETERMINED = "undetermined", _("Needs the appraiser's judgement")


class IndicatorValue(models.Model):
    """The value reported for one indicator of an assessment: ``number`` for a percent or
    number (percent as 0-100), ``achieved`` for Đạt / Không đạt (also the appraiser's
    judgement of an indicator with no target), an evidence note, and the stored outcome."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="values")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="values")
    number = models.DecimalField(_("value"), max_digits=14, decimal_places=4, null=True, blank=True)
    achieved = models.BooleanField(_("achieved"), null=True, blank=True)
    evidence = models.TextField(_("evidence"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=15, choices=Outcome.choices, default=Outcome.MISSING)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "indicator"], name="indicator_value_unique")
        ]

    def __str__(self):
        return f"{self.indicator.code}: {self.get_outcome_display()}"


class CriterionResult(models.Model):
    """Whether a criterion is met in an assessment (all its indicators met); derived."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="criterion_results")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="results")
    met = models.BooleanField(_("met"), default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "criterion"], name="criterion_result_unique")
        ]

    def __str__(self):
        return f"{self.criterion}: {self.met}"


class AssessmentComment(models.Model):
    """A department officer's (or coordinator's) comment on one criterion of an assessment."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="comments")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self):
        return self.text[:80]


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
