"""Assessments (đánh giá): one commune's values for one period under one criteria set,
the outcome of each indicator and criterion, and the comments on them.

What is met is derived by :mod:`criteria.evaluation` and stored by the services on every
change; the workflow is :mod:`criteria.workflow`.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from communes.models import AdministrativeUnit
from criteria.models.catalogue import CommuneGroup, CriteriaSet, Criterion, Indicator
from criteria.models.periods import ReportingPeriod


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
