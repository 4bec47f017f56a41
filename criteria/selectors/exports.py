"""Read queries of the exports: the assessments of one period under one criteria set,
with their criterion results and indicator values, one row per commune; and the export
jobs built in the background (:func:`export_job_for`).

Like ``communes.selectors`` these take the units the caller may see as a queryset
(``visible = accounts.scope.unit_scope(user)``), never the user, so a dashboard, an
export and the API compute the same figures for the same scope.

:func:`assessment_export` runs a fixed number of queries whatever the number of communes.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import QuerySet

from accounts.roles import is_coordinator
from communes.models import AdministrativeUnit
from core.text import fold
from criteria.models import (
    Assessment,
    CriteriaSet,
    Criterion,
    CriterionResult,
    ExportJob,
    Indicator,
    IndicatorValue,
    ReportingPeriod,
)
from criteria.selectors.overview import approved_assessments, district_of


@dataclass(frozen=True)
class ExportRow:
    """One assessment of an export: ``criteria`` maps a criterion's pk to whether it is
    met (criteria without a stored result are absent); ``values`` maps an indicator's pk
    to its stored :class:`IndicatorValue` (absent when nothing was ever entered; empty
    when the export was read ``with_values=False``)."""

    assessment: Assessment
    criteria: dict[int, bool]
    values: dict[int, IndicatorValue]

    @property
    def commune(self) -> AdministrativeUnit:
        return self.assessment.commune

    @property
    def district(self) -> AdministrativeUnit | None:
        """The commune's district, or None when it lies directly under the province."""
        return district_of(self.assessment.commune)


@dataclass(frozen=True)
class AssessmentExport:
    """The assessments of one period under one set in a scope, ready to be written out.

    ``criteria`` are the set's criteria by number (department loaded); ``indicators``
    the set's indicators by criterion number, position and code (criterion loaded);
    ``rows`` one per assessment (so one per commune), ordered by district code (communes
    directly under the province last), then commune code and name. ``has_demo`` is True
    when any row is illustrative demo data.
    """

    period: ReportingPeriod
    criteria_set: CriteriaSet
    criteria: tuple[Criterion, ...]
    indicators: tuple[Indicator, ...]
    rows: tuple[ExportRow, ...]
    approved_only: bool

    @property
    def has_demo(self) -> bool:
        return any(row.assessment.is_demo for row in self.rows)


def assessment_export(
    *,
    visible: QuerySet[AdministrativeUnit],
    period: ReportingPeriod,
    criteria_set: CriteriaSet,
    approved_only: bool,
    with_values: bool = True,
) -> AssessmentExport:
    """The assessments of ``period`` under ``criteria_set`` of the rural communes (xã) in
    ``visible``, with their criterion results and (``with_values``) indicator values.

    ``approved_only=True`` takes exactly the assessments
    :func:`~criteria.selectors.overview.province_overview` counts
    (:func:`~criteria.selectors.overview.approved_assessments`), so an export's commune
    rows add up to its figures; ``approved_only=False`` takes every status (draft, submitted, returned, approved):
    the full values export, whose status column says which figures are official yet.
    Five queries (four without values), whatever the number of communes.
    """
    if approved_only:
        assessed_qs = approved_assessments(visible=visible, period=period, criteria_set=criteria_set)
    else:
        assessed_qs = Assessment.objects.filter(
            period=period, criteria_set=criteria_set, commune__in=visible.assessed()
        )
    # 1: the assessments with their commune and its parent; 2: the criteria; 3: the indicators.
    assessments = list(assessed_qs.select_related("commune__parent"))
    criteria = tuple(criteria_set.criteria.select_related("responsible_agency").order_by("number"))
    indicators = tuple(
        Indicator.objects.filter(criterion__criteria_set=criteria_set)
        .select_related("criterion")
        .order_by("criterion__number", "position", "code")
    )
    # 4: every criterion result; 5: every indicator value of those assessments.
    results: dict[int, dict[int, bool]] = defaultdict(dict)
    for assessment_id, criterion_id, met in CriterionResult.objects.filter(
        assessment__in=assessed_qs
    ).values_list("assessment_id", "criterion_id", "met"):
        results[assessment_id][criterion_id] = met
    values: dict[int, dict[int, IndicatorValue]] = defaultdict(dict)
    if with_values:
        for value in IndicatorValue.objects.filter(assessment__in=assessed_qs):
            values[value.assessment_id][value.indicator_id] = value

    def order(assessment: Assessment):
        district = district_of(assessment.commune)
        return (
            district is None,
            district.code if district else "",
            assessment.commune.code,
            fold(assessment.commune.name),
        )

    rows = tuple(
        ExportRow(assessment=a, criteria=results.get(a.pk, {}), values=values.get(a.pk, {}))
        for a in sorted(assessments, key=order)
    )
    return AssessmentExport(
        period=period,
        criteria_set=criteria_set,
        criteria=criteria,
        indicators=indicators,
        rows=rows,
        approved_only=approved_only,
    )


def export_job_for(*, user, pk) -> ExportJob:
    """The export job ``pk`` (period, set, unit and who asked, with their agency's scope,
    loaded) if ``user`` asked for it or is a
    coordinator; ``ExportJob.DoesNotExist`` otherwise (the view answers 404), also for a
    ``pk`` that is not a number (ValueError). One query, two for a user whose roles are
    not read yet."""
    jobs = ExportJob.objects.select_related("period", "criteria_set", "unit", "requested_by__agency__scope")
    if not is_coordinator(user):
        jobs = jobs.filter(requested_by=user)
    return jobs.get(pk=pk)
