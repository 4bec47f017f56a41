"""The leadership dashboard (bảng điều hành) of one reporting period for one scope: every
figure a leader reads before a review conference such as the one of notice 58/TB-UBND
(06/07/2020), each with the day it counts up to ("số liệu tính đến …").

It composes the apps' own selectors, so a figure here is the figure of the page behind
its tile: the criteria overview and its coverage
(:mod:`criteria.selectors.overview`), the programme targets
(:mod:`criteria.selectors.targets`), cement and funds of the period's year
(:mod:`funding.selectors.cement`, :mod:`funding.selectors.funds`), the directive tasks
in the four buckets (:func:`directives.selectors.assignments.overdue_board`) and the
coordination offices' staffing (:func:`accounts.selectors.coordination_offices`).

``visible`` is the units the figures cover: ``accounts.scope.unit_scope(user)``, narrowed
to a unit's subtree when the reader picks one. ``assignments`` is
``directives.selectors.assignments.assignment_scope(user)``. A fixed number of queries
whatever the number of communes, periods, agencies or tasks
(``tests/dashboards/test_dashboard.py`` counts them at two sizes).
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Max, Q, QuerySet, Sum
from django.utils import timezone

from accounts.models import Agency
from accounts.selectors import coordination_offices
from accounts.staffing import StaffingTotals, staffing_totals
from communes.models import AdministrativeUnit
from criteria.models import (
    Assessment,
    AssessmentStatus,
    CriteriaSet,
    ProgrammeTarget,
    Recognition,
    RecognitionLevel,
    ReportingPeriod,
)
from criteria.selectors.overview import (
    Coverage,
    Overview,
    approved_assessments,
    approved_coverage,
    average_criteria,
    percent,
    province_overview,
)
from criteria.selectors.recognitions import recognised_by_level
from criteria.selectors.targets import targets_for
from directives.models import Assignment
from directives.selectors.assignments import AgencyRow, overdue_board
from directives.selectors.directives import BucketCounts
from directives.status import Bucket
from funding.models import CementUse
from funding.selectors.cement import CementOverview, cement_overview
from funding.selectors.funds import FundsOverview, funds_overview

# How many overdue tasks the dashboard lists; the board behind the tile lists them all.
OVERDUE_SHOWN = 10


@dataclass(frozen=True)
class TrendPoint:
    """One period of the trend, under the dashboard's criteria set: approved assessments,
    how many meet the standard, and the average criteria met per commune."""

    period: ReportingPeriod
    assessed: int
    meeting_standard: int
    criteria_met_total: int

    @property
    def average(self) -> Decimal | None:
        return average_criteria(self.criteria_met_total, self.assessed)

    @property
    def meeting_percent(self) -> Decimal | None:
        return percent(self.meeting_standard, self.assessed)


@dataclass(frozen=True)
class Cutoffs:
    """The day each tile's figures count up to. ``assessments``: the latest approval of
    a counted assessment (None: none approved); ``recognitions``: the latest decision
    counted; ``cement``: the latest use reported in the year; ``funds``: the day
    disbursements are counted to (the period's end, or today while it runs);
    ``directives``: today (a task's status is derived from its dates on the day it is
    read); ``staffing``: the latest change of a coordination office's staff counts."""

    assessments: datetime.date | None
    recognitions: datetime.date | None
    cement: datetime.date | None
    funds: datetime.date
    directives: datetime.date
    staffing: datetime.date | None


@dataclass(frozen=True)
class Dashboard:
    """The dashboard of ``period`` under ``criteria_set`` for the units of a scope.

    ``scope_unit`` is the unit the reader picked (None: their whole scope).
    ``recognised`` maps a ``RecognitionLevel`` value to the units of the scope in force
    at the period's end recognised at that level by a decision dated up to its end
    (communes for the three commune levels, hamlets for ``model_hamlet``); the standard
    level is the overview's count. ``targets`` are those of ``target_unit`` measured by
    the period's year (:func:`criteria.selectors.targets.targets_for`). ``year`` is the
    year whose cement and funds are shown (the period's end year). ``directive_rows``
    are the agencies' lead assignments in the four buckets, most overdue first;
    ``overdue`` the first :data:`OVERDUE_SHOWN` open overdue ones, the longest overdue
    first, of ``overdue_count``.
    """

    period: ReportingPeriod
    criteria_set: CriteriaSet
    scope_unit: AdministrativeUnit | None
    target_unit: AdministrativeUnit | None
    overview: Overview
    coverage: Coverage
    recognised: dict[str, int]
    targets: dict[str, ProgrammeTarget]
    trend: tuple[TrendPoint, ...]
    year: int
    cement: CementOverview
    funds: FundsOverview
    directive_rows: tuple[AgencyRow, ...]
    directive_totals: BucketCounts
    overdue: tuple[Assignment, ...]
    overdue_count: int
    staffing: tuple[Agency, ...]
    cutoffs: Cutoffs

    @property
    def has_demo(self) -> bool:
        """True when a criteria, cement or funds figure counts illustrative demo data."""
        return self.overview.has_demo or self.cement.has_demo or self.funds.has_demo

    @property
    def standard_target(self) -> ProgrammeTarget | None:
        return self.targets.get(RecognitionLevel.STANDARD)

    @property
    def standard_target_reached(self) -> bool | None:
        """Whether the communes recognised at the standard reach the standard target;
        None when there is no target or its number is not known."""
        target = self.standard_target
        if target is None or target.count is None:
            return None
        return self.overview.totals.recognised >= target.count

    @property
    def staff(self) -> StaffingTotals:
        """The staff counts of the coordination offices, summed over those that reported."""
        return staffing_totals(
            (agency.ntm_staff_required, agency.ntm_staff_actual) for agency in self.staffing
        )


def trend(
    *, visible: QuerySet[AdministrativeUnit], criteria_set: CriteriaSet, until: datetime.date
) -> tuple[TrendPoint, ...]:
    """Per reporting period ending on or before ``until`` that holds approved assessments
    of xã in ``visible`` under ``criteria_set``: the counts of :class:`TrendPoint`, the
    earliest period first. One query."""
    rows = (
        Assessment.objects.filter(
            status=AssessmentStatus.APPROVED,
            criteria_set=criteria_set,
            commune__in=visible.assessed(),
            period__end__lte=until,
        )
        .values("period")
        .annotate(
            assessed=Count("pk"),
            meeting=Count("pk", filter=Q(meets_standard=True)),
            met_total=Sum("criteria_met"),
        )
        .order_by()
    )
    counts = {row["period"]: row for row in rows}
    periods = ReportingPeriod.objects.filter(pk__in=list(counts)).order_by("end", "start")
    return tuple(
        TrendPoint(
            period=period,
            assessed=counts[period.pk]["assessed"],
            meeting_standard=counts[period.pk]["meeting"],
            criteria_met_total=counts[period.pk]["met_total"] or 0,
        )
        for period in periods
    )


def _local_day(moment: datetime.datetime | None) -> datetime.date | None:
    return timezone.localdate(moment) if moment is not None else None


def leadership_dashboard(
    *,
    visible: QuerySet[AdministrativeUnit],
    assignments: QuerySet[Assignment],
    period: ReportingPeriod,
    criteria_set: CriteriaSet,
    scope_unit: AdministrativeUnit | None,
    target_unit: AdministrativeUnit | None,
    today: datetime.date,
) -> Dashboard:
    """Every figure of the dashboard of ``period`` under ``criteria_set`` for the units
    of ``visible`` (see the module docstring), seen on ``today``. Directive tasks are the
    lead assignments of ``assignments`` given to agencies whose scope unit lies in
    ``visible``. Cement and funds are those of the period's end year, disbursements
    counted up to the period's end or ``today`` if earlier. About thirty queries,
    whatever the size of the data."""
    end = period.end
    year = end.year
    as_of = min(end, today)
    overview = province_overview(visible=visible, period=period, criteria_set=criteria_set, departments=False)
    coverage = approved_coverage(visible=visible, period=period, criteria_set=criteria_set)
    decided = approved_assessments(visible=visible, period=period, criteria_set=criteria_set).aggregate(
        last=Max("decided_at")
    )["last"]
    last_decision = Recognition.objects.filter(
        decision_date__lte=end, unit__in=visible.valid_on(end)
    ).aggregate(last=Max("decision_date"))["last"]
    last_use = CementUse.objects.filter(year=year, unit__in=visible).aggregate(last=Max("used_on"))["last"]
    table, overdue = overdue_board(today=today, assignments=assignments.filter(agency__scope__in=visible))
    totals = BucketCounts()
    for row in table:
        for bucket in Bucket.values:
            totals.add(bucket, getattr(row.counts, bucket))
    staffing = tuple(coordination_offices(visible=visible))
    staffing_changed = Agency.history.filter(id__in=[agency.pk for agency in staffing]).aggregate(
        last=Max("history_date")
    )["last"]
    return Dashboard(
        period=period,
        criteria_set=criteria_set,
        scope_unit=scope_unit,
        target_unit=target_unit,
        overview=overview,
        coverage=coverage,
        recognised=recognised_by_level(visible=visible, on=end),
        targets=targets_for(unit=target_unit, year=year) if target_unit is not None else {},
        trend=trend(visible=visible, criteria_set=criteria_set, until=end),
        year=year,
        cement=cement_overview(visible=visible, year=year),
        funds=funds_overview(visible=visible, year=year, as_of=as_of),
        directive_rows=tuple(table),
        directive_totals=totals,
        overdue=tuple(overdue[:OVERDUE_SHOWN]),
        overdue_count=totals.open_overdue,
        staffing=staffing,
        cutoffs=Cutoffs(
            assessments=_local_day(decided),
            recognitions=last_decision,
            cement=last_use,
            funds=as_of,
            directives=today,
            staffing=_local_day(staffing_changed),
        ),
    )
